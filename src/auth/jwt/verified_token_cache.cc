#include "auth/jwt/verified_token_cache.h"

namespace trailbook::auth {

std::string VerifiedTokenCache::Key(const crypto::Sha256Digest& digest) {
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

std::shared_ptr<const VerifiedTokenCache::Entry> VerifiedTokenCache::Lookup(
    const crypto::Sha256Digest& digest, int64_t now_us) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = map_.find(Key(digest));
  if (it == map_.end()) return nullptr;
  const Entry& entry = *it->second.entry;
  if (now_us >= entry.valid_until_us) {
    map_.erase(it);
    return nullptr;
  }
  if (now_us < entry.valid_from_us) return nullptr;
  return it->second.entry;
}

void VerifiedTokenCache::Insert(const crypto::Sha256Digest& digest,
                                std::shared_ptr<const Entry> entry, int64_t now_us) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string key = Key(digest);
  if (map_.size() >= capacity_ && map_.find(key) == map_.end()) {
    for (auto it = map_.begin(); it != map_.end();) {
      it = now_us >= it->second.entry->valid_until_us ? map_.erase(it) : std::next(it);
    }
    while (map_.size() >= capacity_ && !order_.empty()) {
      auto [old_key, sequence] = order_.front();
      order_.pop_front();
      auto it = map_.find(old_key);
      if (it != map_.end() && it->second.sequence == sequence) map_.erase(it);
    }
  }
  uint64_t sequence = next_sequence_++;
  map_[key] = Slot{std::move(entry), sequence};
  order_.emplace_back(std::move(key), sequence);
  // Stale queue entries (re-inserted or swept keys) are compacted away once they dominate,
  // which keeps the queue O(capacity) at amortized O(1) cost per insert.
  if (order_.size() > 2 * capacity_ + 16) {
    std::deque<std::pair<std::string, uint64_t>> live;
    for (auto& item : order_) {
      auto it = map_.find(item.first);
      if (it != map_.end() && it->second.sequence == item.second) live.push_back(std::move(item));
    }
    order_.swap(live);
  }
}

void VerifiedTokenCache::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  map_.clear();
  order_.clear();
}

size_t VerifiedTokenCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return map_.size();
}

}  // namespace trailbook::auth
