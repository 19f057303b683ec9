// Regular expression functions on RE2: regexp_like, regexp_extract, regexp_extract_all,
// regexp_replace, regexp_count, regexp_split. Trino uses Java-style (Joni) regexes; RE2 takes
// the same syntax except backreferences and lookaround (rejected as invalid patterns), and
// matches in linear time, so a hostile pattern or a huge input cannot stall a query.
// Constant patterns are compiled once at bind time; others once per distinct pattern in a
// batch.
#include <re2/re2.h>

#include <memory>
#include <string>

#include "json/json_writer.h"
#include "sql/functions/function_binding.h"
#include "sql/functions/function_families.h"
#include "sql/functions/kernel_templates.h"
#include "base/utf8.h"

namespace trailbook::sql {
namespace {

using T = LogicalType;
using SV = std::string_view;

// Compiled programs above this size are rejected ("pattern too large") instead of using
// unbounded memory.
constexpr int64_t kMaxProgramMemory = 32 << 20;
constexpr int kMaxGroups = 64;

Result<std::shared_ptr<const RE2>> CompileRegex(SV pattern) {
  // Java's named groups (?<name>...) are (?P<name>...) in this RE2 version.
  std::string translated;
  translated.reserve(pattern.size());
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\' && i + 1 < pattern.size()) {
      translated.append(pattern.substr(i, 2));
      ++i;
      continue;
    }
    if (pattern.substr(i).starts_with("(?<") && i + 3 < pattern.size() && pattern[i + 3] != '=' &&
        pattern[i + 3] != '!') {
      translated.append("(?P<");
      i += 2;
      continue;
    }
    translated.push_back(pattern[i]);
  }
  RE2::Options options;
  options.set_log_errors(false);  // Library code never prints; the error is returned.
  options.set_max_mem(kMaxProgramMemory);
  auto re = std::make_shared<const RE2>(translated, options);
  if (!re->ok()) {
    return InvalidArgument("Invalid regular expression '" + std::string(pattern) +
                           "': " + re->error());
  }
  if (re->NumberOfCapturingGroups() > kMaxGroups) {
    return InvalidArgument("Invalid regular expression '" + std::string(pattern) + "': more than " +
                           std::to_string(kMaxGroups) + " groups");
  }
  return re;
}

// The regex of a call: the constant one from bind time, or the last pattern seen in the batch.
class RegexSource {
 public:
  explicit RegexSource(const void* bind_data) : fixed_(static_cast<const RE2*>(bind_data)) {}

  Result<const RE2*> Get(SV pattern) {
    if (fixed_ != nullptr) return fixed_;
    if (!last_ || pattern != last_pattern_) {
      TB_ASSIGN_OR_RETURN(last_, CompileRegex(pattern));
      last_pattern_.assign(pattern);
    }
    return last_.get();
  }

 private:
  const RE2* fixed_;
  std::shared_ptr<const RE2> last_;
  std::string last_pattern_;
};

Status CheckGroup(const RE2& re, int64_t group) {
  if (group < 0 || group > re.NumberOfCapturingGroups()) {
    return InvalidArgument("Pattern has " + std::to_string(re.NumberOfCapturingGroups()) +
                           " groups. Cannot access group " + std::to_string(group));
  }
  return Status::OK();
}

// Calls f(groups) for every non-overlapping match of `re` in `s`, left to right, as Java's
// Matcher.find: after an empty match the search resumes one code point later. `groups` holds
// group 0..n; f returns false to stop.
template <typename F>
void ForEachMatch(const RE2& re, SV s, F&& f) {
  re2::StringPiece groups[kMaxGroups + 1];
  const int n = re.NumberOfCapturingGroups() + 1;
  size_t pos = 0;
  while (pos <= s.size()) {
    if (!re.Match(re2::StringPiece(s.data(), s.size()), pos, s.size(), RE2::UNANCHORED, groups,
                  n)) {
      return;
    }
    if (!f(groups)) return;
    auto start = static_cast<size_t>(groups[0].data() - s.data());
    size_t end = start + groups[0].size();
    if (end == start) {
      if (end >= s.size()) return;
      size_t next = end;
      DecodeUtf8(s, &next);
      pos = next;
    } else {
      pos = end;
    }
  }
}

SV GroupText(const re2::StringPiece& g) {
  return SV(g.data() == nullptr ? "" : g.data(), g.size());
}

// Appends Java's replacement expansion of `replacement` for one match: $n and ${name} are
// groups, backslash escapes the next character.
Status AppendReplacement(const RE2& re, SV replacement, const re2::StringPiece* groups,
                         std::string* out) {
  const int group_count = re.NumberOfCapturingGroups();
  for (size_t i = 0; i < replacement.size(); ++i) {
    char c = replacement[i];
    if (c == '\\') {
      if (i + 1 >= replacement.size()) {
        return InvalidArgument("Illegal replacement: character to be escaped is missing");
      }
      out->push_back(replacement[++i]);
    } else if (c == '$') {
      if (i + 1 >= replacement.size()) {
        return InvalidArgument("Illegal group reference: group index is missing");
      }
      int group = -1;
      if (replacement[i + 1] == '{') {
        size_t close = replacement.find('}', i + 2);
        if (close == SV::npos) {
          return InvalidArgument(
              "Illegal group reference: named capturing group is missing "
              "trailing '}'");
        }
        std::string name(replacement.substr(i + 2, close - i - 2));
        auto it = re.NamedCapturingGroups().find(name);
        if (it == re.NamedCapturingGroups().end()) {
          return InvalidArgument("No group with name {" + name + "}");
        }
        group = it->second;
        i = close;
      } else if (replacement[i + 1] >= '0' && replacement[i + 1] <= '9') {
        group = replacement[++i] - '0';
        if (group > group_count) return InvalidArgument("No group " + std::to_string(group));
        // Java takes more digits while the number stays a valid group.
        while (i + 1 < replacement.size() && replacement[i + 1] >= '0' &&
               replacement[i + 1] <= '9') {
          int next = group * 10 + (replacement[i + 1] - '0');
          if (next > group_count) break;
          group = next;
          ++i;
        }
      } else {
        return InvalidArgument("Illegal group reference");
      }
      out->append(GroupText(groups[group]));
    } else {
      out->push_back(c);
    }
  }
  return Status::OK();
}

// Binds through `signatures`, then compiles a constant pattern (argument 1) into bind_data.
// A constant group (argument 2 of the extract functions) is checked against it.
ScalarBind RegexBind(std::string name, std::vector<Signature> signatures, bool group_arg) {
  ScalarBind by_signature = BindSignatures(std::move(name), std::move(signatures));
  return [by_signature, group_arg](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    TB_ASSIGN_OR_RETURN(BoundScalarFunction b, by_signature(in));
    const Value* pattern = ConstantArg(in, 1);
    if (pattern == nullptr) return b;
    if (pattern->is_null()) {
      b.kernel = NullKernel();
      return b;
    }
    TB_ASSIGN_OR_RETURN(std::shared_ptr<const RE2> re, CompileRegex(pattern->string_value()));
    const Value* group = group_arg ? ConstantArg(in, 2) : nullptr;
    if (group != nullptr && !group->is_null()) {
      TB_RETURN_IF_ERROR(CheckGroup(*re, group->int_value()));
    }
    b.bind_data = std::move(re);
    return b;
  };
}

// A kernel over (string, pattern, extra...) whose operation also gets the regex and a
// per-batch scratch buffer: op(const RE2&, SV s, extra..., std::string& buf).
template <typename R, typename... Extra, typename Op>
ScalarKernel RegexKernel(Op op) {
  return [op](std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
              const void* bind_data) -> Status {
    RegexSource source(bind_data);
    std::string buf;
    return MapRows<R, SV, SV, Extra...>(
        args, rows, out, [&](SV s, SV pattern, Extra... extra) -> Result<std::optional<R>> {
          TB_ASSIGN_OR_RETURN(const RE2* re, source.Get(pattern));
          return op(*re, s, extra..., buf);
        });
  };
}

Result<std::optional<bool>> Like(const RE2& re, SV s, std::string&) {
  return std::optional<bool>(
      re.Match(re2::StringPiece(s.data(), s.size()), 0, s.size(), RE2::UNANCHORED, nullptr, 0));
}

Result<std::optional<SV>> Extract(const RE2& re, SV s, int64_t group, std::string& buf) {
  TB_RETURN_IF_ERROR(CheckGroup(re, group));
  re2::StringPiece groups[kMaxGroups + 1];
  if (!re.Match(re2::StringPiece(s.data(), s.size()), 0, s.size(), RE2::UNANCHORED, groups,
                static_cast<int>(group) + 1)) {
    return std::optional<SV>();
  }
  if (groups[group].data() == nullptr) return std::optional<SV>();  // Group did not take part.
  buf.assign(GroupText(groups[group]));
  return std::optional<SV>(buf);
}

Result<std::optional<SV>> ExtractAll(const RE2& re, SV s, int64_t group, std::string& buf) {
  TB_RETURN_IF_ERROR(CheckGroup(re, group));
  buf.assign("[");
  bool first = true;
  ForEachMatch(re, s, [&](const re2::StringPiece* groups) {
    if (!first) buf.push_back(',');
    first = false;
    if (groups[group].data() == nullptr) {
      buf.append("null");
    } else {
      json::AppendQuoted(&buf, GroupText(groups[group]));
    }
    return true;
  });
  buf.push_back(']');
  return std::optional<SV>(buf);
}

Result<std::optional<SV>> Replace(const RE2& re, SV s, SV replacement, std::string& buf) {
  buf.clear();
  size_t copied = 0;
  Status status;
  ForEachMatch(re, s, [&](const re2::StringPiece* groups) {
    auto start = static_cast<size_t>(groups[0].data() - s.data());
    buf.append(s.substr(copied, start - copied));
    status = AppendReplacement(re, replacement, groups, &buf);
    copied = start + groups[0].size();
    return status.ok();
  });
  TB_RETURN_IF_ERROR(status);
  buf.append(s.substr(copied));
  return std::optional<SV>(buf);
}

Result<std::optional<int64_t>> Count(const RE2& re, SV s, std::string&) {
  int64_t n = 0;
  ForEachMatch(re, s, [&](const re2::StringPiece*) {
    ++n;
    return true;
  });
  return std::optional<int64_t>(n);
}

Result<std::optional<SV>> SplitByRegex(const RE2& re, SV s, std::string& buf) {
  buf.assign("[");
  size_t piece = 0;
  ForEachMatch(re, s, [&](const re2::StringPiece* groups) {
    auto start = static_cast<size_t>(groups[0].data() - s.data());
    json::AppendQuoted(&buf, s.substr(piece, start - piece));
    buf.push_back(',');
    piece = start + groups[0].size();
    return true;
  });
  json::AppendQuoted(&buf, s.substr(piece));
  buf.push_back(']');
  return std::optional<SV>(buf);
}

}  // namespace

void RegisterRegexFunctions(FunctionRegistry& registry) {
  const T v = T::Varchar();
  const T array_varchar = T::Array(T::Varchar());
  registry.AddScalar(
      "regexp_like",
      RegexBind("regexp_like", {{{v, v}, T::Boolean(), RegexKernel<bool>(Like)}}, false));
  registry.AddScalar(
      "regexp_extract",
      RegexBind("regexp_extract",
                {{{v, v}, v, RegexKernel<SV>([](const RE2& re, SV s, std::string& buf) {
                    return Extract(re, s, 0, buf);
                  })},
                 {{v, v, T::Bigint()}, v, RegexKernel<SV, int64_t>(Extract)}},
                true));
  registry.AddScalar(
      "regexp_extract_all",
      RegexBind("regexp_extract_all",
                {{{v, v}, array_varchar, RegexKernel<SV>([](const RE2& re, SV s, std::string& buf) {
                    return ExtractAll(re, s, 0, buf);
                  })},
                 {{v, v, T::Bigint()}, array_varchar, RegexKernel<SV, int64_t>(ExtractAll)}},
                true));
  registry.AddScalar(
      "regexp_replace",
      RegexBind("regexp_replace",
                {{{v, v}, v, RegexKernel<SV>([](const RE2& re, SV s, std::string& buf) {
                    return Replace(re, s, {}, buf);
                  })},
                 {{v, v, v}, v, RegexKernel<SV, SV>(Replace)}},
                false));
  registry.AddScalar(
      "regexp_count",
      RegexBind("regexp_count", {{{v, v}, T::Bigint(), RegexKernel<int64_t>(Count)}}, false));
  registry.AddScalar(
      "regexp_split",
      RegexBind("regexp_split", {{{v, v}, array_varchar, RegexKernel<SV>(SplitByRegex)}}, false));
}

}  // namespace trailbook::sql
