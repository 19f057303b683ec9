#include "storage/segment_reader.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "storage/bit_packing.h"
#include "storage/bloom_filter.h"
#include "storage/hash_index.h"
#include "storage/coding.h"
#include "storage/event_schema.h"
#include "storage/row_batch.h"
#include "storage/segment_writer.h"
#include "storage/zstd_codec.h"

namespace trailbook::storage {
namespace {

// One decompression context per thread: chunks are decompressed on whichever query or
// ingest thread reads them, and re-creating a zstd context per chunk costs more than the
// decompression of a small frame. The context holds no data between calls.
ZstdCodec& ThreadCodec() {
  thread_local ZstdCodec codec;
  return codec;
}

// The header of a text payload: [raw_len][codec][stored_len][bytes].
struct TextPayload {
  uint64_t raw_len = 0;
  uint8_t codec = 0;
  std::string_view stored;
};

Status ReadTextPayloadHeader(ByteReader& r, TextPayload* p) {
  uint64_t stored_len = 0;
  TB_RETURN_IF_ERROR(r.ReadVarint64(&p->raw_len));
  TB_RETURN_IF_ERROR(r.ReadByte(&p->codec));
  TB_RETURN_IF_ERROR(r.ReadVarint64(&stored_len));
  TB_RETURN_IF_ERROR(r.ReadBytes(stored_len, &p->stored));
  if (p->codec == static_cast<uint8_t>(Codec::kNone)) {
    if (stored_len != p->raw_len) return Corruption("uncompressed payload length mismatch");
    return Status::OK();
  }
  if (p->codec != static_cast<uint8_t>(Codec::kZstd)) return Corruption("unknown codec");
  if (p->raw_len > (uint64_t{1} << 32)) return Corruption("payload too large");
  return Status::OK();
}

// Writes the raw bytes of `p` (p.raw_len of them) to `dst`.
Status DecodeTextPayload(const TextPayload& p, char* dst) {
  if (p.codec == static_cast<uint8_t>(Codec::kNone)) {
    std::copy(p.stored.begin(), p.stored.end(), dst);
    return Status::OK();
  }
  return ThreadCodec().DecompressTo(p.stored, dst, p.raw_len);
}

// Reads [raw_len][codec][stored_len][bytes] and returns the raw payload (in `buffer` when
// it had to be decompressed, else a view of `r`'s data).
Status ReadTextPayload(ByteReader& r, std::string* buffer, std::string_view* raw) {
  TextPayload p;
  TB_RETURN_IF_ERROR(ReadTextPayloadHeader(r, &p));
  if (p.codec == static_cast<uint8_t>(Codec::kNone)) {
    *raw = p.stored;
    return Status::OK();
  }
  size_t start = buffer->size();
  buffer->resize(start + p.raw_len);
  TB_RETURN_IF_ERROR(DecodeTextPayload(p, buffer->data() + start));
  *raw = std::string_view(buffer->data() + start, p.raw_len);
  return Status::OK();
}

// The frame directory of a plain text block: [frame_rows][frame count][frame sizes] and
// then the frames, each an independently decodable text payload of frame_rows rows (the
// last one may be shorter).
struct PlainBlockLayout {
  uint32_t frame_rows = 0;
  std::vector<std::string_view> frames;
};

Status ParsePlainBlock(std::string_view chunk, uint32_t rows, PlainBlockLayout* out) {
  ByteReader r(chunk);
  uint64_t nframes = 0;
  TB_RETURN_IF_ERROR(r.ReadVarint32(&out->frame_rows));
  TB_RETURN_IF_ERROR(r.ReadVarint64(&nframes));
  if (out->frame_rows == 0 || nframes != (uint64_t{rows} + out->frame_rows - 1) / out->frame_rows) {
    return Corruption("plain block frame layout does not match its row count");
  }
  std::vector<uint64_t> sizes(nframes);
  for (uint64_t& size : sizes) TB_RETURN_IF_ERROR(r.ReadVarint64(&size));
  out->frames.resize(nframes);
  for (uint64_t f = 0; f < nframes; ++f) TB_RETURN_IF_ERROR(r.ReadBytes(sizes[f], &out->frames[f]));
  return Status::OK();
}

// Parses `count` values from a raw text payload: varint(len+1 | 0=NULL)... then bytes.
Status ParseTextValues(std::string_view raw, size_t count, std::vector<std::string_view>* values,
                       std::vector<uint8_t>* nulls) {
  ByteReader r(raw);
  std::vector<uint64_t> lens(count);
  uint64_t total = 0;
  for (size_t i = 0; i < count; ++i) {
    TB_RETURN_IF_ERROR(r.ReadVarint64(&lens[i]));
    if (lens[i] > 0) total += lens[i] - 1;
  }
  if (total != r.remaining()) return Corruption("text payload lengths do not match its bytes");
  const char* p = raw.data() + r.position();
  for (size_t i = 0; i < count; ++i) {
    if (lens[i] == 0) {
      values->emplace_back();
      nulls->push_back(1);
    } else {
      values->emplace_back(p, lens[i] - 1);
      nulls->push_back(0);
      p += lens[i] - 1;
    }
  }
  return Status::OK();
}

// Reads the header of a code chunk: constant value or packed width + data pointer.
struct CodeChunk {
  bool constant = false;
  uint32_t value = 0;
  uint32_t width = 0;
  const char* data = nullptr;
  // Run-length form: `runs` values at `width` in `data`, then run ends at `end_width`.
  bool rle = false;
  uint64_t runs = 0;
  uint32_t end_width = 0;
  const char* ends = nullptr;

  // Returns the code of row i of the block.
  uint32_t At(size_t i) const {
    if (constant) return value;
    if (!rle) return static_cast<uint32_t>(UnpackBit(data, width, i));
    size_t lo = 0, hi = runs;  // first run whose end > i
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (UnpackBit(ends, end_width, mid) > i) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return static_cast<uint32_t>(UnpackBit(data, width, lo));
  }

  void Decode(size_t rows, uint32_t* out) const {
    if (constant) {
      std::fill(out, out + rows, value);
    } else if (!rle) {
      UnpackBits32(data, width, 0, rows, out);
    } else {
      size_t begin = 0;
      for (uint64_t r = 0; r < runs; ++r) {
        size_t end = static_cast<size_t>(UnpackBit(ends, end_width, r));
        uint32_t v = static_cast<uint32_t>(UnpackBit(data, width, r));
        std::fill(out + begin, out + end, v);
        begin = end;
      }
    }
  }
};

Status ParseCodeChunk(std::string_view chunk, size_t rows, CodeChunk* out) {
  ByteReader r(chunk);
  uint8_t kind = 0;
  TB_RETURN_IF_ERROR(r.ReadByte(&kind));
  if (kind == kCodesConstant) {
    out->constant = true;
    return r.ReadVarint32(&out->value);
  }
  if (kind == kCodesRle) {
    uint8_t width = 0, end_width = 0;
    TB_RETURN_IF_ERROR(r.ReadByte(&width));
    TB_RETURN_IF_ERROR(r.ReadByte(&end_width));
    TB_RETURN_IF_ERROR(r.ReadVarint64(&out->runs));
    if (width > 32 || end_width > 32 || out->runs == 0 || out->runs > rows) {
      return Corruption("bad run-length code chunk header");
    }
    size_t values_size = PackedSize(out->runs, width);
    if (r.remaining() < values_size + PackedSize(out->runs, end_width)) {
      return Corruption("code chunk too short");
    }
    out->rle = true;
    out->width = width;
    out->end_width = end_width;
    out->data = chunk.data() + r.position();
    out->ends = out->data + values_size;
    // Run ends must rise strictly and finish at the block's row count.
    uint64_t prev = 0;
    for (uint64_t k = 0; k < out->runs; ++k) {
      uint64_t e = UnpackBit(out->ends, end_width, k);
      if (e <= prev || e > rows) return Corruption("bad run ends in code chunk");
      prev = e;
    }
    if (prev != rows) return Corruption("run ends do not cover the block");
    return Status::OK();
  }
  if (kind != kCodesPacked) return Corruption("unknown code chunk kind");
  uint8_t width = 0;
  TB_RETURN_IF_ERROR(r.ReadByte(&width));
  if (width > 32) return Corruption("code width out of range");
  out->width = width;
  if (r.remaining() < PackedSize(rows, width)) return Corruption("code chunk too short");
  out->data = chunk.data() + r.position();
  return Status::OK();
}

struct TimestampChunk {
  int64_t base = 0;
  int64_t unit = 1;
  uint32_t width = 0;
  const char* data = nullptr;
};

Status ParseTimestampChunk(std::string_view chunk, size_t rows, TimestampChunk* out) {
  ByteReader r(chunk);
  uint8_t unit_exp = 0, width = 0;
  TB_RETURN_IF_ERROR(r.ReadByte(&unit_exp));
  if (unit_exp != 0 && unit_exp != 3 && unit_exp != 6) return Corruption("bad timestamp unit");
  out->unit = unit_exp == 6 ? 1'000'000 : unit_exp == 3 ? 1000 : 1;
  TB_RETURN_IF_ERROR(r.ReadVarintSigned(&out->base));
  TB_RETURN_IF_ERROR(r.ReadByte(&width));
  if (width > kMaxPackedWidth && width != 64) return Corruption("timestamp width out of range");
  out->width = width;
  if (r.remaining() < PackedSize(rows, width)) return Corruption("timestamp chunk too short");
  out->data = chunk.data() + r.position();
  return Status::OK();
}

inline int64_t DecodeTimestamp(const TimestampChunk& t, uint64_t stored) {
  return stored == 0 ? kNullTimestamp : t.base + static_cast<int64_t>(stored - 1) * t.unit;
}

struct UuidChunk {
  size_t rows = 0;
  const char* kinds = nullptr;
  const char* binary = nullptr;
  std::string_view exceptions;  // count + (row, value)...
};

Status ParseUuidChunk(std::string_view chunk, size_t rows, UuidChunk* out) {
  size_t kinds_size = PackedSize(rows, 2);
  if (chunk.size() < kinds_size + rows * 16) return Corruption("uuid chunk too short");
  out->rows = rows;
  out->kinds = chunk.data();
  out->binary = chunk.data() + kinds_size;
  out->exceptions = chunk.substr(kinds_size + rows * 16);
  return Status::OK();
}

// Calls visit(row, text) for each exception of `u` in stored order until it returns false.
// The exception list is checked against the block: no more entries than rows, each row
// inside the block.
template <typename Visit>
Status ForEachUuidException(const UuidChunk& u, Visit visit) {
  ByteReader r(u.exceptions);
  uint64_t n = 0;
  TB_RETURN_IF_ERROR(r.ReadVarint64(&n));
  if (n > u.rows) return Corruption("uuid exception count exceeds the block's rows");
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t at = 0;
    std::string_view v;
    TB_RETURN_IF_ERROR(r.ReadVarint64(&at));
    TB_RETURN_IF_ERROR(r.ReadLengthPrefixed(&v));
    if (at >= u.rows) return Corruption("uuid exception row outside its block");
    if (!visit(at, v)) break;
  }
  return Status::OK();
}

Status UuidException(const UuidChunk& u, size_t row, std::string_view* out) {
  bool found = false;
  TB_RETURN_IF_ERROR(ForEachUuidException(u, [&](uint64_t at, std::string_view v) {
    if (at != row) return true;
    *out = v;
    found = true;
    return false;
  }));
  return found ? Status::OK() : Corruption("uuid exception missing");
}

}  // namespace

uint32_t Dictionary::Find(std::string_view value) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), value);
  if (it == entries_.end() || *it != value) return 0;
  return static_cast<uint32_t>(it - entries_.begin()) + 1;
}

uint32_t Dictionary::LowerBound(std::string_view value) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), value);
  return static_cast<uint32_t>(it - entries_.begin()) + 1;
}

Status SegmentReader::Error(std::string_view what) const {
  return Corruption(path() + ": " + std::string(what));
}

Result<std::shared_ptr<const SegmentReader>> SegmentReader::Open(
    const std::string& path, std::shared_ptr<SegmentDictionaryCache> dictionaries) {
  TB_ASSIGN_OR_RETURN(std::unique_ptr<io::MappedFile> file, io::MappedFile::Open(path));
  std::shared_ptr<SegmentReader> seg(new SegmentReader());
  seg->dictionary_cache_ = std::move(dictionaries);
  seg->file_ = std::move(file);
  seg->data_ = seg->file_->data();
  seg->path_ = path;
  return Init(std::move(seg));
}

Result<std::shared_ptr<const SegmentReader>> SegmentReader::OpenBytes(std::string bytes,
                                                                      std::string name) {
  std::shared_ptr<SegmentReader> seg(new SegmentReader());
  seg->owned_ = std::move(bytes);
  seg->data_ = seg->owned_;
  seg->path_ = std::move(name);
  return Init(std::move(seg));
}

Result<std::shared_ptr<const SegmentReader>> SegmentReader::Init(
    std::shared_ptr<SegmentReader> seg) {
  const std::string& path = seg->path_;
  std::string_view data = seg->data_;
  if (data.size() < kSegmentHeaderSize + kSegmentTrailerSize ||
      data.substr(0, 8) != std::string_view(kSegmentMagic, 8)) {
    return seg->Error("not a trailbook segment (bad header)");
  }
  uint32_t version = DecodeFixed32(data.data() + 8);
  if (version != kSegmentFormatVersion) {
    return seg->Error("unsupported segment format version " + std::to_string(version));
  }
  const char* trailer = data.data() + data.size() - kSegmentTrailerSize;
  if (std::string_view(trailer + 20, 8) != std::string_view(kSegmentTrailerMagic, 8)) {
    return seg->Error("truncated segment (bad trailer)");
  }
  uint64_t footer_offset = DecodeFixed64(trailer);
  uint32_t footer_len = DecodeFixed32(trailer + 8);
  uint64_t footer_sum = DecodeFixed64(trailer + 12);
  if (footer_offset < kSegmentHeaderSize ||
      footer_offset + footer_len != data.size() - kSegmentTrailerSize) {
    return seg->Error("footer position out of range");
  }
  std::string_view footer = data.substr(footer_offset, footer_len);
  if (Checksum(footer) != footer_sum) return seg->Error("footer checksum mismatch");
  Status s = DecodeFooter(footer, &seg->footer_);
  if (!s.ok()) return s.WithContext(path);
  const EventSchema& schema = EventSchema::Get();
  seg->column_meta_.assign(schema.columns().size(), -1);
  seg->chunk_base_.assign(schema.columns().size(), 0);
  size_t ordinal = 0;
  for (size_t i = 0; i < seg->footer_.columns.size(); ++i) {
    const ColumnMeta& c = seg->footer_.columns[i];
    for (const ChunkRef* ref : {&c.dictionary}) {
      if (ref->offset + ref->length > footer_offset) return seg->Error("chunk out of range");
    }
    for (const auto& v : {&c.blocks, &c.index_chunks}) {
      for (const ChunkRef& ref : *v) {
        if (ref.offset < kSegmentHeaderSize || ref.offset + ref.length > footer_offset) {
          return seg->Error("chunk out of range");
        }
      }
    }
    int col = schema.ColumnById(c.column_id);
    if (col < 0) continue;  // A column from a newer schema; ignored by this version.
    if (static_cast<uint8_t>(schema.column(col).type) != c.type) {
      return seg->Error("column type does not match the schema for " + schema.column(col).name);
    }
    seg->column_meta_[static_cast<size_t>(col)] = static_cast<int>(i);
    seg->chunk_base_[static_cast<size_t>(col)] = ordinal;
    ordinal += c.blocks.size() + 1 + c.index_chunks.size();
  }
  seg->num_chunks_ = ordinal;
  seg->verified_.reset(new std::atomic<uint8_t>[ordinal]());
  {
    std::lock_guard<std::mutex> lock(seg->mu_);
    if (seg->dictionary_cache_) {
      seg->weak_dictionaries_.resize(schema.columns().size());
    } else {
      seg->dictionaries_.resize(schema.columns().size());
    }
  }
  return std::shared_ptr<const SegmentReader>(std::move(seg));
}

const ColumnMeta* SegmentReader::column(int schema_column) const {
  int i = column_meta_[static_cast<size_t>(schema_column)];
  return i < 0 ? nullptr : &footer_.columns[static_cast<size_t>(i)];
}

ColumnEncoding SegmentReader::encoding(int schema_column) const {
  const ColumnMeta* c = column(schema_column);
  return c == nullptr ? ColumnEncoding::kAllNull : c->encoding;
}

bool SegmentReader::HasNeedleIndex(int column_index) const {
  const ColumnMeta* c = column(column_index);
  return c != nullptr && c->index != IndexKind::kNone;
}

Result<std::string_view> SegmentReader::Chunk(int column_index, const ChunkRef& ref,
                                              size_t ordinal) const {
  std::string_view bytes = data_.substr(ref.offset, ref.length);
  size_t slot = ChunkOrdinalBase(column_index) + ordinal;
  if (verified_[slot].load(std::memory_order_acquire) == 0) {
    if (Checksum(bytes) != ref.checksum) {
      return Error("chunk checksum mismatch in column " +
                   EventSchema::Get().column(column_index).name);
    }
    verified_[slot].store(1, std::memory_order_release);
  }
  return bytes;
}

Result<std::string_view> SegmentReader::BlockChunk(int column_index, uint32_t b) const {
  const ColumnMeta* c = column(column_index);
  return Chunk(column_index, c->blocks[b], b);
}

Status SegmentReader::ReadCodes(int column_index, uint32_t b, uint32_t* out) const {
  uint32_t rows = footer_.blocks[b].row_count;
  const ColumnMeta* c = column(column_index);
  if (c == nullptr || c->encoding == ColumnEncoding::kAllNull) {
    std::fill(out, out + rows, 0u);
    return Status::OK();
  }
  if (c->encoding != ColumnEncoding::kDictionary && c->encoding != ColumnEncoding::kBoolCodes) {
    return Internal("ReadCodes on a column without codes");
  }
  TB_ASSIGN_OR_RETURN(std::string_view chunk, BlockChunk(column_index, b));
  CodeChunk cc;
  Status s = ParseCodeChunk(chunk, rows, &cc);
  if (!s.ok()) return s.WithContext(path());
  cc.Decode(rows, out);
  uint32_t limit = c->encoding == ColumnEncoding::kBoolCodes ? 2 : c->dictionary_size;
  for (uint32_t i = 0; i < rows; ++i) {
    if (out[i] > limit) return Error("code out of dictionary range");
  }
  return Status::OK();
}

Status SegmentReader::ReadCodesAt(int column_index, uint32_t b, const uint32_t* rows, size_t n,
                                  uint32_t* out) const {
  uint32_t block_rows = footer_.blocks[b].row_count;
  for (size_t i = 0; i < n; ++i) {
    if (rows[i] >= block_rows) return InvalidArgument("ReadCodesAt: row outside the block");
  }
  const ColumnMeta* c = column(column_index);
  if (c == nullptr || c->encoding == ColumnEncoding::kAllNull) {
    std::fill(out, out + n, 0u);
    return Status::OK();
  }
  if (c->encoding != ColumnEncoding::kDictionary && c->encoding != ColumnEncoding::kBoolCodes) {
    return Internal("ReadCodesAt on a column without codes");
  }
  TB_ASSIGN_OR_RETURN(std::string_view chunk, BlockChunk(column_index, b));
  CodeChunk cc;
  Status s = ParseCodeChunk(chunk, block_rows, &cc);
  if (!s.ok()) return s.WithContext(path());
  uint32_t limit = c->encoding == ColumnEncoding::kBoolCodes ? 2 : c->dictionary_size;
  for (size_t i = 0; i < n; ++i) {
    out[i] = cc.At(rows[i]);
    if (out[i] > limit) return Error("code out of dictionary range");
  }
  return Status::OK();
}

Status SegmentReader::ReadTimestamps(int column_index, uint32_t b, int64_t* out) const {
  uint32_t rows = footer_.blocks[b].row_count;
  const ColumnMeta* c = column(column_index);
  if (c == nullptr || c->encoding == ColumnEncoding::kAllNull) {
    std::fill(out, out + rows, kNullTimestamp);
    return Status::OK();
  }
  if (c->encoding != ColumnEncoding::kTimestampFor) return Internal("not a timestamp column");
  TB_ASSIGN_OR_RETURN(std::string_view chunk, BlockChunk(column_index, b));
  TimestampChunk t;
  Status s = ParseTimestampChunk(chunk, rows, &t);
  if (!s.ok()) return s.WithContext(path());
  std::vector<uint64_t> raw(rows);
  UnpackBits(t.data, t.width, 0, rows, raw.data());
  for (uint32_t i = 0; i < rows; ++i) out[i] = DecodeTimestamp(t, raw[i]);
  return Status::OK();
}

Status SegmentReader::ReadStrings(int column_index, uint32_t b, StringBlock* out) const {
  uint32_t rows = footer_.blocks[b].row_count;
  out->buffer_.reset();
  out->dictionary_.reset();
  out->values_.clear();
  out->nulls_.clear();
  const ColumnMeta* c = column(column_index);
  if (c == nullptr || c->encoding == ColumnEncoding::kAllNull) {
    out->values_.resize(rows);
    out->nulls_.assign(rows, 1);
    return Status::OK();
  }
  switch (c->encoding) {
    case ColumnEncoding::kDictionary: {
      TB_ASSIGN_OR_RETURN(out->dictionary_, GetDictionary(column_index));
      std::vector<uint32_t> codes(rows);
      TB_RETURN_IF_ERROR(ReadCodes(column_index, b, codes.data()));
      out->values_.resize(rows);
      out->nulls_.resize(rows);
      for (uint32_t i = 0; i < rows; ++i) {
        out->nulls_[i] = codes[i] == 0;
        if (codes[i] != 0) out->values_[i] = out->dictionary_->entry(codes[i]);
      }
      return Status::OK();
    }
    case ColumnEncoding::kPlain: {
      TB_ASSIGN_OR_RETURN(std::string_view chunk, BlockChunk(column_index, b));
      PlainBlockLayout layout;
      Status s = ParsePlainBlock(chunk, rows, &layout);
      if (!s.ok()) return s.WithContext(path());
      // Headers first, so every frame decodes straight into its place in one buffer (views
      // point into the buffer, allocated once).
      std::vector<TextPayload> payloads(layout.frames.size());
      size_t total_raw = 0;
      for (size_t f = 0; f < layout.frames.size(); ++f) {
        ByteReader fr(layout.frames[f]);
        s = ReadTextPayloadHeader(fr, &payloads[f]);
        if (!s.ok()) return s.WithContext(path());
        total_raw += payloads[f].raw_len;
      }
      char* buffer = out->ResizeBuffer(total_raw);
      out->values_.reserve(rows);
      out->nulls_.reserve(rows);
      size_t start = 0;
      for (size_t f = 0; f < payloads.size(); ++f) {
        s = DecodeTextPayload(payloads[f], buffer + start);
        if (!s.ok()) return s.WithContext(path());
        std::string_view raw(buffer + start, payloads[f].raw_len);
        start += payloads[f].raw_len;
        size_t count = std::min<size_t>(layout.frame_rows, rows - f * layout.frame_rows);
        s = ParseTextValues(raw, count, &out->values_, &out->nulls_);
        if (!s.ok()) return s.WithContext(path());
      }
      return Status::OK();
    }
    case ColumnEncoding::kUuid: {
      TB_ASSIGN_OR_RETURN(std::string_view chunk, BlockChunk(column_index, b));
      UuidChunk u;
      Status s = ParseUuidChunk(chunk, rows, &u);
      if (!s.ok()) return s.WithContext(path());
      char* buffer = out->ResizeBuffer(size_t{rows} * 36);
      out->values_.resize(rows);
      out->nulls_.resize(rows);
      for (uint32_t i = 0; i < rows; ++i) {
        uint64_t kind = UnpackBit(u.kinds, 2, i);
        out->nulls_[i] = kind == kUuidNull;
        if (kind == kUuidLower || kind == kUuidUpper) {
          char* dst = buffer + size_t{i} * 36;
          FormatUuid(reinterpret_cast<const uint8_t*>(u.binary + size_t{i} * 16),
                     kind == kUuidUpper, dst);
          out->values_[i] = std::string_view(dst, 36);
        } else if (kind == kUuidException) {
          std::string_view v;
          TB_RETURN_IF_ERROR(UuidException(u, i, &v));
          out->values_[i] = v;  // points into the mapped file
        }
      }
      return Status::OK();
    }
    default:
      return Internal("ReadStrings on a non-string column");
  }
}

Result<uint32_t> SegmentReader::StringFrameRows(int column_index, uint32_t b) const {
  uint32_t rows = footer_.blocks[b].row_count;
  const ColumnMeta* c = column(column_index);
  if (c == nullptr || c->encoding != ColumnEncoding::kPlain) return rows;
  TB_ASSIGN_OR_RETURN(std::string_view chunk, BlockChunk(column_index, b));
  ByteReader r(chunk);
  uint32_t frame_rows = 0;
  Status s = r.ReadVarint32(&frame_rows);
  if (!s.ok()) return s.WithContext(path());
  if (frame_rows == 0) return Error("plain block frame layout does not match its row count");
  return std::min(frame_rows, rows);
}

Status SegmentReader::ReadStringFrame(int column_index, uint32_t b, uint32_t frame,
                                      StringBlock* out, uint64_t* stored_bytes) const {
  const ColumnMeta* c = column(column_index);
  if (c == nullptr || c->encoding != ColumnEncoding::kPlain) {
    if (frame != 0) return InvalidArgument("ReadStringFrame: frame outside the block");
    if (stored_bytes != nullptr && c != nullptr && c->encoding != ColumnEncoding::kAllNull) {
      *stored_bytes = c->blocks[b].length;
    }
    return ReadStrings(column_index, b, out);
  }
  uint32_t rows = footer_.blocks[b].row_count;
  TB_ASSIGN_OR_RETURN(std::string_view chunk, BlockChunk(column_index, b));
  PlainBlockLayout layout;
  Status s = ParsePlainBlock(chunk, rows, &layout);
  if (!s.ok()) return s.WithContext(path());
  if (frame >= layout.frames.size()) {
    return InvalidArgument("ReadStringFrame: frame outside the block");
  }
  ByteReader fr(layout.frames[frame]);
  TextPayload payload;
  s = ReadTextPayloadHeader(fr, &payload);
  if (!s.ok()) return s.WithContext(path());
  char* buffer = out->ResizeBuffer(payload.raw_len);
  out->dictionary_.reset();
  out->values_.clear();
  out->nulls_.clear();
  s = DecodeTextPayload(payload, buffer);
  if (!s.ok()) return s.WithContext(path());
  size_t count = std::min<size_t>(layout.frame_rows, rows - size_t{frame} * layout.frame_rows);
  out->values_.reserve(count);
  out->nulls_.reserve(count);
  s = ParseTextValues(std::string_view(buffer, payload.raw_len), count, &out->values_,
                      &out->nulls_);
  if (!s.ok()) return s.WithContext(path());
  if (stored_bytes != nullptr) *stored_bytes = layout.frames[frame].size();
  return Status::OK();
}

Result<std::shared_ptr<const Dictionary>> SegmentReader::GetDictionary(int column_index) const {
  const size_t slot_index = static_cast<size_t>(column_index);
  {
    std::shared_ptr<const Dictionary> cached;
    {
      std::lock_guard<std::mutex> lock(mu_);
      cached = dictionary_cache_ ? weak_dictionaries_[slot_index].lock() : dictionaries_[slot_index];
    }
    if (cached) {
      if (dictionary_cache_) dictionary_cache_->Touch(SegmentColumn(id(), column_index));
      return cached;
    }
  }
  const ColumnMeta* c = column(column_index);
  if (c == nullptr || c->encoding != ColumnEncoding::kDictionary) {
    return Internal("GetDictionary on a column without a dictionary");
  }
  TB_ASSIGN_OR_RETURN(std::string_view chunk,
                      Chunk(column_index, c->dictionary, c->blocks.size()));
  auto dict = std::make_shared<Dictionary>();
  ByteReader r(chunk);
  std::string_view raw;
  std::string decompressed;
  Status s = ReadTextPayload(r, &decompressed, &raw);
  if (!s.ok()) return s.WithContext(path());
  dict->buffer_.assign(raw);
  std::vector<uint8_t> nulls;
  s = ParseTextValues(dict->buffer_, c->dictionary_size, &dict->entries_, &nulls);
  if (!s.ok()) return s.WithContext(path());
  for (size_t i = 0; i < nulls.size(); ++i) {
    if (nulls[i] != 0) return Error("NULL entry in a dictionary");
    if (i > 0 && !(dict->entries_[i - 1] < dict->entries_[i])) {
      return Error("dictionary is not strictly sorted");
    }
  }
  std::shared_ptr<const Dictionary> result;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!dictionary_cache_) {
      auto& slot = dictionaries_[slot_index];
      if (!slot) slot = std::move(dict);
      return slot;
    }
    // Another thread may have decoded it meanwhile: use one copy.
    result = weak_dictionaries_[slot_index].lock();
    if (result) return result;
    result = std::move(dict);
    weak_dictionaries_[slot_index] = result;
  }
  dictionary_cache_->Insert(SegmentColumn(id(), column_index), result, result->memory_bytes(),
                            OnResident::kReplace);
  return result;
}

Result<uint32_t> SegmentReader::CodeAt(int column_index, uint64_t row) const {
  const ColumnMeta* c = column(column_index);
  if (c == nullptr || c->encoding == ColumnEncoding::kAllNull) return 0u;
  uint32_t b = BlockOfRow(row);
  TB_ASSIGN_OR_RETURN(std::string_view chunk, BlockChunk(column_index, b));
  CodeChunk cc;
  Status s = ParseCodeChunk(chunk, footer_.blocks[b].row_count, &cc);
  if (!s.ok()) return s.WithContext(path());
  uint32_t code = cc.At(row - footer_.blocks[b].row_start);
  uint32_t limit = c->encoding == ColumnEncoding::kBoolCodes ? 2 : c->dictionary_size;
  if (code > limit) return Error("code out of dictionary range");
  return code;
}

Result<int64_t> SegmentReader::TimestampAt(int column_index, uint64_t row) const {
  const ColumnMeta* c = column(column_index);
  if (c == nullptr || c->encoding == ColumnEncoding::kAllNull) return kNullTimestamp;
  uint32_t b = BlockOfRow(row);
  TB_ASSIGN_OR_RETURN(std::string_view chunk, BlockChunk(column_index, b));
  TimestampChunk t;
  Status s = ParseTimestampChunk(chunk, footer_.blocks[b].row_count, &t);
  if (!s.ok()) return s.WithContext(path());
  return DecodeTimestamp(t, UnpackBit(t.data, t.width, row - footer_.blocks[b].row_start));
}

Result<std::optional<std::string>> SegmentReader::StringAt(int column_index, uint64_t row) const {
  const ColumnMeta* c = column(column_index);
  if (c == nullptr || c->encoding == ColumnEncoding::kAllNull) {
    return std::optional<std::string>();
  }
  uint32_t b = BlockOfRow(row);
  uint64_t i = row - footer_.blocks[b].row_start;
  switch (c->encoding) {
    case ColumnEncoding::kDictionary: {
      TB_ASSIGN_OR_RETURN(uint32_t code, CodeAt(column_index, row));
      if (code == 0) return std::optional<std::string>();
      TB_ASSIGN_OR_RETURN(auto dict, GetDictionary(column_index));
      return std::optional<std::string>(std::string(dict->entry(code)));
    }
    case ColumnEncoding::kUuid: {
      TB_ASSIGN_OR_RETURN(std::string_view chunk, BlockChunk(column_index, b));
      UuidChunk u;
      Status s = ParseUuidChunk(chunk, footer_.blocks[b].row_count, &u);
      if (!s.ok()) return s.WithContext(path());
      uint64_t kind = UnpackBit(u.kinds, 2, i);
      if (kind == kUuidNull) return std::optional<std::string>();
      if (kind == kUuidException) {
        std::string_view v;
        TB_RETURN_IF_ERROR(UuidException(u, i, &v));
        return std::optional<std::string>(std::string(v));
      }
      std::string out(36, '\0');
      FormatUuid(reinterpret_cast<const uint8_t*>(u.binary + i * 16), kind == kUuidUpper,
                 out.data());
      return std::optional<std::string>(std::move(out));
    }
    case ColumnEncoding::kPlain: {
      TB_ASSIGN_OR_RETURN(std::string_view chunk, BlockChunk(column_index, b));
      ByteReader r(chunk);
      uint32_t frame_rows = 0;
      uint64_t nframes = 0;
      TB_RETURN_IF_ERROR(r.ReadVarint32(&frame_rows));
      TB_RETURN_IF_ERROR(r.ReadVarint64(&nframes));
      if (frame_rows == 0 || i / frame_rows >= nframes) return Error("bad plain block layout");
      uint64_t frame_index = i / frame_rows;
      uint64_t skip = 0, size = 0;
      for (uint64_t f = 0; f < nframes; ++f) {
        uint64_t s = 0;
        TB_RETURN_IF_ERROR(r.ReadVarint64(&s));
        if (f < frame_index) skip += s;
        if (f == frame_index) size = s;
      }
      std::string_view ignored, frame;
      TB_RETURN_IF_ERROR(r.ReadBytes(skip, &ignored));
      TB_RETURN_IF_ERROR(r.ReadBytes(size, &frame));
      ByteReader fr(frame);
      std::string buffer;
      std::string_view raw;
      Status s = ReadTextPayload(fr, &buffer, &raw);
      if (!s.ok()) return s.WithContext(path());
      size_t count = std::min<uint64_t>(frame_rows, footer_.blocks[b].row_count -
                                                        frame_index * frame_rows);
      std::vector<std::string_view> values;
      std::vector<uint8_t> nulls;
      s = ParseTextValues(raw, count, &values, &nulls);
      if (!s.ok()) return s.WithContext(path());
      size_t k = i % frame_rows;
      if (nulls[k]) return std::optional<std::string>();
      return std::optional<std::string>(std::string(values[k]));
    }
    default:
      return Internal("StringAt on a non-string column");
  }
}

UuidNeedle::UuidNeedle(std::string_view value) : text_(value) {
  bool upper = false;
  if (!ParseUuid(value, binary_, &upper)) return;
  // A stored UUID of kind lower (upper) reads back as FormatUuid(bytes, false (true)), so it
  // equals `value` exactly when those bytes are the needle's and that formatting is `value`.
  char text[36];
  FormatUuid(binary_, false, text);
  matches_lower_ = value == std::string_view(text, sizeof(text));
  FormatUuid(binary_, true, text);
  matches_upper_ = value == std::string_view(text, sizeof(text));
}

Status SegmentReader::ScanUuidBlockForValue(int column_index, uint32_t b, const UuidNeedle& needle,
                                            std::vector<uint32_t>* rows) const {
  TB_ASSIGN_OR_RETURN(std::string_view chunk, BlockChunk(column_index, b));
  const uint32_t count = footer_.blocks[b].row_count;
  const uint32_t row_start = footer_.blocks[b].row_start;
  UuidChunk u;
  Status s = ParseUuidChunk(chunk, count, &u);
  if (!s.ok()) return s.WithContext(path());
  size_t first_new = rows->size();
  if (needle.matches_lower() || needle.matches_upper()) {
    const uint8_t* want = needle.binary();
    for (uint32_t i = 0; i < count; ++i) {
      if (std::memcmp(u.binary + size_t{i} * 16, want, 16) != 0) continue;
      uint64_t kind = UnpackBit(u.kinds, 2, i);
      if ((kind == kUuidLower && needle.matches_lower()) ||
          (kind == kUuidUpper && needle.matches_upper())) {
        rows->push_back(row_start + i);
      }
    }
  }
  // Exceptions hold the verbatim text of values that are not canonical UUIDs (mixed case,
  // other shapes); compare them as text, as ReadStrings would return them.
  bool added_exception = false;
  s = ForEachUuidException(u, [&](uint64_t at, std::string_view v) {
    if (v == needle.text() && UnpackBit(u.kinds, 2, at) == kUuidException) {
      rows->push_back(row_start + static_cast<uint32_t>(at));
      added_exception = true;
    }
    return true;
  });
  if (!s.ok()) return s.WithContext(path());
  if (added_exception) std::sort(rows->begin() + static_cast<std::ptrdiff_t>(first_new), rows->end());
  return Status::OK();
}

Status SegmentReader::ScanBlockForValue(int column_index, uint32_t b, std::string_view value,
                                        std::vector<uint32_t>* rows) const {
  StringBlock block;
  TB_RETURN_IF_ERROR(ReadStrings(column_index, b, &block));
  for (size_t i = 0; i < block.size(); ++i) {
    if (!block.is_null(i) && block.view(i) == value) {
      rows->push_back(static_cast<uint32_t>(footer_.blocks[b].row_start + i));
    }
  }
  return Status::OK();
}

NeedleKey::NeedleKey(std::string_view value)
    : uuid_(value), hash_(XXH3_64bits(value.data(), value.size())) {}

Result<bool> SegmentReader::RowEquals(int column_index, uint32_t row, const NeedleKey& key) const {
  if (row >= footer_.row_count) return Error("needle row out of range");
  if (encoding(column_index) != ColumnEncoding::kUuid) {
    TB_ASSIGN_OR_RETURN(std::optional<std::string> v, StringAt(column_index, row));
    return v.has_value() && *v == key.value();
  }
  const uint32_t b = BlockOfRow(row);
  if (b >= num_blocks()) return Error("needle row outside the blocks");
  const uint32_t i = row - footer_.blocks[b].row_start;
  if (i >= footer_.blocks[b].row_count) return Error("needle row outside its block");
  TB_ASSIGN_OR_RETURN(std::string_view chunk, BlockChunk(column_index, b));
  UuidChunk u;
  Status s = ParseUuidChunk(chunk, footer_.blocks[b].row_count, &u);
  if (!s.ok()) return s.WithContext(path());
  const UuidNeedle& needle = key.uuid();
  switch (UnpackBit(u.kinds, 2, i)) {
    case kUuidLower:
      return needle.matches_lower() && std::memcmp(u.binary + size_t{i} * 16, needle.binary(), 16) == 0;
    case kUuidUpper:
      return needle.matches_upper() && std::memcmp(u.binary + size_t{i} * 16, needle.binary(), 16) == 0;
    case kUuidException: {
      std::string_view v;
      s = UuidException(u, i, &v);
      if (!s.ok()) return s.WithContext(path());
      return v == needle.text();
    }
    default:
      return false;  // NULL
  }
}

Result<std::vector<uint32_t>> SegmentReader::LookupRows(int column_index,
                                                        const NeedleKey& key) const {
  const std::string_view value = key.value();
  std::vector<uint32_t> rows;
  const ColumnMeta* c = column(column_index);
  if (c == nullptr || c->encoding == ColumnEncoding::kAllNull) return rows;
  if (c->encoding == ColumnEncoding::kDictionary) {
    TB_ASSIGN_OR_RETURN(auto dict, GetDictionary(column_index));
    uint32_t code = dict->Find(value);
    if (code == 0) return rows;
    if (c->index == IndexKind::kPostings) {
      TB_ASSIGN_OR_RETURN(std::string_view chunk,
                          Chunk(column_index, c->index_chunks[0], c->blocks.size() + 1));
      ByteReader r(chunk);
      uint64_t noffsets = 0;
      uint8_t width = 0;
      TB_RETURN_IF_ERROR(r.ReadVarint64(&noffsets));
      TB_RETURN_IF_ERROR(r.ReadByte(&width));
      if (noffsets != uint64_t{c->dictionary_size} + 2 || width > kMaxPackedWidth ||
          r.remaining() < PackedSize(noffsets, width)) {
        return Error("bad postings header");
      }
      const char* table = chunk.data() + r.position();
      std::string_view postings = chunk.substr(r.position() + PackedSize(noffsets, width));
      uint64_t begin = UnpackBit(table, width, code);
      uint64_t end = UnpackBit(table, width, code + 1);
      if (begin > end || end > postings.size()) return Error("bad postings offsets");
      ByteReader pr(postings.substr(begin, end - begin));
      uint64_t n = 0;
      TB_RETURN_IF_ERROR(pr.ReadVarint64(&n));
      if (n > footer_.row_count) return Error("posting list longer than the segment");
      rows.reserve(n);
      uint64_t row = 0;
      for (uint64_t k = 0; k < n; ++k) {
        uint64_t delta = 0;
        TB_RETURN_IF_ERROR(pr.ReadVarint64(&delta));
        row += delta;
        if (row >= footer_.row_count) return Error("posting row out of range");
        rows.push_back(static_cast<uint32_t>(row));
      }
      return rows;
    }
    std::vector<uint32_t> codes;
    for (uint32_t b = 0; b < num_blocks(); ++b) {
      codes.resize(footer_.blocks[b].row_count);
      TB_RETURN_IF_ERROR(ReadCodes(column_index, b, codes.data()));
      for (size_t i = 0; i < codes.size(); ++i) {
        if (codes[i] == code) rows.push_back(static_cast<uint32_t>(footer_.blocks[b].row_start + i));
      }
    }
    return rows;
  }
  if (c->index == IndexKind::kHash) {
    if (c->index_chunks.size() != 1) return Error("hash index: expected one chunk");
    TB_ASSIGN_OR_RETURN(std::string_view chunk,
                        Chunk(column_index, c->index_chunks[0], c->blocks.size() + 1));
    Result<HashIndexView> index = HashIndexView::Parse(chunk, footer_.row_count);
    if (!index.ok()) return index.status().WithContext(path());
    std::vector<uint32_t> candidates;
    Status s = index->Candidates(key.hash(), &candidates);
    if (!s.ok()) return s.WithContext(path());
    for (uint32_t row : candidates) {
      TB_ASSIGN_OR_RETURN(bool equal, RowEquals(column_index, row, key));
      if (equal) rows.push_back(row);
    }
    std::sort(rows.begin(), rows.end());
    return rows;
  }
  const uint64_t hash = key.hash();
  // UUID blocks are compared in binary: the needle was parsed once, no row is formatted.
  const bool uuid = c->encoding == ColumnEncoding::kUuid;
  for (uint32_t b = 0; b < num_blocks(); ++b) {
    if (c->index == IndexKind::kBloom) {
      if (b >= c->index_chunks.size()) return Error("bloom index: fewer filters than blocks");
      TB_ASSIGN_OR_RETURN(std::string_view filter,
                          Chunk(column_index, c->index_chunks[b], c->blocks.size() + 1 + b));
      if (!BloomFilterMayContain(filter, hash)) continue;
    }
    if (uuid) {
      TB_RETURN_IF_ERROR(ScanUuidBlockForValue(column_index, b, key.uuid(), &rows));
    } else {
      TB_RETURN_IF_ERROR(ScanBlockForValue(column_index, b, value, &rows));
    }
  }
  return rows;
}

Result<std::vector<uint32_t>> SegmentReader::LookupRowsAny(
    int column_index, std::span<const std::string> values) const {
  std::vector<NeedleKey> keys;
  keys.reserve(values.size());
  for (const std::string& v : values) keys.emplace_back(v);
  return LookupRowsAny(column_index, keys);
}

Result<std::vector<uint32_t>> SegmentReader::LookupRowsAny(
    int column_index, std::span<const NeedleKey> keys) const {
  if (keys.size() == 1) return LookupRows(column_index, keys[0]);
  std::vector<uint32_t> all;
  for (const NeedleKey& key : keys) {
    TB_ASSIGN_OR_RETURN(std::vector<uint32_t> rows, LookupRows(column_index, key));
    all.insert(all.end(), rows.begin(), rows.end());
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

Status SegmentReader::VerifyAll() const {
  const EventSchema& schema = EventSchema::Get();
  for (size_t col = 0; col < schema.columns().size(); ++col) {
    const ColumnMeta* c = column(static_cast<int>(col));
    if (c == nullptr) continue;
    int ci = static_cast<int>(col);
    for (size_t b = 0; b < c->blocks.size(); ++b) {
      TB_RETURN_IF_ERROR(Chunk(ci, c->blocks[b], b).status());
    }
    if (c->encoding == ColumnEncoding::kDictionary) {
      TB_RETURN_IF_ERROR(Chunk(ci, c->dictionary, c->blocks.size()).status());
    }
    for (size_t k = 0; k < c->index_chunks.size(); ++k) {
      TB_RETURN_IF_ERROR(Chunk(ci, c->index_chunks[k], c->blocks.size() + 1 + k).status());
    }
  }
  return Status::OK();
}

}  // namespace trailbook::storage
