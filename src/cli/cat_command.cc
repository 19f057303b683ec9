// trailbook cat [--store DIR] --event-id ID [--pretty]
#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/store_flags.h"
#include "json/json_writer.h"
#include "storage/event_json.h"
#include "storage/event_schema.h"
#include "storage/store.h"

namespace trailbook::cli {
namespace {

struct CatFlags {
  std::string store;
  std::vector<std::string> event_ids;
  bool pretty = false;
};

int RunCat(const CatFlags& flags) {
  std::string dir = ResolveStoreDir(flags.store);
  auto store = storage::Store::Open(dir, storage::Store::Mode::kReadOnly);
  if (!store.ok()) {
    PrintError(store.status().message());
    return ToInt(ExitCodeFor(store.status()));
  }
  auto snapshot = (*store)->Snapshot();
  // Committed segments, then the audit journal's unfolded tail.
  std::vector<std::shared_ptr<const storage::SegmentReader>> segments = snapshot->segments();
  segments.insert(segments.end(), snapshot->journal_segments().begin(),
                  snapshot->journal_segments().end());
  const int id_column = storage::EventSchema::Get().event_id_column();
  int missing = 0;
  for (const std::string& id : flags.event_ids) {
    bool found = false;
    for (const auto& seg : segments) {
      auto rows = seg->LookupRows(id_column, id);
      if (!rows.ok()) {
        PrintError(rows.status().message());
        return ToInt(ExitCodeFor(rows.status()));
      }
      for (uint32_t row : *rows) {
        storage::SegmentRowValues values(*seg, row);
        std::string json;
        Status s = storage::RebuildEventJson(values, &json);
        if (!s.ok()) {
          PrintError(s.message());
          return ToInt(ExitCodeFor(s));
        }
        if (flags.pretty) json = json::Prettify(json);
        std::printf("%s\n", json.c_str());
        found = true;
      }
    }
    if (!found) {
      PrintError("no event with eventID '" + id + "' in " + dir);
      ++missing;
    }
  }
  return missing == 0 ? 0 : ToInt(ExitCode::kFailure);
}

}  // namespace

void AddCatCommand(CLI::App& app, CommandAction& action) {
  auto flags = std::make_shared<CatFlags>();
  CLI::App* cmd = app.add_subcommand("cat", "Print stored events back as JSON, by eventID");
  AddStoreFlag(cmd, &flags->store);
  cmd->add_option("--event-id", flags->event_ids, "eventID to print (repeatable)")->required();
  cmd->add_flag("--pretty", flags->pretty, "Indent the JSON");
  cmd->callback([flags, &action] { action = [flags] { return RunCat(*flags); }; });
}

}  // namespace trailbook::cli
