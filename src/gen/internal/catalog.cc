#include "gen/internal/catalog.h"

#include "base/check.h"

namespace trailbook::gen::internal {
namespace {

// Indexed by Service; the order must match the enum.
constexpr ServiceInfo kServices[] = {
    {"access-analyzer.amazonaws.com", "access-analyzer", "accessanalyzer", "", false},
    {"account.amazonaws.com", "account", "account", "", true},
    {"apigateway.amazonaws.com", "apigateway", "apigateway", "", false},
    {"athena.amazonaws.com", "athena", "athena", "", false},
    {"autoscaling.amazonaws.com", "autoscaling", "autoscaling", "", false},
    {"backup.amazonaws.com", "backup", "backup", "", false},
    {"bedrock.amazonaws.com", "bedrock", "bedrock-runtime", "", false},
    {"cloudformation.amazonaws.com", "cloudformation", "cloudformation", "", false},
    {"cloudfront.amazonaws.com", "cloudfront", "cloudfront", "2020_05_31", true},
    {"cloudshell.amazonaws.com", "cloudshell", "cloudshell", "", false},
    {"cloudtrail.amazonaws.com", "cloudtrail", "cloudtrail", "", false},
    {"config.amazonaws.com", "config", "configservice", "", false},
    {"dynamodb.amazonaws.com", "dynamodb", "dynamodb", "2012-08-10", false},
    {"ec2.amazonaws.com", "ec2", "ec2", "", false},
    {"ecr.amazonaws.com", "ecr", "ecr", "", false},
    {"ecs.amazonaws.com", "ecs", "ecs", "", false},
    {"elasticfilesystem.amazonaws.com", "elasticfilesystem", "efs", "", false},
    {"eks.amazonaws.com", "eks", "eks", "", false},
    {"elasticache.amazonaws.com", "elasticache", "elasticache", "", false},
    {"elasticloadbalancing.amazonaws.com", "elasticloadbalancing", "elbv2", "", false},
    {"events.amazonaws.com", "events", "events", "", false},
    {"guardduty.amazonaws.com", "guardduty", "guardduty", "", false},
    {"health.amazonaws.com", "health", "health", "", true},
    {"iam.amazonaws.com", "iam", "iam", "", true},
    {"kms.amazonaws.com", "kms", "kms", "", false},
    {"lambda.amazonaws.com", "lambda", "lambda", "", false},
    {"logs.amazonaws.com", "logs", "logs", "", false},
    {"monitoring.amazonaws.com", "cloudwatch", "cloudwatch", "", false},
    {"organizations.amazonaws.com", "organizations", "organizations", "", true},
    {"rds.amazonaws.com", "rds", "rds", "", false},
    {"route53.amazonaws.com", "route53", "route53", "2013-04-01", true},
    {"s3.amazonaws.com", "s3", "s3", "", false},
    {"secretsmanager.amazonaws.com", "secretsmanager", "secretsmanager", "", false},
    {"securityhub.amazonaws.com", "securityhub", "securityhub", "", false},
    {"ses.amazonaws.com", "ses", "ses", "", false},
    {"signin.amazonaws.com", "signin", "signin", "", true},
    {"sns.amazonaws.com", "sns", "sns", "", false},
    {"sqs.amazonaws.com", "sqs", "sqs", "", false},
    {"ssm.amazonaws.com", "ssm", "ssm", "", false},
    {"sso.amazonaws.com", "sso", "sso", "", false},
    {"states.amazonaws.com", "states", "stepfunctions", "", false},
    {"sts.amazonaws.com", "sts", "sts", "", false},
};
static_assert(std::size(kServices) == static_cast<size_t>(Service::kCount));

constexpr RegionInfo kRegions[] = {
    {"us-east-1", "abcdf", 40},     {"us-west-2", "abcd", 14},     {"eu-west-1", "abc", 10},
    {"us-east-2", "abc", 8},        {"eu-central-1", "abc", 6},    {"ap-southeast-2", "abc", 4},
    {"ap-northeast-1", "acd", 4},   {"eu-west-2", "abc", 3},       {"ap-southeast-1", "abc", 3},
    {"us-west-1", "ac", 2},         {"ca-central-1", "abd", 2},    {"ap-south-1", "abc", 2},
    {"eu-north-1", "abc", 1},       {"sa-east-1", "abc", 1},       {"ap-northeast-2", "abcd", 1},
    {"eu-west-3", "abc", 1},        {"ap-northeast-3", "abc", 0.5},
};

constexpr std::string_view kFirstNames[] = {
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
    "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter",
    "wendy", "aisha", "bruno", "chen", "diego", "elena", "farah", "gustavo", "hana", "igor",
    "jamal", "kenji", "lars", "maria", "nadia", "omar", "priya", "quentin", "rosa", "sanjay",
    "tomas", "uma", "vikram", "yuki", "zara", "li", "noah", "emma", "lucas", "mia", "arjun"};

constexpr std::string_view kLastNames[] = {
    "smith", "johnson", "garcia", "miller", "davis", "rodriguez", "martinez", "lopez",
    "wilson", "anderson", "thomas", "taylor", "moore", "martin", "lee", "perez", "thompson",
    "white", "harris", "clark", "lewis", "walker", "hall", "young", "king", "wright", "scott",
    "nguyen", "hill", "green", "adams", "baker", "nelson", "carter", "mitchell", "roberts",
    "kowalski", "novak", "schmidt", "rossi", "tanaka", "kim", "patel", "singh", "dubois",
    "silva", "ivanova", "jensen", "murphy", "okafor"};

constexpr std::string_view kAppNames[] = {
    "orders", "payments", "checkout", "catalog", "inventory", "search", "recommendations",
    "notifications", "billing", "invoices", "users", "auth", "sessions", "reporting", "etl",
    "ingest", "thumbnails", "media", "exports", "audit", "pricing", "shipping", "returns",
    "loyalty", "analytics", "fraud", "ledger", "webhooks", "scheduler", "backoffice", "gateway",
    "profile", "cart", "reviews", "ml-features", "data-lake", "metrics", "alerts", "mailer",
    "geo", "tickets", "chat", "assets", "partners", "quotes", "claims", "kyc", "risk", "feeds"};

constexpr std::string_view kAccountNames[] = {
    "prod", "dev", "security", "staging", "shared-services", "data", "sandbox", "log-archive",
    "network", "ml", "qa", "management", "backup", "edge", "analytics", "legacy"};

}  // namespace

const ServiceInfo& GetService(Service service) {
  const auto i = static_cast<size_t>(service);
  TB_CHECK(i < std::size(kServices)) << "bad service " << i;
  return kServices[i];
}

std::span<const RegionInfo> Regions() { return kRegions; }
std::span<const std::string_view> FirstNames() { return kFirstNames; }
std::span<const std::string_view> LastNames() { return kLastNames; }
std::span<const std::string_view> AppNames() { return kAppNames; }
std::span<const std::string_view> AccountNames() { return kAccountNames; }

}  // namespace trailbook::gen::internal
