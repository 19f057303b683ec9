#include "ingest/byte_stream.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "crypto/digest.h"

namespace trailbook::ingest {

Result<size_t> ReadFully(ByteStream& stream, char* dst, size_t n) {
  size_t total = 0;
  while (total < n) {
    TB_ASSIGN_OR_RETURN(size_t got, stream.Read(dst + total, n - total));
    if (got == 0) break;
    total += got;
  }
  return total;
}

Result<size_t> MemoryStream::Read(char* dst, size_t n) {
  size_t k = std::min(n, bytes_.size() - pos_);
  if (k > 0) std::memcpy(dst, bytes_.data() + pos_, k);
  pos_ += k;
  return k;
}

Result<size_t> FileStream::Read(char* dst, size_t n) {
  for (;;) {
    ssize_t got = ::read(fd_, dst, n);
    if (got < 0) {
      if (errno == EINTR) continue;
      return IOError(std::string("read: ") + std::strerror(errno));
    }
    size_t k = static_cast<size_t>(got);
    if (hasher_ != nullptr && k > 0) hasher_->Update(std::string_view(dst, k));
    bytes_read_ += k;
    return k;
  }
}

ScopedFd::~ScopedFd() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace trailbook::ingest
