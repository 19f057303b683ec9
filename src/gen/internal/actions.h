// File: gen/internal/actions.h
//
// The action registry: every API call / event the generator can emit, with its service,
// eventName, access kind, how often each kind of principal performs it (Mix), its error
// profile, and the builder that writes its requestParameters, responseElements, resources
// and additionalEventData. Service groups live in actions_*.cc; AllActions() joins them.
//
//   int i = FindAction(Service::kS3, "GetObject");
//   AllActions()[i].build(context);
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "gen/internal/catalog.h"
#include "gen/internal/population.h"

namespace trailbook::gen::internal {

class EventContext;

// Relative frequency of an action for each MixClass (0 = never in background activity;
// scenarios may still use it).
struct Mix {
  double human = 0;
  double automation = 0;
  double workload = 0;
  double ci = 0;
  double scanner = 0;
  double service = 0;
  double root = 0;
  double anonymous = 0;

  constexpr double For(MixClass c) const {
    switch (c) {
      case MixClass::kHuman: return human;
      case MixClass::kAutomation: return automation;
      case MixClass::kWorkload: return workload;
      case MixClass::kCi: return ci;
      case MixClass::kScanner: return scanner;
      case MixClass::kService: return service;
      case MixClass::kRoot: return root;
      case MixClass::kAnonymous: return anonymous;
      case MixClass::kCount: break;
    }
    return 0;
  }
};

enum class Access : uint8_t {
  kRead,          // management, readOnly true
  kWrite,         // management, readOnly false
  kDataRead,      // data event, readOnly true
  kDataWrite,     // data event, readOnly false
  kServiceEvent,  // AwsServiceEvent
  kSignIn,        // AwsConsoleSignIn
};

// Which error classes an action draws when the background error model makes it fail.
enum class Errors : uint8_t {
  kDefault,  // derived from Access: reads and writes have different mixes
  kNone,     // never fails in the background
  kObject,   // S3 object calls: NoSuchKey, AccessDenied
  kBucket,   // S3 bucket calls: NoSuchBucket, AccessDenied
  kAssume,   // STS: AccessDenied, ExpiredToken, Validation
  kSignIn,   // ConsoleLogin: Failed authentication
};

using BuildFn = void (*)(EventContext&);

struct ActionSpec {
  Service service;
  std::string_view name;  // eventName
  Access access;
  Mix mix;
  BuildFn build;
  Errors errors = Errors::kDefault;
  uint32_t kinds = 0;  // PersonaKind bitmask the action is restricted to; 0 = any
};

constexpr uint32_t KindBit(PersonaKind kind) { return 1u << static_cast<unsigned>(kind); }

// All actions, in a fixed order (indices are stable for a given build).
std::span<const ActionSpec> AllActions();

// Returns the index of `service`/`name`. TB_CHECKs that it exists (a programming error).
uint16_t FindAction(Service service, std::string_view name);

// The service groups that AllActions() concatenates.
std::span<const ActionSpec> IdentityActions();  // iam, sts, signin, sso, organizations
std::span<const ActionSpec> ComputeActions();   // ec2, autoscaling, elb, lambda, ecs, eks, ecr
std::span<const ActionSpec> DataActions();      // s3, dynamodb, rds, kms, secretsmanager, ssm
std::span<const ActionSpec> OpsActions();       // everything else

}  // namespace trailbook::gen::internal
