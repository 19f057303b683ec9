// `trailbook gen OUT --events N --seed S ...`: writes a deterministic synthetic CloudTrail
// data set (see docs/generator.md) and prints a summary.
#include <CLI/CLI.hpp>

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "base/clock.h"
#include "base/timestamp.h"
#include "cli/command.h"
#include "cli/exit_code.h"
#include "gen/dataset_writer.h"
#include "json/json_writer.h"

namespace trailbook::cli {
namespace {

struct GenFlags {
  std::string out;
  gen::GeneratorOptions options;
  std::string end = "2026-11-01";
  std::string format = "s3";
  bool json = false;
};

std::string Grouped(uint64_t v) {
  std::string digits = std::to_string(v);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

void PrintJson(const gen::GenerationSummary& s, double elapsed) {
  json::JsonWriter w;
  w.BeginObject();
  w.Key("files");
  w.UInt(s.files);
  w.Key("digest_files");
  w.UInt(s.digest_files);
  w.Key("records");
  w.UInt(s.records);
  w.Key("distinct_events");
  w.UInt(s.distinct_events);
  w.Key("duplicates");
  w.UInt(s.duplicates);
  w.Key("error_events");
  w.UInt(s.error_events);
  w.Key("json_bytes");
  w.UInt(s.json_bytes);
  w.Key("gzip_bytes");
  w.UInt(s.gzip_bytes);
  w.Key("digest_bytes");
  w.UInt(s.digest_bytes);
  w.Key("first_event_time");
  w.String(FormatTimestamp(s.first_event_micros));
  w.Key("last_event_time");
  w.String(FormatTimestamp(s.last_event_micros));
  w.Key("elapsed_seconds");
  w.Double(elapsed);
  w.Key("scenarios");
  w.BeginObject();
  for (const auto& [name, count] : s.scenarios) {
    w.Key(name);
    w.UInt(count);
  }
  w.EndObject();
  w.EndObject();
  std::printf("%s\n", w.str().c_str());
}

void PrintText(const gen::GenerationSummary& s, double elapsed, const std::string& out) {
  std::printf("wrote %s: %s files (+ %s digest files)\n", out.c_str(), Grouped(s.files).c_str(),
              Grouped(s.digest_files).c_str());
  std::printf("  records          %s (%s distinct events, %s duplicates)\n",
              Grouped(s.records).c_str(), Grouped(s.distinct_events).c_str(),
              Grouped(s.duplicates).c_str());
  std::printf("  error events     %s (%.2f%%)\n", Grouped(s.error_events).c_str(),
              s.distinct_events == 0 ? 0.0
                                     : 100.0 * static_cast<double>(s.error_events) /
                                           static_cast<double>(s.distinct_events));
  std::printf("  json bytes       %s\n", Grouped(s.json_bytes).c_str());
  std::printf("  bytes on disk    %s (log files) + %s (digests)\n", Grouped(s.gzip_bytes).c_str(),
              Grouped(s.digest_bytes).c_str());
  std::printf("  time range       %s .. %s\n", FormatTimestamp(s.first_event_micros).c_str(),
              FormatTimestamp(s.last_event_micros).c_str());
  std::printf("  elapsed          %.2f s\n", elapsed);
}

int RunGen(const GenFlags& flags) {
  gen::GeneratorOptions options = flags.options;
  Result<int64_t> end = gen::ParseEndDate(flags.end);
  if (!end.ok()) {
    std::fprintf(stderr, "trailbook gen: %s\n", end.status().message().c_str());
    return ToInt(ExitCode::kUsage);
  }
  options.end_micros = *end;
  Result<gen::OutputFormat> format = gen::ParseOutputFormat(flags.format);
  if (!format.ok()) {
    std::fprintf(stderr, "trailbook gen: %s\n", format.status().message().c_str());
    return ToInt(ExitCode::kUsage);
  }
  options.format = *format;
  if (Status s = gen::ValidateOptions(options); !s.ok()) {
    std::fprintf(stderr, "trailbook gen: %s\n", s.message().c_str());
    return ToInt(ExitCode::kUsage);
  }
  const Clock& clock = SystemClock();
  const int64_t started = clock.MonotonicMicros();
  Result<gen::GenerationSummary> summary = gen::WriteDataset(options, flags.out);
  if (!summary.ok()) {
    std::fprintf(stderr, "trailbook gen: %s\n", summary.status().ToString().c_str());
    return ToInt(ExitCodeFor(summary.status()));
  }
  const double elapsed = static_cast<double>(clock.MonotonicMicros() - started) / 1e6;
  if (flags.json) {
    PrintJson(*summary, elapsed);
  } else {
    PrintText(*summary, elapsed, flags.out);
  }
  return ToInt(ExitCode::kOk);
}

}  // namespace

void AddGenCommand(CLI::App& app, CommandAction& action) {
  auto flags = std::make_shared<GenFlags>();
  CLI::App* cmd = app.add_subcommand(
      "gen", "Generate a deterministic synthetic CloudTrail data set (S3 layout or NDJSON)");
  cmd->add_option("OUT", flags->out, "Output directory (must not exist or be empty)")->required();
  cmd->add_option("--events", flags->options.events, "Number of distinct events")
      ->required()
      ->check(CLI::Range(uint64_t{1}, gen::kMaxEvents));
  cmd->add_option("--seed", flags->options.seed, "Seed; equal seeds give identical output")
      ->required()
      ->check(CLI::Validator(
          [](std::string& text) {
            return text.starts_with("-") ? std::string("must not be negative") : std::string();
          },
          "UINT"));
  cmd->add_option("--days", flags->options.days, "Length of the span in days")
      ->capture_default_str()
      ->check(CLI::Range(uint32_t{1}, gen::kMaxDays));
  cmd->add_option("--end", flags->end, "End of the span (exclusive), YYYY-MM-DD UTC")
      ->capture_default_str();
  cmd->add_option("--accounts", flags->options.accounts, "Number of AWS accounts")
      ->capture_default_str()
      ->check(CLI::Range(uint32_t{1}, gen::kMaxAccounts));
  cmd->add_option("--format", flags->format, "s3 (AWSLogs/... .json.gz) or ndjson")
      ->capture_default_str();
  cmd->add_option("--duplicate-rate", flags->options.duplicate_rate,
                  "Fraction of events delivered twice (0 to 0.5)")
      ->capture_default_str();
  cmd->add_option("--threads", flags->options.threads, "Worker threads (output is identical)")
      ->capture_default_str()
      ->check(CLI::Range(uint32_t{1}, gen::kMaxThreads));
  cmd->add_flag("--json", flags->json, "Print the summary as one JSON object");
  cmd->callback([flags, &action] { action = [flags] { return RunGen(*flags); }; });
}

}  // namespace trailbook::cli
