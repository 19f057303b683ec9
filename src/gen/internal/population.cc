#include "gen/internal/population.h"

#include <algorithm>
#include <array>

#include "gen/internal/catalog.h"
#include "gen/internal/identifiers.h"

namespace trailbook::gen::internal {
namespace {

constexpr uint64_t kSaltPopulation = 0x706f70;

// First octets of plausible public allocations by kind; none are private or reserved.
constexpr uint8_t kIspOctets[] = {24, 38, 47, 50, 63, 64, 66, 67, 68, 69, 70, 71, 72, 73, 74,
                                  75, 76, 96, 97, 98, 99, 108, 173, 174, 184, 2, 5, 31, 37,
                                  46, 62, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 90,
                                  92, 93, 94, 95, 109, 176, 178, 188, 212, 213, 217};
constexpr uint8_t kCloudOctets[] = {3, 18, 34, 44, 52, 54};
constexpr uint8_t kAzureOctets[] = {4, 13, 20, 40, 52, 104};
constexpr uint8_t kVpsOctets[] = {5, 45, 89, 91, 103, 146, 162, 185, 193, 194, 195, 198, 209};
constexpr uint16_t kIspV6Prefixes[][2] = {
    {0x2601, 0x0}, {0x2600, 0x1700}, {0x2a01, 0xcb00}, {0x2003, 0xe0}, {0x2a02, 0x8108}};

size_t Scaled(double base, double events, double per) {
  return static_cast<size_t>(base + events / per);
}

std::string Join(std::initializer_list<std::string_view> parts, char sep) {
  std::string out;
  for (std::string_view p : parts) {
    if (!out.empty()) out.push_back(sep);
    out.append(p);
  }
  return out;
}

class Builder {
 public:
  Builder(uint64_t events, uint32_t account_count, uint64_t seed)
      : n_(static_cast<double>(events)),
        account_count_(account_count),
        rng_(DeriveSeed(seed, kSaltPopulation)) {}

  Population Build() {
    BuildIps();
    BuildUserAgents();
    BuildAccounts();
    BuildPeople();
    for (uint32_t a = 0; a < account_count_; ++a) BuildPersonas(a);
    for (Account& account : pop_.accounts) BuildTables(account);
    const auto nat = static_cast<size_t>(IpKind::kAwsNat);
    pop_.ip_popularity[nat] = ZipfTable(pop_.ips_by_kind[nat].size(), 1.0, 1.0);
    return std::move(pop_);
  }

 private:
  // ---- addresses ---------------------------------------------------------------------
  uint32_t AddIp(IpKind kind, std::string text) {
    const auto index = static_cast<uint32_t>(pop_.ips.size());
    pop_.ips.push_back(std::move(text));
    pop_.ips_by_kind[static_cast<size_t>(kind)].push_back(index);
    return index;
  }

  std::string RandomIpv4(std::span<const uint8_t> first_octets) {
    const uint32_t a = rng_.Pick(first_octets);
    const auto rest = static_cast<uint32_t>(rng_.Below(1u << 24));
    std::string s;
    AppendIpv4((a << 24) | rest | (rest % 254 == 0 ? 1u : 0u), &s);
    return s;
  }

  std::string RandomIpv6() {
    const auto& prefix = kIspV6Prefixes[rng_.Index(std::size(kIspV6Prefixes))];
    uint16_t groups[8] = {prefix[0], static_cast<uint16_t>(prefix[1] | rng_.Below(256)),
                          static_cast<uint16_t>(rng_.Below(65536)),
                          static_cast<uint16_t>(rng_.Below(65536)), 0, 0, 0, 0};
    for (int i = 4; i < 8; ++i) groups[i] = static_cast<uint16_t>(rng_.Below(65536));
    if (rng_.Chance(0.3)) groups[4] = groups[5] = 0;
    std::string s;
    AppendIpv6(groups, &s);
    return s;
  }

  void BuildIps() {
    const size_t office = Scaled(4, n_, 1e6), vpn = Scaled(3, n_, 5e5);
    const size_t home = Scaled(60, n_, 1500), ci = Scaled(40, n_, 2500);
    const size_t vendor = Scaled(8, n_, 2e5), attacker = Scaled(30, n_, 2e4);
    for (size_t i = 0; i < office; ++i) AddIp(IpKind::kOffice, RandomIpv4(kIspOctets));
    for (size_t i = 0; i < vpn; ++i) AddIp(IpKind::kVpn, RandomIpv4(kCloudOctets));
    for (size_t i = 0; i < home; ++i) {
      AddIp(IpKind::kHome, rng_.Chance(0.15) ? RandomIpv6() : RandomIpv4(kIspOctets));
    }
    for (size_t i = 0; i < ci; ++i) AddIp(IpKind::kCiRunner, RandomIpv4(kAzureOctets));
    for (size_t i = 0; i < vendor; ++i) AddIp(IpKind::kVendor, RandomIpv4(kCloudOctets));
    for (size_t i = 0; i < attacker; ++i) {
      AddIp(IpKind::kAttacker, rng_.Chance(0.1) ? RandomIpv6() : RandomIpv4(kVpsOctets));
    }
    // NAT gateway addresses are added per account; their table is built in BuildTables.
    for (size_t k = 0; k < static_cast<size_t>(IpKind::kCount); ++k) {
      if (static_cast<IpKind>(k) == IpKind::kAwsNat) continue;
      const double s = static_cast<IpKind>(k) == IpKind::kCiRunner ? 0.5 : 1.0;
      pop_.ip_popularity[k] = ZipfTable(pop_.ips_by_kind[k].size(), s, 1.0);
    }
  }

  // ---- user agents -------------------------------------------------------------------
  std::string V(int64_t lo, int64_t hi) { return std::to_string(rng_.Between(lo, hi)); }

  // Older SDK generations, still common on servers: shorter strings, no per-call suffix.
  std::string MakeLegacyUa(UaFamily family) {
    switch (family) {
      case UaFamily::kCli:
        return "aws-cli/1." + V(27, 33) + "." + V(0, 90) + " Python/3." + V(8, 11) + "." + V(1, 18) +
               " Linux/5.10." + V(200, 228) + "-" + V(180, 220) + ".amzn2.x86_64 botocore/1." +
               V(29, 34) + "." + V(0, 90);
      case UaFamily::kBoto3:
      case UaFamily::kBoto3Lambda:
      {
        std::string s = "Boto3/1." + V(26, 28) + "." + V(0, 90) + " Python/3." + V(8, 9) + "." +
                        V(1, 18) + " Linux/4.14." + V(200, 350) + "-" + V(100, 300) + ".amzn2.x86_64";
        if (family == UaFamily::kBoto3Lambda) s.append(" exec-env/AWS_Lambda_python3.9");
        s.append(" Botocore/1.").append(V(29, 31)).append(".").append(V(0, 90));
        return s;
      }
      case UaFamily::kJava:
        return "aws-sdk-java/1.12." + V(300, 780) + " Linux/5.10." + V(200, 228) +
               "-amzn2.x86_64 OpenJDK_64-Bit_Server_VM/11.0." + V(18, 24) + "+9-LTS java/11.0." +
               V(18, 24) + " vendor/Amazon.com_Inc. cfg/retry-mode/standard";
      case UaFamily::kGo:
        return "aws-sdk-go/1." + V(44, 55) + "." + V(0, 330) + " (go1." + V(19, 22) + "." + V(1, 9) +
               "; linux; amd64)";
      case UaFamily::kJsLambda:
        return "aws-sdk-nodejs/2.1" + V(300, 690) + ".0 linux/v18." + V(12, 20) + "." + V(0, 9) +
               " exec-env/AWS_Lambda_nodejs18.x promise";
      default: return MakeUa(family, nullptr);
    }
  }

  std::string MakeUa(UaFamily family, std::string* api) {
    std::string unused;
    if (api == nullptr) api = &unused;
    switch (family) {
      case UaFamily::kCli: {
        static constexpr std::string_view kOs[] = {
            "os/linux#5.15.0-1051-aws md/arch#x86_64", "os/macos#23.4.0 md/arch#arm64",
            "os/macos#24.1.0 md/arch#arm64", "os/windows#10 md/arch#amd64",
            "os/linux#6.8.0-45-generic md/arch#x86_64"};
        return "aws-cli/2." + V(15, 22) + "." + V(0, 40) + " md/awscrt#0." + V(19, 23) + "." +
               V(0, 9) + " ua/2.0 " + std::string(rng_.Pick(kOs)) + " lang/python#3." +
               V(11, 12) + "." + V(1, 9) +
               " md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off";
      }
      case UaFamily::kBoto3:
      case UaFamily::kBoto3Lambda: {
        const std::string core = "1." + V(34, 35) + "." + V(1, 90);
        std::string s = "Boto3/" + core + " md/Botocore#" + core + " ua/2.0 os/linux#6.1." +
                        V(50, 112) + "-" + V(60, 130) +
                        ".amzn2023.x86_64 md/arch#x86_64 lang/python#3." + V(11, 12) + "." +
                        V(1, 9) + " md/pyimpl#CPython";
        if (family == UaFamily::kBoto3Lambda) s += " exec-env/AWS_Lambda_python3.12";
        return s + " cfg/retry-mode#legacy Botocore/" + core;
      }
      case UaFamily::kJava: {
        const std::string jvm = rng_.Chance(0.6) ? "17.0." + V(8, 12) : "21.0." + V(2, 5);
        return "aws-sdk-java/2." + V(25, 29) + "." + V(1, 60) + " Linux/5.10." + V(200, 228) +
               "-" + V(180, 220) + ".amzn2.x86_64 OpenJDK_64-Bit_Server_VM/" + jvm +
               "+7-LTS Java/" + jvm +
               " vendor/Amazon.com_Inc. md/internal io/sync http/Apache cfg/retry-mode/legacy";
      }
      case UaFamily::kGo:
        *api = "1." + V(100, 190) + "." + V(0, 9);
        return "aws-sdk-go-v2/1." + V(30, 32) + "." + V(0, 9) + " os/linux lang/go#1." +
               V(22, 23) + "." + V(1, 9) + " md/GOOS#linux md/GOARCH#amd64";
      case UaFamily::kJsLambda:
        *api = "3." + V(600, 700) + ".0";
        return "aws-sdk-js/" + *api + " ua/2.1 os/linux#5.10." + V(200, 228) + "-" +
               V(180, 220) + ".amzn2.x86_64 lang/js md/nodejs#20." + V(11, 18) + "." +
               V(0, 3) + " exec-env/AWS_Lambda_nodejs20.x";
      case UaFamily::kTerraform:
        *api = "1." + V(30, 190) + "." + V(0, 9);
        return "APN/1.0 HashiCorp/1.0 Terraform/1." + V(7, 9) + "." + V(0, 8) +
               " (+https://www.terraform.io) terraform-provider-aws/5." + V(40, 80) +
               ".0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1." +
               V(30, 32) + "." + V(0, 9) + " os/linux lang/go#1." + V(22, 23) + "." +
               V(1, 9) + " md/GOOS#linux md/GOARCH#amd64";
      case UaFamily::kSsmAgent:
        return "aws-sdk-go/1." + V(44, 55) + "." + V(0, 300) + " (go1." + V(21, 22) + "." +
               V(1, 9) + "; linux; amd64) amazon-ssm-agent/3.3." + V(40, 1500) + ".0";
      case UaFamily::kBrowser: {
        const std::string chrome = V(120, 131);
        switch (rng_.Below(4)) {
          case 0:
            return "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, "
                   "like Gecko) Chrome/" + chrome + ".0.0.0 Safari/537.36";
          case 1:
            return "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
                   "Gecko) Chrome/" + chrome + ".0.0.0 Safari/537.36 Edg/" + chrome + ".0.0.0";
          case 2: {
            const std::string ff = V(120, 132);
            return "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:" + ff +
                   ".0) Gecko/20100101 Firefox/" + ff + ".0";
          }
          default:
            return "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
                   "(KHTML, like Gecko) Version/17." + V(1, 6) + " Safari/605.1.15";
        }
      }
      case UaFamily::kAttacker: {
        switch (rng_.Below(6)) {
          case 0:
            return "aws-cli/2.13." + V(0, 30) + " Python/3.11.4 Linux/6.5.0-kali3-amd64 "
                   "exe/x86_64.kali.2023 prompt/off";
          case 1: return "TruffleHog";
          case 2:
            return "Boto3/1.28." + V(0, 80) + " Python/3.11.2 Linux/6.1.0-kali7-amd64 Botocore/1.31." +
                   V(0, 80) + " Pacu/1.5." + V(0, 3);
          case 3: return "S3 Browser/11." + V(1, 7) + "." + V(1, 9) + " https://s3browser.com";
          case 4: return "python-requests/2.31.0";
          default:
            return "aws-cli/1.18." + V(60, 200) + " Python/3.8.10 Linux/5.4.0-" + V(40, 170) +
                   "-generic botocore/1.17." + V(10, 60);
        }
      }
      case UaFamily::kScanner: {
        const std::string core = "1.34." + V(1, 90);
        return "Boto3/" + core + " md/Botocore#" + core +
               " ua/2.0 os/linux#5.15.0-1051-aws md/arch#x86_64 lang/python#3.11.8 "
               "md/pyimpl#CPython cfg/retry-mode#legacy Botocore/" + core +
               (rng_.Chance(0.5) ? " prowler/4.3." + V(0, 9) : " Scout Suite/5.14." + V(0, 3));
      }
      case UaFamily::kCount: break;
    }
    return "aws-internal/3";
  }

  void BuildUserAgents() {
    const size_t versions = Scaled(3, n_, 1.5e5);
    for (size_t f = 0; f < static_cast<size_t>(UaFamily::kCount); ++f) {
      const auto family = static_cast<UaFamily>(f);
      size_t count = versions;
      if (family == UaFamily::kAttacker) count = 6 + versions / 2;
      if (family == UaFamily::kBrowser) count = versions * 2;
      const bool has_legacy = family == UaFamily::kCli || family == UaFamily::kBoto3 ||
                              family == UaFamily::kBoto3Lambda || family == UaFamily::kJava ||
                              family == UaFamily::kGo || family == UaFamily::kJsLambda;
      for (size_t i = 0; i < count; ++i) {
        UserAgent ua{family, "", "", false};
        ua.legacy = has_legacy && i % 5 >= 3;  // two in five versions are the older SDK
        ua.text = ua.legacy ? MakeLegacyUa(family) : MakeUa(family, &ua.api_version);
        pop_.uas_by_family[f].push_back(static_cast<uint32_t>(pop_.uas.size()));
        pop_.uas.push_back(std::move(ua));
      }
      pop_.ua_popularity[f] = ZipfTable(count, 1.0, 1.0);
    }
  }

  // ---- accounts and resources --------------------------------------------------------
  std::string AccountId() {
    std::string id(1, static_cast<char>('1' + rng_.Below(9)));
    AppendRandom(rng_, kDigits, 11, &id);
    return id;
  }

  std::string Hex(std::string_view prefix, size_t n) {
    std::string s;
    AppendHexId(rng_, prefix, n, &s);
    return s;
  }
  std::string Alnum(std::string_view alphabet, size_t n) {
    std::string s;
    AppendRandom(rng_, alphabet, n, &s);
    return s;
  }
  std::string_view App() { return rng_.Pick(AppNames()); }

  template <typename MakeFn>
  void Fill(NamePool* pool, size_t count, MakeFn make) {
    for (size_t i = 0; i < count; ++i) pool->items.push_back(make());
    std::sort(pool->items.begin(), pool->items.end());
    pool->items.erase(std::unique(pool->items.begin(), pool->items.end()), pool->items.end());
    // Shuffle so popularity is not alphabetical (Fisher-Yates with our Rng).
    for (size_t i = pool->items.size(); i > 1; --i) {
      std::swap(pool->items[i - 1], pool->items[rng_.Index(i)]);
    }
    pool->popularity = ZipfTable(pool->items.size(), 1.0, 2.0);
  }

  void BuildAccounts() {
    static constexpr double kShares[] = {0.85, 0.12, 0.03};
    static constexpr double kHuman[] = {0.12, 0.60, 0.55};
    const int tz = rng_.Chance(0.6) ? -5 : 1;
    for (uint32_t a = 0; a < account_count_; ++a) {
      Account acct;
      acct.id = AccountId();
      acct.name = std::string(AccountNames()[a % AccountNames().size()]);
      if (a >= AccountNames().size()) acct.name += "-" + std::to_string(a);
      acct.home_region = a < 3 ? "us-east-1" : Regions()[1 + (a - 3) % 8].name;
      acct.share = a < 3 ? kShares[a] : 0.10 / static_cast<double>(a);
      acct.human_fraction = a < 3 ? kHuman[a] : 0.65;
      acct.machine_floor = a == 0 ? 0.55 : 0.004;
      acct.tz_offset_hours = tz;
      acct.trail_name = a == 0 ? "org-trail" : "management-events";
      acct.trail_bucket = "aws-cloudtrail-logs-" + acct.id + "-" + Hex("", 8);
      acct.digests = a == 0 || a == 2;
      acct.digest_phase = static_cast<uint32_t>(rng_.Below(3600));
      const size_t nat = 2 + rng_.Below(2);
      for (size_t i = 0; i < nat; ++i) {
        acct.nat_ips.push_back(AddIp(IpKind::kAwsNat, RandomIpv4(kCloudOctets)));
      }
      pop_.accounts.push_back(std::move(acct));
    }
    double total = 0;
    for (const Account& acct : pop_.accounts) total += acct.share;
    for (Account& acct : pop_.accounts) acct.share /= total;
    for (Account& acct : pop_.accounts) BuildResources(acct);
    pop_.vendor_accounts = {AccountId(), AccountId()};
    pop_.vendor_external_id = Hex("", 32);
  }

  void BuildResources(Account& acct) {
    AccountResources& r = acct.res;
    const double k = n_ * acct.share;
    const std::string env = acct.name;
    static constexpr std::string_view kPurposes[] = {
        "data", "logs", "uploads", "assets", "backups", "artifacts", "reports", "exports",
        "raw", "curated", "static", "configs", "media", "archive"};
    Fill(&r.buckets, Scaled(6, k, 6e4), [&] {
      return Join({kCompany, env, App(), rng_.Pick(kPurposes)}, '-');
    });
    static constexpr std::string_view kPrefixes[] = {
        "uploads/2026/", "reports/daily/", "raw/events/year=2026/", "images/", "exports/",
        "backups/db/", "invoices/", "tmp/", "models/", "logs/app/", "curated/orders/", ""};
    for (std::string_view p : kPrefixes) r.objects_prefixes.items.emplace_back(p);
    r.objects_prefixes.popularity = ZipfTable(r.objects_prefixes.items.size(), 1.0, 1.0);
    Fill(&r.instances, Scaled(6, k, 1.5e4), [&] { return Hex("i-", 17); });
    Fill(&r.volumes, Scaled(6, k, 1.2e4), [&] { return Hex("vol-", 17); });
    Fill(&r.snapshots, Scaled(4, k, 3e4), [&] { return Hex("snap-", 17); });
    Fill(&r.security_groups, Scaled(6, k, 4e4), [&] { return Hex("sg-", 17); });
    Fill(&r.vpcs, 1 + rng_.Below(3), [&] { return Hex("vpc-", 17); });
    Fill(&r.subnets, 6, [&] { return Hex("subnet-", 17); });
    Fill(&r.amis, Scaled(3, k, 1e5), [&] { return Hex("ami-", 17); });
    Fill(&r.key_pairs, 3, [&] { return std::string(App()) + "-" + env + "-key"; });
    static constexpr std::string_view kVerbs[] = {
        "handler", "processor", "api", "worker", "consumer", "sync", "cron", "authorizer",
        "resizer", "notifier", "exporter", "webhook"};
    Fill(&r.functions, Scaled(5, k, 3e4), [&] {
      return Join({App(), rng_.Pick(kVerbs), env}, '-');
    });
    static constexpr std::string_view kEntities[] = {"orders", "sessions", "users", "events",
                                                     "items", "locks", "state", "jobs"};
    Fill(&r.tables, Scaled(4, k, 6e4), [&] {
      return Join({App(), rng_.Pick(kEntities), env}, '-');
    });
    static constexpr std::string_view kQueues[] = {"jobs", "events", "dlq", "tasks", "inbound",
                                                   "outbound"};
    Fill(&r.queues, Scaled(4, k, 6e4), [&] {
      return Join({App(), rng_.Pick(kQueues), env}, '-') + (rng_.Chance(0.2) ? ".fifo" : "");
    });
    Fill(&r.topics, Scaled(3, k, 1e5), [&] {
      return Join({App(), rng_.Chance(0.5) ? "alerts" : "events", env}, '-');
    });
    static constexpr std::string_view kSecrets[] = {"db-credentials", "api-key", "oauth-client",
                                                    "signing-key", "smtp", "webhook-secret"};
    Fill(&r.secrets, Scaled(4, k, 5e4), [&] {
      return env + "/" + std::string(App()) + "/" + std::string(rng_.Pick(kSecrets)) + "-" +
             Alnum(kAlnum, 6);
    });
    static constexpr std::string_view kParams[] = {"config", "db_host", "feature_flags",
                                                   "api_url", "log_level", "cache_ttl"};
    Fill(&r.parameters, Scaled(6, k, 3e4), [&] {
      return "/" + env + "/" + std::string(App()) + "/" + std::string(rng_.Pick(kParams));
    });
    Fill(&r.kms_keys, Scaled(3, k, 1e5), [&] {
      std::string s;
      AppendUuid(rng_, &s);
      return s;
    });
    for (size_t i = 0; i < r.functions.items.size(); ++i) {
      r.log_groups.items.push_back("/aws/lambda/" + r.functions.items[i]);
    }
    Fill(&r.log_groups, 4, [&] { return "/ecs/" + std::string(App()) + "-" + env; });
    Fill(&r.ecs_clusters, Scaled(1, k, 2e5), [&] { return std::string(App()) + "-" + env; });
    Fill(&r.ecs_services, Scaled(3, k, 5e4), [&] { return std::string(App()) + "-service"; });
    Fill(&r.task_families, Scaled(3, k, 5e4), [&] { return std::string(App()) + "-task"; });
    Fill(&r.eks_clusters, 1 + rng_.Below(2), [&] { return "platform-" + env + "-" + V(1, 3); });
    Fill(&r.ecr_repos, Scaled(3, k, 5e4), [&] {
      return rng_.Chance(0.5) ? std::string(App()) : "platform/" + std::string(App());
    });
    Fill(&r.stacks, Scaled(3, k, 5e4), [&] {
      std::string s = std::string(App()) + "-" + env + "/";
      AppendUuid(rng_, &s);
      return s;
    });
    Fill(&r.db_instances, Scaled(2, k, 1.5e5), [&] {
      return std::string(App()) + (rng_.Chance(0.6) ? "-postgres-" : "-mysql-") + env;
    });
    Fill(&r.load_balancers, Scaled(2, k, 1e5), [&] {
      return "app/" + std::string(App()) + "-alb/" + Hex("", 16);
    });
    Fill(&r.target_groups, Scaled(3, k, 6e4), [&] {
      return "targetgroup/" + std::string(App()) + "-tg/" + Hex("", 16);
    });
    Fill(&r.hosted_zones, 2, [&] {
      std::string zone(1, 'Z');
      zone.append(Alnum(kUpperAlnum, 13 + rng_.Below(8))).append("|");
      if (rng_.Chance(0.5)) zone.append("internal.");
      return zone.append(env).append(".example.com.");
    });
    Fill(&r.state_machines, Scaled(1, k, 1.5e5), [&] {
      return std::string(App()) + "-workflow";
    });
    Fill(&r.guardrails, 2, [&] { return Alnum(kLowerAlnum, 12); });
    Fill(&r.file_systems, 2, [&] { return Hex("fs-", 17); });
    Fill(&r.cache_clusters, 2, [&] { return std::string(App()) + "-redis-001"; });
    Fill(&r.rest_apis, 3, [&] { return Alnum(kLowerAlnum, 10); });
    Fill(&r.distributions, 2, [&] { return "E" + Alnum(kUpperAlnum, 13); });
    Fill(&r.policies, Scaled(4, k, 1e5), [&] { return std::string(App()) + "-access-policy"; });
    r.public_bucket = &acct == &pop_.accounts.front() ? r.buckets.items.front() : "";
    r.detector_id = Hex("", 32);
    r.config_recorder = "default";
    r.vpc_endpoint = Hex("vpce-", 17);
    r.org_id = "o-" + Alnum(kLowerAlnum, 10);
    r.identity_store = "d-" + Alnum(kDigits, 10);
    r.eks_oidc_id = Alnum(kUpperHex, 32);
  }

  // ---- people and personas -----------------------------------------------------------
  struct Person {
    std::string first, last, email;
    uint32_t ips[3];
    uint32_t cli_ua, browser_ua;
    double activity;
    bool console, mfa;
  };

  void BuildPeople() {
    const size_t count = Scaled(12, n_, 2.5e4);
    ZipfTable offices(pop_.ips_by_kind[0].size(), 1.0, 0.5);
    for (size_t i = 0; i < count; ++i) {
      Person p;
      p.first = std::string(rng_.Pick(FirstNames()));
      p.last = std::string(rng_.Pick(LastNames()));
      p.email = p.first + "." + p.last + (i >= 40 ? std::to_string(i) : "") + "@" +
                std::string(kEmailDomain);
      p.ips[0] = pop_.ips_by_kind[static_cast<size_t>(IpKind::kOffice)][offices.Sample(rng_)];
      p.ips[1] = pop_.PickIp(rng_, IpKind::kVpn);
      p.ips[2] = pop_.PickIp(rng_, IpKind::kHome);
      p.cli_ua = pop_.PickUa(rng_, UaFamily::kCli);
      p.browser_ua = pop_.PickUa(rng_, UaFamily::kBrowser);
      p.activity = 1.0 / (1.0 + static_cast<double>(rng_.Below(count)));
      p.console = rng_.Chance(0.8);
      p.mfa = rng_.Chance(0.85);
      people_.push_back(std::move(p));
    }
  }

  Persona& NewPersona(PersonaKind kind, uint32_t account, std::string name) {
    Persona p;
    p.kind = kind;
    p.mix = MixClassOf(kind);
    p.index = static_cast<uint32_t>(pop_.personas.size());
    p.account = account;
    p.home_account = account;
    p.name = std::move(name);
    p.session_phase = static_cast<uint32_t>(rng_.Below(86400));
    p.resource_salt = static_cast<uint32_t>(rng_.Next());
    pop_.personas.push_back(std::move(p));
    return pop_.personas.back();
  }

  Persona& NewRole(PersonaKind kind, uint32_t account, std::string name, std::string_view path,
                   uint32_t session_seconds) {
    Persona& p = NewPersona(kind, account, std::move(name));
    AppendAwsId(rng_, "AROA", 17, &p.unique_id);
    p.arn = "arn:aws:iam::" + pop_.accounts[account].id + ":role/" + std::string(path) + p.name;
    p.session_seconds = session_seconds;
    return p;
  }

  Persona& NewUser(PersonaKind kind, uint32_t account, std::string name, bool key) {
    Persona& p = NewPersona(kind, account, std::move(name));
    AppendAwsId(rng_, "AIDA", 17, &p.unique_id);
    p.arn = "arn:aws:iam::" + pop_.accounts[account].id + ":user/" + p.name;
    if (key) AppendAwsId(rng_, "AKIA", 16, &p.access_key);
    p.session_seconds = 43200;
    return p;
  }

  void Favour(Persona& p, std::span<const Service> services) {
    for (uint8_t& s : p.services) s = static_cast<uint8_t>(rng_.Pick(services));
  }

  void SetPersonIdentity(Persona& p, const Person& person, uint32_t account) {
    p.email = person.email;
    std::copy(std::begin(person.ips), std::end(person.ips), p.ips);
    p.ip_count = 3;
    p.ua = person.cli_ua;
    p.browser_ua = person.browser_ua;
    p.console = person.console;
    p.mfa = person.mfa;
    if (p.mfa) p.mfa_arn = "arn:aws:iam::" + pop_.accounts[account].id + ":mfa/" + person.first;
    p.activity = person.activity;
    static constexpr Service kHumanServices[] = {
        Service::kEc2, Service::kS3, Service::kLambda, Service::kLogs, Service::kCloudFormation,
        Service::kRds, Service::kEcs, Service::kDynamoDb, Service::kIam, Service::kMonitoring,
        Service::kCloudTrail, Service::kSecretsManager, Service::kEks, Service::kBedrock};
    Favour(p, kHumanServices);
  }

  void UseMachineIps(Persona& p, const Account& acct) {
    p.ip_count = static_cast<uint8_t>(std::min<size_t>(3, acct.nat_ips.size()));
    for (uint8_t i = 0; i < p.ip_count; ++i) p.ips[i] = acct.nat_ips[i];
  }

  void BuildPersonas(uint32_t a) {
    Account& acct = pop_.accounts[a];
    const double k = n_ * acct.share;
    // People via Identity Center, in the permission sets their account grants.
    static constexpr std::string_view kSets[] = {"ReadOnlyAccess", "PowerUserAccess",
                                                 "AdministratorAccess", "DataScientist"};
    std::array<std::string, 4> set_suffix;
    for (std::string& s : set_suffix) s = Hex("", 16);
    const double join = a == 0 ? 0.7 : a == 2 ? 0.3 : 0.8;
    for (const Person& person : people_) {
      if (!rng_.Chance(join)) continue;
      const size_t set = a == 1 ? 1 + rng_.Below(2) : rng_.Below(std::size(kSets));
      Persona& p = NewRole(PersonaKind::kSsoUser, a,
                           "AWSReservedSSO_" + std::string(kSets[set]) + "_" + set_suffix[set],
                           "aws-reserved/sso.amazonaws.com/", 28800);
      SetPersonIdentity(p, person, a);
      p.session_base = person.email;
    }
    // Legacy IAM users for people, and a few SAML/federated people outside prod.
    const size_t iam_humans = Scaled(1, k, 2e5);
    for (size_t i = 0; i < iam_humans; ++i) {
      const Person& person = people_[rng_.Index(people_.size())];
      Persona& p = NewUser(PersonaKind::kIamHuman, a, person.first + "." + person.last,
                           rng_.Chance(0.5));
      SetPersonIdentity(p, person, a);
      p.mfa_arn = p.mfa ? "arn:aws:iam::" + acct.id + ":mfa/" + p.name : "";
    }
    {
      const Person& person = people_[rng_.Index(people_.size())];
      Persona& p = NewRole(PersonaKind::kSamlUser, a, a == 0 ? "ADFS-Operators" : "ADFS-Developers",
                           "", 3600);
      SetPersonIdentity(p, person, a);
      p.session_base = person.email;
    }
    Persona& root = NewPersona(PersonaKind::kRoot, a, "root");
    root.unique_id = acct.id;
    root.arn = "arn:aws:iam::" + acct.id + ":root";
    SetPersonIdentity(root, people_[0], a);
    root.mfa = rng_.Chance(0.7);
    root.mfa_arn = "arn:aws:iam::" + acct.id + ":mfa/root-account-mfa-device";
    root.activity = 0.01;
    root.session_seconds = 3600;
    // Deploy pipelines.
    for (std::string_view name : {"github-actions-deploy", "terraform-apply"}) {
      Persona& p = NewRole(PersonaKind::kCiRole, a, std::string(name), "", 3600);
      p.ua = pop_.PickUa(rng_, name[0] == 't' ? UaFamily::kTerraform : UaFamily::kCli);
      p.session_base = name[0] == 't' ? "terraform" : "GitHubActions";
      p.activity = 0.5;
    }
    BuildMachinePersonas(a, k);
  }

  void BuildMachinePersonas(uint32_t a, double k) {
    Account& acct = pop_.accounts[a];
    static constexpr std::string_view kAutomation[] = {
        "svc-", "jenkins-", "backup-agent-", "legacy-uploader-", "etl-", "reporting-"};
    const size_t automation = Scaled(2, k, 1.5e5);
    for (size_t i = 0; i < automation; ++i) {
      Persona& p = NewUser(PersonaKind::kIamAutomation, a,
                           std::string(rng_.Pick(kAutomation)) + std::string(App()), true);
      static constexpr UaFamily kFamilies[] = {UaFamily::kCli, UaFamily::kBoto3,
                                               UaFamily::kJava, UaFamily::kGo,
                                               UaFamily::kTerraform, UaFamily::kBoto3};
      p.ua = pop_.PickUa(rng_, rng_.Pick(kFamilies));
      p.ips[0] = rng_.Chance(0.5) ? acct.nat_ips[0] : pop_.PickIp(rng_, IpKind::kOffice);
      p.ip_count = 1;
      p.activity = 1.0 / static_cast<double>(i + 1);
      static constexpr Service kSvc[] = {Service::kS3, Service::kEc2, Service::kSqs,
                                         Service::kDynamoDb, Service::kMonitoring};
      Favour(p, kSvc);
    }
    if (a == 0) {
      Persona& broker = NewUser(PersonaKind::kIamAutomation, a, "federation-broker", true);
      broker.ua = pop_.PickUa(rng_, UaFamily::kJava);
      broker.ips[0] = acct.nat_ips[0];
      broker.ip_count = 1;
      broker.activity = 0.2;
      // NewPersona may reallocate personas: copy what the federated users need first.
      const std::string broker_name = broker.name;
      const uint32_t broker_ua = broker.ua;
      const size_t federated = Scaled(1, k, 1e6);
      for (size_t i = 0; i < federated; ++i) {
        Persona& p = NewPersona(PersonaKind::kFederatedUser, a, "partner-portal-" + V(1, 99));
        p.unique_id = acct.id + ":" + p.name;
        p.arn = "arn:aws:sts::" + acct.id + ":federated-user/" + p.name;
        p.session_base = broker_name;  // the issuing IAM user
        p.ua = broker_ua;
        p.ips[0] = pop_.PickIp(rng_, IpKind::kHome);
        p.ip_count = 1;
        p.session_seconds = 3600;
        p.activity = 0.3;
      }
    }
    static constexpr Service kWorkloadServices[] = {
        Service::kS3, Service::kDynamoDb, Service::kSqs, Service::kSns,
        Service::kSecretsManager, Service::kSsm, Service::kKms, Service::kBedrock,
        Service::kStates, Service::kEvents, Service::kLambda, Service::kS3};
    auto workload = [&](PersonaKind kind, size_t count, std::string_view suffix,
                        uint32_t session, std::initializer_list<UaFamily> families) {
      for (size_t i = 0; i < count; ++i) {
        std::string base = kind == PersonaKind::kLambda
                               ? acct.res.functions.items[i % acct.res.functions.items.size()]
                               : std::string(App()) + "-" + acct.name;
        Persona& p = NewRole(kind, a, base + std::string(suffix), "", session);
        if (kind == PersonaKind::kLambda) p.session_base = base;
        p.ua = pop_.PickUa(rng_, rng_.Pick(std::span<const UaFamily>(families)));
        UseMachineIps(p, acct);
        p.vpc_endpoint = rng_.Chance(0.35);
        p.activity = 1.0 / static_cast<double>(i + 1) + 0.05;
        Favour(p, kWorkloadServices);
      }
    };
    workload(PersonaKind::kLambda, Scaled(3, k, 4e4), "-role", 7200,
             {UaFamily::kBoto3Lambda, UaFamily::kJsLambda});
    workload(PersonaKind::kEc2, Scaled(2, k, 8e4), "-instance-role", 21600,
             {UaFamily::kJava, UaFamily::kBoto3, UaFamily::kGo, UaFamily::kCli});
    workload(PersonaKind::kEcsTask, Scaled(2, k, 8e4), "-task-role", 21600,
             {UaFamily::kJava, UaFamily::kGo, UaFamily::kBoto3});
    workload(PersonaKind::kEksPod, Scaled(1, k, 2e5), "-irsa", 3600,
             {UaFamily::kGo, UaFamily::kBoto3});
    if (a != 2 || account_count_ < 3) {
      for (uint32_t v = 0; v < 2; ++v) {
        Persona& p = NewRole(PersonaKind::kVendorRole, a,
                             v == 0 ? "observability-vendor-integration" : "cspm-vendor-readonly",
                             "", 3600);
        p.ua = pop_.PickUa(rng_, v == 0 ? UaFamily::kGo : UaFamily::kJava);
        p.ips[0] = pop_.PickIp(rng_, IpKind::kVendor);
        p.ips[1] = pop_.PickIp(rng_, IpKind::kVendor);
        p.ip_count = 2;
        p.vendor = static_cast<int8_t>(v);
        p.activity = v == 0 ? 1.0 : 0.3;
      }
    }
    Persona& scanner = NewRole(PersonaKind::kScannerRole, a, "SecurityAuditRole", "", 3600);
    scanner.ua = pop_.PickUa(rng_, UaFamily::kScanner);
    scanner.home_account = account_count_ >= 3 ? 2 : a;
    scanner.ips[0] = pop_.accounts[scanner.home_account].nat_ips[0];
    scanner.ip_count = 1;
    scanner.activity = 0.4;
    Persona& config = NewRole(PersonaKind::kConfigRole, a, "AWSServiceRoleForConfig",
                              "aws-service-role/config.amazonaws.com/", 3600);
    config.session_base = "AWSConfig-Describe";
    config.activity = 0.6;
    Persona& service = NewPersona(PersonaKind::kAwsService, a, "aws-service");
    service.activity = 1.0;
    if (!acct.res.public_bucket.empty()) {
      Persona& anon = NewPersona(PersonaKind::kAnonymous, a, "anonymous");
      anon.activity = 1.0;
    }
  }

  // ---- activity tables ---------------------------------------------------------------
  void BuildTables(Account& acct) {
    // Class shares of an account's human and machine event volume.
    static constexpr double kClassShare[] = {
        /*kHuman*/ 0.86, /*kAutomation*/ 0.12, /*kWorkload*/ 0.25, /*kCi*/ 0.12,
        /*kScanner*/ 0.16, /*kService*/ 0.55, /*kRoot*/ 0.004, /*kAnonymous*/ 0.02};
    double class_activity[static_cast<size_t>(MixClass::kCount)] = {};
    const uint32_t a = static_cast<uint32_t>(&acct - pop_.accounts.data());
    for (const Persona& p : pop_.personas) {
      if (p.account == a) class_activity[static_cast<size_t>(p.mix)] += p.activity;
    }
    std::vector<double> human_w, machine_w;
    for (const Persona& p : pop_.personas) {
      if (p.account != a) continue;
      acct.by_kind[static_cast<size_t>(p.kind)].push_back(p.index);
      if (p.unique_id.starts_with("AROA")) {
        acct.res.role_names.items.push_back(p.arn.substr(p.arn.find(":role/") + 6));
      } else if (p.unique_id.starts_with("AIDA")) {
        acct.res.user_names.items.push_back(p.name);
      }
      const auto c = static_cast<size_t>(p.mix);
      const double w = kClassShare[c] * p.activity / class_activity[c];
      if (IsHumanKind(p.kind) || p.kind == PersonaKind::kCiRole) {
        acct.human_personas.push_back(p.index);
        human_w.push_back(w);
      } else {
        acct.machine_personas.push_back(p.index);
        machine_w.push_back(w);
      }
    }
    acct.human_table.Assign(human_w);
    acct.machine_table.Assign(machine_w);
    for (const char* extra : {"cfn-exec-role", "OrganizationAccountAccessRole",
                              "AWSBackupDefaultServiceRole", "data-platform-reader"}) {
      acct.res.role_names.items.emplace_back(extra);
    }
    acct.res.role_names.popularity = ZipfTable(acct.res.role_names.items.size(), 1.0, 2.0);
    acct.res.user_names.items.emplace_back("ci-bot");
    acct.res.user_names.popularity = ZipfTable(acct.res.user_names.items.size(), 1.0, 2.0);
  }

  double n_;
  uint32_t account_count_;
  Rng rng_;
  Population pop_;
  std::vector<Person> people_;
};

}  // namespace

MixClass MixClassOf(PersonaKind kind) {
  switch (kind) {
    case PersonaKind::kSsoUser:
    case PersonaKind::kIamHuman:
    case PersonaKind::kSamlUser:
    case PersonaKind::kFederatedUser: return MixClass::kHuman;
    case PersonaKind::kRoot: return MixClass::kRoot;
    case PersonaKind::kIamAutomation: return MixClass::kAutomation;
    case PersonaKind::kLambda:
    case PersonaKind::kEc2:
    case PersonaKind::kEcsTask:
    case PersonaKind::kEksPod: return MixClass::kWorkload;
    case PersonaKind::kCiRole: return MixClass::kCi;
    case PersonaKind::kVendorRole:
    case PersonaKind::kScannerRole:
    case PersonaKind::kConfigRole: return MixClass::kScanner;
    case PersonaKind::kAwsService: return MixClass::kService;
    case PersonaKind::kAnonymous:
    case PersonaKind::kCount: break;
  }
  return MixClass::kAnonymous;
}

bool IsHumanKind(PersonaKind kind) {
  return kind == PersonaKind::kSsoUser || kind == PersonaKind::kIamHuman ||
         kind == PersonaKind::kSamlUser || kind == PersonaKind::kFederatedUser ||
         kind == PersonaKind::kRoot;
}

const std::string& NamePool::PickOwned(Rng& rng, uint32_t salt) const {
  if (items.size() > 2 && rng.Chance(0.8)) {
    return items[(salt + rng.Below(2)) % items.size()];
  }
  return Pick(rng);
}

uint32_t Population::PickIp(Rng& rng, IpKind kind) const {
  const auto k = static_cast<size_t>(kind);
  return ips_by_kind[k][ip_popularity[k].Sample(rng)];
}

uint32_t Population::PickUa(Rng& rng, UaFamily family) const {
  const auto f = static_cast<size_t>(family);
  return uas_by_family[f][ua_popularity[f].Sample(rng)];
}

Population BuildPopulation(uint64_t events, uint32_t accounts, uint64_t seed) {
  return Builder(events, accounts, seed).Build();
}

}  // namespace trailbook::gen::internal
