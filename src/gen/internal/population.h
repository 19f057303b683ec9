// File: gen/internal/population.h
//
// The simulated organisation behind a generated data set: AWS accounts, the personas that
// act in them (people, workloads, pipelines, vendors, AWS services), their source IPs and
// user agents, and each account's resources (buckets, instances, functions, ...). Built once
// from the options and seed; immutable afterwards. Pool sizes grow with the event count, so
// a larger data set has proportionally more principals, IPs and resources, each used with a
// Zipf-like popularity.
//
//   Population pop = BuildPopulation(options, seed);
//   const Persona& p = pop.personas[i];
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gen/internal/random.h"

namespace trailbook::gen::internal {

enum class PersonaKind : uint8_t {
  kSsoUser,        // person via IAM Identity Center: AssumedRole AWSReservedSSO_<set>_<hex>
  kIamHuman,       // person with an IAM user (console password, MFA, sometimes a key)
  kSamlUser,       // person via SAML (ADFS): AssumedRole reached with AssumeRoleWithSAML
  kFederatedUser,  // FederatedUser issued by a GetFederationToken broker
  kRoot,           // the account's root user
  kIamAutomation,  // IAM user with a long-term AKIA key used by a server or legacy job
  kLambda,         // Lambda execution role; session name = function name
  kEc2,            // EC2 instance profile; session name = instance id, ec2RoleDelivery
  kEcsTask,        // ECS task role; session name = task id
  kEksPod,         // EKS pod role (IRSA); reached with AssumeRoleWithWebIdentity
  kCiRole,         // deploy pipeline role reached through GitHub OIDC
  kVendorRole,     // third-party SaaS role, assumed from the vendor's account
  kScannerRole,    // the security account's audit role sweeping this account
  kConfigRole,     // AWS Config's service-linked role (invokedBy config.amazonaws.com)
  kAwsService,     // an AWS service acting itself: AWSService identity
  kAnonymous,      // unauthenticated S3 access: AWSAccount ANONYMOUS_PRINCIPAL
  kCount,
};

// The action mix a persona draws from (see ActionSpec::mix).
enum class MixClass : uint8_t {
  kHuman,
  kAutomation,
  kWorkload,
  kCi,
  kScanner,
  kService,
  kRoot,
  kAnonymous,
  kCount,
};

MixClass MixClassOf(PersonaKind kind);
bool IsHumanKind(PersonaKind kind);

enum class IpKind : uint8_t {
  kOffice,    // corporate NAT egress (few, very popular)
  kVpn,       // VPN egress
  kHome,      // residential ISPs, some IPv6
  kCiRunner,  // hosted CI runners (many, each used briefly)
  kVendor,    // SaaS vendors' AWS egress
  kAttacker,  // VPS and anonymising networks used in the security scenarios
  kAwsNat,    // NAT gateway EIPs of the accounts' VPCs
  kCount,
};

enum class UaFamily : uint8_t {
  kCli,          // aws-cli v2 (adds md/command#svc.op per call)
  kBoto3,        // Python SDK on servers
  kBoto3Lambda,  // Python SDK inside Lambda
  kJava,         // AWS SDK for Java 2.x
  kGo,           // AWS SDK for Go v2 (adds api/svc#version)
  kJsLambda,     // AWS SDK for JavaScript v3 inside Lambda
  kTerraform,    // Terraform AWS provider
  kSsmAgent,     // amazon-ssm-agent on EC2
  kBrowser,      // console sign-in
  kAttacker,     // tooling seen in intrusions (Kali aws-cli, TruffleHog, Pacu, ...)
  kScanner,      // CSPM scanners
  kCount,
};

struct UserAgent {
  UaFamily family;
  std::string text;         // the fixed part
  std::string api_version;  // version used in "api/<svc>#<v>" suffixes
  bool legacy = false;      // an older SDK generation without per-call suffixes
};

// A principal that acts: its identity, habits and preferred resources.
struct Persona {
  PersonaKind kind;
  MixClass mix;
  uint32_t index = 0;         // position in Population::personas (or the plan's extras)
  uint32_t account = 0;       // account the identity belongs to and acts in
  uint32_t home_account = 0;  // scanner roles: the account the caller comes from
  int8_t vendor = -1;         // vendor roles: index into Population::vendor_accounts
  std::string name;           // user name, role name, or "root"
  std::string unique_id;      // AIDA.../AROA... principal id (account id for root)
  std::string arn;            // IAM user ARN, role ARN (with path), or root ARN
  std::string session_base;   // fixed session name (e-mail, function name), else ""
  std::string access_key;     // long-term AKIA key for IAM users that have one, else ""
  std::string mfa_arn;        // MFA device ARN for people with MFA, else ""
  std::string email;          // people only
  uint32_t ua = 0;            // UA pool index (CLI or SDK)
  uint32_t browser_ua = 0;    // UA pool index used for console sign-in
  uint32_t ips[3] = {0, 0, 0};
  uint8_t ip_count = 0;
  uint32_t session_seconds = 3600;
  uint32_t session_phase = 0;
  uint32_t resource_salt = 0;  // picks the persona's "own" buckets/tables/queues
  uint8_t services[3] = {255, 255, 255};  // Service values the persona favours
  int32_t denied_action = -1;  // an action this principal keeps failing (misconfiguration)
  bool console = false;        // people: uses the console for some sessions
  bool mfa = false;
  bool vpc_endpoint = false;   // workloads: calls some services through VPC endpoints
  double activity = 1;         // relative event volume within its class
};

// A list of resource names with a popularity order.
struct NamePool {
  std::vector<std::string> items;
  ZipfTable popularity;
  const std::string& Pick(Rng& rng) const { return items[popularity.Sample(rng)]; }
  // Picks from a small stable subset selected by `salt` 80% of the time (a workload's own
  // resources), else by popularity.
  const std::string& PickOwned(Rng& rng, uint32_t salt) const;
};

struct AccountResources {
  NamePool buckets, objects_prefixes, instances, volumes, snapshots, security_groups, vpcs,
      subnets, amis, key_pairs, functions, tables, queues, topics, secrets, parameters,
      kms_keys, log_groups, ecs_clusters, ecs_services, task_families, eks_clusters, ecr_repos,
      stacks, db_instances, load_balancers, target_groups, hosted_zones, state_machines,
      user_names, role_names, guardrails, file_systems, cache_clusters, rest_apis,
      distributions, policies;
  std::string public_bucket;    // a bucket with anonymous read access ("" if none)
  std::string detector_id;      // GuardDuty detector
  std::string config_recorder;  // AWS Config recorder name
  std::string vpc_endpoint;     // gateway endpoint id used by VPC workloads
  std::string org_id;           // AWS Organizations id
  std::string identity_store;   // IAM Identity Center identity store id
  std::string eks_oidc_id;      // the EKS clusters' OIDC issuer id (32 upper-case hex)
};

struct Account {
  std::string id;        // 12 digits
  std::string name;      // "prod", "dev", ...
  std::string_view home_region;
  double share = 0;           // fraction of background events
  double human_fraction = 0;  // of this account's background events
  double machine_floor = 0;   // machine activity at night relative to the day peak
  int tz_offset_hours = 0;    // local time of its people
  std::vector<uint32_t> human_personas;
  std::vector<uint32_t> machine_personas;
  std::vector<uint32_t> by_kind[static_cast<size_t>(PersonaKind::kCount)];
  WeightedTable human_table;    // over human_personas, by activity
  WeightedTable machine_table;  // over machine_personas, by activity
  std::vector<uint32_t> nat_ips;
  std::string trail_name;
  std::string trail_bucket;
  bool digests = false;       // log file validation enabled: digest files are written
  uint32_t digest_phase = 0;  // seconds past the hour at which digests are cut
  AccountResources res;
};

struct Population {
  std::vector<Account> accounts;
  std::vector<Persona> personas;
  std::vector<std::string> ips;  // all addresses; personas and scenarios hold indices
  std::vector<uint32_t> ips_by_kind[static_cast<size_t>(IpKind::kCount)];
  ZipfTable ip_popularity[static_cast<size_t>(IpKind::kCount)];
  std::vector<UserAgent> uas;
  std::vector<uint32_t> uas_by_family[static_cast<size_t>(UaFamily::kCount)];
  ZipfTable ua_popularity[static_cast<size_t>(UaFamily::kCount)];
  std::vector<std::string> vendor_accounts;  // third-party account ids
  std::string vendor_external_id;

  uint32_t PickIp(Rng& rng, IpKind kind) const;
  uint32_t PickUa(Rng& rng, UaFamily family) const;
};

// Builds the population for `events` events across `accounts` accounts from `seed`.
// REQUIRES: accounts >= 1.
Population BuildPopulation(uint64_t events, uint32_t accounts, uint64_t seed);

}  // namespace trailbook::gen::internal
