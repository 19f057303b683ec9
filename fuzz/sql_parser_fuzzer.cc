// Fuzz target for the SQL parser (untrusted query text from the CLI, the HTTP server and
// runbooks). For every input: Parse must return a value or an InvalidArgument /
// ResourceExhausted error, never crash; every located node must lie inside the input; and a
// parsed statement must print to SQL that parses back to an Equal tree and prints identically.
//
//   build-fuzz/fuzz/sql_parser_fuzzer -dict=fuzz/sql_parser.dict fuzz/corpus/sql_parser

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sql/parser/ast_printer.h"
#include "sql/parser/parser.h"

namespace {

using trailbook::StatusCode;
using trailbook::sql::Equal;
using trailbook::sql::Expr;
using trailbook::sql::Parse;
using trailbook::sql::ParseOptions;
using trailbook::sql::PrintStatement;

[[noreturn]] void Fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "sql_parser_fuzzer: %s\n%.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view sql(reinterpret_cast<const char*>(data), size);
  auto parsed = Parse(sql);
  if (!parsed.ok()) {
    StatusCode code = parsed.status().code();
    if (code != StatusCode::kInvalidArgument && code != StatusCode::kResourceExhausted) {
      Fail("unexpected error code", parsed.status().ToString());
    }
    if (parsed.status().message().empty()) Fail("empty error message", sql);
    return 0;
  }
  const auto& statement = **parsed;
  if (auto verified = trailbook::sql::Verify(statement); !verified.ok()) {
    Fail("AST invariant violated", verified.message() + "\n" + std::string(sql));
  }
  trailbook::sql::VisitAllExpressions(statement, [&](const Expr& e) {
    if (!e.location.known() || e.location.end() > size) Fail("node location outside input", sql);
  });

  std::string printed = PrintStatement(statement);
  // Printed text may nest deeper than the input (`- -x` prints as `-(-x)`), so the re-parse
  // gets more room; the property is about structure, not limits.
  ParseOptions roomy;
  roomy.max_query_bytes = 16 * size + 1024;
  roomy.max_tokens = 16 * size + 1024;
  roomy.max_depth = 4 * ParseOptions{}.max_depth;
  auto reparsed = Parse(printed, roomy);
  if (!reparsed.ok())
    Fail("printed SQL does not parse", printed + "\n" + reparsed.status().message());
  if (!Equal(statement, **reparsed)) Fail("round trip changed the tree", printed);
  if (PrintStatement(**reparsed) != printed) Fail("printing is not a fixed point", printed);
  return 0;
}
