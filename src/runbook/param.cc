#include "runbook/param.h"

#include <arpa/inet.h>
#include <re2/re2.h>

#include <charconv>
#include <limits>

#include "auth/jwt/claims.h"
#include "base/timestamp.h"
#include "json/json_writer.h"

namespace trailbook::runbook {
namespace {

struct KindName {
  ParamKind kind;
  std::string_view name;
};
constexpr KindName kKindNames[] = {
    {ParamKind::kString, "string"},       {ParamKind::kInt, "int"},
    {ParamKind::kBool, "bool"},           {ParamKind::kTimestamp, "timestamp"},
    {ParamKind::kDuration, "duration"},   {ParamKind::kAccountId, "account_id"},
    {ParamKind::kRegion, "region"},       {ParamKind::kArn, "arn"},
    {ParamKind::kIp, "ip"},               {ParamKind::kCidr, "cidr"},
    {ParamKind::kEnum, "enum"},
};

std::string_view KindToString(ParamKind kind) {
  for (const KindName& k : kKindNames) {
    if (k.kind == kind) return k.name;
  }
  return "?";
}

// A short, printable excerpt of a value for error messages.
std::string Excerpt(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 64)) {
    unsigned char u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? '?' : c;
  }
  if (text.size() > 64) out += "...";
  return out;
}

Status Bad(const ParamSpec& spec, const std::string& problem) {
  return InvalidArgument("parameter '" + spec.name + "': " + problem);
}

bool IsStringLike(ParamKind kind) {
  return kind == ParamKind::kString || kind == ParamKind::kArn || kind == ParamKind::kEnum;
}

Result<int64_t> ParseInt(std::string_view text) {
  int64_t v = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || ptr != end) {
    return InvalidArgument("not an integer: '" + Excerpt(text) + "'");
  }
  return v;
}

// Splits a list value: a JSON-style ["a","b"] array of strings/numbers, or "a,b,c".
Result<std::vector<std::string>> SplitList(std::string_view text) {
  std::vector<std::string> items;
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  text = trim(text);
  if (text.empty()) return items;
  if (text.front() == '[') {
    if (text.back() != ']') return InvalidArgument("list starts with '[' but does not end with ']'");
    text = trim(text.substr(1, text.size() - 2));
    size_t i = 0;
    while (i < text.size()) {
      if (text[i] == '"') {
        std::string item;
        ++i;
        while (i < text.size() && text[i] != '"') {
          if (text[i] == '\\') {
            if (i + 1 >= text.size()) return InvalidArgument("list: bad escape");
            char e = text[i + 1];
            if (e != '"' && e != '\\' && e != '/') {
              return InvalidArgument("list: only \\\" \\\\ \\/ escapes are accepted");
            }
            item += e;
            i += 2;
          } else {
            item += text[i++];
          }
        }
        if (i >= text.size()) return InvalidArgument("list: unterminated string");
        ++i;
        items.push_back(std::move(item));
      } else {
        size_t comma = text.find(',', i);
        std::string_view item = trim(text.substr(i, comma == std::string_view::npos ? text.npos : comma - i));
        if (item.empty()) return InvalidArgument("list: empty item");
        items.emplace_back(item);
        i = comma == std::string_view::npos ? text.size() : comma;
      }
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
      if (i < text.size()) {
        if (text[i] != ',') return InvalidArgument("list: expected ',' between items");
        ++i;
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
        if (i >= text.size()) return InvalidArgument("list: trailing ','");
      }
    }
    return items;
  }
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::string_view item =
        trim(text.substr(start, comma == std::string_view::npos ? text.npos : comma - start));
    if (item.empty()) return InvalidArgument("list: empty item");
    items.emplace_back(item);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return items;
}

// Parses and validates one scalar item; returns the value and, for strings, its text.
Result<sql::Value> ParseScalar(const ParamSpec& spec, std::string_view text, int64_t now_us) {
  const ParamKind kind = spec.type.kind;
  if (IsStringLike(kind) || kind == ParamKind::kAccountId || kind == ParamKind::kRegion ||
      kind == ParamKind::kIp || kind == ParamKind::kCidr) {
    for (char c : text) {
      unsigned char u = static_cast<unsigned char>(c);
      if (u < 0x20 || u == 0x7f) return Bad(spec, "control characters are not allowed");
    }
  }
  switch (kind) {
    case ParamKind::kString:
    case ParamKind::kArn:
    case ParamKind::kEnum: {
      if (!spec.type.list) {
        int64_t max = spec.max.value_or(kDefaultMaxStringBytes);
        if (static_cast<int64_t>(text.size()) > max) {
          return Bad(spec, "value is " + std::to_string(text.size()) + " bytes, longer than the limit " +
                               std::to_string(max));
        }
        if (spec.min && static_cast<int64_t>(text.size()) < *spec.min) {
          return Bad(spec, "value is shorter than " + std::to_string(*spec.min) + " bytes");
        }
      } else if (static_cast<int64_t>(text.size()) > kDefaultMaxStringBytes) {
        return Bad(spec, "list item longer than " + std::to_string(kDefaultMaxStringBytes) + " bytes");
      }
      if (kind == ParamKind::kArn) {
        static const RE2 kArnRe("arn:[a-z0-9-]+:[a-z0-9-]*:[a-z0-9-]*:([0-9]{12}|aws)?:.+");
        if (!RE2::FullMatch(text, kArnRe)) {
          return Bad(spec, "not an ARN (arn:partition:service:region:account:resource): '" +
                               Excerpt(text) + "'");
        }
      }
      if (kind == ParamKind::kEnum) {
        bool found = false;
        for (const std::string& v : spec.values) found = found || v == text;
        if (!found) {
          std::string list;
          for (const std::string& v : spec.values) list += (list.empty() ? "" : ", ") + v;
          return Bad(spec, "'" + Excerpt(text) + "' is not one of: " + list);
        }
      }
      if (!spec.pattern.empty()) {
        RE2 re(spec.pattern, RE2::Quiet);
        if (!re.ok()) return Bad(spec, "bad pattern: " + re.error());
        if (!RE2::FullMatch(text, re)) {
          return Bad(spec, "'" + Excerpt(text) + "' does not match the pattern " + spec.pattern);
        }
      }
      return sql::Value::Varchar(std::string(text));
    }
    case ParamKind::kInt: {
      Result<int64_t> v = ParseInt(text);
      if (!v.ok()) return Bad(spec, v.status().message());
      if (spec.min && *v < *spec.min) return Bad(spec, std::to_string(*v) + " is below the minimum " + std::to_string(*spec.min));
      if (spec.max && *v > *spec.max) return Bad(spec, std::to_string(*v) + " is above the maximum " + std::to_string(*spec.max));
      return sql::Value::Bigint(*v);
    }
    case ParamKind::kBool:
      if (text == "true") return sql::Value::Boolean(true);
      if (text == "false") return sql::Value::Boolean(false);
      return Bad(spec, "not a bool (true or false): '" + Excerpt(text) + "'");
    case ParamKind::kTimestamp: {
      Result<int64_t> us = ParseTimestampParam(text, now_us);
      if (!us.ok()) return Bad(spec, us.status().message());
      return sql::Value::Timestamp(*us);
    }
    case ParamKind::kDuration: {
      Result<int64_t> us = ParseDuration(text);
      if (!us.ok()) return Bad(spec, "not a duration like 15m, 24h or 7d: '" + Excerpt(text) + "'");
      if (spec.min && *us < *spec.min) return Bad(spec, "duration below the minimum");
      if (spec.max && *us > *spec.max) return Bad(spec, "duration above the maximum");
      return sql::Value::IntervalDayTime(*us);
    }
    case ParamKind::kAccountId:
      if (!auth::ValidateAccountId(text).ok()) {
        return Bad(spec, "not a 12-digit account id: '" + Excerpt(text) + "'");
      }
      return sql::Value::Varchar(std::string(text));
    case ParamKind::kRegion:
      if (!auth::ValidateRegion(text).ok()) {
        return Bad(spec, "not an AWS region name: '" + Excerpt(text) + "'");
      }
      return sql::Value::Varchar(std::string(text));
    case ParamKind::kIp:
    case ParamKind::kCidr: {
      Result<std::string> ip = CanonicalIp(text, kind == ParamKind::kCidr);
      if (!ip.ok()) return Bad(spec, ip.status().message());
      return sql::Value::Varchar(std::move(ip).value());
    }
  }
  return Bad(spec, "unknown type");
}

}  // namespace

std::string ParamType::ToString() const {
  std::string name(KindToString(kind));
  return list ? "list<" + name + ">" : name;
}

sql::LogicalType ParamType::SqlType() const {
  sql::LogicalType element;
  switch (kind) {
    case ParamKind::kInt: element = sql::LogicalType::Bigint(); break;
    case ParamKind::kBool: element = sql::LogicalType::Boolean(); break;
    case ParamKind::kTimestamp: element = sql::LogicalType::Timestamp(); break;
    case ParamKind::kDuration: element = sql::LogicalType::IntervalDayTime(); break;
    default: element = sql::LogicalType::Varchar(); break;
  }
  return list ? sql::LogicalType::Array(element) : element;
}

Result<ParamType> ParseParamType(std::string_view text) {
  ParamType type;
  std::string_view inner = text;
  if (text.starts_with("list<") && text.ends_with(">")) {
    type.list = true;
    inner = text.substr(5, text.size() - 6);
  }
  for (const KindName& k : kKindNames) {
    if (k.name == inner) {
      type.kind = k.kind;
      if (type.list && (k.kind == ParamKind::kTimestamp || k.kind == ParamKind::kDuration ||
                        k.kind == ParamKind::kBool)) {
        return InvalidArgument("list<" + std::string(inner) + "> is not supported");
      }
      return type;
    }
  }
  return InvalidArgument(
      "unknown parameter type '" + Excerpt(text) +
      "' (string, int, bool, timestamp, duration, account_id, region, arn, ip, cidr, enum, "
      "list<...>)");
}

Result<int64_t> ParseTimestampParam(std::string_view text, int64_t now_us) {
  if (text == "now") return now_us;
  if (!text.empty() && text.front() == '-') {
    Result<int64_t> ago = ParseDuration(text.substr(1));
    if (!ago.ok()) {
      return InvalidArgument("relative timestamp must be -<n>s|m|h|d, got '" + Excerpt(text) + "'");
    }
    return now_us - *ago;
  }
  std::optional<int64_t> us = ParseTimestamp(text);
  if (!us) {
    return InvalidArgument("not a timestamp (RFC 3339, 'now' or '-24h'): '" + Excerpt(text) + "'");
  }
  return *us;
}

Result<std::string> CanonicalIp(std::string_view text, bool cidr) {
  std::string addr(text);
  int prefix = -1;
  if (cidr) {
    size_t slash = addr.find('/');
    if (slash == std::string::npos) return InvalidArgument("not a CIDR (address/prefix): '" + Excerpt(text) + "'");
    Result<int64_t> p = ParseInt(std::string_view(addr).substr(slash + 1));
    if (!p.ok() || *p < 0 || *p > 128) return InvalidArgument("bad CIDR prefix: '" + Excerpt(text) + "'");
    prefix = static_cast<int>(*p);
    addr.resize(slash);
  }
  unsigned char buf[16];
  char out[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET, addr.c_str(), buf) == 1) {
    if (prefix > 32) return InvalidArgument("IPv4 prefix above 32: '" + Excerpt(text) + "'");
    inet_ntop(AF_INET, buf, out, sizeof out);
  } else if (inet_pton(AF_INET6, addr.c_str(), buf) == 1) {
    inet_ntop(AF_INET6, buf, out, sizeof out);
  } else {
    return InvalidArgument(std::string(cidr ? "not a CIDR" : "not an IP address") + ": '" +
                           Excerpt(text) + "'");
  }
  std::string canonical(out);
  if (cidr) canonical += "/" + std::to_string(prefix);
  return canonical;
}

Result<sql::Value> ParseParamValue(const ParamSpec& spec, std::string_view text, int64_t now_us) {
  if (text.size() > kMaxRawValueBytes) {
    return Bad(spec, "value is " + std::to_string(text.size()) + " bytes, longer than the limit " +
                         std::to_string(kMaxRawValueBytes));
  }
  if (!spec.type.list) return ParseScalar(spec, text, now_us);
  Result<std::vector<std::string>> items = SplitList(text);
  if (!items.ok()) return Bad(spec, items.status().message());
  if (items->size() > kMaxListItems) return Bad(spec, "more than " + std::to_string(kMaxListItems) + " items");
  int64_t count = static_cast<int64_t>(items->size());
  if (spec.min && count < *spec.min) return Bad(spec, "fewer than " + std::to_string(*spec.min) + " items");
  if (spec.max && count > *spec.max) return Bad(spec, "more than " + std::to_string(*spec.max) + " items");
  json::JsonWriter w;
  w.BeginArray();
  for (const std::string& item : *items) {
    TB_ASSIGN_OR_RETURN(sql::Value v, ParseScalar(spec, item, now_us));
    if (spec.type.kind == ParamKind::kInt) {
      w.Int(v.int_value());
    } else {
      w.String(v.string_value());
    }
  }
  w.EndArray();
  return sql::Value::FromText(spec.type.SqlType(), std::move(w).Take());
}

Status ValidateParamSpec(const ParamSpec& spec) {
  static const RE2 kNameRe("[a-z_][a-z0-9_]{0,63}");
  if (!RE2::FullMatch(spec.name, kNameRe)) {
    return InvalidArgument("parameter name '" + Excerpt(spec.name) +
                           "' must match [a-z_][a-z0-9_]* (at most 64 characters)");
  }
  if (!spec.pattern.empty()) {
    if (spec.type.kind != ParamKind::kString && spec.type.kind != ParamKind::kArn) {
      return Bad(spec, "pattern applies only to string and arn parameters");
    }
    RE2 re(spec.pattern, RE2::Quiet);
    if (!re.ok()) return Bad(spec, "pattern does not compile: " + re.error());
  }
  if (spec.type.kind == ParamKind::kEnum && spec.values.empty()) {
    return Bad(spec, "an enum needs a non-empty 'values' list");
  }
  if (spec.type.kind != ParamKind::kEnum && !spec.values.empty()) {
    return Bad(spec, "'values' applies only to enum parameters");
  }
  if (spec.min && spec.max && *spec.min > *spec.max) return Bad(spec, "min is greater than max");
  if (spec.required && spec.default_value) return Bad(spec, "a required parameter has no default");
  if (spec.default_value) {
    Result<sql::Value> v = ParseParamValue(spec, *spec.default_value, 0);
    if (!v.ok()) return InvalidArgument("default: " + v.status().message());
  }
  return Status::OK();
}

}  // namespace trailbook::runbook
