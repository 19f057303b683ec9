#include "runbook/runbook.h"

#include <re2/re2.h>

#include <set>

#include "auth/jwt/claims.h"
#include "base/timestamp.h"
#include "crypto/digest.h"
#include "json/json_writer.h"

namespace trailbook::runbook {

const ParamSpec* Runbook::FindParam(std::string_view name) const {
  for (const ParamSpec& p : params) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string Runbook::CanonicalJson() const {
  json::JsonWriter w;
  w.BeginObject();
  w.Key("id");
  w.String(id);
  w.Key("version");
  w.String(version);
  w.Key("title");
  w.String(title);
  w.Key("description");
  w.String(description);
  w.Key("tags");
  w.BeginArray();
  for (const std::string& t : tags) w.String(t);
  w.EndArray();
  w.Key("require_reason");
  w.Bool(require_reason);
  w.Key("params");
  w.BeginArray();
  for (const ParamSpec& p : params) {
    w.BeginObject();
    w.Key("name");
    w.String(p.name);
    w.Key("type");
    w.String(p.type.ToString());
    w.Key("description");
    w.String(p.description);
    w.Key("required");
    w.Bool(p.required);
    w.Key("default");
    p.default_value ? w.String(*p.default_value) : w.Null();
    w.Key("pattern");
    w.String(p.pattern);
    w.Key("min");
    p.min ? w.Int(*p.min) : w.Null();
    w.Key("max");
    p.max ? w.Int(*p.max) : w.Null();
    w.Key("values");
    w.BeginArray();
    for (const std::string& v : p.values) w.String(v);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("query");
  w.String(query);
  w.Key("output");
  w.BeginArray();
  for (const OutputColumn& c : output) {
    w.BeginObject();
    w.Key("name");
    w.String(c.name);
    w.Key("description");
    w.String(c.description);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::move(w).Take();
}

Status Runbook::Finalize() {
  if (Status s = auth::ValidateRunbookId(id); !s.ok()) return InvalidArgument("id: " + s.message());
  static const RE2 kVersionRe("[0-9A-Za-z][0-9A-Za-z.+-]{0,63}");
  if (!RE2::FullMatch(version, kVersionRe)) {
    return InvalidArgument("version: must be 1-64 characters of [0-9A-Za-z.+-], e.g. 1.2.0");
  }
  if (title.empty()) return InvalidArgument("title: missing");
  if (query.empty()) return InvalidArgument("query: missing");
  std::set<std::string> names;
  for (const ParamSpec& p : params) {
    TB_RETURN_IF_ERROR(ValidateParamSpec(p));
    if (!names.insert(p.name).second) return InvalidArgument("params: duplicate parameter '" + p.name + "'");
  }
  std::set<std::string> used;
  for (const std::string& n : QueryParameterNames(query)) {
    if (!names.count(n)) {
      return InvalidArgument("query: uses :" + n + " but no parameter '" + n + "' is declared");
    }
    used.insert(n);
  }
  for (const ParamSpec& p : params) {
    if (!used.count(p.name)) {
      return InvalidArgument("params: '" + p.name + "' is declared but the query never uses :" + p.name);
    }
  }
  hash = crypto::ToHex(crypto::Sha256(CanonicalJson()));
  return Status::OK();
}

Result<BoundParams> BindParams(const Runbook& runbook, const std::map<std::string, std::string>& raw,
                               int64_t now_us) {
  for (const auto& [name, value] : raw) {
    if (!runbook.FindParam(name)) {
      std::string known;
      for (const ParamSpec& p : runbook.params) known += (known.empty() ? "" : ", ") + p.name;
      std::string shown = name.size() > 64 ? name.substr(0, 64) + "..." : name;
      return InvalidArgument("parameter '" + shown + "': runbook " + runbook.id +
                             " has no such parameter (it takes: " + (known.empty() ? "none" : known) + ")");
    }
  }
  BoundParams bound;
  for (const ParamSpec& spec : runbook.params) {
    auto it = raw.find(spec.name);
    std::optional<std::string> text;
    if (it != raw.end()) {
      text = it->second;
    } else if (spec.default_value) {
      text = *spec.default_value;
      bound.defaulted.push_back(spec.name);
    } else if (spec.required) {
      return InvalidArgument("parameter '" + spec.name + "': required (" + spec.type.ToString() +
                             ") but not given");
    }
    if (!text) {
      bound.values[spec.name] = sql::Value::Null(spec.type.SqlType());
      bound.display[spec.name] = "NULL";
      continue;
    }
    TB_ASSIGN_OR_RETURN(sql::Value v, ParseParamValue(spec, *text, now_us));
    bound.display[spec.name] =
        v.type().id() == sql::TypeId::kTimestamp ? FormatTimestamp(v.int_value()) : v.ToString();
    bound.values[spec.name] = std::move(v);
  }
  return bound;
}

std::vector<std::string> QueryParameterNames(std::string_view sql) {
  std::vector<std::string> names;
  std::set<std::string> seen;
  size_t i = 0;
  auto is_start = [](char c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  auto is_part = [&](char c) { return is_start(c) || (c >= '0' && c <= '9'); };
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'' || c == '"') {
      // String literal or quoted identifier; a doubled quote escapes itself.
      ++i;
      while (i < sql.size()) {
        if (sql[i] == c) {
          if (i + 1 < sql.size() && sql[i + 1] == c) {
            i += 2;
            continue;
          }
          break;
        }
        ++i;
      }
      ++i;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      size_t end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
    } else if (c == ':' && i + 1 < sql.size() && is_start(sql[i + 1])) {
      size_t start = ++i;
      while (i < sql.size() && is_part(sql[i])) ++i;
      std::string name(sql.substr(start, i - start));
      if (seen.insert(name).second) names.push_back(std::move(name));
    } else {
      ++i;
    }
  }
  return names;
}

}  // namespace trailbook::runbook
