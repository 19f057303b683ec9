// File: server/result_pages.h
//
// Renders one page of a query result for the HTTP API: skips `offset` rows, renders up to
// `limit` rows (and at most `max_bytes` of output) as JSON, NDJSON or CSV, and reports
// whether more rows follow. The page is hashed (SHA-256) so a client can check what it got.
//
// Paging is stateless: a cursor carries the next offset plus a fingerprint of the request
// it belongs to, and the next page re-runs the query. Results are stable across pages only
// when the query orders its rows and the store has not changed in between.
//
//   PageRequest page{.format = PageFormat::kJson, .offset = 0, .limit = 100};
//   QueryPage p = RenderPage(outcome.column_names, outcome.column_types, outcome.chunks, page);
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "sql/types/data_chunk.h"

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
  // JSON: the rows as a JSON array of objects (the caller wraps it with columns, next and
  // stats); NDJSON and CSV: the response body itself.
  std::string body;
  std::string columns_json;  // [{"name":..,"type":..}, ...]
  uint64_t rows = 0;
  std::optional<uint64_t> next_offset;  // Set when more rows follow.
  std::string page_sha256;  // Hex SHA-256 of `body`.
};

// Renders the requested page of a result with columns `names`/`types` held in `chunks`.
QueryPage RenderPage(const std::vector<std::string>& names,
                     const std::vector<sql::LogicalType>& types,
                     std::span<const sql::DataChunk> chunks, const PageRequest& page);

// A paging cursor: "<offset>.<fingerprint tag>". The tag binds the cursor to one request
// (route, runbook or SQL, parameters, subject) so it cannot be replayed on another query.
std::string EncodeCursor(uint64_t offset, std::string_view fingerprint);
// Returns the offset, or kInvalidArgument when the text is malformed or the cursor belongs
// to a different request.
Result<uint64_t> DecodeCursor(std::string_view cursor, std::string_view fingerprint);

}  // namespace trailbook::server
