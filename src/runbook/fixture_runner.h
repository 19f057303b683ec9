// File: runbook/fixture_runner.h
//
// Runs a runbook's own fixture tests (`tests:` in its YAML): each case's events are ingested
// into a fresh temporary store, the runbook's query runs with the case's parameters (and
// its fixed `now`), and the rows or row count are compared. Used by `trailbook runbook test`
// and by ctest. No authorization is involved: fixture tests check the runbook's logic.
//
//   TB_ASSIGN_OR_RETURN(std::vector<FixtureResult> results, RunFixtureTests(runbook));
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "runbook/runbook.h"

namespace trailbook::runbook {

struct FixtureResult {
  std::string test_name;
  int line = 0;
  bool passed = false;
  std::string message;  // Why it failed: a query error, or expected vs actual rows.
};

// Runs every test case of `runbook`. A failing case is reported in its FixtureResult; the
// call fails only when a store cannot be built (kIOError) or a fixture file cannot be read.
Result<std::vector<FixtureResult>> RunFixtureTests(const Runbook& runbook);

// Checks that the runbook's query parses, binds against the events schema and plans, with
// each parameter bound as its declared type (its default, or a typed NULL), on an empty
// temporary store. Errors: kInvalidArgument "<file>:<line>: query: <engine error>".
Status CheckQueryBinds(const Runbook& runbook);

// Builds a store in `dir` (which must not hold one) from CloudTrail events, each a JSON
// object. Errors: kInvalidArgument when the ingest rejects an event (with its reason),
// kIOError.
Status BuildStoreFromEvents(const std::string& dir, const std::vector<std::string>& events_json);

}  // namespace trailbook::runbook
