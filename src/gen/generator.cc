#include "gen/generator.h"

#include <cmath>
#include <string>

#include "base/timestamp.h"
#include "gen/internal/chunk_builder.h"
#include "gen/internal/model.h"

namespace trailbook::gen {

Status ValidateOptions(const GeneratorOptions& o) {
  if (o.events < 1 || o.events > kMaxEvents) {
    return InvalidArgument("--events must be between 1 and " + std::to_string(kMaxEvents) +
                           ", got " + std::to_string(o.events));
  }
  if (o.days < 1 || o.days > kMaxDays) {
    return InvalidArgument("--days must be between 1 and " + std::to_string(kMaxDays) +
                           ", got " + std::to_string(o.days));
  }
  if (o.accounts < 1 || o.accounts > kMaxAccounts) {
    return InvalidArgument("--accounts must be between 1 and " + std::to_string(kMaxAccounts) +
                           ", got " + std::to_string(o.accounts));
  }
  if (o.threads < 1 || o.threads > kMaxThreads) {
    return InvalidArgument("--threads must be between 1 and " + std::to_string(kMaxThreads) +
                           ", got " + std::to_string(o.threads));
  }
  if (!std::isfinite(o.duplicate_rate) || o.duplicate_rate < 0 ||
      o.duplicate_rate > kMaxDuplicateRate) {
    return InvalidArgument("--duplicate-rate must be between 0 and 0.5, got " +
                           std::to_string(o.duplicate_rate));
  }
  if (o.end_micros % kMicrosPerDay != 0) {
    return InvalidArgument("the end of the span must be a UTC midnight, got " +
                           FormatTimestamp(o.end_micros));
  }
  const int64_t min_end = DaysFromCivil(2000, 1, 1) * kMicrosPerDay;
  const int64_t max_end = DaysFromCivil(2200, 1, 1) * kMicrosPerDay;
  if (o.end_micros < min_end || o.end_micros >= max_end) {
    return InvalidArgument("--end must be between 2000-01-01 and 2199-12-31, got " +
                           FormatTimestamp(o.end_micros));
  }
  const int64_t start = o.end_micros - static_cast<int64_t>(o.days) * kMicrosPerDay;
  if (start < min_end) {
    return InvalidArgument("--days " + std::to_string(o.days) + " before --end " +
                           FormatTimestamp(o.end_micros) + " starts before 2000-01-01");
  }
  const uint64_t hours = static_cast<uint64_t>(o.days) * 24;
  if (o.events / hours > kMaxEventsPerHour) {
    return InvalidArgument("--events " + std::to_string(o.events) + " over --days " +
                           std::to_string(o.days) + " exceeds " +
                           std::to_string(kMaxEventsPerHour) +
                           " events per hour on average; raise --days");
  }
  return Status::OK();
}

Result<OutputFormat> ParseOutputFormat(std::string_view text) {
  if (text == "s3") return OutputFormat::kS3;
  if (text == "ndjson") return OutputFormat::kNdjson;
  return InvalidArgument("--format must be s3 or ndjson, got '" + std::string(text) + "'");
}

Result<int64_t> ParseEndDate(std::string_view text) {
  auto bad = [&] {
    return InvalidArgument("--end must be a date YYYY-MM-DD, got '" + std::string(text) + "'");
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  for (size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (text[i] < '0' || text[i] > '9') return bad();
  }
  const std::optional<int64_t> micros = ParseTimestamp(text);
  if (!micros.has_value()) return bad();
  const int64_t year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 +
                       (text[3] - '0');
  if (year < 2000 || year > 2199) {
    return InvalidArgument("--end year must be between 2000 and 2199, got '" + std::string(text) + "'");
  }
  return *micros;
}

Result<std::unique_ptr<EventGenerator>> EventGenerator::Create(const GeneratorOptions& options) {
  TB_RETURN_IF_ERROR(ValidateOptions(options));
  return std::unique_ptr<EventGenerator>(new EventGenerator(internal::DatasetModel::Build(options)));
}

EventGenerator::EventGenerator(std::unique_ptr<internal::DatasetModel> model)
    : model_(std::move(model)),
      builder_(std::make_unique<internal::ChunkBuilder>(*model_)),
      chunk_(std::make_unique<internal::ChunkEvents>()) {}

EventGenerator::~EventGenerator() = default;

const GeneratedEvent* EventGenerator::Next() {
  while (next_in_chunk_ >= chunk_->events.size()) {
    if (next_chunk_ >= model_->chunk_count()) return nullptr;
    builder_->Build(next_chunk_++, chunk_.get());
    next_in_chunk_ = 0;
  }
  const internal::ChunkEvent& e = chunk_->events[next_in_chunk_++];
  current_.time_micros = e.time_micros;
  current_.json = chunk_->json(e);
  current_.account_id = model_->pop().accounts[e.account].id;
  current_.region = internal::Regions()[e.region].name;
  return &current_;
}

int64_t EventGenerator::start_micros() const { return model_->start_micros(); }
int64_t EventGenerator::end_micros() const { return model_->end_micros(); }

}  // namespace trailbook::gen
