#include "storage/hash_index.h"

#include <algorithm>

#include "storage/bit_packing.h"
#include "storage/coding.h"

namespace trailbook::storage {
namespace {

constexpr size_t kHeaderBytes = 4;  // bucket bits, fingerprint bits, row width, offset width
constexpr uint32_t kMaxBucketBits = 32;
constexpr uint32_t kMaxFingerprintBits = 32;
constexpr uint32_t kMaxRowWidth = 32;
constexpr uint32_t kMaxOffsetWidth = 40;

// The top `bits` bits of `hash` (0 when bits == 0): bucket bits then fingerprint bits.
inline uint64_t Prefix(uint64_t hash, uint32_t bits) {
  return bits == 0 ? 0 : hash >> (64 - bits);
}

}  // namespace

std::string HashIndexBuilder::Finish() {
  const uint64_t n = entries_.size();
  const uint64_t buckets_wanted = std::max<uint64_t>(
      1, (n + kHashIndexBucketEntries - 1) / kHashIndexBucketEntries);
  const uint32_t bucket_bits = BitWidth(buckets_wanted - 1);
  const uint32_t fp_bits = kHashIndexFingerprintBits;
  const uint32_t prefix_bits = bucket_bits + fp_bits;
  uint32_t max_row = 0;
  for (const Entry& e : entries_) max_row = std::max(max_row, e.row);
  const uint32_t row_width = std::max<uint32_t>(1, BitWidth(max_row));
  const uint32_t offset_width = BitWidth(n);
  // Order by (prefix, row): buckets in order, fingerprints ascending within a bucket, rows
  // ascending within a fingerprint. A counting sort by bucket keeps the rows' insertion
  // order (ascending); an insertion sort by fingerprint, stable, then orders each bucket of
  // ~4-8 entries. Linear, where a comparison sort of the whole column was ~1% of ingest CPU.
  const uint64_t buckets = uint64_t{1} << bucket_bits;
  std::vector<uint64_t> offsets(buckets + 1, 0);
  for (const Entry& e : entries_) offsets[(Prefix(e.hash, prefix_bits) >> fp_bits) + 1] += 1;
  for (uint64_t b = 0; b < buckets; ++b) offsets[b + 1] += offsets[b];
  const uint64_t fp_mask = (uint64_t{1} << fp_bits) - 1;
  // Each entry as fingerprint << row_width | row, placed in its bucket.
  std::vector<uint64_t> packed(n);
  {
    std::vector<uint64_t> next(offsets.begin(), offsets.end() - 1);
    for (const Entry& e : entries_) {
      const uint64_t prefix = Prefix(e.hash, prefix_bits);
      packed[next[prefix >> fp_bits]++] = ((prefix & fp_mask) << row_width) | e.row;
    }
  }
  for (uint64_t b = 0; b < buckets; ++b) {
    // Entries compare as (fingerprint, row) by their packed value: rows are unique.
    for (uint64_t i = offsets[b] + 1; i < offsets[b + 1]; ++i) {
      const uint64_t v = packed[i];
      uint64_t j = i;
      for (; j > offsets[b] && packed[j - 1] > v; --j) packed[j] = packed[j - 1];
      packed[j] = v;
    }
  }
  std::string out;
  out.push_back(static_cast<char>(bucket_bits));
  out.push_back(static_cast<char>(fp_bits));
  out.push_back(static_cast<char>(row_width));
  out.push_back(static_cast<char>(offset_width));
  PutVarint64(&out, n);
  PackBits(offsets, offset_width, &out);
  PackBits(packed, fp_bits + row_width, &out);
  entries_.clear();
  entries_.shrink_to_fit();
  return out;
}

Result<HashIndexView> HashIndexView::Parse(std::string_view chunk, uint64_t segment_rows) {
  if (chunk.size() < kHeaderBytes) return Corruption("hash index: chunk shorter than its header");
  HashIndexView v;
  const auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<uint8_t>(chunk[i])); };
  v.bucket_bits_ = byte(0);
  const uint32_t fp_bits = byte(1);
  v.row_width_ = byte(2);
  v.offset_width_ = byte(3);
  if (v.bucket_bits_ > kMaxBucketBits || fp_bits == 0 || fp_bits > kMaxFingerprintBits ||
      v.row_width_ == 0 || v.row_width_ > kMaxRowWidth || fp_bits + v.row_width_ > kMaxPackedWidth ||
      v.offset_width_ > kMaxOffsetWidth) {
    return Corruption("hash index: bad header widths");
  }
  v.fp_bits_ = fp_bits;
  ByteReader r(chunk.substr(kHeaderBytes));
  TB_RETURN_IF_ERROR(r.ReadVarint64(&v.entries_));
  if (v.entries_ > segment_rows) return Corruption("hash index: more entries than rows");
  if (v.offset_width_ < BitWidth(v.entries_)) return Corruption("hash index: offset width too small");
  const size_t directory_bytes = PackedSize((size_t{1} << v.bucket_bits_) + 1, v.offset_width_);
  const size_t table_bytes = PackedSize(v.entries_, fp_bits + v.row_width_);
  if (r.remaining() != directory_bytes + table_bytes) {
    return Corruption("hash index: chunk size does not match its directory and entries");
  }
  v.directory_ = chunk.data() + kHeaderBytes + r.position();
  v.table_ = v.directory_ + directory_bytes;
  v.segment_rows_ = segment_rows;
  return v;
}

Status HashIndexView::Candidates(uint64_t hash, std::vector<uint32_t>* rows) const {
  const uint64_t prefix = Prefix(hash, bucket_bits_ + fp_bits_);
  const uint64_t fp = prefix & ((uint64_t{1} << fp_bits_) - 1);
  const uint64_t bucket = prefix >> fp_bits_;
  const uint64_t begin = UnpackBit(directory_, offset_width_, bucket);
  const uint64_t end = UnpackBit(directory_, offset_width_, bucket + 1);
  if (begin > end || end > entries_) return Corruption("hash index: bucket offsets out of range");
  const uint32_t entry_width = fp_bits_ + row_width_;
  const uint64_t row_mask = (uint64_t{1} << row_width_) - 1;
  for (uint64_t i = begin; i < end; ++i) {
    const uint64_t e = UnpackBit(table_, entry_width, i);
    const uint64_t entry_fp = e >> row_width_;
    if (entry_fp < fp) continue;
    if (entry_fp > fp) break;  // fingerprints ascend within a bucket
    const uint64_t row = e & row_mask;
    if (row >= segment_rows_) return Corruption("hash index: row out of range");
    rows->push_back(static_cast<uint32_t>(row));
  }
  return Status::OK();
}

}  // namespace trailbook::storage
