// File: gen/internal/catalog.h
//
// Fixed vocabulary of the generator: the AWS services it models (event source host, IAM
// action prefix, whether events are global and logged in us-east-1, apiVersion), the regions,
// and the name lists populations are drawn from. Pure data; nothing here is random.
//
//   const ServiceInfo& s3 = GetService(Service::kS3);  // s3.host == "s3.amazonaws.com"
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace trailbook::gen::internal {

// DO NOT REORDER without regenerating golden numbers: the enum value feeds derived seeds.
enum class Service : uint8_t {
  kAccessAnalyzer,
  kAccount,
  kApiGateway,
  kAthena,
  kAutoScaling,
  kBackup,
  kBedrock,
  kCloudFormation,
  kCloudFront,
  kCloudShell,
  kCloudTrail,
  kConfig,
  kDynamoDb,
  kEc2,
  kEcr,
  kEcs,
  kEfs,
  kEks,
  kElastiCache,
  kElb,
  kEvents,
  kGuardDuty,
  kHealth,
  kIam,
  kKms,
  kLambda,
  kLogs,
  kMonitoring,
  kOrganizations,
  kRds,
  kRoute53,
  kS3,
  kSecretsManager,
  kSecurityHub,
  kSes,
  kSignin,
  kSns,
  kSqs,
  kSsm,
  kSso,
  kStates,
  kSts,
  kCount,
};

struct ServiceInfo {
  std::string_view host;         // eventSource, e.g. "ec2.amazonaws.com"
  std::string_view iam_prefix;   // IAM action prefix in error messages, e.g. "ec2"
  std::string_view cli_name;     // aws-cli / SDK service id, e.g. "ec2", "cloudwatch"
  std::string_view api_version;  // apiVersion field when the service logs one, else ""
  bool global;                   // events are logged in us-east-1 whatever the caller's region
};

const ServiceInfo& GetService(Service service);

struct RegionInfo {
  std::string_view name;     // "eu-west-1"
  std::string_view zones;    // availability-zone letters, e.g. "abc"
  double weight;             // popularity for secondary-region activity
};

// The regions of the standard partition the generator uses, us-east-1 first.
std::span<const RegionInfo> Regions();

// Name lists for people, teams/applications and companies.
std::span<const std::string_view> FirstNames();
std::span<const std::string_view> LastNames();
std::span<const std::string_view> AppNames();
std::span<const std::string_view> AccountNames();

// The domain of generated e-mail addresses and the prefix of generated bucket names.
inline constexpr std::string_view kEmailDomain = "example.com";
inline constexpr std::string_view kCompany = "anycompany";

}  // namespace trailbook::gen::internal
