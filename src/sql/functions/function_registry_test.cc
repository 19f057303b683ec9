#include "sql/functions/function_registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace trailbook::sql {
namespace {

using ::testing::Contains;
using ::testing::Not;

TEST(FunctionRegistryTest, BuiltinNamesAreTheDocumentedSet) {
  // The public names (docs/functions.md); operators ("$add", ...) are not listed.
  const std::vector<std::string> expected = {
      "abs", "all_match", "any_match", "array_distinct", "array_join", "array_max", "array_min",
      "array_position", "array_sort", "at_timezone", "cardinality", "cbrt", "ceil", "ceiling",
      "chr", "coalesce", "codepoint", "concat", "contains", "current_date", "current_timestamp",
      "date", "date_add", "date_diff", "date_format", "date_parse", "date_trunc", "day",
      "day_of_month", "day_of_week", "day_of_year", "dow", "doy", "e", "element_at", "exp",
      "filter", "floor", "format_datetime", "from_iso8601_date", "from_iso8601_timestamp",
      "from_unixtime", "greatest", "hour", "if", "infinity", "is_finite", "is_infinite",
      "is_json_scalar", "is_nan", "json_array_contains", "json_array_get", "json_array_length",
      "json_extract", "json_extract_scalar", "json_format", "json_parse", "json_size",
      "last_day_of_month", "least", "length", "ln", "localtimestamp", "log", "log10", "log2",
      "lower", "lpad", "ltrim", "map", "map_keys", "map_values", "millisecond", "minute", "mod",
      "month", "nan", "none_match", "now", "nullif", "pi", "pow", "power", "quarter", "rand",
      "random", "regexp_count", "regexp_extract", "regexp_extract_all", "regexp_like",
      "regexp_replace", "regexp_split", "replace", "reverse", "round", "rpad", "rtrim", "second",
      "sequence", "sign", "slice", "split", "split_part", "sqrt", "starts_with", "strpos",
      "substr", "substring", "to_iso8601", "to_unixtime", "transform", "trim", "truncate",
      "upper", "url_decode", "url_encode", "week", "week_of_year", "year", "year_of_week", "yow"};
  EXPECT_EQ(FunctionRegistry::Builtin().ScalarNames(), expected);
}

TEST(FunctionRegistryTest, OperatorsAreRegisteredButHidden) {
  const FunctionRegistry& r = FunctionRegistry::Builtin();
  for (const char* op : {"$add", "$subtract", "$multiply", "$divide", "$modulo", "$negate", "$eq",
                         "$ne", "$lt", "$le", "$gt", "$ge", "$concat", "$like", "$subscript",
                         "$field", "$cast", "$try_cast", "$array", "$row"}) {
    EXPECT_NE(r.FindScalar(op), nullptr) << op;
    EXPECT_THAT(r.ScalarNames(), Not(Contains(std::string(op))));
  }
  EXPECT_NE(r.FindScalar("JSON_EXTRACT_SCALAR"), nullptr);  // Names are case-insensitive.
  EXPECT_EQ(r.FindScalar("json_extract_scalr"), nullptr);
}

}  // namespace
}  // namespace trailbook::sql
