#include "gen/internal/error_model.h"

#include "gen/internal/catalog.h"
#include "gen/internal/identifiers.h"

namespace trailbook::gen::internal {
namespace {

struct Weighted {
  ErrorClass error;
  double weight;
};

constexpr Weighted kReadMix[] = {{ErrorClass::kAccessDenied, 45},
                                 {ErrorClass::kNotFound, 25},
                                 {ErrorClass::kThrottling, 20},
                                 {ErrorClass::kValidation, 10}};
constexpr Weighted kWriteMix[] = {{ErrorClass::kAccessDenied, 35}, {ErrorClass::kValidation, 15},
                                  {ErrorClass::kInvalidParameter, 15}, {ErrorClass::kNotFound, 15},
                                  {ErrorClass::kAlreadyExists, 15}, {ErrorClass::kThrottling, 5}};
constexpr Weighted kObjectMix[] = {{ErrorClass::kNoSuchKey, 65}, {ErrorClass::kAccessDenied, 35}};
constexpr Weighted kBucketMix[] = {{ErrorClass::kNotFound, 70},
                                   {ErrorClass::kAccessDenied, 20},
                                   {ErrorClass::kNoSuchBucket, 10}};
constexpr Weighted kAssumeMix[] = {{ErrorClass::kAccessDenied, 70},
                                   {ErrorClass::kExpiredToken, 20},
                                   {ErrorClass::kValidation, 10}};

template <size_t N>
ErrorClass Draw(const Weighted (&mix)[N], Rng& rng) {
  double total = 0;
  for (const Weighted& w : mix) total += w.weight;
  double x = rng.Unit() * total;
  for (const Weighted& w : mix) {
    if (x < w.weight) return w.error;
    x -= w.weight;
  }
  return mix[N - 1].error;
}

// The eventName without Lambda's API-version suffix ("GetFunction20150331v2" -> "GetFunction").
std::string_view BaseName(std::string_view name) {
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] >= '0' && name[i] <= '9') return name.substr(0, i);
  }
  return name;
}

bool Is(Service s, std::initializer_list<Service> set) {
  for (Service x : set) {
    if (x == s) return true;
  }
  return false;
}

struct S3Missing {
  std::string_view event, code, message;
};
constexpr S3Missing kS3Missing[] = {
    {"GetBucketPolicy", "NoSuchBucketPolicy", "The bucket policy does not exist"},
    {"GetBucketEncryption", "ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found"},
    {"GetBucketTagging", "NoSuchTagSet", "The TagSet does not exist"},
    {"GetBucketCors", "NoSuchCORSConfiguration", "The CORS configuration does not exist"},
    {"GetBucketWebsite", "NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration"},
    {"GetBucketLifecycle", "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist"},
    {"GetBucketReplication", "ReplicationConfigurationNotFoundError", "The replication configuration was not found"},
    {"GetBucketObjectLockConfiguration", "ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket"},
    {"GetBucketPublicAccessBlock", "NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found"},
    {"GetBucketOwnershipControls", "OwnershipControlsNotFoundError", "The bucket ownership controls were not found"},
};

const S3Missing* FindS3Missing(std::string_view event) {
  for (const S3Missing& m : kS3Missing) {
    if (m.event == event) return &m;
  }
  return nullptr;
}

}  // namespace

ErrorClass DecideError(const ActionSpec& spec, uint16_t action, const Persona& persona, Rng& rng) {
  if (persona.denied_action == static_cast<int32_t>(action) && rng.Chance(0.65)) {
    return ErrorClass::kAccessDenied;
  }
  Errors errors = spec.errors;
  if (errors == Errors::kDefault && spec.access == Access::kServiceEvent) errors = Errors::kNone;
  if (errors == Errors::kNone) return ErrorClass::kNone;
  double p;
  switch (errors) {
    case Errors::kObject: p = 0.05; break;
    case Errors::kBucket: p = spec.name.starts_with("Get") ? 0.12 : 0.04; break;
    case Errors::kAssume: p = 0.02; break;
    case Errors::kSignIn: p = 0.03; break;
    default: p = (spec.access == Access::kRead || spec.access == Access::kDataRead) ? 0.045 : 0.07;
  }
  switch (persona.mix) {
    case MixClass::kScanner: p *= 2.5; break;
    case MixClass::kService: p *= 0.3; break;
    case MixClass::kWorkload: p *= 0.8; break;
    case MixClass::kAnonymous: p = 0.15; break;
    default: break;
  }
  if (!rng.Chance(p)) return ErrorClass::kNone;
  switch (errors) {
    case Errors::kObject:
      if (spec.name == "GetObject" || spec.name == "HeadObject") return Draw(kObjectMix, rng);
      return ErrorClass::kAccessDenied;
    case Errors::kBucket: return Draw(kBucketMix, rng);
    case Errors::kAssume: return Draw(kAssumeMix, rng);
    case Errors::kSignIn: return ErrorClass::kFailedAuth;
    default: break;
  }
  const bool read = spec.access == Access::kRead || spec.access == Access::kDataRead;
  return read ? Draw(kReadMix, rng) : Draw(kWriteMix, rng);
}

std::string_view ErrorCode(const EventContext& c, ErrorClass error) {
  const Service s = c.action().service;
  const std::string_view name = c.action().name;
  switch (error) {
    case ErrorClass::kNone:
    case ErrorClass::kAuto:
    case ErrorClass::kFailedAuth: return "";
    case ErrorClass::kAccessDenied:
      if (s == Service::kEc2) {
        return c.caller().console ? "UnauthorizedOperation" : "Client.UnauthorizedOperation";
      }
      if (Is(s, {Service::kIam, Service::kSts, Service::kS3, Service::kAutoScaling, Service::kElb,
                 Service::kCloudFormation, Service::kSns, Service::kSqs, Service::kRds,
                 Service::kRoute53, Service::kCloudFront, Service::kSes, Service::kElastiCache,
                 Service::kMonitoring})) {
        return "AccessDenied";
      }
      return "AccessDeniedException";
    case ErrorClass::kThrottling:
      if (s == Service::kEc2) return "Client.RequestLimitExceeded";
      if (s == Service::kLambda) return "TooManyRequestsException";
      if (s == Service::kS3) return "SlowDown";
      if (Is(s, {Service::kIam, Service::kSts, Service::kCloudFormation, Service::kAutoScaling,
                 Service::kElb, Service::kRoute53, Service::kSns, Service::kSqs, Service::kRds})) {
        return "Throttling";
      }
      return "ThrottlingException";
    case ErrorClass::kNotFound:
      switch (s) {
        case Service::kEc2:
          if (name.find("SecurityGroup") != std::string_view::npos) return "Client.InvalidGroup.NotFound";
          if (name.find("Snapshot") != std::string_view::npos) return "Client.InvalidSnapshot.NotFound";
          if (name.find("Volume") != std::string_view::npos) return "Client.InvalidVolume.NotFound";
          if (name == "RunInstances") return "Client.InvalidAMIID.NotFound";
          return "Client.InvalidInstanceID.NotFound";
        case Service::kIam: return "NoSuchEntityException";
        case Service::kS3: {
          const S3Missing* m = FindS3Missing(name);
          return m != nullptr ? m->code : "NoSuchBucket";
        }
        case Service::kKms: return "NotFoundException";
        case Service::kCloudFormation: return "ValidationError";
        case Service::kRds: return "DBInstanceNotFoundFault";
        case Service::kEcs: return "ClusterNotFoundException";
        case Service::kRoute53: return "NoSuchHostedZone";
        case Service::kSqs: return "AWS.SimpleQueueService.NonExistentQueue";
        case Service::kSns: return "NotFound";
        case Service::kSsm: return "ParameterNotFound";
        default: return "ResourceNotFoundException";
      }
    case ErrorClass::kValidation:
      if (Is(s, {Service::kCloudFormation, Service::kIam, Service::kSts, Service::kAutoScaling,
                 Service::kRds, Service::kElb})) {
        return "ValidationError";
      }
      return "ValidationException";
    case ErrorClass::kInvalidParameter:
      if (s == Service::kEc2) return "Client.InvalidParameterValue";
      if (s == Service::kLambda) return "InvalidParameterValueException";
      if (Is(s, {Service::kLogs, Service::kEcs, Service::kSns, Service::kSsm,
                 Service::kSecretsManager})) {
        return "InvalidParameterException";
      }
      return "InvalidParameterValue";
    case ErrorClass::kExpiredToken:
      return Is(s, {Service::kSts, Service::kIam, Service::kS3}) ? "ExpiredToken" : "ExpiredTokenException";
    case ErrorClass::kAlreadyExists:
      if (s == Service::kIam) return "EntityAlreadyExistsException";
      if (s == Service::kEc2) return "Client.InvalidPermission.Duplicate";
      if (s == Service::kS3) return "BucketAlreadyOwnedByYou";
      if (s == Service::kCloudFormation) return "AlreadyExistsException";
      return "ResourceAlreadyExistsException";
    case ErrorClass::kDryRun: return "Client.DryRunOperation";
    case ErrorClass::kInvalidToken: return "InvalidClientTokenId";
    case ErrorClass::kNoSuchKey: return "NoSuchKey";
    case ErrorClass::kNoSuchBucket: return "NoSuchBucket";
  }
  return "InternalFailure";
}

void AppendErrorMessage(EventContext& c, ErrorClass error, std::string* out) {
  const ServiceInfo& svc = GetService(c.action().service);
  const std::string_view name = BaseName(c.action().name);
  const Service s = c.action().service;
  std::string action;
  action.append(svc.iam_prefix).append(":").append(name);
  std::string resource(c.first_resource_arn());
  if (resource.empty()) {
    resource = "arn:aws:" + std::string(svc.iam_prefix) + ":" + std::string(c.region()) + ":" +
               std::string(c.account_id()) + ":*";
  }
  std::string_view caller = c.caller().arn;
  if (caller.empty()) caller = c.caller().persona->arn;
  switch (error) {
    case ErrorClass::kAccessDenied:
      if (s == Service::kS3 || c.persona().kind == PersonaKind::kAnonymous) {
        out->append("Access Denied");
      } else if (s == Service::kEc2 && !name.starts_with("Describe")) {
        out->append("You are not authorized to perform this operation. Encoded authorization failure message: ");
        AppendRandom(c.rng(), "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
                     static_cast<size_t>(c.rng().Between(700, 1100)), out);
      } else if (s == Service::kEc2) {
        out->append("You are not authorized to perform this operation. User: ").append(caller);
        out->append(" is not authorized to perform: ").append(action);
        out->append(" because no identity-based policy allows the ").append(action).append(" action");
      } else {
        out->append("User: ").append(caller).append(" is not authorized to perform: ").append(action);
        out->append(" on resource: ").append(resource);
        if (c.rng().Chance(0.12)) {
          out->append(" with an explicit deny in a service control policy");
        } else {
          out->append(" because no identity-based policy allows the ").append(action).append(" action");
        }
      }
      return;
    case ErrorClass::kThrottling:
      out->append(s == Service::kEc2   ? "Request limit exceeded."
                  : s == Service::kS3 ? "Please reduce your request rate."
                                      : "Rate exceeded");
      return;
    case ErrorClass::kNotFound:
      if (s == Service::kS3) {
        const S3Missing* m = FindS3Missing(c.action().name);
        out->append(m != nullptr ? m->message : "The specified bucket does not exist");
      } else if (s == Service::kIam) {
        const std::string_view entity = name.find("Role") != std::string_view::npos ? "role"
                                        : name.find("Policy") != std::string_view::npos ? "policy"
                                                                                        : "user";
        out->append("The ").append(entity).append(" with name ");
        if (c.subject().empty()) {
          out->append(c.rng().Pick(FirstNames())).append("-legacy");
        } else {
          out->append(c.subject());
        }
        out->append(" cannot be found.");
      } else if (s == Service::kEc2 && name == "RunInstances") {
        out->append("The image id '[");
        AppendHexId(c.rng(), "ami-", 17, out);
        out->append("]' does not exist");
      } else if (s == Service::kEc2) {
        out->append("The instance ID '");
        AppendHexId(c.rng(), "i-", 17, out);
        out->append("' does not exist");
      } else if (s == Service::kCloudFormation) {
        out->append("Stack with id ").append(c.rng().Pick(AppNames())).append("-old does not exist");
      } else if (s == Service::kLambda) {
        out->append("Function not found: ").append(resource);
      } else {
        out->append("Requested resource not found");
      }
      return;
    case ErrorClass::kValidation:
      out->append("1 validation error detected: Value null at '");
      out->append(c.rng().Chance(0.5) ? "nextToken" : "maxResults");
      out->append("' failed to satisfy constraint: Member must not be null");
      return;
    case ErrorClass::kInvalidParameter:
      out->append("Invalid value for parameter ");
      out->append(c.rng().Chance(0.5) ? "filter.name" : "maxResults");
      return;
    case ErrorClass::kExpiredToken:
      out->append("The security token included in the request is expired");
      return;
    case ErrorClass::kAlreadyExists:
      if (s == Service::kIam) {
        out->append("User with name ").append(c.rng().Pick(FirstNames())).append(" already exists.");
      } else if (s == Service::kEc2) {
        out->append("the specified rule \"peer: 0.0.0.0/0, TCP, from port: 443, to port: 443, ALLOW\" already exists");
      } else if (s == Service::kS3) {
        out->append("Your previous request to create the named bucket succeeded and you already own it.");
      } else if (s == Service::kLogs) {
        out->append("The specified log stream already exists");
      } else {
        out->append("Resource already exists");
      }
      return;
    case ErrorClass::kDryRun:
      out->append("Request would have succeeded, but DryRun flag is set.");
      return;
    case ErrorClass::kInvalidToken:
      out->append("The security token included in the request is invalid.");
      return;
    case ErrorClass::kNoSuchKey:
      out->append("The specified key does not exist.");
      return;
    case ErrorClass::kNoSuchBucket:
      out->append("The specified bucket does not exist");
      return;
    case ErrorClass::kFailedAuth:
      out->append("Failed authentication");
      return;
    case ErrorClass::kNone:
    case ErrorClass::kAuto: return;
  }
}

}  // namespace trailbook::gen::internal
