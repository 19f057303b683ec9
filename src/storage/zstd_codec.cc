#include "storage/zstd_codec.h"

#include <zstd.h>

#include <memory>

#include "base/check.h"

namespace trailbook::storage {

struct ZstdCodec::Contexts {
  ZSTD_CCtx* cctx = nullptr;
  ZSTD_DCtx* dctx = nullptr;
  // Compression output, kept across calls: growing `out` to the bound first would zero-fill
  // the whole bound (std::string::resize), several times the compressed size.
  std::unique_ptr<char[]> scratch;
  size_t scratch_size = 0;
};

ZstdCodec::ZstdCodec(int level) : contexts_(new Contexts), level_(level) {}

ZstdCodec::~ZstdCodec() {
  ZSTD_freeCCtx(contexts_->cctx);
  ZSTD_freeDCtx(contexts_->dctx);
  delete contexts_;
}

void ZstdCodec::Compress(std::string_view input, std::string* out) {
  if (contexts_->cctx == nullptr) {
    contexts_->cctx = ZSTD_createCCtx();
    TB_CHECK(contexts_->cctx != nullptr) << "ZSTD_createCCtx";
  }
  const size_t bound = ZSTD_compressBound(input.size());
  if (contexts_->scratch_size < bound) {
    contexts_->scratch = std::make_unique_for_overwrite<char[]>(bound);
    contexts_->scratch_size = bound;
  }
  size_t n = ZSTD_compressCCtx(contexts_->cctx, contexts_->scratch.get(), bound, input.data(),
                               input.size(), level_);
  TB_CHECK(!ZSTD_isError(n)) << "zstd compress failed: " << ZSTD_getErrorName(n);
  out->append(contexts_->scratch.get(), n);
}

Status ZstdCodec::Decompress(std::string_view input, size_t raw_size, std::string* out) {
  out->resize(raw_size);
  return DecompressTo(input, out->data(), raw_size);
}

Status ZstdCodec::DecompressTo(std::string_view input, char* out, size_t raw_size) {
  if (contexts_->dctx == nullptr) {
    contexts_->dctx = ZSTD_createDCtx();
    if (contexts_->dctx == nullptr) return ResourceExhausted("ZSTD_createDCtx failed");
  }
  size_t n = ZSTD_decompressDCtx(contexts_->dctx, out, raw_size, input.data(), input.size());
  if (ZSTD_isError(n)) {
    return Corruption(std::string("zstd decompression failed: ") + ZSTD_getErrorName(n));
  }
  if (n != raw_size) return Corruption("zstd frame size does not match the recorded size");
  return Status::OK();
}

}  // namespace trailbook::storage
