// File: server/testing/openapi_validator.h
//
// Test-only: checks HTTP responses against docs/api/openapi.yaml. It resolves the operation
// (path template + method), requires the status code and the media type to be documented,
// and validates a JSON body against the schema with the JSON Schema subset the spec uses:
// type (one or a list), enum, const, required, properties, additionalProperties (bool or
// schema), items, minimum, maxLength and $ref to #/components/... . A keyword outside this
// subset in a schema that is reached is an error, so the spec cannot silently outgrow the
// validator.
//
//   TB_ASSIGN_OR_RETURN(OpenApiSpec spec, OpenApiSpec::Load("docs/api/openapi.yaml"));
//   EXPECT_TRUE(spec.ValidateResponse("/v1/query", "post", 200, "application/json", body).ok());
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

#include "base/status.h"

namespace trailbook::server::testing {

class OpenApiSpec {
 public:
  // Returns kIOError / kInvalidArgument when the file cannot be read or parsed.
  static Result<OpenApiSpec> Load(const std::string& path);

  // Returns OK when the response is documented and its body matches; otherwise
  // kInvalidArgument naming the JSON pointer and the rule that failed.
  Status ValidateResponse(std::string_view path_template, std::string_view method, int status,
                          std::string_view content_type, std::string_view body) const;

  // Validates a request body against the operation's requestBody schema.
  Status ValidateRequest(std::string_view path_template, std::string_view method,
                         std::string_view body) const;

 private:
  Result<YAML::Node> Resolve(const YAML::Node& node) const;
  YAML::Node root_;
};

}  // namespace trailbook::server::testing
