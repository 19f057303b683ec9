// File: gen/internal/plan.h
//
// The scenario plan: scripted activity placed on the timeline before any event is written.
// Security scenarios (console brute force, access-denied bursts, open security groups, IAM
// persistence, CloudTrail tampering, detector disabling, a key used from many IPs, root
// activity, S3 exfiltration with stolen instance credentials, cross-region recon) and
// background bursts (deploys, console sessions, batch jobs, scanner sweeps) are expanded
// into PlannedEvents sorted by time. Chunks pick up the planned events in their hour, so
// the plan is independent of chunking and threads.
//
//   Plan plan = BuildPlan(options, pop, start, end, seed);
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "gen/internal/event_context.h"
#include "gen/internal/population.h"

namespace trailbook::gen::internal {

enum class ScenarioKind : uint8_t {
  kConsoleBruteForce,   // failed ConsoleLogins from one IP, sometimes then a success
  kAccessDeniedBurst,   // a leaked key enumerating services, nearly all denied
  kOpenSecurityGroup,   // AuthorizeSecurityGroupIngress to 0.0.0.0/0 or ::/0
  kIamPersistence,      // CreateUser, CreateAccessKey, AttachUserPolicy, ... by one actor
  kTrailTampering,      // StopLogging / DeleteTrail / UpdateTrail / PutEventSelectors
  kDetectionDisable,    // GuardDuty and AWS Config switched off
  kKeyManyIps,          // one IAM user's key used from several distinct IPs in hours
  kRootActivity,        // root signs in and acts
  kS3Exfiltration,      // stolen instance-profile credentials used from outside AWS
  kRegionRecon,         // the same Describe calls swept across many regions
  kDeploy,              // a CI pipeline run
  kConsoleSession,      // a person browsing the console, sometimes in another region
  kBatchJob,            // a workload's burst of S3/DynamoDB data events
  kScannerSweep,        // a security scanner sweeping read-only APIs
  kCount,
};

// Returns a stable lower-case name such as "console_brute_force".
std::string_view ScenarioName(ScenarioKind kind);

inline constexpr uint32_t kNoOverride = UINT32_MAX;

struct Scenario {
  ScenarioKind kind = ScenarioKind::kCount;
  uint8_t variant = 0;
  uint32_t account = 0;
  uint32_t persona = 0;            // main actor
  uint32_t target = kNoOverride;   // persona acted upon (victim, created user), if any
  uint32_t ip = kNoOverride;       // source IP (Population::ips index) overriding the actor's
  uint32_t ua = kNoOverride;       // user agent (Population::uas index) overriding the actor's
  std::string name;                // scenario-specific name (new user, policy, trail ...)
  std::string key;                 // access key created by the scenario
  bool console = false;            // the actor works in the console throughout
};

struct PlannedEvent {
  int64_t time_micros = 0;
  uint32_t scenario = 0;
  uint32_t persona = 0;            // actor of this event (Population or Plan::extras)
  uint32_t ip = kNoOverride;       // per-event IP override (else the scenario's)
  uint16_t action = 0;
  uint16_t region = 0;             // index into Regions()
  ErrorClass error = ErrorClass::kAuto;
  uint8_t step = 0;
};

struct Plan {
  std::vector<Scenario> scenarios;
  std::vector<PlannedEvent> events;  // sorted by time_micros (stable)
  std::vector<Persona> extras;       // personas created by scenarios; ids follow Population's
  uint64_t scenario_counts[static_cast<size_t>(ScenarioKind::kCount)] = {};
};

struct TimeSpan {
  int64_t start_micros;
  int64_t end_micros;
};

// Draws a background action (index into AllActions()) for a persona, as the persona's own
// action mix would.
using ActionSampler = std::function<uint16_t(uint32_t persona, Rng& rng)>;

// Plans scenarios for a data set of `events` events. The plan never holds more than a
// third of `events`; smaller data sets get fewer and shorter scenarios, but every security
// scenario appears at least once when events >= 2000.
Plan BuildPlan(uint64_t events, const Population& pop, TimeSpan span, uint64_t seed,
               const ActionSampler& sample);

}  // namespace trailbook::gen::internal
