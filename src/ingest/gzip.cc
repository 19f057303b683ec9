#include "ingest/gzip.h"

#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <climits>
#include <string>

#include "base/check.h"

namespace trailbook::ingest {
namespace {

constexpr size_t kInputChunk = size_t{256} << 10;
// zlib counts in uInt; keep every single call well inside it.
constexpr size_t kMaxZlibSpan = size_t{1} << 30;

bool AllZero(std::string_view bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](char c) { return c == 0; });
}

std::string MemberText(uint64_t member, uint64_t offset) {
  return "member " + std::to_string(member) + " (at byte offset " + std::to_string(offset) + ")";
}

Status TrailingDataError(uint64_t member, uint64_t offset) {
  return InvalidArgument("unexpected data after gzip member " + std::to_string(member) +
                         " at byte offset " + std::to_string(offset) +
                         " (not a gzip member and not zero padding)");
}

}  // namespace

bool HasGzipMagic(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

uint64_t GzipSizeHint(std::string_view bytes) {
  if (bytes.size() < 18) return 0;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + bytes.size() - 4);
  return uint64_t{p[0]} | uint64_t{p[1]} << 8 | uint64_t{p[2]} << 16 | uint64_t{p[3]} << 24;
}

// ---------------------------------------------------------------------------------------------
// GunzipStream (zlib)

struct GunzipStream::Impl {
  ByteStream* source;
  GunzipLimits limits;
  z_stream zs{};
  bool initialised = false;
  std::array<unsigned char, kInputChunk> in_buf{};
  bool source_eof = false;
  bool member_finished = false;
  bool skipping_zeros = false;
  bool done = false;
  uint64_t bytes_fed = 0;      // Bytes taken from the source.
  uint64_t member = 1;         // 1-based index of the member being decoded.
  uint64_t member_offset = 0;  // Compressed offset where it starts.

  uint64_t consumed() const { return bytes_fed - zs.avail_in; }

  Status Refill() {
    TB_ASSIGN_OR_RETURN(size_t got,
                        source->Read(reinterpret_cast<char*>(in_buf.data()), in_buf.size()));
    if (got == 0) source_eof = true;
    zs.next_in = in_buf.data();
    zs.avail_in = static_cast<uInt>(got);
    bytes_fed += got;
    return Status::OK();
  }
};

GunzipStream::GunzipStream(ByteStream& compressed, GunzipLimits limits)
    : impl_(std::make_unique<Impl>()) {
  impl_->source = &compressed;
  impl_->limits = limits;
}

GunzipStream::~GunzipStream() {
  if (impl_->initialised) inflateEnd(&impl_->zs);
}

uint64_t GunzipStream::bytes_in() const { return impl_->consumed(); }

Result<size_t> GunzipStream::Read(char* dst, size_t n) {
  Impl& s = *impl_;
  if (s.done || n == 0) return size_t{0};
  if (!s.initialised) {
    // 16 + MAX_WBITS: gzip wrapper only; a zlib or raw deflate stream is an error.
    int rc = inflateInit2(&s.zs, 16 + MAX_WBITS);
    if (rc == Z_MEM_ERROR) return ResourceExhausted("out of memory starting gzip decompression");
    if (rc != Z_OK) return Internal("inflateInit2 failed: " + std::to_string(rc));
    s.initialised = true;
  }
  n = std::min(n, kMaxZlibSpan);
  s.zs.next_out = reinterpret_cast<Bytef*>(dst);
  s.zs.avail_out = static_cast<uInt>(n);
  while (s.zs.avail_out > 0 && !s.done) {
    if (s.zs.avail_in == 0 && !s.source_eof) {
      TB_RETURN_IF_ERROR(s.Refill());
      continue;
    }
    if (s.skipping_zeros) {
      std::string_view rest(reinterpret_cast<const char*>(s.zs.next_in), s.zs.avail_in);
      if (!AllZero(rest)) return TrailingDataError(s.member, s.consumed());
      s.zs.next_in += s.zs.avail_in;
      s.zs.avail_in = 0;
      if (s.source_eof) s.done = true;
      continue;
    }
    if (s.member_finished) {
      if (s.zs.avail_in == 0) {  // And the source is at its end.
        s.done = true;
        continue;
      }
      if (s.zs.next_in[0] == 0) {
        s.skipping_zeros = true;
        continue;
      }
      if (s.zs.next_in[0] != 0x1f || (s.zs.avail_in >= 2 && s.zs.next_in[1] != 0x8b)) {
        return TrailingDataError(s.member, s.consumed());
      }
      if (inflateReset(&s.zs) != Z_OK) return Internal("inflateReset failed");
      s.member_finished = false;
      ++s.member;
      s.member_offset = s.consumed();
      continue;
    }
    int rc = inflate(&s.zs, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) {
      s.member_finished = true;
      continue;
    }
    if (rc == Z_OK) continue;
    if (rc == Z_BUF_ERROR) {
      if (s.zs.avail_in == 0 && s.source_eof) {
        return InvalidArgument("truncated gzip data: the input ends inside " +
                               MemberText(s.member, s.member_offset) + " after " +
                               std::to_string(s.consumed()) + " compressed bytes");
      }
      continue;  // Needs more input; the loop refills.
    }
    if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT) {
      const char* why = s.zs.msg != nullptr ? s.zs.msg : "invalid data";
      return InvalidArgument("corrupt gzip data in " + MemberText(s.member, s.member_offset) +
                             ": " + why + " (near compressed byte offset " +
                             std::to_string(s.consumed()) + ")");
    }
    if (rc == Z_MEM_ERROR) return ResourceExhausted("out of memory in gzip decompression");
    return Internal("inflate failed with code " + std::to_string(rc));
  }
  size_t produced = n - s.zs.avail_out;
  bytes_out_ += produced;
  if (bytes_out_ > s.limits.max_output) {
    return ResourceExhausted("gzip data decompresses to more than the limit of " +
                             std::to_string(s.limits.max_output) + " bytes");
  }
  if (bytes_out_ > s.limits.ratio_floor && s.limits.max_ratio != UINT64_MAX) {
    uint64_t in = std::max<uint64_t>(s.consumed(), 1);
    if (bytes_out_ / s.limits.max_ratio > in) {
      return ResourceExhausted("gzip data expands more than " + std::to_string(s.limits.max_ratio) +
                               "x (" + std::to_string(in) + " compressed bytes gave over " +
                               std::to_string(bytes_out_) +
                               " bytes): refusing a probable gzip bomb");
    }
  }
  return produced;
}

// ---------------------------------------------------------------------------------------------
// GzipDecoder (libdeflate)

struct GzipDecoder::Impl {
  libdeflate_decompressor* d = nullptr;
};

GzipDecoder::GzipDecoder() : impl_(std::make_unique<Impl>()) {}

GzipDecoder::~GzipDecoder() {
  if (impl_->d != nullptr) libdeflate_free_decompressor(impl_->d);
}

namespace {

// Re-decodes `in` with zlib after libdeflate rejected member `member` (at byte `offset`):
// zlib tells truncation from corruption and names the problem. Decoding restarts from the
// first member so that member numbers and offsets in zlib's messages are absolute; this runs
// only on the error path. Decoded bytes are discarded.
Status DiagnoseMember(std::string_view in, uint64_t member, uint64_t offset, uint64_t max_output) {
  MemoryStream source(in);
  GunzipLimits limits;
  limits.max_output = max_output;
  GunzipStream stream(source, limits);
  std::array<char, 64 * 1024> scratch;
  for (;;) {
    Result<size_t> got = stream.Read(scratch.data(), scratch.size());
    if (!got.ok()) return got.status();
    if (*got == 0) break;
  }
  return InvalidArgument("corrupt gzip data in " + MemberText(member, offset));
}

}  // namespace

Status GzipDecoder::Decompress(std::string_view in, uint64_t max_output, PaddedBuffer* out) {
  TB_CHECK(HasGzipMagic(in)) << "Decompress requires gzip data";
  if (impl_->d == nullptr) {
    impl_->d = libdeflate_alloc_decompressor();
    if (impl_->d == nullptr) return ResourceExhausted("out of memory allocating a decompressor");
  }
  out->Clear();
  uint64_t hint = GzipSizeHint(in);
  // Deflate expands at most 1032:1, so a larger trailer value is damage, not a size.
  constexpr uint64_t kMaxDeflateRatio = 1032;
  bool plausible = hint / kMaxDeflateRatio <= in.size();
  if (hint > max_output && plausible) {
    // The last member alone is at least `hint` bytes: do not decode max_output for nothing.
    return ResourceExhausted("decompressed size exceeds " + std::to_string(max_output) +
                             " bytes (gzip trailer says " + std::to_string(hint) + ")");
  }
  if (!plausible) hint = 0;
  size_t pos = 0;
  uint64_t member = 0;
  while (pos < in.size()) {
    std::string_view rest = in.substr(pos);
    if (member > 0) {
      if (AllZero(rest)) break;
      if (!HasGzipMagic(rest)) return TrailingDataError(member, pos);
    }
    ++member;
    // First guess: the trailer's size for the first member, else what is left of the input
    // times a typical JSON ratio.
    size_t want = member == 1 && hint > 0 ? static_cast<size_t>(hint)
                                          : std::max<size_t>(rest.size() * 8, 64 * 1024);
    for (;;) {
      uint64_t room = max_output - out->size();
      size_t avail = static_cast<size_t>(std::min<uint64_t>(want, room));
      out->Reserve(out->size() + avail);
      avail = std::min<size_t>(out->capacity() - out->size(), static_cast<size_t>(room));
      size_t in_used = 0;
      size_t out_used = 0;
      libdeflate_result r =
          libdeflate_gzip_decompress_ex(impl_->d, rest.data(), rest.size(),
                                        out->data() + out->size(), avail, &in_used, &out_used);
      if (r == LIBDEFLATE_SUCCESS) {
        out->Resize(out->size() + out_used);
        pos += in_used;
        break;
      }
      if (r == LIBDEFLATE_INSUFFICIENT_SPACE) {
        if (avail >= room) {
          return ResourceExhausted("decompressed size exceeds " + std::to_string(max_output) +
                                   " bytes");
        }
        want = std::max<size_t>(avail * 2, 64 * 1024);
        continue;
      }
      return DiagnoseMember(in, member, pos, max_output);
    }
  }
  return Status::OK();
}

}  // namespace trailbook::ingest
