#include "auth/jwks/jwks_cache.h"

#include <algorithm>
#include <chrono>

namespace trailbook::auth {

Result<std::shared_ptr<JwksCache>> JwksCache::Create(std::unique_ptr<JwksFetcher> fetcher,
                                                     JwksCacheOptions options, const Clock& clock) {
  if (!fetcher) return InvalidArgument("JWKS cache: no fetcher");
  if (options.refresh_interval_us <= 0 || options.unknown_kid_cooldown_us < 0 ||
      options.max_staleness_us < options.refresh_interval_us) {
    return InvalidArgument(
        "JWKS cache: refresh interval must be > 0, cooldown >= 0 and max staleness >= the "
        "refresh interval");
  }
  bool background = options.background_refresh;
  std::shared_ptr<JwksCache> cache(new JwksCache(std::move(fetcher), std::move(options), clock));
  {
    std::unique_lock<std::mutex> lock(cache->mu_);
    Status first = cache->RefreshLocked(lock);
    if (!first.ok()) return first;
  }
  if (background) cache->timer_ = std::thread([raw = cache.get()] { raw->TimerLoop(); });
  return cache;
}

Result<std::shared_ptr<JwksCache>> JwksCache::Open(const KeySourceConfig& config,
                                                   const Clock& clock) {
  if (config.jwks_file.empty() == config.jwks_url.empty()) {
    return InvalidArgument("key source: set exactly one of a JWKS file and a JWKS URL");
  }
  std::unique_ptr<JwksFetcher> fetcher;
  if (!config.jwks_file.empty()) {
    fetcher = std::make_unique<FileJwksFetcher>(config.jwks_file, config.cache.parse.allow_symmetric);
  } else {
    if (config.cache.parse.allow_symmetric) {
      return InvalidArgument("key source: symmetric keys are never accepted from a URL");
    }
    TB_ASSIGN_OR_RETURN(fetcher, HttpsJwksFetcher::Create(config.jwks_url, config.https));
  }
  return Create(std::move(fetcher), config.cache, clock);
}

JwksCache::JwksCache(std::unique_ptr<JwksFetcher> fetcher, JwksCacheOptions options,
                     const Clock& clock)
    : fetcher_(std::move(fetcher)), options_(std::move(options)), clock_(clock) {}

JwksCache::~JwksCache() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  if (timer_.joinable()) timer_.join();
}

Status JwksCache::RefreshLocked(std::unique_lock<std::mutex>& lock) const {
  if (fetching_) {
    uint64_t generation = generation_;
    fetch_done_.wait(lock, [&] { return generation_ != generation; });
    return last_fetch_status_;
  }
  fetching_ = true;
  last_attempt_us_ = clock_.MonotonicMicros();
  lock.unlock();
  // Fetch and validate without the lock: lookups keep using the current set meanwhile.
  Result<std::string> body = fetcher_->Fetch();
  Result<ParsedJwks> parsed =
      body.ok() ? ParseJwks(*body, options_.parse) : Result<ParsedJwks>(body.status());
  lock.lock();
  ++stats_.fetches;
  if (parsed.ok()) {
    stats_.keys = parsed->set.size();
    stats_.skipped = std::move(parsed->skipped);
    set_ = std::make_shared<const JwkSet>(std::move(parsed->set));
    stats_.last_success_us = clock_.MonotonicMicros();
    stats_.last_error.clear();
    last_fetch_status_ = Status::OK();
  } else {
    ++stats_.failures;
    last_fetch_status_ = parsed.status().WithContext(std::string("JWKS ") + fetcher_->Describe());
    stats_.last_error = last_fetch_status_.message();
  }
  fetching_ = false;
  ++generation_;
  fetch_done_.notify_all();
  return last_fetch_status_;
}

bool JwksCache::StaleLocked(int64_t now_us) const {
  return now_us - stats_.last_success_us > options_.max_staleness_us;
}

KeyLookup JwksCache::Find(std::optional<std::string_view> kid, const Clock&) const {
  KeyLookup lookup;
  std::unique_lock<std::mutex> lock(mu_);
  const int64_t now = clock_.MonotonicMicros();
  if (StaleLocked(now)) {
    lookup.detail = std::string("key set from ") + fetcher_->Describe() + " is stale (last refreshed " +
                    std::to_string((now - stats_.last_success_us) / kMicrosPerSecond) +
                    "s ago; limit " + std::to_string(options_.max_staleness_us / kMicrosPerSecond) +
                    "s; last error: " + stats_.last_error + ")";
    return lookup;
  }
  lookup.key = set_->Find(kid, &lookup.detail);
  if (lookup.key != nullptr || !kid) {
    if (lookup.key != nullptr) lookup.set = set_;
    return lookup;
  }
  // Unknown kid: maybe the issuer rotated keys. Refresh once, then look again.
  if (!fetching_) {
    if (last_unknown_kid_refresh_us_ &&
        now - *last_unknown_kid_refresh_us_ < options_.unknown_kid_cooldown_us) {
      lookup.detail += " (key set refresh on cooldown)";
      return lookup;
    }
    last_unknown_kid_refresh_us_ = now;
    ++stats_.unknown_kid_refreshes;
  }
  Status refreshed = RefreshLocked(lock);
  lookup.detail.clear();
  lookup.key = set_->Find(kid, &lookup.detail);
  if (lookup.key != nullptr) {
    lookup.set = set_;
  } else if (!refreshed.ok()) {
    lookup.detail += std::string(" (refresh failed: ") + refreshed.message() + ")";
  } else {
    lookup.detail += std::string(" (after refreshing ") + fetcher_->Describe() + ")";
  }
  return lookup;
}

Status JwksCache::Refresh() const {
  std::unique_lock<std::mutex> lock(mu_);
  return RefreshLocked(lock);
}

void JwksCache::Tick() const {
  std::unique_lock<std::mutex> lock(mu_);
  if (fetching_) return;
  if (clock_.MonotonicMicros() - last_attempt_us_ < options_.refresh_interval_us) return;
  (void)RefreshLocked(lock);  // Failures are kept in stats; the last good set stays.
}

std::shared_ptr<const JwkSet> JwksCache::current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return set_;
}

JwksCache::Stats JwksCache::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void JwksCache::TimerLoop() {
  // Polls once a second (or per interval, if shorter) so that Tick decides on the cache's
  // clock while shutdown stays prompt.
  const auto poll = std::chrono::microseconds(std::min<int64_t>(options_.refresh_interval_us,
                                                                kMicrosPerSecond));
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    stop_cv_.wait_for(lock, poll, [&] { return stop_; });
    if (stop_) break;
    lock.unlock();
    Tick();
    lock.lock();
  }
}

}  // namespace trailbook::auth
