#include "ingest/line_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace trailbook::ingest {
namespace {

struct Got {
  std::vector<std::string> texts;  // "<too long N>" for too-long lines.
  std::vector<uint64_t> numbers;
};

Got Collect(LineReader& reader) {
  Got got;
  Line line;
  for (;;) {
    Result<bool> more = reader.Next(&line);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) break;
    got.texts.push_back(line.too_long ? "<too long " + std::to_string(line.length) + ">"
                                      : std::string(line.text));
    got.numbers.push_back(line.number);
  }
  return got;
}

Got InMemory(const std::string& text, uint64_t max_line) {
  PaddedBuffer padded;
  padded.Append(text);
  LineReader reader(padded.view(), max_line);
  return Collect(reader);
}

Got Streamed(const std::string& text, uint64_t chunk, uint64_t max_line, size_t head) {
  PaddedBuffer window;
  window.Append(std::string_view(text).substr(0, head));
  MemoryStream rest(std::string_view(text).substr(std::min(head, text.size())));
  LineReader reader(&window, &rest, chunk, max_line);
  return Collect(reader);
}

TEST(LineReaderTest, SplitsLinesInMemoryAndStreamed) {
  std::string text = "a\r\nbb\n\nccc\r\n" + std::string(30, 'x') + "\nlast";
  std::vector<std::string> want = {"a", "bb", "", "ccc", "<too long 30>", "last"};
  std::vector<uint64_t> numbers = {1, 2, 3, 4, 5, 6};
  Got mem = InMemory(text, 10);
  EXPECT_EQ(mem.texts, want);
  EXPECT_EQ(mem.numbers, numbers);
  for (uint64_t chunk : {uint64_t{1}, uint64_t{2}, uint64_t{3}, uint64_t{7}, uint64_t{64}}) {
    for (size_t head : {size_t{0}, size_t{5}, text.size()}) {
      Got s = Streamed(text, chunk, 10, head);
      EXPECT_EQ(s.texts, want) << "chunk " << chunk << " head " << head;
      EXPECT_EQ(s.numbers, numbers);
    }
  }
}

TEST(LineReaderTest, TrailingNewlineEndsInput) {
  EXPECT_EQ(InMemory("a\nb\n", 10).texts, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Streamed("a\nb\n", 3, 10, 0).texts, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(InMemory("", 10).texts.empty());
  EXPECT_TRUE(Streamed("", 3, 10, 0).texts.empty());
}

TEST(LineReaderTest, TooLongLastLineWithoutNewline) {
  std::string text = "ok\n" + std::string(100, 'y');
  std::vector<std::string> want = {"ok", "<too long 100>"};
  EXPECT_EQ(InMemory(text, 50).texts, want);
  EXPECT_EQ(Streamed(text, 8, 50, 0).texts, want);
}

TEST(LineReaderTest, StreamingWindowStaysBounded) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += std::string(40, 'a') + "\n";
  text += std::string(100000, 'b') + "\nend\n";
  PaddedBuffer window;
  MemoryStream stream(text);
  LineReader reader(&window, &stream, 256, 1000);
  Line line;
  size_t lines = 0;
  size_t max_capacity = 0;
  for (;;) {
    Result<bool> more = reader.Next(&line);
    ASSERT_TRUE(more.ok());
    if (!*more) break;
    ++lines;
    max_capacity = std::max(max_capacity, window.capacity());
  }
  EXPECT_EQ(lines, 1002u);
  EXPECT_LT(max_capacity, 8192u);  // Not the 100 KB line.
}

}  // namespace
}  // namespace trailbook::ingest
