#include "server/testing/openapi_validator.h"

#include <simdjson.h>

#include <functional>
#include <set>

#include "io/file.h"

namespace trailbook::server::testing {
namespace {

std::string JsonType(const simdjson::dom::element& e) {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY: return "array";
    case simdjson::dom::element_type::OBJECT: return "object";
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64: return "integer";
    case simdjson::dom::element_type::DOUBLE: return "number";
    case simdjson::dom::element_type::STRING: return "string";
    case simdjson::dom::element_type::BOOL: return "boolean";
    case simdjson::dom::element_type::NULL_VALUE: return "null";
  }
  return "unknown";
}

bool TypeMatches(const std::string& want, const std::string& have) {
  return want == have || (want == "number" && have == "integer");
}

std::string ScalarText(const simdjson::dom::element& e) {
  if (e.is_string()) return std::string(e.get_string().value_unsafe());
  return simdjson::to_string(e);
}

class Validator {
 public:
  explicit Validator(const OpenApiSpec* spec, std::function<Result<YAML::Node>(const YAML::Node&)> resolve)
      : resolve_(std::move(resolve)) {
    (void)spec;
  }

  Status Check(const YAML::Node& schema_in, const simdjson::dom::element& value,
               const std::string& pointer) const {
    TB_ASSIGN_OR_RETURN(YAML::Node schema, resolve_(schema_in));
    static const std::set<std::string> kKnown = {
        "type", "enum", "const", "required", "properties", "additionalProperties", "items",
        "minimum", "maxLength", "description"};
    for (const auto& kv : schema) {
      if (!kKnown.count(kv.first.Scalar())) {
        return InvalidArgument(pointer + ": schema keyword '" + kv.first.Scalar() +
                               "' is outside the validator's subset");
      }
    }
    std::string have = JsonType(value);
    if (schema["type"]) {
      bool ok = false;
      std::string wanted;
      if (schema["type"].IsSequence()) {
        for (const auto& t : schema["type"]) {
          ok = ok || TypeMatches(t.Scalar(), have);
          wanted += t.Scalar() + " ";
        }
      } else {
        ok = TypeMatches(schema["type"].Scalar(), have);
        wanted = schema["type"].Scalar();
      }
      if (!ok) return InvalidArgument(pointer + ": expected type " + wanted + ", got " + have);
    }
    if (schema["enum"]) {
      bool ok = false;
      for (const auto& option : schema["enum"]) ok = ok || option.Scalar() == ScalarText(value);
      if (!ok) return InvalidArgument(pointer + ": '" + ScalarText(value) + "' is not in the enum");
    }
    if (schema["const"] && schema["const"].Scalar() != ScalarText(value)) {
      return InvalidArgument(pointer + ": expected the constant '" + schema["const"].Scalar() + "'");
    }
    if (schema["minimum"] && (have == "integer" || have == "number")) {
      double v = 0;
      if (value.get_double().get(v) == simdjson::SUCCESS && v < schema["minimum"].as<double>()) {
        return InvalidArgument(pointer + ": below the minimum");
      }
    }
    if (schema["maxLength"] && have == "string" &&
        value.get_string().value_unsafe().size() > schema["maxLength"].as<size_t>()) {
      return InvalidArgument(pointer + ": longer than maxLength");
    }
    if (have == "object") {
      simdjson::dom::object object;
      if (value.get_object().get(object) != simdjson::SUCCESS) {
        return Internal(pointer + ": object expected");
      }
      if (schema["required"]) {
        for (const auto& name : schema["required"]) {
          simdjson::dom::element member;
          if (object.at_key(name.Scalar()).get(member) != simdjson::SUCCESS) {
            return InvalidArgument(pointer + ": missing required member '" + name.Scalar() + "'");
          }
        }
      }
      for (auto [key, member] : object) {
        std::string k(key);
        YAML::Node property = schema["properties"] ? schema["properties"][k] : YAML::Node();
        if (property && property.IsDefined() && !property.IsNull()) {
          TB_RETURN_IF_ERROR(Check(property, member, pointer + "/" + k));
          continue;
        }
        YAML::Node extra = schema["additionalProperties"];
        if (extra && extra.IsScalar()) {
          if (extra.Scalar() == "false") {
            return InvalidArgument(pointer + ": member '" + k + "' is not in the schema");
          }
        } else if (extra && extra.IsMap()) {
          TB_RETURN_IF_ERROR(Check(extra, member, pointer + "/" + k));
        }
      }
    }
    if (have == "array" && schema["items"]) {
      size_t i = 0;
      simdjson::dom::array array;
      if (value.get_array().get(array) != simdjson::SUCCESS) {
        return Internal(pointer + ": array expected");
      }
      for (simdjson::dom::element item : array) {
        TB_RETURN_IF_ERROR(Check(schema["items"], item, pointer + "/" + std::to_string(i++)));
      }
    }
    return Status::OK();
  }

 private:
  std::function<Result<YAML::Node>(const YAML::Node&)> resolve_;
};

}  // namespace

Result<OpenApiSpec> OpenApiSpec::Load(const std::string& path) {
  TB_ASSIGN_OR_RETURN(std::string text, io::ReadFile(path, 1 << 22));
  OpenApiSpec spec;
  try {
    spec.root_ = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return InvalidArgument(path + ": " + e.what());
  }
  if (!spec.root_["openapi"] || spec.root_["openapi"].Scalar().rfind("3.1", 0) != 0) {
    return InvalidArgument(path + ": not an OpenAPI 3.1 document");
  }
  return spec;
}

Result<YAML::Node> OpenApiSpec::Resolve(const YAML::Node& node) const {
  YAML::Node current = node;
  for (int depth = 0; depth < 16; ++depth) {
    if (!current.IsMap() || !current["$ref"]) return current;
    std::string ref = current["$ref"].Scalar();
    if (ref.rfind("#/", 0) != 0) return InvalidArgument("unsupported $ref " + ref);
    std::string rest = ref.substr(2);
    YAML::Node cursor = root_;
    size_t start = 0;
    std::vector<std::string> parts;
    while (start <= rest.size()) {
      size_t slash = rest.find('/', start);
      parts.push_back(rest.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    for (const std::string& part : parts) {
      YAML::Node next = cursor[part];
      if (!next) return InvalidArgument("dangling $ref " + ref);
      cursor.reset(next);
    }
    current.reset(cursor);
  }
  return InvalidArgument("$ref chain too deep");
}

Status OpenApiSpec::ValidateResponse(std::string_view path_template, std::string_view method,
                                     int status, std::string_view content_type,
                                     std::string_view body) const {
  YAML::Node op = root_["paths"][std::string(path_template)][std::string(method)];
  if (!op) {
    return InvalidArgument(std::string(method) + " " + std::string(path_template) +
                           " is not in the spec");
  }
  YAML::Node response = op["responses"][std::to_string(status)];
  if (!response) {
    return InvalidArgument(std::string(method) + " " + std::string(path_template) + ": status " +
                           std::to_string(status) + " is not documented");
  }
  TB_ASSIGN_OR_RETURN(YAML::Node resolved, Resolve(response));
  std::string media(content_type.substr(0, content_type.find(';')));
  YAML::Node content = resolved["content"];
  if (!content || !content[media]) {
    return InvalidArgument("status " + std::to_string(status) + ": media type '" + media +
                           "' is not documented");
  }
  if (media != "application/json" && media != "application/problem+json") return Status::OK();
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  if (parser.parse(body.data(), body.size()).get(element) != simdjson::SUCCESS) {
    return InvalidArgument("response body is not JSON: " + std::string(body.substr(0, 200)));
  }
  Validator validator(this, [this](const YAML::Node& n) { return Resolve(n); });
  return validator.Check(content[media]["schema"], element, "");
}

Status OpenApiSpec::ValidateRequest(std::string_view path_template, std::string_view method,
                                    std::string_view body) const {
  YAML::Node op = root_["paths"][std::string(path_template)][std::string(method)];
  if (!op || !op["requestBody"]) return InvalidArgument("no request body in the spec");
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  if (parser.parse(body.data(), body.size()).get(element) != simdjson::SUCCESS) {
    return InvalidArgument("request body is not JSON");
  }
  Validator validator(this, [this](const YAML::Node& n) { return Resolve(n); });
  return validator.Check(op["requestBody"]["content"]["application/json"]["schema"], element, "");
}

}  // namespace trailbook::server::testing
