// File: gen/internal/aws_shapes.h
//
// JSON shapes that several services share in CloudTrail records: STS temporary
// credentials, IAM policy documents (as JSON text, pretty or compact, optionally
// URL-encoded as IAM responses carry them), tag lists, S3 object keys, and role lookups.
//
//   WriteCredentials(c, c.Res(), 3600);   // "credentials": {accessKeyId, sessionToken, ...}
#pragma once

#include <cstdint>
#include <string_view>

#include "gen/internal/event_context.h"

namespace trailbook::gen::internal {

// Writes `"credentials": {"accessKeyId","sessionToken","expiration"}` (temporary ASIA key,
// a 700-1000 character token, expiry `duration_seconds` after the event).
void WriteCredentials(EventContext& c, json::JsonWriter& w, int64_t duration_seconds);

// Writes `"assumedRoleUser": {"assumedRoleId","arn"}` for `role_name`/`session`.
void WriteAssumedRoleUser(EventContext& c, json::JsonWriter& w, std::string_view role_id,
                          std::string_view role_name, std::string_view session);

enum class PolicyKind : uint8_t {
  kS3ReadWrite,     // Allow s3:GetObject/PutObject/ListBucket on a bucket
  kAdministrator,   // Allow * on *
  kTrustService,    // Trust policy for a service principal
  kTrustAccount,    // Trust policy for another account's root (cross-account access)
  kTrustGithubOidc, // Trust policy for GitHub Actions' OIDC provider
  kBucketPublic,    // Bucket policy granting s3:GetObject to "*"
  kBucketTls,       // Bucket policy denying non-TLS access
  kQueueFromTopic,  // SQS policy allowing an SNS topic to send
  kLeastPrivilege,  // A small inline policy: dynamodb/sqs/secrets on named resources
};

// Returns a policy document as JSON text; `pretty` adds newlines and indentation as
// people paste them. `resource` names the bucket/account/topic the policy is about.
std::string_view PolicyDocument(EventContext& c, PolicyKind kind, std::string_view resource,
                                bool pretty);

// Returns `text` percent-encoded (RFC 3986 unreserved characters kept), the form IAM
// responses use for policy documents.
std::string_view UrlEncode(EventContext& c, std::string_view text);

// Writes `"tags": [{"key","value"}, ...]` with 1-4 realistic tags (keys as `key_name`,
// `value_name`, e.g. "key"/"value" or "Key"/"Value").
void WriteTags(EventContext& c, json::JsonWriter& w, std::string_view field,
               std::string_view key_name, std::string_view value_name);

// Returns a realistic object key under one of the account's prefixes.
std::string_view ObjectKey(EventContext& c);

// Returns a role of the event's account, as "path/name" (see AccountResources::role_names).
struct RoleRef {
  std::string_view arn;
  std::string_view name;
  std::string_view id;  // AROA... when the role is a persona's, else a fresh one
};
RoleRef PickRole(EventContext& c);
RoleRef PersonaRole(EventContext& c, const Persona& p);

// Returns one of the account's personas of `kind`, or null when it has none.
const Persona* PersonaOfKind(EventContext& c, PersonaKind kind);

}  // namespace trailbook::gen::internal
