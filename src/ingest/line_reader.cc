#include "ingest/line_reader.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace trailbook::ingest {

LineReader::LineReader(std::string_view text, uint64_t max_line_bytes)
    : text_(text), max_line_bytes_(max_line_bytes) {}

LineReader::LineReader(PaddedBuffer* buffer, ByteStream* stream, uint64_t chunk_bytes,
                       uint64_t max_line_bytes)
    : buffer_(buffer),
      stream_(stream),
      chunk_bytes_(static_cast<size_t>(std::min<uint64_t>(chunk_bytes, size_t{1} << 30))),
      max_line_bytes_(max_line_bytes) {}

void LineReader::Emit(size_t begin, size_t end, Line* line) {
  const char* base = buffer_ != nullptr ? buffer_->data() : text_.data();
  ++number_;
  line->number = number_;
  line->length = discarded_ + (end - begin);
  line->too_long = discarding_ || line->length > max_line_bytes_;
  discarding_ = false;
  discarded_ = 0;
  if (line->too_long) {
    line->text = {};
    return;
  }
  if (end > begin && base[end - 1] == '\r') --end;
  line->text = std::string_view(base + begin, end - begin);
}

Result<bool> LineReader::Next(Line* line) {
  if (buffer_ != nullptr) return NextStreaming(line);
  if (start_ >= text_.size()) return false;
  const void* nl = std::memchr(text_.data() + start_, '\n', text_.size() - start_);
  size_t end = nl != nullptr ? static_cast<size_t>(static_cast<const char*>(nl) - text_.data())
                             : text_.size();
  Emit(start_, end, line);
  start_ = end + 1;
  return true;
}

Result<bool> LineReader::NextStreaming(Line* line) {
  for (;;) {
    size_t size = buffer_->size();
    if (scan_ < size) {
      const void* nl = std::memchr(buffer_->data() + scan_, '\n', size - scan_);
      if (nl != nullptr) {
        size_t end = static_cast<size_t>(static_cast<const char*>(nl) - buffer_->data());
        Emit(start_, end, line);
        start_ = scan_ = end + 1;
        return true;
      }
      scan_ = size;
    }
    if (eof_) {
      if (start_ < size || discarding_) {
        Emit(start_, size, line);
        start_ = scan_ = size;
        return true;
      }
      return false;
    }
    // No complete line in the window: drop what was consumed, or the partial line itself when
    // it is already too long, then read another chunk.
    size_t pending = size - start_;
    if (discarded_ + pending > max_line_bytes_) {
      discarding_ = true;
      discarded_ += pending;
      buffer_->Resize(0);
    } else {
      buffer_->Consume(start_);
    }
    start_ = 0;
    scan_ = buffer_->size();
    size_t old = buffer_->size();
    buffer_->Resize(old + chunk_bytes_);
    TB_ASSIGN_OR_RETURN(size_t got, stream_->Read(buffer_->data() + old, chunk_bytes_));
    buffer_->Resize(old + got);
    if (got == 0) eof_ = true;
  }
}

}  // namespace trailbook::ingest
