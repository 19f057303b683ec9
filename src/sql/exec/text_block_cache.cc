#include "sql/exec/text_block_cache.h"

#include <algorithm>

#include "storage/segment_reader.h"

namespace trailbook::sql {

std::shared_ptr<const TextFrame> TextFrame::Dense(
    std::shared_ptr<const storage::StringBlock> decoded) {
  std::shared_ptr<TextFrame> f(new TextFrame());
  f->bytes_ = sizeof(TextFrame) + sizeof(storage::StringBlock) +
              decoded->size() * (sizeof(std::string_view) + 1);
  for (size_t i = 0; i < decoded->size(); ++i) f->bytes_ += decoded->view(i).size();
  f->dense_ = std::move(decoded);
  return f;
}

std::shared_ptr<const TextFrame> TextFrame::Sparse(const storage::StringBlock& decoded,
                                                   std::span<const uint32_t> rows) {
  std::shared_ptr<TextFrame> f(new TextFrame());
  f->rows_.assign(rows.begin(), rows.end());
  f->offsets_.reserve(rows.size() + 1);
  f->nulls_.reserve(rows.size());
  size_t total = 0;
  for (uint32_t r : rows) total += decoded.is_null(r) ? 0 : decoded.view(r).size();
  f->buffer_.reserve(total);
  f->offsets_.push_back(0);
  for (uint32_t r : rows) {
    bool null = decoded.is_null(r);
    f->nulls_.push_back(null ? 1 : 0);
    if (!null) f->buffer_.append(decoded.view(r));
    f->offsets_.push_back(static_cast<uint32_t>(f->buffer_.size()));
  }
  f->bytes_ = sizeof(TextFrame) + f->buffer_.size() + rows.size() * (2 * sizeof(uint32_t) + 1);
  return f;
}

size_t TextFrame::held_rows() const { return dense_ ? dense_->size() : rows_.size(); }

bool TextFrame::HasAll(std::span<const uint32_t> rows) const {
  if (dense_) return rows.empty() || rows.back() < dense_->size();
  // Both ascending: one merge pass.
  size_t j = 0;
  for (uint32_t r : rows) {
    while (j < rows_.size() && rows_[j] < r) ++j;
    if (j == rows_.size() || rows_[j] != r) return false;
  }
  return true;
}

void TextFrame::AppendHeldRows(std::vector<uint32_t>* out) const {
  if (dense_) {
    for (uint32_t r = 0; r < dense_->size(); ++r) out->push_back(r);
  } else {
    out->insert(out->end(), rows_.begin(), rows_.end());
  }
}

std::optional<std::string_view> TextFrame::Value(uint32_t row) const {
  if (dense_) return dense_->value(row);
  size_t i = static_cast<size_t>(std::lower_bound(rows_.begin(), rows_.end(), row) - rows_.begin());
  if (nulls_[i] != 0) return std::nullopt;
  return std::string_view(buffer_).substr(offsets_[i], offsets_[i + 1] - offsets_[i]);
}

size_t TextBlockCache::KeyHash::operator()(const Key& k) const {
  constexpr uint64_t kMultiplier = 0x9e3779b97f4a7c15u;
  uint64_t column = static_cast<uint32_t>(k.column);
  uint64_t h = (k.segment * kMultiplier) ^ (uint64_t{k.block} << 20) ^ (uint64_t{k.frame} << 8) ^
               column;
  h *= kMultiplier;
  return static_cast<size_t>(h ^ (h >> 29));
}

Result<std::shared_ptr<const TextFrame>> TextBlockCache::Get(const storage::SegmentReader& segment,
                                                             int column, uint32_t block,
                                                             uint32_t frame,
                                                             std::span<const uint32_t> rows,
                                                             uint64_t query_id,
                                                             ScanCounters* counters) {
  const Key key{segment.id(), block, frame, column};
  std::shared_ptr<const TextFrame> held;  // a cached sparse frame lacking some of `rows`
  if (budget_ > 0) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = index_.find(key);
    if (it != index_.end()) {
      Entry& e = *it->second;
      if (e.frame->HasAll(rows)) {
        lru_.splice(lru_.begin(), lru_, it->second);
        e.last_query = query_id;
        counters->text_frames_cached += 1;
        return e.frame;
      }
      held = e.frame;
    }
  }
  auto decoded = std::make_shared<storage::StringBlock>();
  uint64_t stored = 0;
  TB_RETURN_IF_ERROR(segment.ReadStringFrame(column, block, frame, decoded.get(), &stored));
  counters->bytes_read += stored;
  counters->text_frames_read += 1;
  if (!rows.empty() && rows.back() >= decoded->size()) {
    return Internal("text frame read for a row outside the frame");
  }
  if (budget_ == 0) return TextFrame::Dense(std::move(decoded));
  // Keep what this and earlier queries asked for; the whole frame once that is a large part.
  std::vector<uint32_t> keep(rows.begin(), rows.end());
  if (held) {
    held->AppendHeldRows(&keep);
    std::inplace_merge(keep.begin(), keep.begin() + static_cast<std::ptrdiff_t>(rows.size()),
                       keep.end());
    keep.erase(std::unique(keep.begin(), keep.end()), keep.end());
  }
  std::shared_ptr<const TextFrame> result =
      keep.size() * kSparseFraction <= decoded->size() ? TextFrame::Sparse(*decoded, keep)
                                                       : TextFrame::Dense(std::move(decoded));
  Admit(key, result, query_id);
  return result;
}

void TextBlockCache::Admit(const Key& key, std::shared_ptr<const TextFrame> frame,
                           uint64_t query_id) {
  const size_t bytes = frame->bytes();
  if (bytes > budget_ / 4) return;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = index_.find(key);
  const size_t replaced = it == index_.end() ? 0 : it->second->bytes;
  while (used_ - replaced + bytes > budget_) {
    Entry& victim = lru_.back();
    if (victim.last_query == query_id) return;  // the rest is this query's own working set
    if (victim.key == key) return;              // only the entry being replaced is left
    used_ -= victim.bytes;
    index_.erase(victim.key);
    lru_.pop_back();
  }
  if (it != index_.end()) {
    Entry& e = *it->second;
    used_ = used_ - e.bytes + bytes;
    e.frame = std::move(frame);
    e.bytes = bytes;
    e.last_query = query_id;
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  lru_.push_front(Entry{key, std::move(frame), bytes, query_id});
  index_.emplace(key, lru_.begin());
  used_ += bytes;
}

size_t TextBlockCache::used_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return used_;
}

Status TextBlockCache::Verify() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t sum = 0;
  for (const Entry& e : lru_) {
    sum += e.bytes;
    auto it = index_.find(e.key);
    if (it == index_.end() || &*it->second != &e) return Internal("LRU entry missing from the index");
    if (e.bytes != e.frame->bytes()) return Internal("entry bytes differ from its frame's");
  }
  if (index_.size() != lru_.size()) return Internal("index and LRU list differ in size");
  if (sum != used_) return Internal("used bytes differ from the sum of the entries");
  if (used_ > budget_) return Internal("cache holds more than its budget");
  return Status::OK();
}

}  // namespace trailbook::sql
