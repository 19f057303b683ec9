// File: runbook/param.h
//
// Typed runbook parameters: the declared types (string, int, bool, timestamp, duration,
// account_id, region, arn, ip, cidr, enum, list<...>), their validation (required/default,
// pattern, min/max, enum values) and the parsing of a caller's raw text into the typed
// sql::Value that is bound to `:name` in the parsed query (never spliced into SQL text).
//
//   ParamSpec spec;  spec.name = "start";  spec.type = {ParamKind::kTimestamp};
//   TB_ASSIGN_OR_RETURN(sql::Value v, ParseParamValue(spec, "-24h", now_us));
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "sql/types/value.h"

namespace trailbook::runbook {

enum class ParamKind {
  kString,     // varchar
  kInt,        // bigint
  kBool,       // boolean: true/false
  kTimestamp,  // RFC 3339, "now", or relative "-24h" / "-7d" / "-15m" / "-30s"
  kDuration,   // "15m", "7d": interval day to second
  kAccountId,  // 12 digits
  kRegion,     // us-east-1
  kArn,        // arn:partition:service:region:account:resource
  kIp,         // IPv4 or IPv6 address
  kCidr,       // address/prefix
  kEnum,       // one of `values`
};

struct ParamType {
  ParamKind kind = ParamKind::kString;
  bool list = false;  // list<kind>: a JSON/YAML list or comma-separated text; bound as array

  // "string", "list<ip>", ...
  std::string ToString() const;
  // The SQL type the value is bound as.
  sql::LogicalType SqlType() const;
};

// Parses a type name ("int", "list<account_id>"). Errors: kInvalidArgument naming the type;
// lists of timestamp, duration or bool are not supported.
Result<ParamType> ParseParamType(std::string_view text);

// Longest string value accepted when a string-like parameter declares no `max`.
inline constexpr int64_t kDefaultMaxStringBytes = 1024;
// Hard cap on any one raw parameter value, whatever `max` says.
inline constexpr size_t kMaxRawValueBytes = 64 * 1024;
inline constexpr size_t kMaxListItems = 1000;

struct ParamSpec {
  std::string name;  // [a-z_][a-z0-9_]*, referred to as :name in the query
  ParamType type;
  std::string description;
  bool required = false;
  std::optional<std::string> default_value;  // raw text, parsed like a caller's value
  std::string pattern;                       // RE2, must match the whole value (strings)
  std::optional<int64_t> min;  // int: value; string-like: length in bytes; list: item count
  std::optional<int64_t> max;  //   (duration: microseconds)
  std::vector<std::string> values;  // enum members
};

// Parses `text` (a caller's raw value, or the default) as `spec` declares it, relative to
// `now_us` for relative timestamps, and validates it. Errors: kInvalidArgument of the form
// "parameter 'name': <problem>", never echoing more than 64 bytes of the value.
Result<sql::Value> ParseParamValue(const ParamSpec& spec, std::string_view text, int64_t now_us);

// Checks the spec itself (name syntax, pattern compiles, enum has values, min <= max, the
// default parses). Errors: kInvalidArgument naming the parameter and problem.
Status ValidateParamSpec(const ParamSpec& spec);

// Parses a relative or absolute timestamp ("now", "-24h", "-7d", "2026-01-01T00:00:00Z").
Result<int64_t> ParseTimestampParam(std::string_view text, int64_t now_us);

// Parses an IPv4/IPv6 address or, when `cidr`, address/prefix; returns the canonical text.
Result<std::string> CanonicalIp(std::string_view text, bool cidr);

}  // namespace trailbook::runbook
