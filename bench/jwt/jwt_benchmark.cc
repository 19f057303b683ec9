// Token verification throughput per algorithm, single thread, against the floor: a bare
// OpenSSL verify of the same signature over the same signing input in the same run.
// Prints the Google Benchmark table, then a summary with verifications/s, our overhead
// over the bare verify, and the figure with the verified-token cache warm.
//
// Run pinned to one core, with interleaved repetitions (the summary uses the median
// repetition of each benchmark, which is the least disturbed by other processes):
//   taskset -c 0 build/bench/jwt/jwt_benchmark --benchmark_repetitions=10
//       --benchmark_enable_random_interleaving=true --benchmark_min_time=0.2
// The counting operator new below calls malloc; GCC 12 then flags every library
// operator delete it can see inlined as mismatched, although that delete calls free.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <benchmark/benchmark.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <time.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "auth/jwt/base64url.h"
#include "auth/jwt/claims.h"
#include "auth/jwt/compact_jws.h"
#include "auth/jwt/plain_json.h"
#include "auth/jwt/strict_json.h"
#include "crypto/digest.h"
#include "auth/jwt/signature.h"
#include "auth/jwt/testing/token_factory.h"
#include "auth/jwt/token_builder.h"
#include "auth/jwt/token_verifier.h"

// Counts C++ heap allocations (operator new) so the benchmark can report allocations per
// verification. OpenSSL allocates through malloc and is not counted; that is the floor's.
namespace {
std::atomic<uint64_t> g_allocations{0};
}  // namespace

void* operator new(size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t size) { return operator new(size); }
void* operator new(size_t size, const std::nothrow_t&) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
// The library's operator delete calls free(), which matches the malloc above.

namespace trailbook::auth {
namespace {

constexpr int64_t kNow = 1'700'000'000;

struct Fixture {
  explicit Fixture(JwsAlgorithm a) : alg(a), factory(a, "bench-key") {
    TokenSpec spec;
    spec.issuer = std::string(testing::kTestIssuer);
    spec.audiences = {"trailbook"};
    spec.subject = "alice@example.com";
    spec.runbooks = {"ir.principal-activity", "detect.*"};
    spec.scopes = {"runbook:run", "snapshot:read"};
    spec.reason = "INC-1234";
    spec.constraints.accounts = {"111122223333"};
    spec.constraints.regions = {"us-east-1"};
    spec.constraints.max_window_us = 7 * kMicrosPerDay;
    spec.issued_at_us = kNow * kMicrosPerSecond;
    spec.ttl_us = 900 * kMicrosPerSecond;
    token = *MintToken(spec, factory.signer());
    size_t dot = token.rfind('.');
    signing_input = token.substr(0, dot);
    signature = *Base64UrlDecode(token.substr(dot + 1));
    if (FamilyOf(alg) == JwsAlgorithmFamily::kEcdsa) {  // OpenSSL verifies DER.
      size_t half = signature.size() / 2;
      ECDSA_SIG* sig = ECDSA_SIG_new();
      ECDSA_SIG_set0(sig, BN_bin2bn(reinterpret_cast<const unsigned char*>(signature.data()),
                                    static_cast<int>(half), nullptr),
                     BN_bin2bn(reinterpret_cast<const unsigned char*>(signature.data()) + half,
                               static_cast<int>(half), nullptr));
      unsigned char* der = nullptr;
      int len = i2d_ECDSA_SIG(sig, &der);
      der_signature.assign(reinterpret_cast<char*>(der), static_cast<size_t>(len));
      OPENSSL_free(der);
      ECDSA_SIG_free(sig);
    } else {
      der_signature = signature;
    }
    EVP_PKEY* pkey = factory.signer().verification_key().pkey();
    if (FamilyOf(alg) == JwsAlgorithmFamily::kEcdsa) {
      prepared_pkey_ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr);
      EVP_PKEY_verify_init(prepared_pkey_ctx);
      prepared_md = EVP_MD_fetch(nullptr, DigestName(alg), nullptr);
    } else if (alg == JwsAlgorithm::kEdDSA) {
      prepared_md_ctx = EVP_MD_CTX_new();
      EVP_DigestVerifyInit(prepared_md_ctx, nullptr, nullptr, nullptr, pkey);
    }
    for (size_t cache : {size_t{0}, size_t{1024}}) {
      VerifierConfig config;
      config.issuers.push_back(testing::TestIssuerConfig(factory.resolver(), alg));
      config.cache_capacity = cache;
      (cache ? cached : uncached) = std::move(TokenVerifier::Create(config)).value();
    }
  }
  ~Fixture() {
    EVP_PKEY_CTX_free(prepared_pkey_ctx);
    EVP_MD_CTX_free(prepared_md_ctx);
    EVP_MD_free(prepared_md);
  }
  JwsAlgorithm alg;
  testing::TokenFactory factory;
  // The prepared bare verify: contexts initialised once (see BarePreparedVerifyOnce).
  EVP_PKEY_CTX* prepared_pkey_ctx = nullptr;  // ECDSA: after EVP_PKEY_verify_init.
  EVP_MD_CTX* prepared_md_ctx = nullptr;      // EdDSA: after EVP_DigestVerifyInit.
  EVP_MD* prepared_md = nullptr;              // ECDSA digest, fetched once.
  std::string token, signing_input, signature, der_signature;
  std::unique_ptr<TokenVerifier> uncached, cached;
};

// The floor: what any verifier must spend in OpenSSL for this signature. Returns 1 when valid.
int BareVerifyOnce(const Fixture* f) {
  const Jwk& key = f->factory.signer().verification_key();
  const auto* input = reinterpret_cast<const unsigned char*>(f->signing_input.data());
  const auto* sig = reinterpret_cast<const unsigned char*>(f->der_signature.data());
  if (IsHmac(f->alg)) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    size_t mac_len = 0;
    EVP_Q_mac(nullptr, "HMAC", nullptr, DigestName(f->alg), nullptr,
              reinterpret_cast<const unsigned char*>(key.k().data()), key.k().size(), input,
              f->signing_input.size(), mac, sizeof(mac), &mac_len);
    return CRYPTO_memcmp(mac, sig, mac_len) == 0 ? 1 : 0;
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  EVP_DigestVerifyInit(ctx, &pctx, EvpDigestFor(f->alg), nullptr, key.pkey());
  if (FamilyOf(f->alg) == JwsAlgorithmFamily::kRsaPss) {
    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
  }
  int ok = EVP_DigestVerify(ctx, sig, f->der_signature.size(), input, f->signing_input.size());
  EVP_MD_CTX_free(ctx);
  return ok;
}

// The floor with OpenSSL's per-call setup removed, which is what a verifier that keeps its
// contexts (as ours does for ECDSA and EdDSA) pays: ECDSA hashes with a pre-fetched digest
// and calls EVP_PKEY_verify on a context initialised once; EdDSA calls the one-shot
// EVP_DigestVerify on a context initialised once. Other algorithms use BareVerifyOnce.
// This is the strictest limit and the one the overhead column uses.
int BarePreparedVerifyOnce(const Fixture* f) {
  const auto* input = reinterpret_cast<const unsigned char*>(f->signing_input.data());
  const auto* sig = reinterpret_cast<const unsigned char*>(f->der_signature.data());
  if (f->prepared_pkey_ctx != nullptr) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    EVP_Digest(input, f->signing_input.size(), digest, &digest_len, f->prepared_md, nullptr);
    return EVP_PKEY_verify(f->prepared_pkey_ctx, sig, f->der_signature.size(), digest,
                           digest_len);
  }
  if (f->prepared_md_ctx != nullptr) {
    return EVP_DigestVerify(f->prepared_md_ctx, sig, f->der_signature.size(), input,
                            f->signing_input.size());
  }
  return BareVerifyOnce(f);
}

void BareOpenSslVerify(benchmark::State& state, const Fixture* f, bool prepared) {
  for (auto _ : state) {
    int ok = prepared ? BarePreparedVerifyOnce(f) : BareVerifyOnce(f);
    if (ok != 1) state.SkipWithError("bare verify failed");
    benchmark::DoNotOptimize(ok);
  }
  state.counters["verify/s"] = benchmark::Counter(static_cast<double>(state.iterations()),
                                                  benchmark::Counter::kIsRate);
}

int64_t ThreadCpuNanos() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

// Paired A/B: each iteration runs both bare verifies (fresh and prepared contexts), our
// signature layer and the full token verification and times each on the thread CPU clock, so load from other processes hits all
// alike. The order rotates every iteration (counterbalancing): whichever call runs right after
// another ECDSA/EdDSA verify finds libcrypto's code and tables warm, and a fixed order would
// charge that position effect to one side. This is the overhead figure of the summary.
void PairedOverhead(benchmark::State& state, const Fixture* f) {
  FakeClock clock((kNow + 10) * kMicrosPerSecond);
  RequestContext ctx;
  ctx.clock = &clock;
  const Jwk& key = f->factory.signer().verification_key();
  int64_t bare_ns = 0, prepared_ns = 0, sig_ns = 0, token_ns = 0;
  bool failed = false;
  auto prepared = [&] {
    int64_t t0 = ThreadCpuNanos();
    int ok = BarePreparedVerifyOnce(f);
    prepared_ns += ThreadCpuNanos() - t0;
    failed |= ok != 1;
  };
  auto bare = [&] {
    int64_t t0 = ThreadCpuNanos();
    int ok = BareVerifyOnce(f);
    bare_ns += ThreadCpuNanos() - t0;
    failed |= ok != 1;
  };
  auto sig = [&] {
    int64_t t0 = ThreadCpuNanos();
    Status s = VerifyJwsSignature(key, f->alg, f->signing_input, f->signature);
    sig_ns += ThreadCpuNanos() - t0;
    failed |= !s.ok();
  };
  auto token = [&] {
    int64_t t0 = ThreadCpuNanos();
    Verification v = f->uncached->Verify(f->token, ctx);
    benchmark::DoNotOptimize(v);
    token_ns += ThreadCpuNanos() - t0;
    failed |= !v.principal;
  };
  uint64_t round = 0;
  for (auto _ : state) {
    switch (round++ % 4) {
      case 0: bare(); prepared(); sig(); token(); break;
      case 1: token(); bare(); prepared(); sig(); break;
      case 2: sig(); token(); bare(); prepared(); break;
      default: prepared(); sig(); token(); bare(); break;
    }
    if (failed) {
      state.SkipWithError("verification failed");
      break;
    }
  }
  double n = static_cast<double>(state.iterations());
  state.counters["bare_us"] = static_cast<double>(bare_ns) / n / 1000;
  state.counters["prepared_us"] = static_cast<double>(prepared_ns) / n / 1000;
  state.counters["sig_us"] = static_cast<double>(sig_ns) / n / 1000;
  state.counters["token_us"] = static_cast<double>(token_ns) / n / 1000;
  state.counters["overhead_pct"] = 100.0 * static_cast<double>(token_ns - prepared_ns) /
                                   static_cast<double>(prepared_ns);
}

// Our signature layer alone (length and range checks, P1363 to DER, EVP verify).
void SignatureOnly(benchmark::State& state, const Fixture* f) {
  const Jwk& key = f->factory.signer().verification_key();
  for (auto _ : state) {
    Status s = VerifyJwsSignature(key, f->alg, f->signing_input, f->signature);
    if (!s.ok()) state.SkipWithError(s.message().c_str());
    benchmark::DoNotOptimize(s);
  }
}

// Where the non-crypto time goes: the phases of Verify that run before the signature check.
void PhaseFormat(benchmark::State& state, const Fixture* f) {
  for (auto _ : state) {
    Result<CompactJws> jws = ParseCompactJws(f->token, kMaxTokenBytes);
    benchmark::DoNotOptimize(jws);
  }
}

void PhaseHeader(benchmark::State& state, const Fixture* f) {
  Result<CompactJws> jws = ParseCompactJws(f->token, kMaxTokenBytes);
  StrictJsonParser parser;
  for (auto _ : state) {
    Result<JoseHeader> header = ParseJoseHeader(jws->header_json, parser);
    benchmark::DoNotOptimize(header);
  }
}

void PhaseClaims(benchmark::State& state, const Fixture* f) {
  Result<CompactJws> jws = ParseCompactJws(f->token, kMaxTokenBytes);
  StrictJsonParser parser;
  for (auto _ : state) {
    Result<simdjson::dom::element> root = parser.Parse(jws->payload, kMaxPayloadDepth);
    simdjson::dom::object object;
    if (!root.ok() || root->get_object().get(object) != simdjson::SUCCESS) {
      state.SkipWithError("claims");
    }
    RawClaims claims = ExtractClaims(object);
    benchmark::DoNotOptimize(claims);
  }
}

void PhaseDigest(benchmark::State& state, const Fixture* f) {
  for (auto _ : state) {
    std::string hex = crypto::ToHex(crypto::Sha256(f->token));
    benchmark::DoNotOptimize(hex);
  }
}

// A phase of Verify timed cold, as Verify meets it: right after a prepared signature verify
// (untimed) has evicted the parsing code and data from the L1 caches. `phase` is timed on
// the thread CPU clock; its per-iteration mean is the counter "cold_us".
template <typename Phase>
void ColdPhase(benchmark::State& state, const Fixture* f, Phase phase) {
  int64_t phase_ns = 0;
  for (auto _ : state) {
    if (BarePreparedVerifyOnce(f) != 1) state.SkipWithError("bare verify failed");
    int64_t t0 = ThreadCpuNanos();
    phase();
    phase_ns += ThreadCpuNanos() - t0;
  }
  state.counters["cold_us"] =
      static_cast<double>(phase_ns) / static_cast<double>(state.iterations()) / 1000;
}

void RegisterColdPhases(const Fixture* f) {
  const std::string prefix = "BM_ColdPhase/" + std::string(JwsAlgorithmName(f->alg)) + "/";
  auto jws = std::make_shared<CompactJws>();
  auto parser = std::make_shared<StrictJsonParser>();
  auto claims = std::make_shared<RawClaims>();
  if (!ParseCompactJwsInto(f->token, kMaxTokenBytes, jws.get()).ok()) std::abort();
  auto reg = [&](const std::string& name, auto phase) {
    benchmark::RegisterBenchmark((prefix + name).c_str(), [f, phase](benchmark::State& st) {
      ColdPhase(st, f, phase);
    })->Unit(benchmark::kMicrosecond);
  };
  reg("empty", [] {});  // The timer's own cost: subtract it from the others.
  reg("format+base64url", [f, jws] {
    Status s = ParseCompactJwsInto(f->token, kMaxTokenBytes, jws.get());
    benchmark::DoNotOptimize(s);
  });
  reg("header_plain", [jws] {
    JoseHeader header;
    bool ok = ReadPlainJoseHeader(jws->header_json, &header);
    benchmark::DoNotOptimize(ok);
  });
  reg("claims_plain", [jws, claims] {
    bool ok = ReadPlainClaims(jws->payload, claims.get());
    benchmark::DoNotOptimize(ok);
  });
  reg("header_strict", [jws, parser] {
    Result<JoseHeader> header = ParseJoseHeader(jws->header_json, *parser);
    benchmark::DoNotOptimize(header);
  });
  reg("claims_strict", [jws, parser, claims] {
    Result<simdjson::dom::element> root = parser->Parse(jws->payload, kMaxPayloadDepth);
    simdjson::dom::object object;
    if (root.ok() && root->get_object().get(object) == simdjson::SUCCESS) {
      ExtractClaims(object, claims.get());
    }
    benchmark::DoNotOptimize(claims.get());
  });
  reg("token_sha256", [f] {  // As the verifier: digest fetched once, context reused.
    static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    static EVP_MD_CTX* const ctx = EVP_MD_CTX_new();
    unsigned char out[32];
    unsigned int len = 0;
    EVP_DigestInit_ex2(ctx, md, nullptr);
    EVP_DigestUpdate(ctx, f->token.data(), f->token.size());
    EVP_DigestFinal_ex(ctx, out, &len);
    benchmark::DoNotOptimize(out);
  });
  reg("sha256+hex", [f] {
    std::string hex = crypto::ToHex(crypto::Sha256(f->token));
    benchmark::DoNotOptimize(hex);
  });
  FakeClock* clock = new FakeClock((kNow + 10) * kMicrosPerSecond);  // Lives for the run.
  reg("verify_total", [f, clock] {
    RequestContext ctx;
    ctx.clock = clock;
    Verification v = f->uncached->Verify(f->token, ctx);
    benchmark::DoNotOptimize(v);
  });
  reg("prepared_verify", [f] { benchmark::DoNotOptimize(BarePreparedVerifyOnce(f)); });
}

void TokenVerify(benchmark::State& state, const Fixture* f, bool cached) {
  FakeClock clock((kNow + 10) * kMicrosPerSecond);
  RequestContext ctx;
  ctx.clock = &clock;
  const TokenVerifier& verifier = cached ? *f->cached : *f->uncached;
  if (!verifier.Verify(f->token, ctx).principal) state.SkipWithError("warm-up failed");
  const uint64_t allocations_before = g_allocations.load(std::memory_order_relaxed);
  for (auto _ : state) {
    Verification v = verifier.Verify(f->token, ctx);
    if (!v.principal) state.SkipWithError(v.deny_reason.c_str());
    benchmark::DoNotOptimize(v);
  }
  state.counters["verify/s"] = benchmark::Counter(static_cast<double>(state.iterations()),
                                                  benchmark::Counter::kIsRate);
  // Heap allocations (operator new) per Verify, including the Principal and Verification.
  state.counters["allocs"] = static_cast<double>(g_allocations.load(std::memory_order_relaxed) -
                                                 allocations_before) /
                             static_cast<double>(state.iterations());
}

// Records each run's time per iteration so the summary can compare runs.
class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type == Run::RT_Iteration && !run.error_occurred) {
        // CPU time per iteration of each repetition; the summary uses the median, which is
        // robust to other processes on a shared machine.
        seconds_[run.run_name.str()].push_back(run.cpu_accumulated_time /
                                               static_cast<double>(run.iterations));
        for (const auto& [counter, value] : run.counters) {
          seconds_[run.run_name.str() + "#" + counter].push_back(value.value);
        }
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  double Seconds(const std::string& name) const {
    auto it = seconds_.find(name);
    if (it == seconds_.end() || it->second.empty()) return 0;
    std::vector<double> v = it->second;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
  }

 private:
  std::map<std::string, std::vector<double>> seconds_;
};

}  // namespace
}  // namespace trailbook::auth

int main(int argc, char** argv) {
  using namespace trailbook::auth;  // NOLINT(google-build-using-namespace): benchmark driver.
  std::vector<JwsAlgorithm> algs = {JwsAlgorithm::kES256, JwsAlgorithm::kEdDSA,
                                    JwsAlgorithm::kRS256, JwsAlgorithm::kPS256,
                                    JwsAlgorithm::kHS256};
  // --ecc_only: ES256 and EdDSA only (skips the RSA key generation, which takes minutes
  // under valgrind). Removed from argv before Google Benchmark sees it.
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--ecc_only") {
      algs.resize(2);
      for (int j = i; j + 1 < argc; ++j) argv[j] = argv[j + 1];
      --argc;
      break;
    }
  }
  std::vector<std::unique_ptr<Fixture>> fixtures;
  for (JwsAlgorithm alg : algs) {
    fixtures.push_back(std::make_unique<Fixture>(alg));
    const Fixture* f = fixtures.back().get();
    std::string name(JwsAlgorithmName(alg));
    benchmark::RegisterBenchmark(("BM_BareOpenSslVerify/" + name).c_str(), BareOpenSslVerify, f,
                                 false)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("BM_BarePreparedVerify/" + name).c_str(), BareOpenSslVerify, f,
                                 true)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("BM_PairedOverhead/" + name).c_str(), PairedOverhead, f)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("BM_SignatureOnly/" + name).c_str(), SignatureOnly, f)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("BM_TokenVerify/" + name).c_str(), TokenVerify, f, false)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("BM_TokenVerifyCached/" + name).c_str(), TokenVerify, f, true)
        ->Unit(benchmark::kMicrosecond);
  }
  const Fixture* es256 = fixtures.front().get();
  benchmark::RegisterBenchmark("BM_Phase/ES256/format+base64url", PhaseFormat, es256);
  benchmark::RegisterBenchmark("BM_Phase/ES256/header", PhaseHeader, es256);
  benchmark::RegisterBenchmark("BM_Phase/ES256/claims_parse+extract", PhaseClaims, es256);
  benchmark::RegisterBenchmark("BM_Phase/ES256/sha256+hex", PhaseDigest, es256);
  RegisterColdPhases(es256);
  RegisterColdPhases(fixtures[1].get());
  benchmark::Initialize(&argc, argv);
  SummaryReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  std::printf("\nmedian of repetitions, CPU time, one thread; token %zu bytes (ES256)\n",
              fixtures.front()->token.size());
  std::printf("%-6s %14s %14s %14s %14s %16s %10s %12s %14s\n", "alg", "bare verify/s",
              "prepared/s", "sig layer/s", "token verify/s", "cached verify/s", "overhead",
              "overhead us", "vs fresh bare");
  for (JwsAlgorithm alg : algs) {
    std::string name(JwsAlgorithmName(alg));
    double bare = reporter.Seconds("BM_BareOpenSslVerify/" + name);
    double ours = reporter.Seconds("BM_TokenVerify/" + name);
    double sig = reporter.Seconds("BM_SignatureOnly/" + name);
    double cached = reporter.Seconds("BM_TokenVerifyCached/" + name);
    if (bare <= 0 || ours <= 0) continue;
    // Overhead from the paired benchmark (same iterations, thread CPU clock).
    std::string paired = "BM_PairedOverhead/" + name;
    // "overhead" is against the prepared bare verify (the strictest floor); "vs fresh bare"
    // against a bare verify that sets up its OpenSSL context per call.
    double pb = reporter.Seconds(paired + "#bare_us");
    double pp = reporter.Seconds(paired + "#prepared_us");
    double pt = reporter.Seconds(paired + "#token_us");
    double prepared = reporter.Seconds("BM_BarePreparedVerify/" + name);
    std::printf("%-6s %14.0f %14.0f %14.0f %14.0f %16.0f %9.1f%% %12.2f %13.1f%%\n", name.c_str(),
                1 / bare, prepared > 0 ? 1 / prepared : 0.0, sig > 0 ? 1 / sig : 0.0, 1 / ours,
                cached > 0 ? 1 / cached : 0.0, pp > 0 ? 100.0 * (pt - pp) / pp : 0.0, pt - pp,
                pb > 0 ? 100.0 * (pt - pb) / pb : 0.0);
  }
  benchmark::Shutdown();
  return 0;
}
