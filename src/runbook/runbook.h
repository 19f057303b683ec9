// File: runbook/runbook.h
//
// Runbook: a reviewed, versioned query with typed parameters (docs/runbooks.md). This header
// holds the in-memory model, its canonical form and content hash (the runbook's identity in
// audit events and snapshots), and parameter binding: raw caller text -> typed sql::Values.
//
//   TB_ASSIGN_OR_RETURN(Runbook rb, LoadRunbookFile("runbooks/ir/principal-activity.yaml"));
//   TB_ASSIGN_OR_RETURN(BoundParams bound, BindParams(rb, {{"principal_arn", arn}}, now_us));
//   options.parameters = bound.values;
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "runbook/param.h"
#include "sql/types/value.h"

namespace trailbook::runbook {

struct OutputColumn {
  std::string name;
  std::string description;
};

// One fixture test: events loaded into an empty store, the parameters to run with, and the
// expected rows (cells as the table output prints them) or row count.
struct RunbookTestCase {
  std::string name;
  int line = 0;                          // 1-based line in the runbook file
  std::vector<std::string> events_json;  // inline events, each a JSON object
  std::string events_file;               // or a CloudTrail file, relative to the runbook file
  std::map<std::string, std::string> params;
  std::string now;                       // RFC 3339 "now" for relative timestamps ("" = real now)
  std::optional<std::vector<std::vector<std::string>>> expect_rows;  // in order
  std::optional<uint64_t> expect_count;
};

struct Runbook {
  std::string id;  // namespaced, e.g. "ir.principal-activity"
  std::string version;
  std::string title;
  std::string description;
  std::vector<std::string> tags;  // MITRE ATT&CK ids
  bool require_reason = false;
  std::vector<ParamSpec> params;
  std::string query;
  std::vector<OutputColumn> output;
  std::vector<RunbookTestCase> tests;

  std::string source_path;  // file it was loaded from ("" when built in memory)
  int query_line = 0;       // 1-based line of the query text in that file (0: unknown)
  std::string hash;         // hex SHA-256 of CanonicalJson(), set by Finalize()

  // True for runbooks in the "audit." namespace (they require the audit:read scope).
  bool is_audit() const { return id.starts_with("audit."); }
  const ParamSpec* FindParam(std::string_view name) const;

  // The canonical form: minified JSON of every field except `tests` and the source path,
  // in a fixed member order (docs/runbooks.md "Identity"). Tests do not change what runs.
  std::string CanonicalJson() const;

  // Validates the model (id syntax, version, query present, params valid and unique, every
  // :name in the query declared) and sets `hash`. Errors: kInvalidArgument naming the field.
  Status Finalize();
};

// Parameters after binding: typed values for the engine and their display text.
struct BoundParams {
  std::map<std::string, sql::Value> values;
  std::map<std::string, std::string> display;  // canonical text (timestamps RFC 3339)
  std::vector<std::string> defaulted;          // names that took their default
};

// Binds `raw` (name -> caller text) to `runbook`'s declared parameters at `now_us`: unknown
// names, missing required values and values that do not parse or validate are errors
// (kInvalidArgument "parameter 'x': ..."). A parameter without a value or default binds NULL.
Result<BoundParams> BindParams(const Runbook& runbook, const std::map<std::string, std::string>& raw,
                               int64_t now_us);

// Returns the :name references of a query, skipping string literals, quoted identifiers and
// comments (the engine's lexer rules for these).
std::vector<std::string> QueryParameterNames(std::string_view sql);

}  // namespace trailbook::runbook
