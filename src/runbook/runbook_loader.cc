#include "runbook/runbook_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <set>

#include "io/file.h"
#include "json/json_writer.h"

namespace trailbook::runbook {
namespace {

// Reports problems as "path:line: field: problem".
class YamlReader {
 public:
  // `text` is the document `path` holds; both must outlive the reader.
  YamlReader(const std::string& path, std::string_view text) : path_(path), text_(text) {}

  // True when the scalar at `mark` is a block scalar ('|' or '>'): its text starts on the
  // next line.
  bool IsBlockScalar(const YAML::Mark& mark) const {
    if (mark.pos < 0 || static_cast<size_t>(mark.pos) >= text_.size()) return false;
    char c = text_[static_cast<size_t>(mark.pos)];
    return c == '|' || c == '>';
  }

  Status Error(const YAML::Node& node, const std::string& field, const std::string& problem) const {
    int line = node.IsDefined() ? node.Mark().line + 1 : 0;
    return InvalidArgument(path_ + ":" + std::to_string(line > 0 ? line : 1) + ": " + field + ": " +
                           problem);
  }

  Result<std::string> Scalar(const YAML::Node& node, const std::string& field) const {
    if (!node.IsScalar()) return Error(node, field, "must be a scalar (text or number)");
    return node.Scalar();
  }

  Result<bool> Bool(const YAML::Node& node, const std::string& field) const {
    if (node.IsScalar() && (node.Scalar() == "true" || node.Scalar() == "false")) {
      return node.Scalar() == "true";
    }
    return Error(node, field, "must be true or false");
  }

  Result<int64_t> Int(const YAML::Node& node, const std::string& field) const {
    if (!node.IsScalar()) return Error(node, field, "must be an integer");
    const std::string& s = node.Scalar();
    int64_t v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) {
      return Error(node, field, "must be a 64-bit integer, got '" + s.substr(0, 40) + "'");
    }
    return v;
  }

  Result<std::vector<std::string>> StringList(const YAML::Node& node, const std::string& field) const {
    if (!node.IsSequence()) return Error(node, field, "must be a list");
    std::vector<std::string> out;
    for (size_t i = 0; i < node.size(); ++i) {
      TB_ASSIGN_OR_RETURN(std::string s, Scalar(node[i], field + "[" + std::to_string(i) + "]"));
      out.push_back(std::move(s));
    }
    return out;
  }

  // Rejects keys of `map` outside `allowed`.
  Status OnlyKeys(const YAML::Node& map, const std::string& field,
                  std::initializer_list<std::string_view> allowed) const {
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (!it->first.IsScalar()) return Error(it->first, field, "keys must be text");
      const std::string& key = it->first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::string list;
        for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        return Error(it->first, (field.empty() ? "" : field + ".") + key,
                     "unknown field (expected one of: " + list + ")");
      }
    }
    return Status::OK();
  }

  // Renders a YAML value as JSON: plain scalars that read as numbers, booleans or null stay
  // literals, everything else (including quoted scalars) becomes a string.
  Status ToJson(const YAML::Node& node, const std::string& field, int depth, json::JsonWriter* w) const {
    if (depth > 32) return Error(node, field, "nested too deeply");
    if (node.IsMap()) {
      w->BeginObject();
      for (auto it = node.begin(); it != node.end(); ++it) {
        TB_ASSIGN_OR_RETURN(std::string key, Scalar(it->first, field));
        w->Key(key);
        TB_RETURN_IF_ERROR(ToJson(it->second, field + "." + key, depth + 1, w));
      }
      w->EndObject();
    } else if (node.IsSequence()) {
      w->BeginArray();
      for (size_t i = 0; i < node.size(); ++i) {
        TB_RETURN_IF_ERROR(ToJson(node[i], field + "[" + std::to_string(i) + "]", depth + 1, w));
      }
      w->EndArray();
    } else if (node.IsNull()) {
      w->Null();
    } else {
      const std::string& s = node.Scalar();
      bool plain = node.Tag() == "?";
      if (plain && (s == "true" || s == "false")) {
        w->Bool(s == "true");
      } else if (plain && !s.empty() && s.size() < 19 &&
                 std::all_of(s.begin() + (s[0] == '-' ? 1 : 0), s.end(),
                             [](char c) { return c >= '0' && c <= '9'; }) &&
                 s != "-") {
        w->Int(std::stoll(s));
      } else {
        w->String(s);
      }
    }
    return Status::OK();
  }

 private:
  const std::string& path_;
  std::string_view text_;
};

Result<ParamSpec> ParseParam(const YamlReader& r, const std::string& name, const YAML::Node& node,
                             const std::string& field) {
  ParamSpec p;
  p.name = name;
  if (!node.IsMap()) return r.Error(node, field, "must be a mapping with at least 'type'");
  TB_RETURN_IF_ERROR(r.OnlyKeys(node, field,
                                {"type", "description", "required", "default", "pattern", "min",
                                 "max", "values"}));
  if (!node["type"]) return r.Error(node, field + ".type", "missing");
  TB_ASSIGN_OR_RETURN(std::string type, r.Scalar(node["type"], field + ".type"));
  Result<ParamType> t = ParseParamType(type);
  if (!t.ok()) return r.Error(node["type"], field + ".type", t.status().message());
  p.type = *t;
  if (node["description"]) {
    TB_ASSIGN_OR_RETURN(p.description, r.Scalar(node["description"], field + ".description"));
  }
  if (node["required"]) {
    TB_ASSIGN_OR_RETURN(p.required, r.Bool(node["required"], field + ".required"));
  }
  if (node["default"]) {
    const YAML::Node& d = node["default"];
    if (d.IsSequence()) {
      if (!p.type.list) return r.Error(d, field + ".default", "a list default needs a list<...> type");
      json::JsonWriter w;
      TB_RETURN_IF_ERROR(r.ToJson(d, field + ".default", 0, &w));
      p.default_value = w.str();
    } else {
      TB_ASSIGN_OR_RETURN(std::string s, r.Scalar(d, field + ".default"));
      p.default_value = std::move(s);
    }
  }
  if (node["pattern"]) {
    TB_ASSIGN_OR_RETURN(p.pattern, r.Scalar(node["pattern"], field + ".pattern"));
  }
  if (node["min"]) {
    TB_ASSIGN_OR_RETURN(p.min, r.Int(node["min"], field + ".min"));
  }
  if (node["max"]) {
    TB_ASSIGN_OR_RETURN(p.max, r.Int(node["max"], field + ".max"));
  }
  if (node["values"]) {
    TB_ASSIGN_OR_RETURN(p.values, r.StringList(node["values"], field + ".values"));
  }
  if (Status s = ValidateParamSpec(p); !s.ok()) return r.Error(node, field, s.message());
  return p;
}

Result<RunbookTestCase> ParseTest(const YamlReader& r, const YAML::Node& node, const std::string& field) {
  RunbookTestCase tc;
  if (!node.IsMap()) return r.Error(node, field, "must be a mapping");
  TB_RETURN_IF_ERROR(r.OnlyKeys(node, field,
                                {"name", "events", "events_file", "params", "now", "expect_rows",
                                 "expect_count"}));
  tc.line = node.Mark().line + 1;
  if (!node["name"]) return r.Error(node, field + ".name", "missing");
  TB_ASSIGN_OR_RETURN(tc.name, r.Scalar(node["name"], field + ".name"));
  if (node["events"]) {
    const YAML::Node& ev = node["events"];
    if (!ev.IsSequence()) return r.Error(ev, field + ".events", "must be a list of events");
    for (size_t i = 0; i < ev.size(); ++i) {
      std::string f = field + ".events[" + std::to_string(i) + "]";
      if (!ev[i].IsMap()) return r.Error(ev[i], f, "must be a CloudTrail event mapping");
      json::JsonWriter w;
      TB_RETURN_IF_ERROR(r.ToJson(ev[i], f, 0, &w));
      tc.events_json.push_back(w.str());
    }
  }
  if (node["events_file"]) {
    TB_ASSIGN_OR_RETURN(tc.events_file, r.Scalar(node["events_file"], field + ".events_file"));
  }
  if (node["params"]) {
    const YAML::Node& ps = node["params"];
    if (!ps.IsMap()) return r.Error(ps, field + ".params", "must be a mapping name: value");
    for (auto it = ps.begin(); it != ps.end(); ++it) {
      TB_ASSIGN_OR_RETURN(std::string key, r.Scalar(it->first, field + ".params"));
      if (it->second.IsSequence()) {
        json::JsonWriter w;
        TB_RETURN_IF_ERROR(r.ToJson(it->second, field + ".params." + key, 0, &w));
        tc.params[key] = w.str();
      } else {
        TB_ASSIGN_OR_RETURN(tc.params[key], r.Scalar(it->second, field + ".params." + key));
      }
    }
  }
  if (node["now"]) {
    TB_ASSIGN_OR_RETURN(tc.now, r.Scalar(node["now"], field + ".now"));
  }
  if (node["expect_rows"]) {
    const YAML::Node& rows = node["expect_rows"];
    if (!rows.IsSequence()) return r.Error(rows, field + ".expect_rows", "must be a list of rows");
    std::vector<std::vector<std::string>> expected;
    for (size_t i = 0; i < rows.size(); ++i) {
      TB_ASSIGN_OR_RETURN(std::vector<std::string> row,
                          r.StringList(rows[i], field + ".expect_rows[" + std::to_string(i) + "]"));
      expected.push_back(std::move(row));
    }
    tc.expect_rows = std::move(expected);
  }
  if (node["expect_count"]) {
    TB_ASSIGN_OR_RETURN(int64_t n, r.Int(node["expect_count"], field + ".expect_count"));
    if (n < 0) return r.Error(node["expect_count"], field + ".expect_count", "must be >= 0");
    tc.expect_count = static_cast<uint64_t>(n);
  }
  if (!tc.expect_rows && !tc.expect_count) {
    return r.Error(node, field, "needs expect_rows or expect_count");
  }
  if (tc.events_json.empty() == tc.events_file.empty()) {
    return r.Error(node, field, "needs exactly one of events (inline) and events_file");
  }
  return tc;
}

Result<Runbook> ParseRoot(const YamlReader& r, const YAML::Node& root, const std::string& path) {
  Runbook rb;
  rb.source_path = path;
  if (!root.IsMap()) return r.Error(root, "(document)", "a runbook file is a YAML mapping");
  // `alert` belongs to detection runbooks: the monitor parses and validates it
  // (docs/monitor.md); here it only has to be a mapping, so `run` and `validate` accept them.
  TB_RETURN_IF_ERROR(r.OnlyKeys(root, "",
                                {"id", "version", "title", "description", "tags", "require_reason",
                                 "params", "query", "output", "tests", "alert"}));
  if (root["alert"] && !root["alert"].IsMap()) {
    return r.Error(root["alert"], "alert", "must be a mapping (see docs/monitor.md)");
  }
  for (const char* required : {"id", "version", "title", "query"}) {
    if (!root[required]) return r.Error(root, required, "missing");
  }
  TB_ASSIGN_OR_RETURN(rb.id, r.Scalar(root["id"], "id"));
  TB_ASSIGN_OR_RETURN(rb.version, r.Scalar(root["version"], "version"));
  TB_ASSIGN_OR_RETURN(rb.title, r.Scalar(root["title"], "title"));
  TB_ASSIGN_OR_RETURN(rb.query, r.Scalar(root["query"], "query"));
  // A block scalar (query: |) starts on the line after its key.
  rb.query_line = root["query"].Mark().line + 1 + (r.IsBlockScalar(root["query"].Mark()) ? 1 : 0);
  if (root["description"]) {
    TB_ASSIGN_OR_RETURN(rb.description, r.Scalar(root["description"], "description"));
  }
  if (root["tags"]) {
    TB_ASSIGN_OR_RETURN(rb.tags, r.StringList(root["tags"], "tags"));
  }
  if (root["require_reason"]) {
    TB_ASSIGN_OR_RETURN(rb.require_reason, r.Bool(root["require_reason"], "require_reason"));
  }
  if (root["params"]) {
    const YAML::Node& ps = root["params"];
    if (!ps.IsMap()) return r.Error(ps, "params", "must be a mapping name: {type: ...}");
    for (auto it = ps.begin(); it != ps.end(); ++it) {
      TB_ASSIGN_OR_RETURN(std::string name, r.Scalar(it->first, "params"));
      TB_ASSIGN_OR_RETURN(ParamSpec p, ParseParam(r, name, it->second, "params." + name));
      if (rb.FindParam(name)) return r.Error(it->first, "params." + name, "declared twice");
      rb.params.push_back(std::move(p));
    }
  }
  if (root["output"]) {
    const YAML::Node& out = root["output"];
    if (!out.IsSequence()) return r.Error(out, "output", "must be a list of columns");
    for (size_t i = 0; i < out.size(); ++i) {
      std::string f = "output[" + std::to_string(i) + "]";
      OutputColumn c;
      if (out[i].IsScalar()) {
        c.name = out[i].Scalar();
      } else if (out[i].IsMap()) {
        TB_RETURN_IF_ERROR(r.OnlyKeys(out[i], f, {"name", "description"}));
        if (!out[i]["name"]) return r.Error(out[i], f + ".name", "missing");
        TB_ASSIGN_OR_RETURN(c.name, r.Scalar(out[i]["name"], f + ".name"));
        if (out[i]["description"]) {
          TB_ASSIGN_OR_RETURN(c.description, r.Scalar(out[i]["description"], f + ".description"));
        }
      } else {
        return r.Error(out[i], f, "must be a name or {name, description}");
      }
      rb.output.push_back(std::move(c));
    }
  }
  if (root["tests"]) {
    const YAML::Node& ts = root["tests"];
    if (!ts.IsSequence()) return r.Error(ts, "tests", "must be a list");
    for (size_t i = 0; i < ts.size(); ++i) {
      TB_ASSIGN_OR_RETURN(RunbookTestCase tc, ParseTest(r, ts[i], "tests[" + std::to_string(i) + "]"));
      rb.tests.push_back(std::move(tc));
    }
  }
  if (Status s = rb.Finalize(); !s.ok()) {
    // Point at the field the message starts with, when it is a top-level one.
    std::string msg = s.message();
    std::string field = msg.substr(0, msg.find(':'));
    YAML::Node at = root[field] ? root[field] : root;
    return r.Error(at, field, msg.substr(std::min(msg.size(), field.size() + 2)));
  }
  return rb;
}

}  // namespace

Result<Runbook> ParseRunbookYaml(std::string_view text, const std::string& path) {
  YamlReader reader(path, text);
  try {
    YAML::Node root = YAML::Load(std::string(text));
    return ParseRoot(reader, root, path);
  } catch (const YAML::Exception& e) {
    return InvalidArgument(path + ":" + std::to_string(e.mark.line + 1) + ": YAML: " + e.msg);
  } catch (const std::exception& e) {
    return InvalidArgument(path + ": YAML: " + e.what());
  }
}

Result<Runbook> LoadRunbookFile(const std::string& path) {
  Result<std::string> text = io::ReadFile(path, kMaxRunbookFileBytes);
  if (!text.ok()) return Status(text.status().code(), "reading runbook " + path + ": " + text.status().message());
  return ParseRunbookYaml(*text, path);
}

Result<std::vector<std::string>> ListRunbookFiles(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return NotFound("runbook directory not found: " + dir);
  TB_ASSIGN_OR_RETURN(std::vector<std::string> all, io::ListFilesRecursive(dir));
  std::vector<std::string> files;
  for (std::string& f : all) {
    if (f.ends_with(".yaml") || f.ends_with(".yml")) files.push_back(std::move(f));
  }
  return files;
}

Result<RunbookLibrary> RunbookLibrary::LoadDirectory(const std::string& dir) {
  TB_ASSIGN_OR_RETURN(std::vector<std::string> files, ListRunbookFiles(dir));
  RunbookLibrary lib;
  for (const std::string& f : files) {
    TB_ASSIGN_OR_RETURN(Runbook rb, LoadRunbookFile(f));
    TB_RETURN_IF_ERROR(lib.Add(std::move(rb)));
  }
  return lib;
}

Status RunbookLibrary::Add(Runbook runbook) {
  auto it = std::lower_bound(runbooks_.begin(), runbooks_.end(), runbook.id,
                             [](const Runbook& a, const std::string& id) { return a.id < id; });
  if (it != runbooks_.end() && it->id == runbook.id) {
    return InvalidArgument("duplicate runbook id " + runbook.id + " in " + runbook.source_path +
                           " and " + it->source_path);
  }
  runbooks_.insert(it, std::move(runbook));
  return Status::OK();
}

const Runbook* RunbookLibrary::Find(std::string_view id) const {
  auto it = std::lower_bound(runbooks_.begin(), runbooks_.end(), id,
                             [](const Runbook& a, std::string_view x) { return a.id < x; });
  return it != runbooks_.end() && it->id == id ? &*it : nullptr;
}

}  // namespace trailbook::runbook
