#include "sql/functions/json_path.h"

#include <charconv>

namespace trailbook::sql {
namespace {

// Characters of an unquoted name: ASCII letters, digits and '_', plus any non-ASCII byte
// (Trino accepts Unicode letters and digits; bytes of a UTF-8 sequence are >= 0x80).
bool IsNameChar(char c) {
  auto u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' ||
         u >= 0x80;
}

int64_t AsIndex(std::string_view name) {
  int64_t v = -1;
  if (name.empty() || name[0] < '0' || name[0] > '9') return -1;
  auto r = std::from_chars(name.data(), name.data() + name.size(), v);
  if (r.ec != std::errc() || r.ptr != name.data() + name.size()) return -1;
  return v;
}

}  // namespace

Result<JsonPath> JsonPath::Parse(std::string_view path) {
  auto bad = [&] { return InvalidArgument("Invalid JSON path: '" + std::string(path) + "'"); };
  if (path.empty() || path[0] != '$') return bad();
  JsonPath p;
  size_t i = 1;
  while (i < path.size()) {
    std::string name;
    if (path[i] == '.') {
      ++i;
      size_t start = i;
      while (i < path.size() && (IsNameChar(path[i]) || path[i] == ':')) ++i;
      if (i == start) return bad();
      name.assign(path.substr(start, i - start));
    } else if (path[i] == '[') {
      ++i;
      if (i < path.size() && path[i] == '"') {
        ++i;
        bool closed = false;
        while (i < path.size()) {
          char c = path[i++];
          if (c == '"') {
            closed = true;
            break;
          }
          if (c == '\\') {
            if (i >= path.size() || (path[i] != '"' && path[i] != '\\')) return bad();
            c = path[i++];
          }
          name.push_back(c);
        }
        if (!closed) return bad();
      } else {
        size_t start = i;
        while (i < path.size() && IsNameChar(path[i])) ++i;
        if (i == start) return bad();
        name.assign(path.substr(start, i - start));
      }
      if (i >= path.size() || path[i] != ']') return bad();
      ++i;
    } else {
      return bad();
    }
    int64_t index = AsIndex(name);
    p.steps_.push_back({std::move(name), index});
  }
  return p;
}

}  // namespace trailbook::sql
