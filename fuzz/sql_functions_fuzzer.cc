// Fuzzes the scalar functions that read untrusted text: JSON from CloudTrail records
// (json_*, element_at, $field, casts from JSON), and the small languages in query text (JSON
// paths, LIKE and regex patterns, date formats, type names).
//
// Input: the first byte picks the function, the first line after it is the second argument
// (path, pattern, format, key or type name) and the rest is the first argument (the document).
// Each call goes through the public bind + kernel API twice, with constant and with column
// arguments (EvalScalar); the call may fail only with a user error (InvalidArgument,
// Unimplemented), and the two evaluations must agree. Anything else aborts.
//
//   build-fuzz/fuzz/sql_functions_fuzzer fuzz/corpus/sql_functions
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "sql/functions/scalar_function_tester.h"

namespace {

using trailbook::Result;
using trailbook::StatusCode;
using trailbook::sql::EvalScalar;
using trailbook::sql::LogicalType;
using trailbook::sql::TestArg;
using trailbook::sql::Value;

[[noreturn]] void Fail(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "sql_functions_fuzzer: %.*s\n%.*s\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(detail.size()), detail.data());
  std::abort();
}

void Check(std::string_view function, const Result<Value>& r) {
  if (r.ok()) return;
  StatusCode code = r.status().code();
  if (code != StatusCode::kInvalidArgument && code != StatusCode::kUnimplemented) {
    Fail(function, r.status().ToString());
  }
}

LogicalType StringMap() { return LogicalType::Map(LogicalType::Varchar(), LogicalType::Varchar()); }

LogicalType ResourceRow() {
  auto v = std::make_shared<const LogicalType>(LogicalType::Varchar());
  return LogicalType::Row({{"accountid", v}, {"type", v}, {"arn", v}});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t selector = data[0];
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  size_t newline = rest.find('\n');
  std::string arg(rest.substr(0, newline));
  std::string doc(newline == std::string_view::npos ? std::string_view()
                                                    : rest.substr(newline + 1));
  const Value text = Value::Varchar(doc);
  const Value json = Value::FromText(LogicalType::Json(), doc);
  const Value second = Value::Varchar(arg);
  const Value ts =
      Value::Timestamp(static_cast<int64_t>(doc.size()) * 86'399'999'999 - 4'000'000'000'000'000);

  struct Call {
    const char* name;
    std::vector<TestArg> args;
  };
  std::vector<Call> calls;
  switch (selector % 12) {
    case 0:
      calls = {{"json_extract_scalar", {text, second}},
               {"json_extract", {text, second}},
               {"json_size", {json, second}}};
      break;
    case 1:
      calls = {{"json_parse", {text}}, {"is_json_scalar", {text}}, {"json_array_length", {text}}};
      break;
    case 2:
      calls = {{"json_array_get", {text, Value::Bigint(static_cast<int64_t>(arg.size()) - 3)}},
               {"json_array_contains", {text, second}},
               {"json_array_contains", {text, Value::Bigint(1)}}};
      break;
    case 3:
      calls = {{"element_at", {Value::FromText(StringMap(), doc), second}},
               {"$subscript", {Value::FromText(StringMap(), doc), second}},
               {"map_values", {Value::FromText(StringMap(), doc)}},
               {"cardinality", {Value::FromText(StringMap(), doc)}}};
      break;
    case 4:
      calls = {
          {"$field", {Value::FromText(ResourceRow(), doc), Value::Varchar("arn")}},
          {"element_at",
           {Value::FromText(LogicalType::Array(ResourceRow()), doc), Value::Bigint(1)}},
          {"array_sort", {Value::FromText(LogicalType::Array(LogicalType::Varchar()), doc)}},
          {"contains",
           {Value::FromText(LogicalType::Array(LogicalType::Bigint()), doc), Value::Bigint(1)}}};
      break;
    case 5:
      calls = {{"$cast", {json, second}}, {"$try_cast", {json, second}}};
      break;
    case 6:
      calls = {{"$cast", {text, second}}, {"$try_cast", {text, second}}};
      break;
    case 7:
      calls = {{"$like", {text, second}}, {"$like", {text, second, Value::Varchar("\\")}}};
      break;
    case 8:
      calls = {{"regexp_like", {text, second}},
               {"regexp_extract_all", {text, second}},
               {"regexp_replace", {text, second, Value::Varchar("[$0]")}},
               {"regexp_count", {text, second}}};
      break;
    case 9:
      calls = {{"date_format", {ts, second}},
               {"format_datetime", {ts, second}},
               {"date_parse", {text, second}}};
      break;
    case 10:
      calls = {{"url_decode", {text}},
               {"split_part", {text, second, Value::Bigint(2)}},
               {"split", {text, second}},
               {"strpos", {text, second}},
               {"replace", {text, second, Value::Varchar("x")}}};
      break;
    default:
      calls = {
          {"substr", {text, Value::Bigint(static_cast<int64_t>(arg.size()) - 5), Value::Bigint(3)}},
          {"lower", {text}},
          {"trim", {text, second}},
          {"from_iso8601_timestamp", {text}},
          {"date_trunc", {second, ts}}};
      break;
  }
  for (Call& c : calls) Check(c.name, EvalScalar(c.name, std::move(c.args)));
  return 0;
}
