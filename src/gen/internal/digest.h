// File: gen/internal/digest.h
//
// CloudTrail digest files (log file integrity validation): one per hour per region of a
// trail, listing the log files delivered in that hour with the SHA-256 of their
// uncompressed content, chained to the previous digest by its hash. The structure follows
// the CloudTrail digest format; the RSA signatures cannot be real (the generator has no
// CloudTrail private key) and are random hex of the right length.
//
//   std::string json = DigestDocument(input, &rng);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gen/internal/random.h"

namespace trailbook::gen::internal {

struct DeliveredFile {
  std::string s3_object;   // "AWSLogs/.../x.json.gz"
  std::string sha256_hex;  // of the uncompressed file content
  int64_t oldest_micros = 0;
  int64_t newest_micros = 0;
};

struct DigestInput {
  std::string_view account_id;
  std::string_view region;
  std::string_view trail;
  std::string_view bucket;
  std::string_view fingerprint;  // 32 hex digits, the (fictional) public key fingerprint
  int64_t start_micros = 0;
  int64_t end_micros = 0;
  std::vector<const DeliveredFile*> files;
  // The previous digest of this region, or empty object/hash for the first one.
  std::string_view previous_object;
  std::string_view previous_hash_hex;
  std::string_view previous_signature;
};

// Returns "AWSLogs/<account>/CloudTrail-Digest/<region>/YYYY/MM/DD/<account>_CloudTrail-
// Digest_<region>_<trail>_<region>_<YYYYMMDDTHHmmssZ>.json.gz" for a digest ending at `end`.
std::string DigestPath(std::string_view account_id, std::string_view region, std::string_view trail,
                       int64_t end_micros);

// Returns the digest JSON document (one line, no trailing newline) and sets `*signature`
// to this digest's signature (512 hex digits), which the next digest references.
std::string DigestDocument(const DigestInput& input, Rng& rng, std::string* signature);

}  // namespace trailbook::gen::internal
