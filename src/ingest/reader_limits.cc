#include "ingest/reader_limits.h"

#include <string>

namespace trailbook::ingest {

Status ReaderLimits::Validate() const {
  struct Field {
    const char* name;
    uint64_t value;
  };
  const Field fields[] = {
      {"max_document_bytes", max_document_bytes},
      {"max_record_bytes", max_record_bytes},
      {"max_line_bytes", max_line_bytes},
      {"whole_buffer_bytes", whole_buffer_bytes},
      {"chunk_bytes", chunk_bytes},
      {"max_decompressed_bytes", max_decompressed_bytes},
      {"max_gzip_ratio", max_gzip_ratio},
      {"max_stdin_bytes", max_stdin_bytes},
  };
  for (const Field& f : fields) {
    if (f.value == 0) {
      return InvalidArgument(std::string("reader limit must be positive: ") + f.name);
    }
  }
  if (max_record_bytes > max_line_bytes) {
    return InvalidArgument("reader limit max_record_bytes must not exceed max_line_bytes");
  }
  if (max_line_bytes > max_document_bytes) {
    return InvalidArgument("reader limit max_line_bytes must not exceed max_document_bytes");
  }
  if (whole_buffer_bytes > max_document_bytes) {
    return InvalidArgument("reader limit whole_buffer_bytes must not exceed max_document_bytes");
  }
  // Sizes are held in size_t buffers; keep them well inside the address space.
  constexpr uint64_t kMaxBuffer = uint64_t{1} << 40;
  if (max_document_bytes > kMaxBuffer || max_stdin_bytes > kMaxBuffer) {
    return InvalidArgument("reader limit max_document_bytes or max_stdin_bytes is too large");
  }
  return Status::OK();
}

}  // namespace trailbook::ingest
