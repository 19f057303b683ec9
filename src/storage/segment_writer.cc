#include "storage/segment_writer.h"

#include <fcntl.h>
#include <unistd.h>

// Inlined XXH3 (as in storage/string_interner.cc): built for this target (AVX2) instead of
// the shared library's generic code, and without a call per short value.
#define XXH_INLINE_ALL
#include <xxhash.h>

#ifdef __SSE4_1__
#include <immintrin.h>
#endif

#include <algorithm>
#include <numeric>

#include "base/check.h"
#include "io/file.h"
#include "storage/bit_packing.h"
#include "storage/hash_index.h"
#include "storage/coding.h"
#include "storage/event_schema.h"
#include "storage/segment_format.h"

namespace trailbook::storage {

namespace {

// Hex digit classes for ParseUuid: the digit's value, plus kUpperHex / kLowerHex for letters;
// kNotHex for anything else.
constexpr uint8_t kNotHex = 0xff;
constexpr uint8_t kUpperHex = 0x10;
constexpr uint8_t kLowerHex = 0x20;

struct HexTable {
  uint8_t v[256];
  constexpr HexTable() : v() {
    for (int c = 0; c < 256; ++c) v[c] = kNotHex;
    for (int c = '0'; c <= '9'; ++c) v[c] = static_cast<uint8_t>(c - '0');
    for (int c = 'a'; c <= 'f'; ++c) v[c] = static_cast<uint8_t>(c - 'a' + 10) | kLowerHex;
    for (int c = 'A'; c <= 'F'; ++c) v[c] = static_cast<uint8_t>(c - 'A' + 10) | kUpperHex;
  }
};
constexpr HexTable kHex;

}  // namespace

namespace {

// The table-driven ParseUuid after the length and dash checks: also the reference for bytes
// it leaves in `out` when it fails (the segment's UUID block keeps them for exception rows).
bool ParseUuidHex(std::string_view s, uint8_t out[16], bool* upper) {
  static constexpr int kPos[16] = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};
  // One table look-up per character; OR-ing the classes tells whether any character was not
  // hex and which letter cases occurred, checked once at the end.
  uint8_t seen = 0;
  for (int k = 0; k < 16; ++k) {
    uint8_t hi = kHex.v[static_cast<uint8_t>(s[static_cast<size_t>(kPos[k])])];
    uint8_t lo = kHex.v[static_cast<uint8_t>(s[static_cast<size_t>(kPos[k] + 1)])];
    seen |= static_cast<uint8_t>(hi | lo);
    out[k] = static_cast<uint8_t>((hi & 0x0f) << 4 | (lo & 0x0f));
  }
  if ((seen & ~(kUpperHex | kLowerHex | 0x0f)) != 0) return false;  // a non-hex character
  if ((seen & kUpperHex) != 0 && (seen & kLowerHex) != 0) return false;
  *upper = (seen & kUpperHex) != 0;
  return true;
}

#ifdef __SSE4_1__
// Returns a mask of the bytes of `v` in [lo, hi] (ASCII bounds; bytes >= 0x80 never match).
inline __m128i BytesInRange(__m128i v, char lo, char hi) {
  return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(static_cast<char>(lo - 1))),
                       _mm_cmpgt_epi8(_mm_set1_epi8(static_cast<char>(hi + 1)), v));
}
#endif

}  // namespace

bool ParseUuid(std::string_view s, uint8_t out[16], bool* upper) {
  if (s.size() != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') {
    return false;
  }
#ifdef __SSE4_1__
  // The 32 hex digits gathered into two vectors, classified and converted 16 at a time
  // (eventID and requestID hold one UUID per row). Anything but all-hex in one case goes to
  // ParseUuidHex, which decides it and fills `out` as it always has.
  const char* p = s.data();
  const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));       // s[0..16)
  const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16));  // s[16..32)
  const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 20));  // s[20..36)
  // Digits 0-15: s[0..7], s[9..12], s[14..17]; digits 16-31: s[19..22], s[24..35].
  const __m128i h0 = _mm_or_si128(
      _mm_shuffle_epi8(a, _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, -1, -1)),
      _mm_shuffle_epi8(b, _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                        0, 1)));
  const __m128i h1 = _mm_or_si128(
      _mm_shuffle_epi8(b, _mm_setr_epi8(3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1)),
      _mm_shuffle_epi8(c, _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 12, 13,
                                        14, 15)));
  const __m128i digit0 = BytesInRange(h0, '0', '9');
  const __m128i digit1 = BytesInRange(h1, '0', '9');
  const __m128i lower0 = BytesInRange(h0, 'a', 'f');
  const __m128i lower1 = BytesInRange(h1, 'a', 'f');
  const __m128i upper0 = BytesInRange(h0, 'A', 'F');
  const __m128i upper1 = BytesInRange(h1, 'A', 'F');
  const int hex0 = _mm_movemask_epi8(_mm_or_si128(digit0, _mm_or_si128(lower0, upper0)));
  const int hex1 = _mm_movemask_epi8(_mm_or_si128(digit1, _mm_or_si128(lower1, upper1)));
  const bool has_lower = _mm_movemask_epi8(_mm_or_si128(lower0, lower1)) != 0;
  const bool has_upper = _mm_movemask_epi8(_mm_or_si128(upper0, upper1)) != 0;
  if (hex0 != 0xffff || hex1 != 0xffff || (has_lower && has_upper)) {
    return ParseUuidHex(s, out, upper);
  }
  // Nibbles: c - '0' for digits, (c | 0x20) - 'a' + 10 for letters; then high * 16 + low per
  // pair of bytes, packed to 16 bytes.
  const __m128i case_bit = _mm_set1_epi8(0x20);
  const __m128i n0 = _mm_blendv_epi8(
      _mm_sub_epi8(_mm_or_si128(h0, case_bit), _mm_set1_epi8('a' - 10)),
      _mm_sub_epi8(h0, _mm_set1_epi8('0')), digit0);
  const __m128i n1 = _mm_blendv_epi8(
      _mm_sub_epi8(_mm_or_si128(h1, case_bit), _mm_set1_epi8('a' - 10)),
      _mm_sub_epi8(h1, _mm_set1_epi8('0')), digit1);
  const __m128i weights = _mm_set1_epi16(0x0110);
  const __m128i bytes =
      _mm_packus_epi16(_mm_maddubs_epi16(n0, weights), _mm_maddubs_epi16(n1, weights));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), bytes);
  *upper = has_upper;
  return true;
#else
  return ParseUuidHex(s, out, upper);
#endif
}

void FormatUuid(const uint8_t b[16], bool upper, char out[36]) {
  const char* hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  int k = 0;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out[k++] = '-';
    out[k++] = hex[b[i] >> 4];
    out[k++] = hex[b[i] & 15];
  }
}

namespace {

// Accumulates chunks into the in-memory image of the segment file.
class ChunkSink {
 public:
  explicit ChunkSink(std::string* file) : file_(file) {}
  ChunkRef Add(std::string_view bytes) {
    ChunkRef ref{file_->size(), bytes.size(), Checksum(bytes)};
    file_->append(bytes);
    return ref;
  }

 private:
  std::string* file_;
};

// Run values and run ends of a block of codes; kept by the encoder across blocks and columns
// so a block costs no allocation.
struct CodeRuns {
  std::vector<uint32_t> values;
  std::vector<uint32_t> ends;
};

// Encodes one block of codes (dictionary, bool): constant, run-length or bit-packed.
void EncodeCodes(std::span<const uint32_t> codes, std::string* out, CodeRuns& runs) {
  out->clear();
  if (codes.empty()) {
    out->push_back(static_cast<char>(kCodesConstant));
    PutVarint64(out, 0);
    return;
  }
  // One pass for the maximum and the number of runs; the runs themselves are built only
  // when run-length coding is chosen.
  uint32_t max = codes[0];
  size_t nruns = 1;
  for (size_t i = 1; i < codes.size(); ++i) {
    max = std::max(max, codes[i]);
    nruns += codes[i] != codes[i - 1] ? size_t{1} : size_t{0};
  }
  if (nruns == 1) {
    out->push_back(static_cast<char>(kCodesConstant));
    PutVarint64(out, codes[0]);
    return;
  }
  uint32_t width = BitWidth(max);
  // Runs (clustered rows repeat names, sources, identities) are stored as run values and
  // run ends when that is clearly smaller; run ends allow O(log runs) random access.
  uint32_t end_width = BitWidth(codes.size());
  size_t rle = PackedSize(nruns, width) + PackedSize(nruns, end_width) + 4;
  if (rle * 10 < PackedSize(codes.size(), width) * 7) {
    runs.values.clear();
    runs.ends.clear();
    runs.values.push_back(codes[0]);
    for (size_t i = 1; i < codes.size(); ++i) {
      if (codes[i] != codes[i - 1]) {
        runs.ends.push_back(static_cast<uint32_t>(i));
        runs.values.push_back(codes[i]);
      }
    }
    runs.ends.push_back(static_cast<uint32_t>(codes.size()));
    out->push_back(static_cast<char>(kCodesRle));
    out->push_back(static_cast<char>(width));
    out->push_back(static_cast<char>(end_width));
    PutVarint64(out, runs.values.size());
    PackBits32(runs.values, width, out);
    PackBits32(runs.ends, end_width, out);
    return;
  }
  out->push_back(static_cast<char>(kCodesPacked));
  out->push_back(static_cast<char>(width));
  PackBits32(codes, width, out);
}

// Encodes text values: [codec][raw_len][payload]; payload = varint(len+1 or 0=NULL)... bytes.
// `raw` and `packed` are scratch buffers kept by the caller across calls.
void EncodeTextPayload(std::span<const std::optional<std::string_view>> values,
                       ZstdCodec& codec, std::string* out, std::string& raw,
                       std::string& packed) {
  raw.clear();
  size_t total = 0;
  for (const auto& v : values) {
    PutVarint64(&raw, v ? v->size() + 1 : 0);
    if (v) total += v->size();
  }
  raw.reserve(raw.size() + total);
  for (const auto& v : values) {
    if (v) raw.append(*v);
  }
  PutVarint64(out, raw.size());
  if (raw.size() >= 128) {
    packed.clear();
    codec.Compress(raw, &packed);
    if (packed.size() < raw.size()) {
      out->push_back(static_cast<char>(Codec::kZstd));
      PutVarint64(out, packed.size());
      out->append(packed);
      return;
    }
  }
  out->push_back(static_cast<char>(Codec::kNone));
  PutVarint64(out, raw.size());
  out->append(raw);
}

class SegmentEncoder {
 public:
  SegmentEncoder(uint64_t id, int64_t day, const RowBatch& batch, std::span<const uint32_t> rows,
                 const SegmentWriteOptions& options, ZstdCodec& codec)
      : batch_(batch), rows_(rows), options_(options), codec_(codec), sink_(&file_) {
    footer_.segment_id = id;
    footer_.day = day;
    footer_.row_count = rows.size();
    footer_.block_rows = options.block_rows;
  }

  std::string Encode() {
    TB_CHECK(!rows_.empty()) << "empty segment";
    file_.append(kSegmentMagic, 8);
    PutFixed32(&file_, kSegmentFormatVersion);
    PutFixed32(&file_, 0);
    const EventSchema& schema = EventSchema::Get();
    int time_col = schema.event_time_column();
    footer_.min_time = INT64_MAX;
    footer_.max_time = INT64_MIN;
    for (size_t start = 0; start < rows_.size(); start += options_.block_rows) {
      BlockMeta b;
      b.row_start = static_cast<uint32_t>(start);
      b.row_count = static_cast<uint32_t>(std::min<size_t>(options_.block_rows, rows_.size() - start));
      b.min_time = INT64_MAX;
      b.max_time = INT64_MIN;
      for (size_t i = start; i < start + b.row_count; ++i) {
        int64_t t = batch_.timestamp(time_col, rows_[i]);
        b.min_time = std::min(b.min_time, t);
        b.max_time = std::max(b.max_time, t);
      }
      footer_.min_time = std::min(footer_.min_time, b.min_time);
      footer_.max_time = std::max(footer_.max_time, b.max_time);
      footer_.blocks.push_back(b);
    }
    for (size_t c = 0; c < schema.columns().size(); ++c) {
      EncodeColumn(static_cast<int>(c), schema.columns()[c]);
    }
    std::string footer = EncodeFooter(footer_);
    uint64_t footer_offset = file_.size();
    file_.append(footer);
    PutFixed64(&file_, footer_offset);
    PutFixed32(&file_, static_cast<uint32_t>(footer.size()));
    PutFixed64(&file_, Checksum(footer));
    file_.append(kSegmentTrailerMagic, 8);
    return std::move(file_);
  }

  const SegmentFooter& footer() const { return footer_; }

 private:
  void EncodeColumn(int column, const ColumnSpec& spec) {
    ColumnMeta meta;
    meta.column_id = spec.id;
    meta.type = static_cast<uint8_t>(spec.type);
    switch (BuilderKindFor(spec)) {
      case BuilderKind::kTimestamp: EncodeTimestamps(column, &meta); break;
      case BuilderKind::kBool: EncodeBools(column, &meta); break;
      case BuilderKind::kInterned: EncodeDictionary(column, spec, &meta); break;
      case BuilderKind::kRaw: EncodeRaw(column, spec, &meta); break;
    }
    if (meta.null_count == rows_.size()) {
      meta.encoding = ColumnEncoding::kAllNull;
      meta.blocks.clear();
      meta.index = IndexKind::kNone;
      meta.index_chunks.clear();
      meta.dictionary = {};
      meta.dictionary_size = 0;
    }
    footer_.columns.push_back(std::move(meta));
  }

  void EncodeTimestamps(int column, ColumnMeta* meta) {
    meta->encoding = ColumnEncoding::kTimestampFor;
    std::string chunk;
    std::vector<uint64_t> offsets;
    for (const BlockMeta& b : footer_.blocks) {
      int64_t base = INT64_MAX;
      size_t nulls = 0;
      for (uint32_t i = 0; i < b.row_count; ++i) {
        int64_t v = batch_.timestamp(column, rows_[b.row_start + i]);
        if (v == kNullTimestamp) {
          ++nulls;
        } else {
          base = std::min(base, v);
        }
      }
      meta->null_count += nulls;
      if (base == INT64_MAX) base = 0;
      // Offsets are stored in the coarsest unit (s, ms, us) that divides all of them;
      // the value 0 is reserved for NULL, so stored = offset / unit + 1.
      uint64_t unit = 1'000'000;
      for (uint32_t i = 0; i < b.row_count && unit > 1; ++i) {
        int64_t v = batch_.timestamp(column, rows_[b.row_start + i]);
        if (v == kNullTimestamp) continue;
        uint64_t off = static_cast<uint64_t>(v - base);
        while (unit > 1 && off % unit != 0) unit /= 1000;
      }
      offsets.resize(b.row_count);
      uint64_t max = 0;
      for (uint32_t i = 0; i < b.row_count; ++i) {
        int64_t v = batch_.timestamp(column, rows_[b.row_start + i]);
        offsets[i] = v == kNullTimestamp ? 0 : static_cast<uint64_t>(v - base) / unit + 1;
        max = std::max(max, offsets[i]);
      }
      chunk.clear();
      chunk.push_back(static_cast<char>(unit == 1'000'000 ? 6 : unit == 1000 ? 3 : 0));
      PutVarintSigned(&chunk, base);
      uint32_t width = BitWidth(max);
      if (width > kMaxPackedWidth) width = 64;
      chunk.push_back(static_cast<char>(width));
      PackBits(offsets, width, &chunk);
      meta->blocks.push_back(sink_.Add(chunk));
    }
  }

  void EncodeBools(int column, ColumnMeta* meta) {
    meta->encoding = ColumnEncoding::kBoolCodes;
    std::vector<uint32_t> codes;
    std::string chunk;
    for (const BlockMeta& b : footer_.blocks) {
      codes.resize(b.row_count);
      for (uint32_t i = 0; i < b.row_count; ++i) {
        codes[i] = batch_.bool_code(column, rows_[b.row_start + i]);
        if (codes[i] == 0) ++meta->null_count;
      }
      EncodeCodes(codes, &chunk, runs_scratch_);
      meta->blocks.push_back(sink_.Add(chunk));
    }
  }

  void EncodeDictionary(int column, const ColumnSpec& spec, ColumnMeta* meta) {
    meta->encoding = ColumnEncoding::kDictionary;
    const StringInterner& interner = batch_.interner(column);
    if (interner.size() == 0) {
      // No value in the whole batch (about half the schema's string columns in CloudTrail
      // data): all NULL, without the passes over the rows below.
      meta->null_count = rows_.size();
      return;
    }
    // The batch ids in segment row order, gathered once: the passes below (used ids, block
    // codes, postings) then read them in sequence instead of through the row permutation.
    ids_scratch_.resize(rows_.size());
    for (size_t i = 0; i < rows_.size(); ++i) {
      ids_scratch_[i] = batch_.interned_id(column, rows_[i]);
    }
    // Map batch ids to segment codes 1..n in sorted string order.
    // The loops below work on local pointers and counts: through `meta` and the vectors'
    // members the compiler reloaded them on every row (they may alias the stores).
    std::vector<uint32_t> code_of(interner.size() + 1, 0);
    std::vector<uint32_t> used;
    {
      uint32_t* const code = code_of.data();
      uint64_t nulls = 0;
      for (uint32_t id : ids_scratch_) {
        if (id == 0) {
          ++nulls;
        } else if (code[id] == 0) {
          code[id] = 1;
          used.push_back(id);
        }
      }
      meta->null_count += nulls;
    }
    if (used.empty()) {
      meta->null_count = rows_.size();
      return;
    }
    std::sort(used.begin(), used.end(), [&](uint32_t a, uint32_t b) {
      return interner.Get(a) < interner.Get(b);
    });
    for (size_t i = 0; i < used.size(); ++i) code_of[used[i]] = static_cast<uint32_t>(i + 1);
    std::vector<std::optional<std::string_view>> entries;
    entries.reserve(used.size());
    for (uint32_t id : used) entries.emplace_back(interner.Get(id));
    std::string dict;
    EncodeTextPayload(entries, codec_, &dict, raw_scratch_, packed_scratch_);
    meta->dictionary_size = static_cast<uint32_t>(used.size());
    meta->dictionary = sink_.Add(dict);

    std::vector<uint32_t> codes;
    std::string chunk;
    for (const BlockMeta& b : footer_.blocks) {
      const uint32_t count = b.row_count;
      codes.resize(count);
      const uint32_t* const ids = ids_scratch_.data() + b.row_start;
      const uint32_t* const code = code_of.data();
      uint32_t* const out = codes.data();
      for (uint32_t i = 0; i < count; ++i) out[i] = code[ids[i]];
      EncodeCodes(codes, &chunk, runs_scratch_);
      meta->blocks.push_back(sink_.Add(chunk));
    }
    if (spec.needle_index) {
      // Postings: for each code, its rows (ascending), delta-varint coded; an offset table
      // (bit-packed, one entry per code plus one) gives direct access to any code's list.
      std::vector<std::vector<uint32_t>> lists(used.size() + 1);
      for (size_t r = 0; r < rows_.size(); ++r) {
        uint32_t code = code_of[ids_scratch_[r]];
        if (code != 0) lists[code].push_back(static_cast<uint32_t>(r));
      }
      std::string postings;
      std::vector<uint64_t> offsets(used.size() + 2, 0);
      for (size_t code = 1; code <= used.size(); ++code) {
        offsets[code] = postings.size();
        uint32_t prev = 0;
        PutVarint64(&postings, lists[code].size());
        for (uint32_t r : lists[code]) {
          PutVarint64(&postings, r - prev);
          prev = r;
        }
      }
      offsets[used.size() + 1] = postings.size();
      std::string chunk_out;
      uint32_t width = BitWidth(postings.size());
      PutVarint64(&chunk_out, offsets.size());
      chunk_out.push_back(static_cast<char>(width));
      PackBits(offsets, width, &chunk_out);
      chunk_out.append(postings);
      meta->index = IndexKind::kPostings;
      meta->index_chunks.push_back(sink_.Add(chunk_out));
    }
  }

  void EncodeRaw(int column, const ColumnSpec& spec, ColumnMeta* meta) {
    size_t non_null = 0, uuids = 0;
    uint8_t bytes[16];
    // UUID mode stores 16 bytes for every row, so it pays only when nearly every row holds a
    // UUID; sparse columns (sharedEventID) compress better as plain text. A sample decides.
    // The values are gathered once, in segment row order: reading them through the row
    // permutation misses the cache, and the blocks below then read them in sequence.
    size_t sampled = 0;
    std::vector<std::optional<std::string_view>>& values = values_scratch_;
    values.resize(rows_.size());
    for (size_t i = 0; i < rows_.size(); ++i) {
      values[i] = batch_.string(column, rows_[i]);
      const std::optional<std::string_view>& v = values[i];
      if (!v) continue;
      ++non_null;
      if (spec.type == ColumnType::kString && (i % 16 == 0)) {
        bool upper;
        ++sampled;
        if (ParseUuid(*v, bytes, &upper)) ++uuids;
      }
    }
    meta->null_count = rows_.size() - non_null;
    if (non_null == 0) return;
    size_t sampled_rows = (rows_.size() + 15) / 16;
    bool uuid_mode = sampled > 0 && uuids * 10 >= sampled_rows * 9;
    meta->encoding = uuid_mode ? ColumnEncoding::kUuid : ColumnEncoding::kPlain;
    std::string chunk;
    HashIndexBuilder index;
    for (const BlockMeta& b : footer_.blocks) {
      const std::span<const std::optional<std::string_view>> block(values.data() + b.row_start,
                                                                    b.row_count);
      chunk.clear();
      if (uuid_mode) {
        EncodeUuidBlock(block, &chunk);
      } else {
        EncodePlainBlock(block, &chunk);
      }
      meta->blocks.push_back(sink_.Add(chunk));
      if (spec.needle_index) {
        for (uint32_t i = 0; i < b.row_count; ++i) {
          const std::optional<std::string_view>& v = block[i];
          if (v) index.Add(XXH3_64bits(v->data(), v->size()), b.row_start + i);
        }
      }
    }
    if (spec.needle_index) {
      meta->index = IndexKind::kHash;
      meta->index_chunks.push_back(sink_.Add(index.Finish()));
    }
  }

  // [kinds: width-2 packed][16 bytes per row][exception count][(row, value)...]
  void EncodeUuidBlock(std::span<const std::optional<std::string_view>> values, std::string* out) {
    std::vector<uint32_t> kinds(values.size());
    std::string binary(values.size() * 16, '\0');
    std::string exceptions;
    size_t nexc = 0;
    for (size_t i = 0; i < values.size(); ++i) {
      if (!values[i]) {
        kinds[i] = kUuidNull;
        continue;
      }
      bool upper;
      if (ParseUuid(*values[i], reinterpret_cast<uint8_t*>(&binary[i * 16]), &upper)) {
        kinds[i] = upper ? kUuidUpper : kUuidLower;
      } else {
        kinds[i] = kUuidException;
        PutVarint64(&exceptions, i);
        PutLengthPrefixed(&exceptions, *values[i]);
        ++nexc;
      }
    }
    PackBits32(kinds, 2, out);
    out->append(binary);
    PutVarint64(out, nexc);
    out->append(exceptions);
  }

  // [frame_rows][frame count][per frame: text payload]; frames are independently decodable.
  void EncodePlainBlock(std::span<const std::optional<std::string_view>> values,
                        std::string* out) {
    uint32_t frame_rows = options_.frame_rows;
    size_t nframes = (values.size() + frame_rows - 1) / frame_rows;
    PutVarint64(out, frame_rows);
    PutVarint64(out, nframes);
    std::vector<std::string> frames(nframes);
    for (size_t f = 0; f < nframes; ++f) {
      size_t begin = f * frame_rows;
      size_t end = std::min(values.size(), begin + frame_rows);
      EncodeTextPayload(values.subspan(begin, end - begin), codec_, &frames[f], raw_scratch_,
                        packed_scratch_);
      PutVarint64(out, frames[f].size());
    }
    for (const std::string& f : frames) out->append(f);
  }

  const RowBatch& batch_;
  std::span<const uint32_t> rows_;
  const SegmentWriteOptions& options_;
  ZstdCodec& codec_;
  CodeRuns runs_scratch_;       // EncodeCodes' run buffers, reused across blocks
  std::vector<uint32_t> ids_scratch_;  // EncodeDictionary's ids in row order
  std::vector<std::optional<std::string_view>> values_scratch_;  // EncodeRaw's, in row order
  std::string raw_scratch_;     // EncodeTextPayload's buffers, reused across columns
  std::string packed_scratch_;
  std::string file_;
  ChunkSink sink_;
  SegmentFooter footer_;
};

}  // namespace

std::string EncodeSegment(uint64_t id, int64_t day, const RowBatch& batch,
                          std::span<const uint32_t> rows, const SegmentWriteOptions& options,
                          ZstdCodec& codec) {
  SegmentEncoder encoder(id, day, batch, rows, options, codec);
  return encoder.Encode();
}

namespace {

// Drops the page cache of a segment just written and synced. The store maps every committed
// segment to read its footer; with large page-cache folios (Linux 6.x on ext4/xfs) touching
// the footer of a freshly written file maps the whole file, so without this the ingest's
// resident memory grows by each segment's size (~2 MB each, ~400 MB for 3M events). Best
// effort: the pages are clean after the sync, and errors only cost memory.
void DropCachedPages(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
}

}  // namespace

Result<UnsyncedSegment> WriteSegmentUnsynced(const std::string& dir, uint64_t id, int64_t day,
                                             const RowBatch& batch,
                                             std::span<const uint32_t> rows,
                                             const SegmentWriteOptions& options,
                                             ZstdCodec& codec) {
  SegmentEncoder encoder(id, day, batch, rows, options, codec);
  std::string bytes = encoder.Encode();
  const SegmentFooter& f = encoder.footer();
  UnsyncedSegment out;
  out.info = SegmentInfo{id, day, f.row_count, f.min_time, f.max_time, bytes.size(), 0};
  out.path = dir + "/" + SegmentFileName(id);
  out.tmp_path = out.path + ".tmp";
  TB_ASSIGN_OR_RETURN(out.file, io::AppendFile::Create(out.tmp_path));
  TB_RETURN_IF_ERROR(out.file->Append(bytes));
  return out;
}

Status FinishSegment(UnsyncedSegment& segment, const SegmentWriteOptions& options) {
  if (options.sync) TB_RETURN_IF_ERROR(segment.file->Sync());
  segment.file.reset();
  TB_RETURN_IF_ERROR(io::RenameFile(segment.tmp_path, segment.path));
  if (options.sync) DropCachedPages(segment.path);
  return Status::OK();
}

Result<SegmentInfo> WriteSegment(const std::string& dir, uint64_t id, int64_t day,
                                 const RowBatch& batch, std::span<const uint32_t> rows,
                                 const SegmentWriteOptions& options, ZstdCodec& codec) {
  TB_ASSIGN_OR_RETURN(UnsyncedSegment segment,
                      WriteSegmentUnsynced(dir, id, day, batch, rows, options, codec));
  TB_RETURN_IF_ERROR(FinishSegment(segment, options));
  return segment.info;
}

}  // namespace trailbook::storage
