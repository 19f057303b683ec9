#include "gen/internal/digest.h"

#include "gen/internal/identifiers.h"
#include "json/json_writer.h"

namespace trailbook::gen::internal {
namespace {

std::string Iso(int64_t micros) {
  std::string s;
  AppendIsoTime(micros, &s);
  return s;
}

void StrOrNull(json::JsonWriter& w, std::string_view key, std::string_view value) {
  w.Key(key);
  if (value.empty()) {
    w.Null();
  } else {
    w.String(value);
  }
}

}  // namespace

std::string DigestPath(std::string_view account_id, std::string_view region, std::string_view trail,
                       int64_t end_micros) {
  std::string path = "AWSLogs/";
  path.append(account_id).append("/CloudTrail-Digest/").append(region).append("/");
  AppendDatePath(end_micros, &path);
  path.push_back('/');
  path.append(account_id).append("_CloudTrail-Digest_").append(region).append("_");
  path.append(trail).append("_").append(region).append("_");
  AppendCompactTime(end_micros, true, &path);
  path.append(".json.gz");
  return path;
}

std::string DigestDocument(const DigestInput& in, Rng& rng, std::string* signature) {
  int64_t oldest = 0, newest = 0;
  for (const DeliveredFile* f : in.files) {
    if (oldest == 0 || f->oldest_micros < oldest) oldest = f->oldest_micros;
    if (f->newest_micros > newest) newest = f->newest_micros;
  }
  json::JsonWriter w;
  w.BeginObject();
  w.Key("awsAccountId");
  w.String(in.account_id);
  w.Key("digestStartTime");
  w.String(Iso(in.start_micros));
  w.Key("digestEndTime");
  w.String(Iso(in.end_micros));
  w.Key("digestS3Bucket");
  w.String(in.bucket);
  w.Key("digestS3Object");
  w.String(DigestPath(in.account_id, in.region, in.trail, in.end_micros));
  w.Key("digestPublicKeyFingerprint");
  w.String(in.fingerprint);
  w.Key("digestSignatureAlgorithm");
  w.String("SHA256withRSA");
  StrOrNull(w, "newestEventTime", in.files.empty() ? "" : Iso(newest));
  StrOrNull(w, "oldestEventTime", in.files.empty() ? "" : Iso(oldest));
  StrOrNull(w, "previousDigestS3Bucket", in.previous_object.empty() ? "" : in.bucket);
  StrOrNull(w, "previousDigestS3Object", in.previous_object);
  StrOrNull(w, "previousDigestHashValue", in.previous_hash_hex);
  StrOrNull(w, "previousDigestHashAlgorithm", in.previous_object.empty() ? "" : "SHA-256");
  StrOrNull(w, "previousDigestSignature", in.previous_signature);
  w.Key("logFiles");
  w.BeginArray();
  for (const DeliveredFile* f : in.files) {
    w.BeginObject();
    w.Key("s3Bucket");
    w.String(in.bucket);
    w.Key("s3Object");
    w.String(f->s3_object);
    w.Key("hashValue");
    w.String(f->sha256_hex);
    w.Key("hashAlgorithm");
    w.String("SHA-256");
    w.Key("newestEventTime");
    w.String(Iso(f->newest_micros));
    w.Key("oldestEventTime");
    w.String(Iso(f->oldest_micros));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  signature->clear();
  AppendRandom(rng, kLowerHex, 512, signature);
  return std::move(w).Take();
}

}  // namespace trailbook::gen::internal
