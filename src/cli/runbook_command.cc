// trailbook runbook list [--format table|json] | show ID | validate [PATH...] | test [ID...]
//
// Inspects and checks the runbook library (no token needed: nothing is queried but
// temporary fixture stores).
#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/runbook_flags.h"
#include "cli/store_flags.h"
#include "io/file.h"
#include "json/json_writer.h"
#include "runbook/fixture_runner.h"
#include "runbook/runbook_loader.h"

namespace trailbook::cli {
namespace {

struct RunbookFlags {
  std::string runbooks;
  std::string format = "table";
  std::string id;
  std::vector<std::string> paths;
  std::vector<std::string> ids;
};

Result<runbook::RunbookLibrary> Load(const RunbookFlags& flags) {
  return runbook::RunbookLibrary::LoadDirectory(ResolveRunbooksDir(flags.runbooks));
}

int LoadFailed(const Status& s) {
  PrintError(s.message());
  return ToInt(ExitCode::kRunbookError);
}

void WriteParams(const runbook::Runbook& rb, json::JsonWriter* w) {
  w->BeginArray();
  for (const runbook::ParamSpec& p : rb.params) {
    w->BeginObject();
    w->Key("name");
    w->String(p.name);
    w->Key("type");
    w->String(p.type.ToString());
    w->Key("required");
    w->Bool(p.required);
    if (p.default_value) {
      w->Key("default");
      w->String(*p.default_value);
    }
    if (!p.description.empty()) {
      w->Key("description");
      w->String(p.description);
    }
    if (!p.values.empty()) {
      w->Key("values");
      w->BeginArray();
      for (const std::string& v : p.values) w->String(v);
      w->EndArray();
    }
    w->EndObject();
  }
  w->EndArray();
}

int List(const RunbookFlags& flags) {
  if (flags.format != "table" && flags.format != "json") {
    PrintError("--format must be table or json");
    return ToInt(ExitCode::kUsage);
  }
  auto lib = Load(flags);
  if (!lib.ok()) return LoadFailed(lib.status());
  if (flags.format == "json") {
    json::JsonWriter w(true);
    w.BeginArray();
    for (const runbook::Runbook& rb : lib->runbooks()) {
      w.BeginObject();
      w.Key("id");
      w.String(rb.id);
      w.Key("version");
      w.String(rb.version);
      w.Key("title");
      w.String(rb.title);
      w.Key("description");
      w.String(rb.description);
      w.Key("tags");
      w.BeginArray();
      for (const std::string& t : rb.tags) w.String(t);
      w.EndArray();
      w.Key("params");
      WriteParams(rb, &w);
      w.Key("require_reason");
      w.Bool(rb.require_reason);
      w.Key("sha256");
      w.String(rb.hash);
      w.Key("path");
      w.String(rb.source_path);
      w.EndObject();
    }
    w.EndArray();
    std::printf("%s\n", w.str().c_str());
    return 0;
  }
  std::printf("%-28s %-8s %-44s %s\n", "ID", "VERSION", "TITLE", "PARAMS");
  for (const runbook::Runbook& rb : lib->runbooks()) {
    std::string params;
    for (const runbook::ParamSpec& p : rb.params) {
      params += (params.empty() ? "" : " ") + p.name + ":" + p.type.ToString() + (p.required ? "!" : "");
    }
    std::printf("%-28s %-8s %-44s %s\n", rb.id.c_str(), rb.version.c_str(), rb.title.c_str(), params.c_str());
  }
  return 0;
}

int Show(const RunbookFlags& flags) {
  auto lib = Load(flags);
  if (!lib.ok()) return LoadFailed(lib.status());
  const runbook::Runbook* rb = lib->Find(flags.id);
  if (rb == nullptr) {
    PrintError("runbook " + flags.id + " not found in " + ResolveRunbooksDir(flags.runbooks));
    return ToInt(ExitCode::kRunbookError);
  }
  std::printf("id:          %s\nversion:     %s\nsha256:      %s\nfile:        %s\ntitle:       %s\n",
              rb->id.c_str(), rb->version.c_str(), rb->hash.c_str(), rb->source_path.c_str(),
              rb->title.c_str());
  if (!rb->tags.empty()) {
    std::string tags;
    for (const std::string& t : rb->tags) tags += (tags.empty() ? "" : ", ") + t;
    std::printf("tags:        %s\n", tags.c_str());
  }
  if (rb->require_reason) std::printf("reason:      required\n");
  if (!rb->description.empty()) std::printf("\n%s\n", rb->description.c_str());
  std::printf("\nparameters:\n");
  for (const runbook::ParamSpec& p : rb->params) {
    std::printf("  %-16s %-18s %s%s%s\n", p.name.c_str(), p.type.ToString().c_str(),
                p.required ? "required" : (p.default_value ? ("default " + *p.default_value).c_str() : "optional"),
                p.description.empty() ? "" : "  ", p.description.c_str());
  }
  std::printf("\nquery:\n%s\n", rb->query.c_str());
  if (!rb->output.empty()) {
    std::printf("output:\n");
    for (const runbook::OutputColumn& c : rb->output) {
      std::printf("  %-20s %s\n", c.name.c_str(), c.description.c_str());
    }
  }
  std::printf("tests:       %zu\n", rb->tests.size());
  return 0;
}

int Validate(const RunbookFlags& flags) {
  std::vector<std::string> files;
  std::vector<std::string> roots = flags.paths;
  if (roots.empty()) roots.push_back(ResolveRunbooksDir(flags.runbooks));
  for (const std::string& root : roots) {
    if (root.ends_with(".yaml") || root.ends_with(".yml")) {
      files.push_back(root);
      continue;
    }
    auto listed = runbook::ListRunbookFiles(root);
    if (!listed.ok()) return LoadFailed(listed.status());
    files.insert(files.end(), listed->begin(), listed->end());
  }
  int bad = 0;
  runbook::RunbookLibrary seen;
  for (const std::string& f : files) {
    auto rb = runbook::LoadRunbookFile(f);
    Status s = rb.ok() ? runbook::CheckQueryBinds(*rb) : rb.status();
    if (s.ok()) s = seen.Add(*rb);
    if (s.ok()) {
      std::printf("ok    %s  %s\n", f.c_str(), rb->id.c_str());
    } else {
      ++bad;
      std::printf("FAIL  %s\n", s.message().c_str());
    }
  }
  std::printf("%zu file%s, %d invalid\n", files.size(), files.size() == 1 ? "" : "s", bad);
  return bad == 0 ? 0 : ToInt(ExitCode::kRunbookError);
}

int Test(const RunbookFlags& flags) {
  auto lib = Load(flags);
  if (!lib.ok()) return LoadFailed(lib.status());
  std::vector<const runbook::Runbook*> selected;
  if (flags.ids.empty()) {
    for (const runbook::Runbook& rb : lib->runbooks()) selected.push_back(&rb);
  } else {
    for (const std::string& id : flags.ids) {
      const runbook::Runbook* rb = lib->Find(id);
      if (rb == nullptr) {
        PrintError("runbook " + id + " not found");
        return ToInt(ExitCode::kRunbookError);
      }
      selected.push_back(rb);
    }
  }
  int passed = 0, failed = 0, untested = 0;
  for (const runbook::Runbook* rb : selected) {
    if (rb->tests.empty()) {
      ++untested;
      std::printf("NONE  %s: no fixture tests\n", rb->id.c_str());
      continue;
    }
    auto results = runbook::RunFixtureTests(*rb);
    if (!results.ok()) {
      ++failed;
      std::printf("FAIL  %s: %s\n", rb->id.c_str(), results.status().message().c_str());
      continue;
    }
    for (const runbook::FixtureResult& r : *results) {
      if (r.passed) {
        ++passed;
        std::printf("ok    %s / %s\n", rb->id.c_str(), r.test_name.c_str());
      } else {
        ++failed;
        std::printf("FAIL  %s / %s (%s:%d): %s\n", rb->id.c_str(), r.test_name.c_str(),
                    rb->source_path.c_str(), r.line, r.message.c_str());
      }
    }
  }
  std::printf("%d passed, %d failed, %d runbook%s without tests\n", passed, failed, untested,
              untested == 1 ? "" : "s");
  return failed == 0 ? 0 : ToInt(ExitCode::kRunbookError);
}

}  // namespace

void AddRunbookCommand(CLI::App& app, CommandAction& action) {
  auto flags = std::make_shared<RunbookFlags>();
  CLI::App* cmd = app.add_subcommand("runbook", "List, show, validate and test runbooks");
  cmd->require_subcommand(1);
  AddRunbooksFlag(cmd, &flags->runbooks);

  CLI::App* list = cmd->add_subcommand("list", "List the runbooks");
  list->add_option("--format", flags->format, "table or json");
  AddRunbooksFlag(list, &flags->runbooks);
  list->callback([flags, &action] { action = [flags] { return List(*flags); }; });

  CLI::App* show = cmd->add_subcommand("show", "Show one runbook: parameters, query, hash");
  show->add_option("id", flags->id, "Runbook id")->required();
  AddRunbooksFlag(show, &flags->runbooks);
  show->callback([flags, &action] { action = [flags] { return Show(*flags); }; });

  CLI::App* validate = cmd->add_subcommand(
      "validate", "Parse runbook files and bind their queries against the schema");
  validate->add_option("path", flags->paths, "Files or directories (default: the library)");
  AddRunbooksFlag(validate, &flags->runbooks);
  validate->callback([flags, &action] { action = [flags] { return Validate(*flags); }; });

  CLI::App* test = cmd->add_subcommand("test", "Run the runbooks' own fixture tests");
  test->add_option("id", flags->ids, "Runbook ids (default: all)");
  AddRunbooksFlag(test, &flags->runbooks);
  test->callback([flags, &action] { action = [flags] { return Test(*flags); }; });
}

}  // namespace trailbook::cli
