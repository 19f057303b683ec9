#include "server/result_pages.h"

#include <charconv>

#include "crypto/digest.h"
#include "json/json_writer.h"
#include "sql/exec/result_writer.h"

namespace trailbook::server {
namespace {

sql::ResultFormat WriterFormat(PageFormat format) {
  // JSON pages are rendered as NDJSON rows and joined into an array (see RunPage).
  return format == PageFormat::kCsv ? sql::ResultFormat::kCsv : sql::ResultFormat::kNdjson;
}

void SliceChunk(const sql::DataChunk& source, size_t begin, size_t n, sql::DataChunk* out) {
  out->columns.clear();
  out->columns.reserve(source.columns.size());
  for (const sql::Vector& column : source.columns) {
    out->columns.emplace_back(column.type());
    out->columns.back().Slice(column, begin, n);
  }
  out->size = n;
}

std::string CursorTag(uint64_t offset, std::string_view fingerprint) {
  crypto::Sha256Hasher hasher;
  hasher.Update("trailbook-cursor-v1\n");
  hasher.Update(fingerprint);
  hasher.Update("\n");
  hasher.Update(std::to_string(offset));
  return crypto::ToHex(hasher.Finish()).substr(0, 32);
}

}  // namespace

std::optional<PageFormat> ParsePageFormat(std::string_view text) {
  if (text == "json") return PageFormat::kJson;
  if (text == "ndjson") return PageFormat::kNdjson;
  if (text == "csv") return PageFormat::kCsv;
  return std::nullopt;
}

std::string_view PageContentType(PageFormat format) {
  switch (format) {
    case PageFormat::kJson: return "application/json";
    case PageFormat::kNdjson: return "application/x-ndjson";
    case PageFormat::kCsv: return "text/csv; charset=utf-8";
  }
  return "application/octet-stream";
}

QueryPage RenderPage(const std::vector<std::string>& names,
                     const std::vector<sql::LogicalType>& types,
                     std::span<const sql::DataChunk> chunks, const PageRequest& page) {
  QueryPage out;
  {
    json::JsonWriter w;
    w.BeginArray();
    for (size_t i = 0; i < names.size() && i < types.size(); ++i) {
      w.BeginObject();
      w.Key("name");
      w.String(names[i]);
      w.Key("type");
      w.String(types[i].ToString());
      w.EndObject();
    }
    w.EndArray();
    out.columns_json = std::move(w).Take();
  }
  sql::ResultWriter writer(WriterFormat(page.format), names, types);
  std::string rendered;
  uint64_t to_skip = page.offset;
  bool more = false;
  bool full = false;
  sql::DataChunk slice;
  std::string piece;
  if (page.format == PageFormat::kCsv) {
    sql::DataChunk empty;
    writer.Write(empty, &rendered);  // The header line, so byte-budget retries never drop it.
  }
  for (const sql::DataChunk& chunk : chunks) {
    size_t begin = 0;
    if (to_skip > 0) {
      size_t skip = static_cast<size_t>(std::min<uint64_t>(to_skip, chunk.size));
      to_skip -= skip;
      begin = skip;
    }
    if (begin >= chunk.size) continue;
    if (full) {
      more = true;
      break;
    }
    size_t want = std::min(chunk.size - begin, page.limit - static_cast<size_t>(out.rows));
    SliceChunk(chunk, begin, want, &slice);
    piece.clear();
    writer.Write(slice, &piece);
    if (rendered.size() + piece.size() > page.max_bytes) {
      // Fall back to row-at-a-time to stop at the byte budget (always at least one row).
      for (size_t r = 0; r < want; ++r) {
        SliceChunk(chunk, begin + r, 1, &slice);
        piece.clear();
        writer.Write(slice, &piece);
        if (out.rows > 0 && rendered.size() + piece.size() > page.max_bytes) {
          more = true;
          break;
        }
        rendered += piece;
        ++out.rows;
      }
      if (!more && begin + want < chunk.size) more = true;
      if (more) break;
      full = out.rows >= page.limit;
      continue;
    }
    rendered += piece;
    out.rows += want;
    if (begin + want < chunk.size) {
      more = true;
      break;
    }
    full = out.rows >= page.limit;
  }
  if (page.format == PageFormat::kCsv) {
    std::string tail;
    writer.Finish(&tail);
    rendered += tail;
  }
  if (page.format == PageFormat::kJson) {
    // NDJSON rows never contain a raw newline (JSON escapes it), so rows split on '\n'.
    std::string array;
    array.reserve(rendered.size() + 2);
    array.push_back('[');
    for (size_t i = 0; i < rendered.size(); ++i) {
      char c = rendered[i];
      if (c == '\n') {
        if (i + 1 < rendered.size()) array.push_back(',');
      } else {
        array.push_back(c);
      }
    }
    array.push_back(']');
    out.body = std::move(array);
  } else {
    out.body = std::move(rendered);
  }
  if (more) out.next_offset = page.offset + out.rows;
  out.page_sha256 = crypto::ToHex(crypto::Sha256(out.body));
  return out;
}

std::string EncodeCursor(uint64_t offset, std::string_view fingerprint) {
  return std::to_string(offset) + "." + CursorTag(offset, fingerprint);
}

Result<uint64_t> DecodeCursor(std::string_view cursor, std::string_view fingerprint) {
  size_t dot = cursor.find('.');
  if (dot == std::string_view::npos || dot == 0 || cursor.size() > 64) {
    return InvalidArgument("cursor: malformed");
  }
  uint64_t offset = 0;
  auto [ptr, ec] = std::from_chars(cursor.data(), cursor.data() + dot, offset);
  if (ec != std::errc() || ptr != cursor.data() + dot) return InvalidArgument("cursor: malformed");
  if (!crypto::ConstantTimeEquals(cursor.substr(dot + 1), CursorTag(offset, fingerprint))) {
    return InvalidArgument("cursor: does not belong to this request");
  }
  return offset;
}

}  // namespace trailbook::server
