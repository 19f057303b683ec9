// File: auth/jwks/jwks_cache.h
//
// JwksCache: the KeyResolver for one issuer's key set, kept fresh from a JwksFetcher (file
// or HTTPS URL). The first fetch happens in Create and must succeed. After that:
//   - a timer refreshes the set every refresh_interval (background thread, or Tick());
//   - a token with an unknown kid triggers one refresh, single-flight (concurrent callers
//     wait for the fetch already running) and at most once per unknown_kid_cooldown;
//   - a failed fetch, or a fetched set that fails validation, keeps the last good set;
//   - once the last good set is older than max_staleness, every lookup fails (fail closed).
//
//   KeySourceConfig source;
//   source.jwks_url = "https://idp.example.com/.well-known/jwks.json";
//   TB_ASSIGN_OR_RETURN(std::shared_ptr<JwksCache> keys, JwksCache::Open(source, SystemClock()));
//   issuer_config.keys = keys;
//
// Thread safety: thread-safe; Find may be called concurrently from request threads.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "auth/jwks/jwk_json.h"
#include "auth/jwks/jwks_fetcher.h"
#include "auth/jwt/jwk.h"
#include "base/clock.h"
#include "base/status.h"
#include "base/timestamp.h"

namespace trailbook::auth {

struct JwksCacheOptions {
  JwkParseOptions parse;
  int64_t refresh_interval_us = 10 * 60 * kMicrosPerSecond;
  int64_t unknown_kid_cooldown_us = 30 * kMicrosPerSecond;
  int64_t max_staleness_us = 24 * 3600 * kMicrosPerSecond;
  bool background_refresh = true;  // Off: call Tick() yourself (tests, one-shot CLI use).
};

// Where an issuer's keys come from: exactly one of jwks_file and jwks_url.
struct KeySourceConfig {
  std::string jwks_file;
  std::string jwks_url;
  HttpsFetchOptions https;
  JwksCacheOptions cache;
};

class JwksCache : public KeyResolver {
 public:
  struct Stats {
    uint64_t fetches = 0;
    uint64_t failures = 0;
    uint64_t unknown_kid_refreshes = 0;
    int64_t last_success_us = 0;   // Monotonic clock of the cache.
    std::string last_error;        // Of the latest failed refresh ("" after a success).
    size_t keys = 0;
    std::vector<std::string> skipped;  // Keys of the current set that are not for signing.
  };

  // Fetches and validates the first set. `clock` must outlive the cache. Returns the fetch or
  // validation error (with the source named) when the first set is not usable, and
  // kInvalidArgument for inconsistent options.
  static Result<std::shared_ptr<JwksCache>> Create(std::unique_ptr<JwksFetcher> fetcher,
                                                   JwksCacheOptions options, const Clock& clock);

  // Builds the fetcher from `config` (file, or HTTPS URL) and calls Create. A file source
  // whose options allow symmetric keys is treated as secret (mode must be 0600 or stricter).
  static Result<std::shared_ptr<JwksCache>> Open(const KeySourceConfig& config, const Clock& clock);

  // Stops the refresh thread; waits for a fetch in progress (at most the fetch timeout).
  ~JwksCache() override;
  JwksCache(const JwksCache&) = delete;
  JwksCache& operator=(const JwksCache&) = delete;

  // KeyResolver. On an unknown kid, refreshes (single-flight, cooldown) and looks again;
  // concurrent callers wait for the one fetch (bounded by the fetcher's timeout). Refresh,
  // cooldown and staleness are timed on the cache's own clock (given to Create); the
  // caller's `clock` is not used.
  KeyLookup Find(std::optional<std::string_view> kid, const Clock& clock) const override;

  // Refreshes now (waits for a fetch already in flight instead of starting another).
  Status Refresh() const;

  // Refreshes if refresh_interval has passed since the last attempt (the timer's body).
  void Tick() const;

  // Returns the current set (never null after Create).
  std::shared_ptr<const JwkSet> current() const;
  Stats stats() const;

 private:
  JwksCache(std::unique_ptr<JwksFetcher> fetcher, JwksCacheOptions options, const Clock& clock);

  // Runs one fetch unless one is in flight, in which case it waits for that one.
  // REQUIRES: `lock` holds mu_. Returns the outcome of the fetch it ran or waited for.
  Status RefreshLocked(std::unique_lock<std::mutex>& lock) const;
  bool StaleLocked(int64_t now_us) const;
  void TimerLoop();

  std::unique_ptr<JwksFetcher> fetcher_;
  const JwksCacheOptions options_;
  const Clock& clock_;

  // Guarded by mu_ (base/ has no capability-annotated mutex for TB_GUARDED_BY).
  mutable std::mutex mu_;
  mutable std::condition_variable fetch_done_;
  mutable std::shared_ptr<const JwkSet> set_;
  mutable bool fetching_ = false;
  mutable uint64_t generation_ = 0;
  mutable Status last_fetch_status_;
  mutable int64_t last_attempt_us_ = 0;
  mutable std::optional<int64_t> last_unknown_kid_refresh_us_;
  mutable Stats stats_;
  bool stop_ = false;
  std::condition_variable stop_cv_;

  std::thread timer_;  // Joined by the destructor.
};

}  // namespace trailbook::auth
