// File: runbook/runbook_loader.h
//
// Reads runbook YAML files (the yaml-cpp adapter: its exceptions are caught here and turned
// into Status) and runbook directories. Every error names the file, the 1-based line and the
// field: "runbooks/ir/x.yaml:12: params[1].type: unknown parameter type 'strng' ...".
//
//   TB_ASSIGN_OR_RETURN(RunbookLibrary lib, RunbookLibrary::LoadDirectory("runbooks"));
//   const Runbook* rb = lib.Find("ir.principal-activity");
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "runbook/runbook.h"

namespace trailbook::runbook {

inline constexpr size_t kMaxRunbookFileBytes = 1 << 20;

// Parses one runbook from YAML `text`; `path` names it in errors and resolves relative
// fixture files. Unknown top-level or parameter fields are errors (a typo must not silently
// drop a validation). Errors: kInvalidArgument "path:line: field: problem".
Result<Runbook> ParseRunbookYaml(std::string_view text, const std::string& path);

// Reads and parses `path`. Errors: as ParseRunbookYaml, kNotFound / kIOError for the file.
Result<Runbook> LoadRunbookFile(const std::string& path);

// All runbooks of a directory tree (*.yaml, *.yml), by id. Immutable after loading, so it may
// be shared by concurrent requests.
class RunbookLibrary {
 public:
  RunbookLibrary() = default;

  // Loads every runbook file under `dir`. Fails on the first bad file or a duplicate id
  // (naming both files): a library is all valid or not used. Errors: as LoadRunbookFile,
  // kNotFound when `dir` does not exist.
  static Result<RunbookLibrary> LoadDirectory(const std::string& dir);

  // Adds `runbook` (already finalized). Errors: kInvalidArgument on a duplicate id.
  Status Add(Runbook runbook);

  // Returns the runbook with `id`, or nullptr.
  const Runbook* Find(std::string_view id) const;
  // Sorted by id.
  const std::vector<Runbook>& runbooks() const { return runbooks_; }

 private:
  std::vector<Runbook> runbooks_;
};

// Lists the runbook files under `dir` (sorted). Errors: kNotFound, kIOError.
Result<std::vector<std::string>> ListRunbookFiles(const std::string& dir);

}  // namespace trailbook::runbook
