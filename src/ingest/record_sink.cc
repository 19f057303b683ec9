#include "ingest/record_sink.h"

namespace trailbook::ingest {

std::string FormatRecordError(std::string_view input, uint64_t index, uint64_t line,
                              std::string_view message) {
  std::string out(input);
  out += ": record ";
  out += std::to_string(index);
  if (line != 0) {
    out += " (line ";
    out += std::to_string(line);
    out += ')';
  }
  out += ": ";
  out += message;
  return out;
}

}  // namespace trailbook::ingest
