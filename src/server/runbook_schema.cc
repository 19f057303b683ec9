#include "server/runbook_schema.h"

namespace trailbook::server {
namespace {

// The JSON Schema of one (non-list) value of `spec`.
void WriteScalarSchema(const runbook::ParamSpec& spec, json::JsonWriter* w) {
  using runbook::ParamKind;
  switch (spec.type.kind) {
    case ParamKind::kInt:
      w->Key("type");
      w->String("integer");
      if (spec.min) {
        w->Key("minimum");
        w->Int(*spec.min);
      }
      if (spec.max) {
        w->Key("maximum");
        w->Int(*spec.max);
      }
      return;
    case ParamKind::kBool:
      w->Key("type");
      w->String("boolean");
      return;
    case ParamKind::kEnum:
      w->Key("type");
      w->String("string");
      w->Key("enum");
      w->BeginArray();
      for (const std::string& v : spec.values) w->String(v);
      w->EndArray();
      return;
    case ParamKind::kTimestamp:
      w->Key("type");
      w->String("string");
      w->Key("description");
      w->String("RFC 3339, \"now\", or relative like \"-24h\", \"-7d\"");
      return;
    default:
      w->Key("type");
      w->String("string");
      if (!spec.pattern.empty()) {
        w->Key("pattern");
        w->String("^(?:" + spec.pattern + ")$");
      }
      if (spec.type.kind == ParamKind::kString || spec.type.kind == ParamKind::kArn) {
        if (spec.min) {
          w->Key("minLength");
          w->Int(*spec.min);
        }
        w->Key("maxLength");
        w->Int(spec.max ? *spec.max : runbook::kDefaultMaxStringBytes);
      }
      return;
  }
}

}  // namespace

void WriteRunbookSummary(const runbook::Runbook& runbook, json::JsonWriter* w) {
  w->BeginObject();
  w->Key("id");
  w->String(runbook.id);
  w->Key("version");
  w->String(runbook.version);
  w->Key("title");
  w->String(runbook.title);
  w->Key("tags");
  w->BeginArray();
  for (const std::string& tag : runbook.tags) w->String(tag);
  w->EndArray();
  w->Key("sha256");
  w->String(runbook.hash);
  w->EndObject();
}

std::string ParamsJsonSchema(const runbook::Runbook& runbook) {
  json::JsonWriter w;
  w.BeginObject();
  w.Key("type");
  w.String("object");
  w.Key("additionalProperties");
  w.Bool(false);
  w.Key("properties");
  w.BeginObject();
  for (const runbook::ParamSpec& spec : runbook.params) {
    w.Key(spec.name);
    w.BeginObject();
    if (spec.type.list) {
      // A list is a JSON array of items, or one string of comma-separated items.
      w.Key("oneOf");
      w.BeginArray();
      w.BeginObject();
      w.Key("type");
      w.String("array");
      w.Key("maxItems");
      w.UInt(spec.max ? static_cast<uint64_t>(*spec.max) : runbook::kMaxListItems);
      w.Key("items");
      w.BeginObject();
      runbook::ParamSpec item = spec;
      item.min.reset();
      item.max.reset();
      WriteScalarSchema(item, &w);
      w.EndObject();
      w.EndObject();
      w.BeginObject();
      w.Key("type");
      w.String("string");
      w.EndObject();
      w.EndArray();
    } else {
      WriteScalarSchema(spec, &w);
    }
    if (!spec.description.empty()) {
      w.Key("title");
      w.String(spec.description);
    }
    if (spec.default_value) {
      w.Key("default");
      w.String(*spec.default_value);
    }
    w.Key("x-trailbook-type");
    w.String(spec.type.ToString());
    w.EndObject();
  }
  w.EndObject();
  w.Key("required");
  w.BeginArray();
  for (const runbook::ParamSpec& spec : runbook.params) {
    if (spec.required) w.String(spec.name);
  }
  w.EndArray();
  w.EndObject();
  return std::move(w).Take();
}

}  // namespace trailbook::server
