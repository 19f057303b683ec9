// File: server/runbook_schema.h
//
// The JSON shapes the HTTP API gives a runbook: a summary for listings and, for one
// runbook, a JSON Schema (2020-12 subset) of the `params` member of a run request derived
// from its typed parameters, so clients can build forms and validate before calling.
//
//   std::string schema = ParamsJsonSchema(runbook);  // {"type":"object",...}
#pragma once

#include <string>

#include "json/json_writer.h"
#include "runbook/runbook.h"

namespace trailbook::server {

// Writes {"id","version","title","tags","sha256"} of `runbook` to `w`.
void WriteRunbookSummary(const runbook::Runbook& runbook, json::JsonWriter* w);

// Returns the JSON Schema object for `runbook`'s parameters: one property per parameter
// with its JSON type (lists: an array or a comma-separated string), description, default,
// enum values, pattern and bounds, plus "x-trailbook-type" (e.g. "list<ip>"); "required"
// lists the required parameters; additionalProperties is false.
std::string ParamsJsonSchema(const runbook::Runbook& runbook);

}  // namespace trailbook::server
