#include "ingest/file_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "base/check.h"
#include "crypto/digest.h"
#include "ingest/byte_stream.h"
#include "ingest/gzip.h"
#include "ingest/json_container.h"
#include "ingest/lake_csv.h"
#include "ingest/line_reader.h"
#include "ingest/padded_buffer.h"
#include "io/file.h"

namespace trailbook::ingest {
namespace {

// Forwards to the caller's sink and remembers whether the sink stopped the read, so that the
// reader returns the sink's Status unchanged and adds the input's name to its own errors.
class SinkProxy final : public RecordSink {
 public:
  explicit SinkProxy(RecordSink& sink) : sink_(sink) {}
  Status OnRecord(const RecordRef& record) override {
    Status s = sink_.OnRecord(record);
    if (!s.ok()) stopped_ = true;
    return s;
  }
  void OnRecordError(uint64_t index, uint64_t line, std::string_view message) override {
    sink_.OnRecordError(index, line, message);
  }
  bool AcceptsParsedRecords() const override { return sink_.AcceptsParsedRecords(); }
  bool TryParsedRecord(simdjson::ondemand::object& object) override {
    return sink_.TryParsedRecord(object);
  }
  Status CommitParsedRecord(const RecordRef& record) override {
    Status s = sink_.CommitParsedRecord(record);
    if (!s.ok()) stopped_ = true;
    return s;
  }
  void AbandonParsedRecord() override { sink_.AbandonParsedRecord(); }
  bool AcceptsRecordText() const override { return sink_.AcceptsRecordText(); }
  bool TryRecordText(const char** p, const char* end) override {
    return sink_.TryRecordText(p, end);
  }
  bool stopped() const { return stopped_; }

 private:
  RecordSink& sink_;
  bool stopped_ = false;
};

// Serves `prefix` (borrowed) and then the rest of `rest`.
class PrefixedStream final : public ByteStream {
 public:
  PrefixedStream(std::string_view prefix, ByteStream& rest) : prefix_(prefix), rest_(rest) {}
  Result<size_t> Read(char* dst, size_t n) override {
    if (!prefix_.empty()) {
      size_t k = std::min(n, prefix_.size());
      std::memcpy(dst, prefix_.data(), k);
      prefix_.remove_prefix(k);
      return k;
    }
    return rest_.Read(dst, n);
  }

 private:
  std::string_view prefix_;
  ByteStream& rest_;
};

// Reads the rows of a Lake CSV: the header names the eventJson column, each data row is one
// record.
class LakeCsvHandler final : public CsvRowHandler {
 public:
  LakeCsvHandler(JsonContainerReader& json, RecordSink& sink, ContainerState& state,
                 uint64_t max_row_bytes)
      : json_(json), sink_(sink), state_(state), max_row_bytes_(max_row_bytes) {}

  Status OnRow(const CsvRow& row) override {
    if (!header_seen_) {
      if (row.too_long) {
        return InvalidArgument("line " + std::to_string(row.line) +
                               ": CSV header row is larger than the limit of " +
                               std::to_string(max_row_bytes_) + " bytes");
      }
      TB_ASSIGN_OR_RETURN(column_, FindEventJsonColumn(row.fields));
      header_seen_ = true;
      state_.format = ContainerFormat::kLakeCsv;
      return Status::OK();
    }
    if (row.too_long) {
      json_.RejectRecord(
          row.line,
          "CSV row is larger than the limit of " + std::to_string(max_row_bytes_) + " bytes", sink_,
          &state_);
      return Status::OK();
    }
    if (column_ >= row.fields.size()) {
      json_.RejectRecord(row.line,
                         "CSV row has " + std::to_string(row.fields.size()) +
                             " fields but eventJson is column " + std::to_string(column_ + 1),
                         sink_, &state_);
      return Status::OK();
    }
    return json_.ReadEmbeddedEvent(row.fields[column_], "eventJson", row.line, sink_, &state_);
  }

 private:
  JsonContainerReader& json_;
  RecordSink& sink_;
  ContainerState& state_;
  uint64_t max_row_bytes_;
  bool header_seen_ = false;
  size_t column_ = 0;
};

// Decides whether `head` (the start of a streamed input) holds enough for DetectLayout.
bool HeadIsDecidable(std::string_view head) {
  head.remove_prefix(ByteOrderMarkSize(head));
  size_t i = 0;
  while (i < head.size() &&
         (head[i] == ' ' || head[i] == '\t' || head[i] == '\n' || head[i] == '\r')) {
    ++i;
  }
  std::string_view s = head.substr(i);
  if (s.empty()) return false;
  if (s.front() == '[') return true;
  size_t nl = s.find('\n');
  if (nl == std::string_view::npos) return false;
  if (s.front() != '{') return true;
  size_t next = nl + 1;
  while (next < s.size() &&
         (s[next] == ' ' || s[next] == '\t' || s[next] == '\n' || s[next] == '\r')) {
    ++next;
  }
  if (next == s.size()) return false;
  return s.find('\n', next) != std::string_view::npos;
}

// Returns the Status of a failed system call, with the code io::ErrnoError uses.
Status SystemError(std::string_view what, int err) {
  std::string msg(what);
  msg += ": ";
  msg += std::strerror(err);
  if (err == ENOENT) return NotFound(std::move(msg));
  if (err == ENOMEM || err == EMFILE || err == ENFILE) return ResourceExhausted(std::move(msg));
  return IOError(std::move(msg));
}

Status ReadExactly(int fd, char* dst, size_t n, size_t* got) {
  *got = 0;
  while (*got < n) {
    ssize_t k = ::read(fd, dst + *got, n - *got);
    if (k < 0) {
      if (errno == EINTR) continue;
      return SystemError("read", errno);
    }
    if (k == 0) break;
    *got += static_cast<size_t>(k);
  }
  return Status::OK();
}

}  // namespace

class FileReader::Impl {
 public:
  explicit Impl(const ReaderLimits& limits)
      : limits_(limits), json_(limits), csv_(limits.max_line_bytes) {}

  Status ReadPath(const std::string& path, RecordSink& sink, FileInfo* info);
  Status ReadMemory(std::string_view bytes, bool padded, RecordSink& sink, FileInfo* info);
  void ShrinkBuffers();

 private:
  Status ReadText(std::string_view text, RecordSink& sink, ContainerState* state);
  Status ReadStream(ByteStream& stream, RecordSink& sink, ContainerState* state);
  Status ReadLines(LineReader& lines, RecordSink& sink, ContainerState* state);
  Result<Layout> Detect(std::string_view head, bool at_end) const;
  uint64_t BombLimit(uint64_t compressed_bytes) const;
  GunzipLimits StreamLimits() const;
  static void CopyState(const ContainerState& state, FileInfo* info);

  ReaderLimits limits_;
  JsonContainerReader json_;
  CsvParser csv_;
  GzipDecoder gzip_;
  PaddedBuffer raw_;     // Raw bytes of a small input.
  PaddedBuffer text_;    // Gunzipped text of a small input.
  PaddedBuffer window_;  // Streaming window (head, lines, or a whole document).
};

// Both paths decide on the same prefix (at most max_line_bytes), so that an input gets the
// same layout whether it is read whole or streamed.
Result<Layout> FileReader::Impl::Detect(std::string_view head, bool at_end) const {
  size_t limit = static_cast<size_t>(limits_.max_line_bytes);
  if (head.size() <= limit) return DetectLayout(head, at_end);
  return DetectLayout(head.substr(0, limit), /*complete=*/false);
}

uint64_t FileReader::Impl::BombLimit(uint64_t compressed_bytes) const {
  uint64_t by_ratio = compressed_bytes > UINT64_MAX / limits_.max_gzip_ratio
                          ? UINT64_MAX
                          : compressed_bytes * limits_.max_gzip_ratio;
  return std::min(limits_.max_decompressed_bytes,
                  std::max(limits_.gzip_ratio_floor_bytes, by_ratio));
}

GunzipLimits FileReader::Impl::StreamLimits() const {
  GunzipLimits g;
  g.max_output = limits_.max_decompressed_bytes;
  g.max_ratio = limits_.max_gzip_ratio;
  g.ratio_floor = limits_.gzip_ratio_floor_bytes;
  return g;
}

void FileReader::Impl::CopyState(const ContainerState& state, FileInfo* info) {
  info->format = state.format;
  info->records = state.records;
  info->record_errors = state.record_errors;
  if (!state.skip_reason.empty()) info->skip_reason = state.skip_reason;
}

void FileReader::Impl::ShrinkBuffers() {
  size_t keep = static_cast<size_t>(limits_.whole_buffer_bytes);
  raw_.ShrinkTo(keep);
  text_.ShrinkTo(keep);
  window_.ShrinkTo(keep);
  json_.ShrinkTo(keep);
}

Status FileReader::Impl::ReadLines(LineReader& lines, RecordSink& sink, ContainerState* state) {
  Line line;
  for (;;) {
    TB_ASSIGN_OR_RETURN(bool more, lines.Next(&line));
    if (!more) break;
    if (line.too_long) {
      json_.RejectLongLine(line.length, line.number, sink, state);
      continue;
    }
    TB_RETURN_IF_ERROR(json_.ReadLine(line.text, line.number, sink, state));
  }
  if (state->format == ContainerFormat::kUnknown) state->format = ContainerFormat::kNdjson;
  return Status::OK();
}

Status FileReader::Impl::ReadText(std::string_view text, RecordSink& sink, ContainerState* state) {
  TB_ASSIGN_OR_RETURN(Layout layout, Detect(text, /*at_end=*/true));
  text.remove_prefix(ByteOrderMarkSize(text));
  switch (layout) {
    case Layout::kJsonDocument:
      if (text.size() > limits_.max_document_bytes) {
        return ResourceExhausted("JSON document of " + std::to_string(text.size()) +
                                 " bytes is larger than the limit of " +
                                 std::to_string(limits_.max_document_bytes) +
                                 " bytes (only NDJSON and CSV inputs may be larger)");
      }
      return json_.ReadDocument(text, sink, state);
    case Layout::kJsonLines: {
      LineReader lines(text, limits_.max_line_bytes);
      return ReadLines(lines, sink, state);
    }
    case Layout::kCsv: {
      csv_.Reset();
      LakeCsvHandler handler(json_, sink, *state, limits_.max_line_bytes);
      TB_RETURN_IF_ERROR(csv_.Feed(text, handler));
      return csv_.Finish(handler);
    }
  }
  return Internal("unhandled layout");
}

Status FileReader::Impl::ReadStream(ByteStream& stream, RecordSink& sink, ContainerState* state) {
  size_t chunk = static_cast<size_t>(std::min<uint64_t>(limits_.chunk_bytes, size_t{1} << 30));
  window_.Clear();
  bool eof = false;
  auto read_chunk = [&]() -> Status {
    size_t old = window_.size();
    window_.Resize(old + chunk);
    Result<size_t> got = stream.Read(window_.data() + old, chunk);
    if (!got.ok()) return got.status();
    window_.Resize(old + *got);
    if (*got == 0) eof = true;
    return Status::OK();
  };
  while (!eof && !HeadIsDecidable(window_.view()) && window_.size() < limits_.max_line_bytes) {
    TB_RETURN_IF_ERROR(read_chunk());
  }
  TB_ASSIGN_OR_RETURN(Layout layout, Detect(window_.view(), eof));
  window_.Consume(ByteOrderMarkSize(window_.view()));
  switch (layout) {
    case Layout::kJsonDocument:
      while (!eof) {
        if (window_.size() > limits_.max_document_bytes) break;
        TB_RETURN_IF_ERROR(read_chunk());
      }
      if (window_.size() > limits_.max_document_bytes) {
        return ResourceExhausted("JSON document is larger than the limit of " +
                                 std::to_string(limits_.max_document_bytes) +
                                 " bytes (only NDJSON and CSV inputs may be larger)");
      }
      return json_.ReadDocument(window_.view(), sink, state);
    case Layout::kJsonLines: {
      LineReader lines(&window_, &stream, chunk, limits_.max_line_bytes);
      return ReadLines(lines, sink, state);
    }
    case Layout::kCsv: {
      csv_.Reset();
      LakeCsvHandler handler(json_, sink, *state, limits_.max_line_bytes);
      TB_RETURN_IF_ERROR(csv_.Feed(window_.view(), handler));
      while (!eof) {
        window_.Clear();
        TB_RETURN_IF_ERROR(read_chunk());
        TB_RETURN_IF_ERROR(csv_.Feed(window_.view(), handler));
      }
      return csv_.Finish(handler);
    }
  }
  return Internal("unhandled layout");
}

Status FileReader::Impl::ReadMemory(std::string_view bytes, bool padded, RecordSink& sink,
                                    FileInfo* info) {
  info->compressed_bytes = bytes.size();
  info->sha256_hex = crypto::ToHex(crypto::Sha256(bytes));
  if (bytes.empty()) return InvalidArgument("empty file (0 bytes)");
  ContainerState state;
  Status s;
  if (HasGzipMagic(bytes)) {
    info->gzip = true;
    uint64_t cap = std::min(limits_.whole_buffer_bytes, BombLimit(bytes.size()));
    s = gzip_.Decompress(bytes, cap, &text_);
    if (s.ok()) {
      info->json_bytes = text_.size();
      if (text_.empty()) {
        return InvalidArgument("empty file: the gzip data decompresses to 0 bytes");
      }
      s = ReadText(text_.view(), sink, &state);
    } else if (s.code() == StatusCode::kResourceExhausted) {
      // Larger than one buffer (or than the bomb limits, or the size trailer is damaged):
      // stream it; the streaming decoder enforces the bomb limits and diagnoses bad data.
      MemoryStream source(bytes);
      GunzipStream gunzip(source, StreamLimits());
      s = ReadStream(gunzip, sink, &state);
      info->json_bytes = gunzip.bytes_out();
    }
  } else {
    info->json_bytes = bytes.size();
    if (bytes.size() <= limits_.whole_buffer_bytes) {
      if (!padded) {
        raw_.Resize(0);
        raw_.Append(bytes);
        bytes = raw_.view();
      }
      s = ReadText(bytes, sink, &state);
    } else {
      MemoryStream source(bytes);
      s = ReadStream(source, sink, &state);
    }
  }
  CopyState(state, info);
  return s;
}

Status FileReader::Impl::ReadPath(const std::string& path, RecordSink& sink, FileInfo* info) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return SystemError("open", errno);
  ScopedFd closer(fd);
  struct stat st;
  if (::fstat(fd, &st) != 0) return SystemError("fstat", errno);
  if (S_ISDIR(st.st_mode)) return InvalidArgument("is a directory, not a file");
  bool regular = S_ISREG(st.st_mode);
  uint64_t size = regular ? static_cast<uint64_t>(st.st_size) : 0;
  if (regular && size <= limits_.whole_buffer_bytes) {
    raw_.Resize(static_cast<size_t>(size));
    size_t got = 0;
    TB_RETURN_IF_ERROR(ReadExactly(fd, raw_.data(), raw_.size(), &got));
    raw_.Resize(got);  // The file may have shrunk since fstat.
    return ReadMemory(raw_.view(), /*padded=*/true, sink, info);
  }
  // Large file or pipe: stream it, hashing the raw bytes as they are read.
  crypto::Sha256Hasher hasher;
  FileStream file(fd, &hasher);
  char magic[2];
  TB_ASSIGN_OR_RETURN(size_t got, ReadFully(file, magic, sizeof(magic)));
  std::string_view prefix(magic, got);
  if (prefix.empty()) {
    info->sha256_hex = crypto::ToHex(hasher.Finish());
    return InvalidArgument("empty file (0 bytes)");
  }
  PrefixedStream raw(prefix, file);
  ContainerState state;
  Status s;
  if (HasGzipMagic(prefix)) {
    info->gzip = true;
    GunzipStream gunzip(raw, StreamLimits());
    s = ReadStream(gunzip, sink, &state);
    info->json_bytes = gunzip.bytes_out();
  } else {
    s = ReadStream(raw, sink, &state);
    info->json_bytes = file.bytes_read();
  }
  if (s.ok()) {
    // Every layout reads to the end; drain anyway so the hash covers the whole input.
    char rest[4096];
    for (;;) {
      TB_ASSIGN_OR_RETURN(size_t n, file.Read(rest, sizeof(rest)));
      if (n == 0) break;
    }
    info->sha256_hex = crypto::ToHex(hasher.Finish());
  }
  info->compressed_bytes = file.bytes_read();
  CopyState(state, info);
  return s;
}

FileReader::FileReader(ReaderLimits limits)
    : limits_(limits), impl_(std::make_unique<Impl>(limits)) {
  TB_CHECK(limits.Validate().ok()) << "invalid ReaderLimits: " << limits.Validate().message();
}

FileReader::~FileReader() = default;

Status FileReader::Read(const InputFile& input, RecordSink& sink, FileInfo* info) {
  *info = FileInfo();
  switch (input.kind) {
    case InputKind::kDigest:
    case InputKind::kLakeSignFile:
    case InputKind::kIgnored:
      info->skip_reason = input.skip_reason;
      return Status::OK();
    case InputKind::kUnreadable:
      return input.error.ok() ? IOError(input.path + ": unreadable input") : input.error;
    case InputKind::kStdin: {
      Result<std::string> bytes = io::ReadStdin(static_cast<size_t>(limits_.max_stdin_bytes));
      if (!bytes.ok()) return bytes.status();
      return ReadBytes("stdin", *bytes, sink, info);
    }
    case InputKind::kLog:
      break;
  }
  SinkProxy proxy(sink);
  Status s = impl_->ReadPath(input.path, proxy, info);
  impl_->ShrinkBuffers();
  if (s.ok() || proxy.stopped()) return s;
  return s.WithContext(input.path);
}

Status FileReader::ReadBytes(std::string_view name, std::string_view bytes, RecordSink& sink,
                             FileInfo* info) {
  *info = FileInfo();
  SinkProxy proxy(sink);
  Status s = impl_->ReadMemory(bytes, /*padded=*/false, proxy, info);
  impl_->ShrinkBuffers();
  if (s.ok() || proxy.stopped()) return s;
  return s.WithContext(name);
}

}  // namespace trailbook::ingest
