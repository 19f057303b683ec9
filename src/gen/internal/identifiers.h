// File: gen/internal/identifiers.h
//
// Text forms of the identifiers and instants that appear in CloudTrail records: UUIDs,
// access key and principal ids, S3 request ids, session tokens, EC2-style resource ids,
// IPv4/IPv6 addresses, and the three time formats CloudTrail uses (ISO-8601 eventTime, the
// Java "MMM d, yyyy, h:mm:ss AM" form of IAM/STS responses, and the compact S3 key form).
// Every function appends to `out` and draws randomness only from the Rng it is given.
//
//   std::string id;
//   AppendUuid(rng, &id);  // "3f1c9a2e-7b4d-4e8f-9a21-0c5d6e7f8a9b"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "gen/internal/random.h"

namespace trailbook::gen::internal {

// Appends `n` characters drawn uniformly from `alphabet`.
void AppendRandom(Rng& rng, std::string_view alphabet, size_t n, std::string* out);

inline constexpr std::string_view kLowerHex = "0123456789abcdef";
inline constexpr std::string_view kUpperHex = "0123456789ABCDEF";
inline constexpr std::string_view kAlnum =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
inline constexpr std::string_view kLowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789";
inline constexpr std::string_view kUpperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
// AWS access key and unique ids use upper-case base32 characters.
inline constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
inline constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
inline constexpr std::string_view kDigits = "0123456789";

// Appends a lower-case RFC 4122 version-4 UUID.
void AppendUuid(Rng& rng, std::string* out);

// Appends `prefix` followed by `n` base32 characters: access keys ("AKIA", 16), user ids
// ("AIDA", 17), role ids ("AROA", 17).
void AppendAwsId(Rng& rng, std::string_view prefix, size_t n, std::string* out);

// Appends a base64 string of `n` characters padded with '=' to a multiple of 4.
void AppendBase64(Rng& rng, size_t n, std::string* out);

// Appends an STS session token: the "IQoJb3JpZ2luX2Vj" prefix real tokens share, then
// base64 text, 700 to 1000 characters in total.
void AppendSessionToken(Rng& rng, std::string* out);

// Appends `prefix` and `n` lower-case hex digits ("i-", 17 for an instance id).
void AppendHexId(Rng& rng, std::string_view prefix, size_t n, std::string* out);

// Appends a dotted-quad IPv4 address.
void AppendIpv4(uint32_t address, std::string* out);

// Appends an IPv6 address given as eight 16-bit groups, in RFC 5952 short form (the longest
// run of two or more zero groups collapsed to "::").
void AppendIpv6(const uint16_t (&groups)[8], std::string* out);

// Appends "YYYY-MM-DDTHH:MM:SSZ" (CloudTrail's eventTime form) for `micros` (seconds kept).
void AppendIsoTime(int64_t micros, std::string* out);

// Appends "Oct 12, 2026, 8:01:02 PM", the form IAM and STS responses use.
void AppendJavaTime(int64_t micros, std::string* out);

// Appends "YYYYMMDDTHHmmZ", or "YYYYMMDDTHHmmssZ" when `seconds` is set (S3 object names).
void AppendCompactTime(int64_t micros, bool seconds, std::string* out);

// Appends "YYYY/MM/DD" for the UTC date of `micros` (the S3 key date directories).
void AppendDatePath(int64_t micros, std::string* out);

// Appends the decimal form of `v`.
void AppendInt(int64_t v, std::string* out);

// Appends `v` with exactly one fractional digit ("500.0"), as CloudTrail writes byte counts.
void AppendTenths(int64_t tenths, std::string* out);

}  // namespace trailbook::gen::internal
