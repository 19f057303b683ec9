#include "gen/internal/plan.h"

#include <algorithm>
#include <cmath>

#include "base/timestamp.h"
#include "gen/internal/actions.h"
#include "gen/internal/catalog.h"
#include "gen/internal/identifiers.h"
#include "gen/internal/timeline.h"

namespace trailbook::gen::internal {
namespace {

constexpr uint64_t kSaltPlan = 0x706c616e;
constexpr int64_t kMinute = 60 * kMicrosPerSecond;

struct Rate {
  ScenarioKind kind;
  double per_million;  // instances per million events
};

// Security scenarios: rare, but every kind appears at least once in data sets >= 2000 events.
constexpr Rate kSecurityRates[] = {
    {ScenarioKind::kConsoleBruteForce, 25}, {ScenarioKind::kAccessDeniedBurst, 40},
    {ScenarioKind::kOpenSecurityGroup, 60}, {ScenarioKind::kIamPersistence, 20},
    {ScenarioKind::kTrailTampering, 6},     {ScenarioKind::kDetectionDisable, 6},
    {ScenarioKind::kKeyManyIps, 12},        {ScenarioKind::kRootActivity, 15},
    {ScenarioKind::kS3Exfiltration, 5},     {ScenarioKind::kRegionRecon, 8},
};

// Background bursts: share of all events and mean size before scaling.
struct Burst {
  ScenarioKind kind;
  double share;
  double mean_size;
};
constexpr Burst kBursts[] = {
    {ScenarioKind::kDeploy, 0.04, 160},
    {ScenarioKind::kConsoleSession, 0.03, 60},
    {ScenarioKind::kBatchJob, 0.025, 1500},
    {ScenarioKind::kScannerSweep, 0.03, 140},
};

class Planner {
 public:
  Planner(uint64_t events, const Population& pop, TimeSpan span, uint64_t seed,
          const ActionSampler& sample)
      : n_(events),
        pop_(pop),
        span_(span),
        rng_(DeriveSeed(seed, kSaltPlan)),
        sample_(sample),
        budget_(events / 3),
        scale_(std::min(1.0, static_cast<double>(events) / 200'000.0)) {}

  Plan Build() {
    for (const Rate& rate : kSecurityRates) {
      double count = static_cast<double>(n_) * rate.per_million / 1e6;
      uint64_t k = static_cast<uint64_t>(count + 0.5);
      if (n_ >= 2000 && k == 0) k = 1;
      for (uint64_t i = 0; i < k; ++i) Security(rate.kind);
    }
    for (const Burst& burst : kBursts) {
      const double size = std::max(6.0, burst.mean_size * scale_);
      const auto k = static_cast<uint64_t>(static_cast<double>(n_) * burst.share / size + 0.5);
      for (uint64_t i = 0; i < k; ++i) Background(burst.kind, size);
    }
    std::stable_sort(plan_.events.begin(), plan_.events.end(),
                     [](const PlannedEvent& a, const PlannedEvent& b) {
                       return a.time_micros < b.time_micros;
                     });
    return std::move(plan_);
  }

 private:
  // ---- helpers ----------------------------------------------------------------------
  int64_t Scaled(int64_t lo, int64_t hi, int64_t min) {
    const auto l = std::max<int64_t>(min, static_cast<int64_t>(static_cast<double>(lo) * scale_));
    const auto h = std::max<int64_t>(l, static_cast<int64_t>(static_cast<double>(hi) * scale_));
    return rng_.Between(l, h);
  }

  uint32_t PickAccount() {
    std::vector<double> w;
    for (const Account& a : pop_.accounts) w.push_back(a.share);
    return static_cast<uint32_t>(WeightedTable(w).Sample(rng_));
  }

  // A start time for an activity of `duration`; office hours of `account` when `office`.
  int64_t Start(int64_t duration, bool office, uint32_t account) {
    const int64_t latest = std::max(span_.start_micros, span_.end_micros - duration - kMinute);
    for (int attempt = 0; attempt < 64; ++attempt) {
      const int64_t t = span_.start_micros + static_cast<int64_t>(rng_.Below(
                                                 static_cast<uint64_t>(latest - span_.start_micros) + 1));
      if (!office || rng_.Chance(HumanActivity(pop_.accounts[account], t))) return t;
    }
    return span_.start_micros + (latest - span_.start_micros) / 2;
  }

  const Persona* PersonaOf(uint32_t account, std::initializer_list<PersonaKind> kinds) {
    std::vector<uint32_t> ids;
    for (PersonaKind k : kinds) {
      const auto& v = pop_.accounts[account].by_kind[static_cast<size_t>(k)];
      ids.insert(ids.end(), v.begin(), v.end());
    }
    if (ids.empty()) return nullptr;
    return &pop_.personas[ids[rng_.Index(ids.size())]];
  }

  uint16_t HomeRegion(uint32_t account) {
    const auto regions = Regions();
    for (size_t i = 0; i < regions.size(); ++i) {
      if (regions[i].name == pop_.accounts[account].home_region) return static_cast<uint16_t>(i);
    }
    return 0;
  }

  uint16_t OtherRegion(uint16_t home) {
    const auto regions = Regions();
    std::vector<double> w;
    for (size_t i = 0; i < regions.size(); ++i) w.push_back(i == home ? 0 : regions[i].weight);
    return static_cast<uint16_t>(WeightedTable(w).Sample(rng_));
  }

  uint32_t NewScenario(ScenarioKind kind, uint32_t account, uint32_t persona) {
    Scenario s;
    s.kind = kind;
    s.account = account;
    s.persona = persona;
    s.variant = static_cast<uint8_t>(rng_.Below(6));
    plan_.scenarios.push_back(std::move(s));
    ++plan_.scenario_counts[static_cast<size_t>(kind)];
    return static_cast<uint32_t>(plan_.scenarios.size() - 1);
  }

  Scenario& Current() { return plan_.scenarios.back(); }

  void Add(int64_t t, Service service, std::string_view name, uint32_t persona, uint16_t region,
           ErrorClass error, uint8_t step = 0, uint32_t ip = kNoOverride) {
    Add(t, FindAction(service, name), persona, region, error, step, ip);
  }

  void Add(int64_t t, uint16_t action, uint32_t persona, uint16_t region, ErrorClass error,
           uint8_t step = 0, uint32_t ip = kNoOverride) {
    if (budget_ == 0) return;
    --budget_;
    PlannedEvent e;
    e.time_micros = std::clamp(t, span_.start_micros, span_.end_micros - kMicrosPerSecond);
    e.time_micros -= e.time_micros % kMicrosPerSecond;
    e.scenario = static_cast<uint32_t>(plan_.scenarios.size() - 1);
    e.persona = persona;
    e.ip = ip;
    e.action = action;
    e.region = region;
    e.error = error;
    e.step = step;
    plan_.events.push_back(e);
  }

  // Seconds between consecutive steps of a scripted sequence.
  int64_t Gap(int64_t lo, int64_t hi) { return rng_.Between(lo, hi) * kMicrosPerSecond; }

  ErrorClass Maybe(double p_fail, ErrorClass error) {
    return rng_.Chance(p_fail) ? error : ErrorClass::kNone;
  }

  // ---- security scenarios ------------------------------------------------------------
  void Security(ScenarioKind kind) {
    if (budget_ == 0) return;
    const uint32_t a = PickAccount();
    const uint16_t home = HomeRegion(a);
    const uint32_t attacker_ip = pop_.PickIp(rng_, IpKind::kAttacker);
    const uint32_t attacker_ua = pop_.PickUa(rng_, UaFamily::kAttacker);
    switch (kind) {
      case ScenarioKind::kConsoleBruteForce: {
        const Persona* victim = PersonaOf(a, {PersonaKind::kIamHuman});
        if (victim == nullptr) return;
        NewScenario(kind, a, victim->index);
        Current().ip = attacker_ip;
        Current().ua = pop_.PickUa(rng_, UaFamily::kBrowser);
        const int64_t failures = Scaled(5, 40, 3);
        int64_t t = Start(40 * kMinute, false, a);
        for (int64_t i = 0; i < failures; ++i) {
          Add(t, Service::kSignin, "ConsoleLogin", victim->index, 0, ErrorClass::kFailedAuth,
              static_cast<uint8_t>(i % 250), attacker_ip);
          t += Gap(3, 45);
        }
        if (rng_.Chance(0.4)) {
          Add(t, Service::kSignin, "ConsoleLogin", victim->index, 0, ErrorClass::kNone, 250, attacker_ip);
          static constexpr std::pair<Service, std::string_view> kAfter[] = {
              {Service::kS3, "ListBuckets"}, {Service::kEc2, "DescribeInstances"},
              {Service::kIam, "ListUsers"}, {Service::kIam, "CreateAccessKey"},
              {Service::kSecretsManager, "ListSecrets"}, {Service::kIam, "ListRoles"}};
          for (int64_t i = 0, n = rng_.Between(3, 10); i < n; ++i) {
            t += Gap(5, 90);
            const auto& [svc, name] = kAfter[rng_.Index(std::size(kAfter))];
            Add(t, svc, name, victim->index, home, ErrorClass::kAuto, 251, attacker_ip);
          }
        }
        return;
      }
      case ScenarioKind::kAccessDeniedBurst: {
        const bool leaked = rng_.Chance(0.5);
        const Persona* actor = leaked ? PersonaOf(a, {PersonaKind::kIamAutomation, PersonaKind::kIamHuman})
                                      : PersonaOf(a, {PersonaKind::kLambda, PersonaKind::kEcsTask, PersonaKind::kEc2});
        if (actor == nullptr) return;
        NewScenario(kind, a, actor->index);
        int64_t t = Start(15 * kMinute, false, a);
        if (leaked) {
          Current().ip = attacker_ip;
          Current().ua = attacker_ua;
          Add(t, Service::kSts, "GetCallerIdentity", actor->index, home, ErrorClass::kNone, 0, attacker_ip);
          static constexpr std::pair<Service, std::string_view> kEnum[] = {
              {Service::kIam, "ListUsers"}, {Service::kIam, "ListRoles"},
              {Service::kIam, "GetAccountAuthorizationDetails"}, {Service::kS3, "ListBuckets"},
              {Service::kEc2, "DescribeInstances"}, {Service::kEc2, "DescribeRegions"},
              {Service::kEc2, "DescribeSecurityGroups"}, {Service::kLambda, "ListFunctions20150331"},
              {Service::kRds, "DescribeDBInstances"}, {Service::kSecretsManager, "ListSecrets"},
              {Service::kSsm, "DescribeParameters"}, {Service::kDynamoDb, "ListTables"},
              {Service::kKms, "ListKeys"}, {Service::kCloudTrail, "DescribeTrails"},
              {Service::kGuardDuty, "ListDetectors"}, {Service::kOrganizations, "DescribeOrganization"},
              {Service::kSns, "ListTopics"}, {Service::kSqs, "ListQueues"},
              {Service::kEcr, "DescribeRepositories"}, {Service::kEks, "ListClusters"},
              {Service::kEcs, "ListClusters"}, {Service::kLogs, "DescribeLogGroups"},
              {Service::kCloudFormation, "ListStacks"}, {Service::kIam, "ListAccessKeys"},
              {Service::kRoute53, "ListHostedZones"}, {Service::kBedrock, "ListFoundationModels"},
              {Service::kSes, "ListIdentities"}, {Service::kElb, "DescribeLoadBalancers"},
              {Service::kIam, "GetUser"}, {Service::kEc2, "DescribeSnapshots"}};
          for (int64_t i = 0, n = Scaled(20, 300, 12); i < n; ++i) {
            t += Gap(0, 4);
            const auto& [svc, name] = kEnum[rng_.Index(std::size(kEnum))];
            Add(t, svc, name, actor->index, home, Maybe(0.92, ErrorClass::kAccessDenied),
                static_cast<uint8_t>(1 + i % 200), attacker_ip);
          }
          if (rng_.Chance(0.3)) {
            Add(t + Gap(5, 30), Service::kEc2, "RunInstances", actor->index, home, ErrorClass::kDryRun, 201, attacker_ip);
          }
        } else {
          const uint16_t action = sample_(actor->index, rng_);
          for (int64_t i = 0, n = Scaled(20, 200, 10); i < n; ++i) {
            t += Gap(1, 20);
            Add(t, action, actor->index, home, ErrorClass::kAccessDenied, 0);
          }
        }
        return;
      }
      case ScenarioKind::kOpenSecurityGroup: {
        const Persona* actor = PersonaOf(a, {PersonaKind::kSsoUser, PersonaKind::kIamHuman, PersonaKind::kCiRole});
        if (actor == nullptr) return;
        NewScenario(kind, a, actor->index);
        int64_t t = Start(3 * 60 * kMinute, true, a);
        const double p = rng_.Unit();
        const ErrorClass outcome = p < 0.2 ? ErrorClass::kAccessDenied
                                   : p < 0.3 ? ErrorClass::kAlreadyExists
                                             : ErrorClass::kNone;
        Add(t, Service::kEc2, "DescribeSecurityGroups", actor->index, home, ErrorClass::kNone);
        Add(t + Gap(10, 120), Service::kEc2, "AuthorizeSecurityGroupIngress", actor->index, home, outcome, 1);
        if (outcome == ErrorClass::kNone && rng_.Chance(0.4)) {
          Add(t + Gap(300, 7200), Service::kEc2, "RevokeSecurityGroupIngress", actor->index, home, ErrorClass::kNone, 2);
        }
        return;
      }
      case ScenarioKind::kIamPersistence: {
        const bool insider = rng_.Chance(0.3);
        const Persona* actor = insider ? PersonaOf(a, {PersonaKind::kSsoUser})
                                       : PersonaOf(a, {PersonaKind::kIamAutomation, PersonaKind::kIamHuman});
        if (actor == nullptr) return;
        NewScenario(kind, a, actor->index);
        static constexpr std::string_view kNames[] = {"backup-svc", "support-admin", "aws-health-monitor",
                                                      "ci-deployer2", "svc-maintenance", "devops-tmp"};
        Current().name = std::string(rng_.Pick(kNames)) + "-" + std::to_string(rng_.Between(1, 99));
        AppendAwsId(rng_, "AKIA", 16, &Current().key);
        const uint32_t ip = insider ? kNoOverride : attacker_ip;
        if (!insider) {
          Current().ip = attacker_ip;
          Current().ua = attacker_ua;
        }
        int64_t t = Start(60 * kMinute, insider, a);
        static constexpr std::string_view kSteps[] = {
            "CreateUser", "CreateAccessKey", "AttachUserPolicy", "PutUserPolicy",
            "CreateLoginProfile", "UpdateAssumeRolePolicy", "DeleteRolePolicy"};
        for (size_t i = 0; i < std::size(kSteps); ++i) {
          if (i >= 5 && rng_.Chance(0.3)) continue;
          const ErrorClass e = i == 2 ? Maybe(0.15, ErrorClass::kAccessDenied) : ErrorClass::kNone;
          Add(t, Service::kIam, kSteps[i], actor->index, 0, e, static_cast<uint8_t>(i), ip);
          t += Gap(5, 120);
        }
        // The new user's key in use.
        Persona user;
        user.kind = PersonaKind::kIamAutomation;
        user.mix = MixClass::kAutomation;
        user.index = static_cast<uint32_t>(pop_.personas.size() + plan_.extras.size());
        user.account = a;
        user.home_account = a;
        user.name = Current().name;
        AppendAwsId(rng_, "AIDA", 17, &user.unique_id);
        user.arn = "arn:aws:iam::" + pop_.accounts[a].id + ":user/" + user.name;
        user.access_key = Current().key;
        user.ua = attacker_ua;
        user.ips[0] = attacker_ip;
        user.ip_count = 1;
        plan_.extras.push_back(user);
        t += Gap(600, 7200);
        static constexpr std::pair<Service, std::string_view> kUse[] = {
            {Service::kSts, "GetCallerIdentity"}, {Service::kS3, "ListBuckets"},
            {Service::kIam, "ListUsers"}, {Service::kEc2, "DescribeInstances"},
            {Service::kSecretsManager, "ListSecrets"}, {Service::kSecretsManager, "GetSecretValue"}};
        for (const auto& [svc, name] : kUse) {
          Add(t, svc, name, user.index, home, ErrorClass::kNone, 10, attacker_ip);
          t += Gap(2, 60);
        }
        return;
      }
      case ScenarioKind::kTrailTampering:
      case ScenarioKind::kDetectionDisable: {
        const Persona* actor = PersonaOf(a, {PersonaKind::kSsoUser, PersonaKind::kIamHuman, PersonaKind::kIamAutomation});
        if (actor == nullptr) return;
        NewScenario(kind, a, actor->index);
        const bool outside = rng_.Chance(0.6);
        const uint32_t ip = outside ? attacker_ip : kNoOverride;
        if (outside) Current().ip = attacker_ip;
        int64_t t = Start(2 * 60 * kMinute, false, a);
        if (kind == ScenarioKind::kTrailTampering) {
          Add(t, Service::kCloudTrail, "DescribeTrails", actor->index, 0, ErrorClass::kNone, 0, ip);
          t += Gap(5, 60);
          Add(t, Service::kCloudTrail, "GetTrailStatus", actor->index, 0, ErrorClass::kNone, 0, ip);
          t += Gap(5, 60);
          static constexpr std::string_view kTamper[] = {"StopLogging", "DeleteTrail", "UpdateTrail",
                                                         "PutEventSelectors", "StopLogging"};
          const std::string_view what = kTamper[Current().variant % std::size(kTamper)];
          const ErrorClass e = Maybe(0.2, ErrorClass::kAccessDenied);
          Add(t, Service::kCloudTrail, what, actor->index, 0, e, 1, ip);
          if (e == ErrorClass::kNone && what == "StopLogging" && rng_.Chance(0.5)) {
            Add(t + Gap(300, 3600), Service::kCloudTrail, "StartLogging", actor->index, 0, ErrorClass::kNone, 2, ip);
          }
        } else {
          const uint8_t v = Current().variant;
          Add(t, Service::kGuardDuty, "ListDetectors", actor->index, home, ErrorClass::kNone, 0, ip);
          t += Gap(5, 60);
          static constexpr std::string_view kGuardDuty[] = {"UpdateDetector", "DeleteDetector", "DisassociateFromMasterAccount"};
          Add(t, Service::kGuardDuty, kGuardDuty[v % 3], actor->index, home,
              Maybe(0.15, ErrorClass::kAccessDenied), 1, ip);
          t += Gap(5, 120);
          if (v % 2 == 0) {
            Add(t, Service::kConfig, "DescribeConfigurationRecorders", actor->index, home, ErrorClass::kNone, 0, ip);
            t += Gap(5, 60);
            Add(t, Service::kConfig, "StopConfigurationRecorder", actor->index, home, ErrorClass::kNone, 2, ip);
            if (rng_.Chance(0.5)) {
              Add(t + Gap(5, 60), Service::kConfig, "DeleteDeliveryChannel", actor->index, home, ErrorClass::kNone, 3, ip);
            }
          }
          if (v >= 3) Add(t + Gap(30, 300), Service::kSecurityHub, "DisableSecurityHub", actor->index, home, ErrorClass::kNone, 4, ip);
          if (v == 5) Add(t + Gap(30, 300), Service::kEc2, "DeleteFlowLogs", actor->index, home, ErrorClass::kNone, 5, ip);
          if (v == 1) {
            Add(t + Gap(30, 300), Service::kBedrock, "DeleteModelInvocationLoggingConfiguration", actor->index, home, ErrorClass::kNone, 6, ip);
          }
        }
        return;
      }
      case ScenarioKind::kKeyManyIps: {
        const Persona* actor = PersonaOf(a, {PersonaKind::kIamAutomation});
        if (actor == nullptr) return;
        NewScenario(kind, a, actor->index);
        const int64_t start = Start(6 * 60 * kMinute, false, a);
        static constexpr std::pair<Service, std::string_view> kCalls[] = {
            {Service::kS3, "ListBuckets"}, {Service::kS3, "ListObjects"}, {Service::kS3, "GetObject"},
            {Service::kEc2, "DescribeInstances"}, {Service::kSts, "GetCallerIdentity"}};
        for (int64_t k = 0, ips = rng_.Between(4, 10); k < ips; ++k) {
          const IpKind ip_kind = k % 3 == 0 ? IpKind::kAttacker : k % 3 == 1 ? IpKind::kHome : IpKind::kVpn;
          const uint32_t ip = pop_.ips_by_kind[static_cast<size_t>(ip_kind)]
                                  [rng_.Index(pop_.ips_by_kind[static_cast<size_t>(ip_kind)].size())];
          int64_t t = start + rng_.Between(0, 6 * 60) * kMinute;
          for (int64_t i = 0, n = rng_.Between(3, 10); i < n; ++i) {
            const auto& [svc, name] = kCalls[rng_.Index(std::size(kCalls))];
            Add(t, svc, name, actor->index, home, ErrorClass::kAuto, static_cast<uint8_t>(k), ip);
            t += Gap(1, 120);
          }
        }
        return;
      }
      case ScenarioKind::kRootActivity: {
        const Persona* root = PersonaOf(a, {PersonaKind::kRoot});
        if (root == nullptr) return;
        NewScenario(kind, a, root->index);
        const bool compromised = rng_.Chance(0.1);
        const uint32_t ip = compromised ? attacker_ip : kNoOverride;
        int64_t t = Start(60 * kMinute, !compromised, a);
        if (compromised) {
          for (int64_t i = 0, n = rng_.Between(2, 6); i < n; ++i) {
            Add(t, Service::kSignin, "ConsoleLogin", root->index, 0, ErrorClass::kFailedAuth, 0, ip);
            t += Gap(5, 60);
          }
        }
        Add(t, Service::kSignin, "ConsoleLogin", root->index, 0, ErrorClass::kNone, 0, ip);
        static constexpr std::pair<Service, std::string_view> kRoot[] = {
            {Service::kIam, "GetAccountSummary"}, {Service::kIam, "ListUsers"},
            {Service::kIam, "ListMFADevices"}, {Service::kS3, "ListBuckets"},
            {Service::kAccount, "GetContactInformation"}, {Service::kEc2, "DescribeRegions"},
            {Service::kIam, "GetAccountPasswordPolicy"}};
        for (int64_t i = 0, n = rng_.Between(3, 12); i < n; ++i) {
          t += Gap(10, 180);
          const auto& [svc, name] = kRoot[rng_.Index(std::size(kRoot))];
          Add(t, svc, name, root->index, home, ErrorClass::kNone, 1, ip);
        }
        if (rng_.Chance(0.15)) Add(t + Gap(10, 120), Service::kIam, "CreateAccessKey", root->index, 0, ErrorClass::kNone, 2, ip);
        if (rng_.Chance(0.08)) Add(t + Gap(10, 120), Service::kAccount, "EnableRegion", root->index, 0, ErrorClass::kNone, 3, ip);
        return;
      }
      case ScenarioKind::kS3Exfiltration: {
        const Persona* instance = PersonaOf(a, {PersonaKind::kEc2});
        if (instance == nullptr) return;
        NewScenario(kind, a, instance->index);
        Current().ip = attacker_ip;
        Current().ua = attacker_ua;
        int64_t t = Start(90 * kMinute, false, a);
        Add(t, Service::kSts, "GetCallerIdentity", instance->index, home, ErrorClass::kNone, 0, attacker_ip);
        t += Gap(10, 120);
        Add(t, Service::kS3, "ListBuckets", instance->index, home, ErrorClass::kNone, 0, attacker_ip);
        for (int64_t i = 0, n = rng_.Between(3, 10); i < n; ++i) {
          t += Gap(2, 30);
          Add(t, Service::kS3, "ListObjects", instance->index, home, Maybe(0.3, ErrorClass::kAccessDenied), 1, attacker_ip);
        }
        for (int64_t i = 0, n = Scaled(50, 1000, 20); i < n; ++i) {
          t += Gap(0, 6);
          Add(t, Service::kS3, "GetObject", instance->index, home, Maybe(0.05, ErrorClass::kAccessDenied), 2, attacker_ip);
        }
        return;
      }
      case ScenarioKind::kRegionRecon: {
        const Persona* actor = PersonaOf(a, {PersonaKind::kIamAutomation, PersonaKind::kIamHuman});
        if (actor == nullptr) return;
        NewScenario(kind, a, actor->index);
        Current().ip = attacker_ip;
        Current().ua = attacker_ua;
        int64_t t = Start(30 * kMinute, false, a);
        Add(t, Service::kSts, "GetCallerIdentity", actor->index, home, ErrorClass::kNone, 0, attacker_ip);
        t += Gap(2, 20);
        Add(t, Service::kEc2, "DescribeRegions", actor->index, home, ErrorClass::kNone, 0, attacker_ip);
        const auto regions = Regions();
        const int64_t count = std::min<int64_t>(static_cast<int64_t>(regions.size()), Scaled(10, 17, 6));
        const bool launch = rng_.Chance(0.3);
        for (int64_t r = 0; r < count; ++r) {
          const auto region = static_cast<uint16_t>(r);
          t += Gap(1, 10);
          Add(t, Service::kEc2, "DescribeInstances", actor->index, region, ErrorClass::kNone, 1, attacker_ip);
          t += Gap(0, 3);
          Add(t, Service::kLambda, "ListFunctions20150331", actor->index, region, Maybe(0.2, ErrorClass::kAccessDenied), 1, attacker_ip);
          if (launch && r < 4) {
            t += Gap(1, 10);
            Add(t, Service::kEc2, "RunInstances", actor->index, region,
                rng_.Chance(0.5) ? ErrorClass::kDryRun : ErrorClass::kNone, 2, attacker_ip);
          }
        }
        return;
      }
      default: return;
    }
  }

  // ---- background bursts ---------------------------------------------------------------
  void Background(ScenarioKind kind, double mean_size) {
    if (budget_ == 0) return;
    const uint32_t a = PickAccount();
    uint16_t region = HomeRegion(a);
    const Persona* actor = nullptr;
    int64_t duration = 10 * kMinute;
    bool office = false;
    switch (kind) {
      case ScenarioKind::kDeploy:
        actor = PersonaOf(a, {PersonaKind::kCiRole});
        duration = rng_.Between(3, 15) * kMinute;
        office = true;
        break;
      case ScenarioKind::kConsoleSession:
        actor = PersonaOf(a, {PersonaKind::kSsoUser, PersonaKind::kIamHuman});
        duration = rng_.Between(10, 40) * kMinute;
        office = true;
        if (rng_.Chance(0.12)) region = OtherRegion(region);
        break;
      case ScenarioKind::kBatchJob:
        actor = PersonaOf(a == 0 || rng_.Chance(0.5) ? 0 : a,
                          {PersonaKind::kEcsTask, PersonaKind::kLambda, PersonaKind::kEc2});
        duration = rng_.Between(5, 40) * kMinute;
        break;
      case ScenarioKind::kScannerSweep:
        actor = PersonaOf(a, {PersonaKind::kScannerRole, PersonaKind::kVendorRole, PersonaKind::kConfigRole});
        duration = rng_.Between(1, 5) * kMinute;
        break;
      default: return;
    }
    if (actor == nullptr) return;
    NewScenario(kind, actor->account, actor->index);
    const int64_t start = Start(duration, office, actor->account);
    const auto size = static_cast<int64_t>(mean_size * (0.3 + 1.4 * rng_.Unit()));
    const bool github = kind == ScenarioKind::kDeploy && actor->session_base == "GitHubActions";
    int64_t i = 0;
    if (github) {
      Add(start, Service::kSts, "AssumeRoleWithWebIdentity", actor->index, region, ErrorClass::kNone, 0);
      ++i;
    }
    if (kind == ScenarioKind::kConsoleSession) {
      Current().console = true;
      Add(start, Service::kSignin, "ConsoleLogin", actor->index, 0, ErrorClass::kNone, 0);
      ++i;
    }
    static constexpr std::pair<Service, std::string_view> kBatch[] = {
        {Service::kS3, "GetObject"}, {Service::kS3, "GetObject"}, {Service::kS3, "PutObject"},
        {Service::kS3, "HeadObject"}, {Service::kS3, "ListObjects"}, {Service::kDynamoDb, "PutItem"},
        {Service::kKms, "GenerateDataKey"}, {Service::kS3, "PutObject"}};
    for (; i < size; ++i) {
      const int64_t t = start + static_cast<int64_t>(rng_.Below(static_cast<uint64_t>(duration)));
      uint16_t action;
      if (kind == ScenarioKind::kBatchJob) {
        const auto& [svc, name] = kBatch[rng_.Index(std::size(kBatch))];
        action = FindAction(svc, name);
      } else {
        action = sample_(actor->index, rng_);
      }
      Add(t, action, actor->index, region, ErrorClass::kAuto, 1);
    }
  }

  uint64_t n_;
  const Population& pop_;
  TimeSpan span_;
  Rng rng_;
  const ActionSampler& sample_;
  uint64_t budget_;
  double scale_;
  Plan plan_;
};

}  // namespace

std::string_view ScenarioName(ScenarioKind kind) {
  switch (kind) {
    case ScenarioKind::kConsoleBruteForce: return "console_brute_force";
    case ScenarioKind::kAccessDeniedBurst: return "access_denied_burst";
    case ScenarioKind::kOpenSecurityGroup: return "open_security_group";
    case ScenarioKind::kIamPersistence: return "iam_persistence";
    case ScenarioKind::kTrailTampering: return "trail_tampering";
    case ScenarioKind::kDetectionDisable: return "detection_disable";
    case ScenarioKind::kKeyManyIps: return "key_many_ips";
    case ScenarioKind::kRootActivity: return "root_activity";
    case ScenarioKind::kS3Exfiltration: return "s3_exfiltration";
    case ScenarioKind::kRegionRecon: return "region_recon";
    case ScenarioKind::kDeploy: return "deploy";
    case ScenarioKind::kConsoleSession: return "console_session";
    case ScenarioKind::kBatchJob: return "batch_job";
    case ScenarioKind::kScannerSweep: return "scanner_sweep";
    case ScenarioKind::kCount: break;
  }
  return "unknown";
}

Plan BuildPlan(uint64_t events, const Population& pop, TimeSpan span, uint64_t seed,
               const ActionSampler& sample) {
  return Planner(events, pop, span, seed, sample).Build();
}

}  // namespace trailbook::gen::internal
