// File: gen/generator.h
//
// The deterministic synthetic CloudTrail generator, in-process API. EventGenerator yields
// realistic CloudTrail records (many services, all identity types, errors, nested
// parameters, security scenarios) in time order as minified JSON; dataset_writer.h lays
// them out as S3 delivery files. The same options always give the same bytes, whatever the
// machine or thread count. The model is described in docs/generator.md.
//
//   GeneratorOptions options;
//   options.events = 10'000;
//   options.seed = 7;
//   TB_ASSIGN_OR_RETURN(auto gen, EventGenerator::Create(options));
//   while (const GeneratedEvent* e = gen->Next()) Consume(e->json);
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace trailbook::gen {

namespace internal {
class DatasetModel;
class ChunkBuilder;
struct ChunkEvents;
}  // namespace internal

enum class OutputFormat : uint8_t {
  kS3,      // AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz, plus digest files
  kNdjson,  // events-<hour>.ndjson: one event per line, in time order
};

// 2026-11-01T00:00:00Z, the default end of the generated span.
inline constexpr int64_t kDefaultEndMicros = 1'793'491'200'000'000;

struct GeneratorOptions {
  uint64_t events = 100'000;          // distinct events to generate, >= 1
  uint64_t seed = 1;                  // any value; equal seeds give equal output
  uint32_t days = 30;                 // span length in days, ending at end_micros
  int64_t end_micros = kDefaultEndMicros;  // exclusive end; a UTC midnight
  uint32_t accounts = 2;              // AWS accounts delivering to the trail bucket
  OutputFormat format = OutputFormat::kS3;
  double duplicate_rate = 0;          // fraction of events re-delivered in a later file
  uint32_t threads = 1;               // writer threads; never changes the output
};

// Limits enforced by ValidateOptions.
inline constexpr uint64_t kMaxEvents = 2'000'000'000;
inline constexpr uint32_t kMaxDays = 3660;
inline constexpr uint32_t kMaxAccounts = 64;
inline constexpr uint32_t kMaxThreads = 256;
inline constexpr double kMaxDuplicateRate = 0.5;
// Work is generated an hour at a time; this bounds the events of one hour (and so memory).
inline constexpr uint64_t kMaxEventsPerHour = 250'000;

// Checks every field. Returns kInvalidArgument naming the field and the accepted range.
Status ValidateOptions(const GeneratorOptions& options);

// Parses "s3" or "ndjson". Returns kInvalidArgument for anything else.
Result<OutputFormat> ParseOutputFormat(std::string_view text);

// Parses a "YYYY-MM-DD" date into the micros of that UTC midnight. Returns kInvalidArgument
// for other forms, impossible dates and years outside 2000..2199.
Result<int64_t> ParseEndDate(std::string_view text);

// One generated record.
struct GeneratedEvent {
  int64_t time_micros;          // eventTime (whole seconds)
  std::string_view json;        // minified JSON object, no trailing newline
  std::string_view account_id;  // recipientAccountId
  std::string_view region;      // awsRegion
};

// EventGenerator yields options.events distinct records in non-decreasing eventTime order.
// Duplicates (duplicate_rate) are a property of file delivery and are not produced here.
//
// Thread safety: not thread-safe. Independent generators may run concurrently.
class EventGenerator {
 public:
  // Validates `options` and builds the model (population, timeline, scenario schedule).
  // Returns kInvalidArgument from ValidateOptions.
  static Result<std::unique_ptr<EventGenerator>> Create(const GeneratorOptions& options);
  ~EventGenerator();
  EventGenerator(const EventGenerator&) = delete;
  EventGenerator& operator=(const EventGenerator&) = delete;

  // Returns the next event, or nullptr after the last one. The returned pointer and its
  // views stay valid until the next call.
  const GeneratedEvent* Next();

  // The first and one-past-last instant of the span.
  int64_t start_micros() const;
  int64_t end_micros() const;

 private:
  explicit EventGenerator(std::unique_ptr<internal::DatasetModel> model);

  std::unique_ptr<internal::DatasetModel> model_;
  std::unique_ptr<internal::ChunkBuilder> builder_;
  std::unique_ptr<internal::ChunkEvents> chunk_;
  size_t next_chunk_ = 0;
  size_t next_in_chunk_ = 0;
  GeneratedEvent current_{};
};

}  // namespace trailbook::gen
