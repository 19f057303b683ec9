// File: server/result_pages.h
//
// Runs one page of a query for the HTTP API: executes it on the QueryEngine with the
// request's limits, skips `offset` rows, renders up to `limit` rows (and at most
// `max_bytes` of output) as JSON, NDJSON or CSV, and reports whether more rows follow. The
// page is hashed (SHA-256) so the audit record names exactly what was returned.
//
// Paging is stateless: a cursor carries the next offset plus a fingerprint of the request
// it belongs to, and the next page re-runs the query. Results are stable across pages only
// when the query orders its rows and the store has not changed in between.
//
//   PageRequest page{.format = PageFormat::kJson, .offset = 0, .limit = 100};
//   TB_ASSIGN_OR_RETURN(QueryPage p, RunPage(engine, sql, options, page));
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "sql/exec/query_engine.h"

namespace trailbook::server {

enum class PageFormat { kJson, kNdjson, kCsv };

// Parses "json", "ndjson" or "csv".
std::optional<PageFormat> ParsePageFormat(std::string_view text);
std::string_view PageContentType(PageFormat format);

struct PageRequest {
  PageFormat format = PageFormat::kJson;
  uint64_t offset = 0;
  size_t limit = 1000;
  size_t max_bytes = size_t{64} << 20;
};

struct QueryPage {
  // JSON: {"columns":[{"name","type"}...],"rows":[...],"row_count":n,"next":..,"stats":{..}}
  // is assembled by the caller from `rows_json`; NDJSON and CSV are the body itself.
  std::string body;
  std::string columns_json;  // [{"name":..,"type":..}, ...]
  uint64_t rows = 0;
  std::optional<uint64_t> next_offset;  // Set when more rows follow.
  sql::QueryStats stats;
  std::string result_sha256;  // Hex SHA-256 of `body`.
};

// Executes `sql` and renders the requested page. Errors: those of QueryEngine::Execute and
// QueryResult::Next (kInvalidArgument for bad SQL, kResourceExhausted for the memory limit,
// kCancelled for the timeout or a cancel).
Result<QueryPage> RunPage(const sql::QueryEngine& engine, std::string_view sql,
                          const sql::QueryOptions& options, const PageRequest& page);

// A paging cursor: "<offset>.<fingerprint tag>". The tag binds the cursor to one request
// (route, runbook or SQL, parameters, subject) so it cannot be replayed on another query.
std::string EncodeCursor(uint64_t offset, std::string_view fingerprint);
// Returns the offset, or kInvalidArgument when the text is malformed or the cursor belongs
// to a different request.
Result<uint64_t> DecodeCursor(std::string_view cursor, std::string_view fingerprint);

}  // namespace trailbook::server
