#include "storage/segment_format.h"

#include <cstdio>

#include "storage/coding.h"

namespace trailbook::storage {
namespace {

constexpr uint32_t kFooterVersion = 1;

void PutChunk(std::string* out, const ChunkRef& c) {
  PutVarint64(out, c.offset);
  PutVarint64(out, c.length);
  PutFixed64(out, c.checksum);
}

Status ReadChunk(ByteReader& r, ChunkRef* c) {
  TB_RETURN_IF_ERROR(r.ReadVarint64(&c->offset));
  TB_RETURN_IF_ERROR(r.ReadVarint64(&c->length));
  return r.ReadFixed64(&c->checksum);
}

}  // namespace

std::string SegmentFileName(uint64_t segment_id) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%016llx.tbs", static_cast<unsigned long long>(segment_id));
  return buf;
}

std::string EncodeFooter(const SegmentFooter& f) {
  std::string out;
  PutVarint64(&out, kFooterVersion);
  PutFixed64(&out, f.segment_id);
  PutVarintSigned(&out, f.day);
  PutVarint64(&out, f.row_count);
  PutVarintSigned(&out, f.min_time);
  PutVarintSigned(&out, f.max_time);
  PutVarint64(&out, f.block_rows);
  PutVarint64(&out, f.blocks.size());
  for (const BlockMeta& b : f.blocks) {
    PutVarint64(&out, b.row_start);
    PutVarint64(&out, b.row_count);
    PutVarintSigned(&out, b.min_time);
    PutVarintSigned(&out, b.max_time);
  }
  PutVarint64(&out, f.columns.size());
  for (const ColumnMeta& c : f.columns) {
    PutVarint64(&out, c.column_id);
    out.push_back(static_cast<char>(c.type));
    out.push_back(static_cast<char>(c.encoding));
    PutVarint64(&out, c.null_count);
    if (c.encoding == ColumnEncoding::kDictionary) {
      PutVarint64(&out, c.dictionary_size);
      PutChunk(&out, c.dictionary);
    }
    PutVarint64(&out, c.blocks.size());
    for (const ChunkRef& b : c.blocks) PutChunk(&out, b);
    out.push_back(static_cast<char>(c.index));
    PutVarint64(&out, c.index_chunks.size());
    for (const ChunkRef& b : c.index_chunks) PutChunk(&out, b);
  }
  return out;
}

Status DecodeFooter(std::string_view bytes, SegmentFooter* f) {
  ByteReader r(bytes);
  uint32_t version = 0;
  TB_RETURN_IF_ERROR(r.ReadVarint32(&version));
  if (version != kFooterVersion) {
    return Corruption("unsupported segment footer version " + std::to_string(version));
  }
  TB_RETURN_IF_ERROR(r.ReadFixed64(&f->segment_id));
  TB_RETURN_IF_ERROR(r.ReadVarintSigned(&f->day));
  TB_RETURN_IF_ERROR(r.ReadVarint64(&f->row_count));
  TB_RETURN_IF_ERROR(r.ReadVarintSigned(&f->min_time));
  TB_RETURN_IF_ERROR(r.ReadVarintSigned(&f->max_time));
  TB_RETURN_IF_ERROR(r.ReadVarint32(&f->block_rows));
  uint64_t nblocks = 0;
  TB_RETURN_IF_ERROR(r.ReadVarint64(&nblocks));
  if (nblocks > r.remaining()) return Corruption("block count exceeds footer size");
  f->blocks.resize(nblocks);
  uint64_t expect_start = 0;
  for (BlockMeta& b : f->blocks) {
    TB_RETURN_IF_ERROR(r.ReadVarint32(&b.row_start));
    TB_RETURN_IF_ERROR(r.ReadVarint32(&b.row_count));
    TB_RETURN_IF_ERROR(r.ReadVarintSigned(&b.min_time));
    TB_RETURN_IF_ERROR(r.ReadVarintSigned(&b.max_time));
    if (b.row_start != expect_start || b.row_count == 0 || b.row_count > f->block_rows) {
      return Corruption("inconsistent block row ranges");
    }
    expect_start += b.row_count;
  }
  if (expect_start != f->row_count) return Corruption("block rows do not add up to row count");
  uint64_t ncols = 0;
  TB_RETURN_IF_ERROR(r.ReadVarint64(&ncols));
  if (ncols > r.remaining()) return Corruption("column count exceeds footer size");
  f->columns.resize(ncols);
  for (ColumnMeta& c : f->columns) {
    uint32_t id = 0;
    TB_RETURN_IF_ERROR(r.ReadVarint32(&id));
    if (id > UINT16_MAX) return Corruption("column id out of range");
    c.column_id = static_cast<uint16_t>(id);
    uint8_t enc = 0;
    TB_RETURN_IF_ERROR(r.ReadByte(&c.type));
    TB_RETURN_IF_ERROR(r.ReadByte(&enc));
    if (enc > static_cast<uint8_t>(ColumnEncoding::kUuid)) {
      return Corruption("unknown column encoding " + std::to_string(enc));
    }
    c.encoding = static_cast<ColumnEncoding>(enc);
    TB_RETURN_IF_ERROR(r.ReadVarint64(&c.null_count));
    if (c.encoding == ColumnEncoding::kDictionary) {
      TB_RETURN_IF_ERROR(r.ReadVarint32(&c.dictionary_size));
      TB_RETURN_IF_ERROR(ReadChunk(r, &c.dictionary));
    }
    uint64_t nchunks = 0;
    TB_RETURN_IF_ERROR(r.ReadVarint64(&nchunks));
    if (nchunks != (c.encoding == ColumnEncoding::kAllNull ? 0 : nblocks)) {
      return Corruption("column chunk count does not match block count");
    }
    c.blocks.resize(nchunks);
    for (ChunkRef& b : c.blocks) TB_RETURN_IF_ERROR(ReadChunk(r, &b));
    uint8_t index = 0;
    TB_RETURN_IF_ERROR(r.ReadByte(&index));
    if (index > static_cast<uint8_t>(IndexKind::kHash)) {
      return Corruption("unknown index kind " + std::to_string(index) +
                        " (segment written by a newer trailbook?)");
    }
    c.index = static_cast<IndexKind>(index);
    uint64_t nindex = 0;
    TB_RETURN_IF_ERROR(r.ReadVarint64(&nindex));
    if (nindex > r.remaining()) return Corruption("index chunk count exceeds footer size");
    c.index_chunks.resize(nindex);
    for (ChunkRef& b : c.index_chunks) TB_RETURN_IF_ERROR(ReadChunk(r, &b));
  }
  if (!r.done()) return Corruption("trailing bytes after segment footer");
  return Status::OK();
}

}  // namespace trailbook::storage
