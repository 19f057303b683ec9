#include "server/request_target.h"

#include "base/hex.h"

namespace trailbook::server {
namespace {

// Appends the percent-decoded `text` (which starts at byte `offset` of the target) to *out.
Status Decode(std::string_view text, size_t offset, bool plus_is_space, bool is_path,
              std::string* out) {
  out->reserve(out->size() + text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const size_t at = i;
    char c = text[i];
    if (c == '%') {
      int hi = i + 2 < text.size() ? HexDigitValue(text[i + 1]) : -1;
      int lo = i + 2 < text.size() ? HexDigitValue(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return InvalidArgument("request target: bad percent escape at byte " +
                               std::to_string(offset + at));
      }
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (is_path && (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)) {
      return InvalidArgument("request target: control character in the path at byte " +
                             std::to_string(offset + at));
    }
    out->push_back(c);
  }
  return Status::OK();
}

}  // namespace

Status ParseRequestTarget(std::string_view target, RequestTarget* out) {
  out->path.clear();
  out->query.clear();
  if (target.empty() || target[0] != '/') {
    return InvalidArgument("request target: must be a path starting with '/'");
  }
  size_t question = target.find('?');
  std::string_view path = target.substr(0, question);
  TB_RETURN_IF_ERROR(Decode(path, 0, /*plus_is_space=*/false, /*is_path=*/true, &out->path));
  if (question == std::string_view::npos) return Status::OK();
  size_t pos = question + 1;
  while (pos <= target.size()) {
    size_t amp = target.find('&', pos);
    if (amp == std::string_view::npos) amp = target.size();
    std::string_view piece = target.substr(pos, amp - pos);
    if (!piece.empty()) {
      size_t eq = piece.find('=');
      std::string_view key = piece.substr(0, eq);
      std::string_view value = eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);
      std::string k;
      std::string v;
      TB_RETURN_IF_ERROR(Decode(key, pos, /*plus_is_space=*/true, /*is_path=*/false, &k));
      TB_RETURN_IF_ERROR(Decode(value, pos + eq + 1, /*plus_is_space=*/true, /*is_path=*/false, &v));
      out->query.emplace_back(std::move(k), std::move(v));
    }
    pos = amp + 1;
  }
  return Status::OK();
}

}  // namespace trailbook::server
