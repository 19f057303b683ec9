#include "auth/jwt/token_builder.h"

#include "auth/jwt/base64url.h"
#include "base/timestamp.h"
#include "crypto/digest.h"
#include "json/json_writer.h"

namespace trailbook::auth {
namespace {

Status ValidateSpec(const TokenSpec& spec) {
  TB_RETURN_IF_ERROR(ValidatePrintable("typ", spec.typ, 64));
  TB_RETURN_IF_ERROR(ValidatePrintable("iss", spec.issuer, kMaxIssuerBytes));
  if (spec.audiences.empty()) return InvalidArgument("\"aud\": at least one audience is required");
  if (spec.audiences.size() > kMaxAudiences) return InvalidArgument("\"aud\": too many audiences");
  for (const std::string& aud : spec.audiences) {
    TB_RETURN_IF_ERROR(ValidatePrintable("aud", aud, kMaxIssuerBytes));
  }
  TB_RETURN_IF_ERROR(ValidatePrintable("sub", spec.subject, kMaxSubjectBytes));
  if (!spec.token_id.empty()) TB_RETURN_IF_ERROR(ValidatePrintable("jti", spec.token_id, kMaxJtiBytes));
  if (spec.runbooks.empty()) return InvalidArgument("\"runbooks\": at least one entry is required");
  if (spec.runbooks.size() > kMaxRunbookEntries) return InvalidArgument("\"runbooks\": too many entries");
  for (const std::string& entry : spec.runbooks) TB_RETURN_IF_ERROR(ValidateRunbookEntry(entry));
  if (!spec.scopes.empty()) {
    std::string joined;
    for (const std::string& s : spec.scopes) joined += (joined.empty() ? "" : " ") + s;
    std::vector<std::string> ignored;
    TB_ASSIGN_OR_RETURN(auto known, ParseScope(joined, &ignored));
    (void)known;
    if (!ignored.empty()) {
      return InvalidArgument(std::string("\"scope\": unknown scope ") + QuoteForDetail(ignored.front()) +
                             " (known: runbook:run query:adhoc snapshot:read audit:read)");
    }
  }
  if (spec.reason) TB_RETURN_IF_ERROR(ValidatePrintable("reason", *spec.reason, kMaxReasonBytes));
  for (const std::string& a : spec.constraints.accounts) TB_RETURN_IF_ERROR(ValidateAccountId(a));
  for (const std::string& r : spec.constraints.regions) TB_RETURN_IF_ERROR(ValidateRegion(r));
  const Constraints& c = spec.constraints;
  if (c.max_window_us && *c.max_window_us <= 0) return InvalidArgument("max_window must be > 0");
  if (c.event_time_after_us && c.event_time_before_us &&
      *c.event_time_after_us >= *c.event_time_before_us) {
    return InvalidArgument("event_time_after must be before event_time_before");
  }
  if (spec.ttl_us < kMicrosPerSecond) return InvalidArgument("ttl must be at least 1s");
  if (spec.issued_at_us < 0) return InvalidArgument("iat must not be before 1970");
  return Status::OK();
}

void WriteStringList(json::JsonWriter& w, const std::vector<std::string>& values) {
  w.BeginArray();
  for (const std::string& v : values) w.String(v);
  w.EndArray();
}

}  // namespace

Result<std::string> MintToken(const TokenSpec& spec, const Signer& signer) {
  TB_RETURN_IF_ERROR(ValidateSpec(spec));
  std::string jti = spec.token_id;
  if (jti.empty()) {
    TB_ASSIGN_OR_RETURN(jti, crypto::RandomUuid());
  }
  const int64_t iat = spec.issued_at_us / kMicrosPerSecond;
  const int64_t exp = iat + spec.ttl_us / kMicrosPerSecond;
  if (exp > kMaxNumericDate) return InvalidArgument("exp is beyond year 9999");

  json::JsonWriter header;
  header.BeginObject();
  header.Key("alg");
  header.String(JwsAlgorithmName(signer.alg()));
  header.Key("typ");
  header.String(spec.typ);
  if (signer.kid()) {
    header.Key("kid");
    header.String(*signer.kid());
  }
  header.EndObject();

  json::JsonWriter claims;
  claims.BeginObject();
  claims.Key("iss");
  claims.String(spec.issuer);
  claims.Key("aud");
  if (spec.audiences.size() == 1) {
    claims.String(spec.audiences.front());
  } else {
    WriteStringList(claims, spec.audiences);
  }
  claims.Key("sub");
  claims.String(spec.subject);
  claims.Key("jti");
  claims.String(jti);
  claims.Key("iat");
  claims.Int(iat);
  if (spec.not_before_us) {
    claims.Key("nbf");
    claims.Int(*spec.not_before_us / kMicrosPerSecond);
  }
  claims.Key("exp");
  claims.Int(exp);
  claims.Key("runbooks");
  WriteStringList(claims, spec.runbooks);
  if (!spec.scopes.empty()) {
    std::string joined;
    for (const std::string& s : spec.scopes) joined += (joined.empty() ? "" : " ") + s;
    claims.Key("scope");
    claims.String(joined);
  }
  if (spec.reason) {
    claims.Key("reason");
    claims.String(*spec.reason);
  }
  const Constraints& c = spec.constraints;
  if (!c.empty()) {
    claims.Key("constraints");
    claims.BeginObject();
    if (!c.accounts.empty()) {
      claims.Key("accounts");
      WriteStringList(claims, c.accounts);
    }
    if (!c.regions.empty()) {
      claims.Key("regions");
      WriteStringList(claims, c.regions);
    }
    if (c.max_window_us) {
      claims.Key("max_window");
      claims.String(FormatDuration(*c.max_window_us));
    }
    if (c.event_time_after_us) {
      claims.Key("event_time_after");
      claims.String(FormatTimestamp(*c.event_time_after_us));
    }
    if (c.event_time_before_us) {
      claims.Key("event_time_before");
      claims.String(FormatTimestamp(*c.event_time_before_us));
    }
    claims.EndObject();
  }
  claims.EndObject();

  std::string token = Base64UrlEncode(header.str()) + "." + Base64UrlEncode(claims.str());
  TB_ASSIGN_OR_RETURN(std::string signature, signer.Sign(token));
  token += ".";
  token += Base64UrlEncode(signature);
  return token;
}

}  // namespace trailbook::auth
