// String functions (Trino semantics: lengths and positions count code points):
// lower, upper, length, substr/substring, replace, split_part, split, strpos, starts_with,
// concat and "$concat" (||), trim/ltrim/rtrim, lpad/rpad, reverse, chr, codepoint,
// url_encode, url_decode.
#include <locale.h>

#include <cwctype>
#include <string>

#include "json/json_writer.h"
#include "sql/functions/function_binding.h"
#include "sql/functions/function_families.h"
#include "sql/functions/internal/array_binds.h"
#include "sql/functions/kernel_templates.h"
#include "base/hex.h"
#include "base/utf8.h"

namespace trailbook::sql {
namespace {

using T = LogicalType;
using SV = std::string_view;

// Longest string lpad/rpad produce, in code points. Trino allows 2^31 - 1; a bound protects
// the query's memory from one call.
constexpr int64_t kMaxPadLength = 1 << 20;

// Java's Character.isWhitespace for a code point (what Trino's trim removes).
bool IsJavaWhitespace(int32_t cp) {
  return (cp >= 9 && cp <= 13) || (cp >= 28 && cp <= 32) || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x2006) || (cp >= 0x2008 && cp <= 0x200A) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x205F || cp == 0x3000;
}

// Unicode simple case mapping through glibc's C.UTF-8 tables (Trino maps code point by code
// point too). The locale object is created once and never changes; ASCII takes a fast path.
locale_t Utf8Locale() {
  static const locale_t locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
  return locale;
}

template <bool kUpper>
SV MapCase(SV s, std::string& buf) {
  buf.clear();
  const locale_t loc = Utf8Locale();
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (kUpper) {
        buf.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : static_cast<char>(c));
      } else {
        buf.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : static_cast<char>(c));
      }
      ++i;
      continue;
    }
    size_t start = i;
    int32_t cp = DecodeUtf8(s, &i);
    if (cp < 0 || loc == static_cast<locale_t>(0)) {
      buf.append(s.substr(start, i - start));
      continue;
    }
    auto mapped = static_cast<int32_t>(kUpper ? towupper_l(static_cast<wint_t>(cp), loc)
                                              : towlower_l(static_cast<wint_t>(cp), loc));
    if (mapped <= 0 || mapped > 0x10FFFF || (mapped >= 0xD800 && mapped <= 0xDFFF)) mapped = cp;
    AppendUtf8(&buf, mapped);
  }
  return buf;
}

// Trino's substr(s, start, length).
SV Substr(SV s, int64_t start, int64_t length) {
  if (start == 0 || length <= 0 || s.empty()) return {};
  if (start > 0) {
    auto first = static_cast<size_t>(start - 1);
    size_t begin = Utf8Offset(s, first);
    if (begin >= s.size()) return {};
    SV rest = s.substr(begin);
    return rest.substr(0, Utf8Offset(rest, static_cast<size_t>(length)));
  }
  auto count = static_cast<int64_t>(Utf8Length(s));
  int64_t from = start + count;
  if (from < 0) return {};
  size_t begin = Utf8Offset(s, static_cast<size_t>(from));
  SV rest = s.substr(begin);
  return rest.substr(0, Utf8Offset(rest, static_cast<size_t>(length)));
}

SV Replace(SV s, SV search, SV replacement, std::string& buf) {
  buf.clear();
  if (search.empty()) {
    // Trino inserts the replacement before every code point and at the end.
    for (size_t i = 0; i < s.size();) {
      buf.append(replacement);
      size_t start = i;
      DecodeUtf8(s, &i);
      buf.append(s.substr(start, i - start));
    }
    buf.append(replacement);
    return buf;
  }
  size_t pos = 0;
  while (true) {
    size_t found = s.find(search, pos);
    if (found == SV::npos) break;
    buf.append(s.substr(pos, found - pos));
    buf.append(replacement);
    pos = found + search.size();
  }
  buf.append(s.substr(pos));
  return buf;
}

Result<std::optional<SV>> SplitPart(SV s, SV delimiter, int64_t index) {
  if (index <= 0) return InvalidArgument("Index must be greater than zero");
  if (delimiter.empty()) {
    // The index-th code point.
    size_t begin = Utf8Offset(s, static_cast<size_t>(index - 1));
    if (begin >= s.size()) return std::optional<SV>();
    size_t end = begin;
    DecodeUtf8(s, &end);
    return std::optional<SV>(s.substr(begin, end - begin));
  }
  size_t pos = 0;
  for (int64_t part = 1;; ++part) {
    size_t found = s.find(delimiter, pos);
    if (part == index) {
      return std::optional<SV>(s.substr(pos, found == SV::npos ? SV::npos : found - pos));
    }
    if (found == SV::npos) return std::optional<SV>();
    pos = found + delimiter.size();
  }
}

// strpos(s, sub, instance): 1-based code point position of the instance-th occurrence
// (from the end when negative), 0 when absent.
Result<int64_t> Strpos(SV s, SV sub, int64_t instance) {
  if (instance == 0) return InvalidArgument("'instance' must be a positive or negative number.");
  if (sub.empty()) return int64_t{1};
  size_t found = SV::npos;
  if (instance > 0) {
    size_t pos = 0;
    for (int64_t n = 0; n < instance; ++n) {
      found = s.find(sub, pos);
      if (found == SV::npos) return int64_t{0};
      pos = found + 1;
    }
  } else {
    size_t pos = s.size();
    for (int64_t n = 0; n > instance; --n) {
      if (pos == SV::npos) return int64_t{0};
      found = s.rfind(sub, pos);
      if (found == SV::npos) return int64_t{0};
      pos = found == 0 ? SV::npos : found - 1;
    }
  }
  return static_cast<int64_t>(Utf8Length(s.substr(0, found))) + 1;
}

// Trims code points from the ends: whitespace, or those in `chars` when given.
template <bool kLeft, bool kRight>
SV Trim(SV s, const SV* chars) {
  auto strip = [&](int32_t cp) {
    if (chars == nullptr) return IsJavaWhitespace(cp);
    for (size_t i = 0; i < chars->size();) {
      if (DecodeUtf8(*chars, &i) == cp) return true;
    }
    return false;
  };
  size_t begin = 0;
  if (kLeft) {
    while (begin < s.size()) {
      size_t next = begin;
      int32_t cp = DecodeUtf8(s, &next);
      if (cp < 0 || !strip(cp)) break;
      begin = next;
    }
  }
  size_t end = s.size();
  if (kRight) {
    while (end > begin) {
      size_t start = end - 1;
      while (start > begin && IsUtf8Continuation(static_cast<unsigned char>(s[start]))) --start;
      size_t next = start;
      int32_t cp = DecodeUtf8(s, &next);
      if (cp < 0 || next != end || !strip(cp)) break;
      end = start;
    }
  }
  return s.substr(begin, end - begin);
}

template <bool kLeft>
Result<SV> Pad(SV s, int64_t size, SV pad, std::string& buf) {
  if (size < 0 || size > kMaxPadLength) {
    return InvalidArgument("Target length must be in the range [0.." +
                           std::to_string(kMaxPadLength) + "]");
  }
  if (pad.empty()) return InvalidArgument("Padding string must not be empty");
  auto target = static_cast<size_t>(size);
  size_t length = Utf8Length(s);
  if (length >= target) return s.substr(0, Utf8Offset(s, target));
  size_t missing = target - length;
  buf.clear();
  if (!kLeft) buf.append(s);
  size_t pad_length = Utf8Length(pad);
  while (missing >= pad_length) {
    buf.append(pad);
    missing -= pad_length;
  }
  buf.append(pad.substr(0, Utf8Offset(pad, missing)));
  if (kLeft) buf.append(s);
  return SV(buf);
}

SV Reverse(SV s, std::string& buf) {
  buf.assign(s.size(), '\0');
  size_t out = s.size();
  for (size_t i = 0; i < s.size();) {
    size_t start = i;
    DecodeUtf8(s, &i);
    out -= i - start;
    buf.replace(out, i - start, s.substr(start, i - start));
  }
  return buf;
}

Result<SV> Chr(int64_t cp, std::string& buf) {
  if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return InvalidArgument("Not a valid Unicode code point: " + std::to_string(cp));
  }
  buf.clear();
  AppendUtf8(&buf, static_cast<int32_t>(cp));
  return SV(buf);
}

Result<int64_t> Codepoint(SV s) {
  size_t pos = 0;
  int32_t cp = s.empty() ? -1 : DecodeUtf8(s, &pos);
  if (cp < 0 || pos != s.size()) {
    return InvalidArgument("Input string must be a single character string");
  }
  return int64_t{cp};
}

// Java's URLEncoder with UTF-8 (what Trino's url_encode uses).
SV UrlEncode(SV s, std::string& buf) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  buf.clear();
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
        c == '-' || c == '*' || c == '_') {
      buf.push_back(ch);
    } else if (c == ' ') {
      buf.push_back('+');
    } else {
      buf.push_back('%');
      buf.push_back(kHex[c >> 4]);
      buf.push_back(kHex[c & 15]);
    }
  }
  return buf;
}

// Java's URLDecoder: '+' is a space, %XX a byte. Malformed escapes are errors.
Result<SV> UrlDecode(SV s, std::string& buf) {
  buf.clear();
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '+') {
      buf.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= s.size()) {
        return InvalidArgument("Incomplete trailing escape (%) pattern");
      }
      int hi = HexDigitValue(s[i + 1]);
      int lo = HexDigitValue(s[i + 2]);
      if (hi < 0 || lo < 0) {
        return InvalidArgument("Illegal hex characters in escape (%) pattern: " +
                               std::string(s.substr(i, 3)));
      }
      buf.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      buf.push_back(c);
    }
  }
  return SV(buf);
}

// split(s, delimiter[, limit]) as array(varchar) JSON text; with a limit the last element
// holds the rest of the string.
Result<SV> Split(SV s, SV delimiter, int64_t limit, std::string& buf) {
  if (delimiter.empty()) return InvalidArgument("The delimiter may not be the empty string");
  if (limit <= 0) return InvalidArgument("Limit must be positive");
  buf.clear();
  buf.push_back('[');
  size_t pos = 0;
  for (int64_t part = 1;; ++part) {
    size_t found = part == limit ? SV::npos : s.find(delimiter, pos);
    if (part > 1) buf.push_back(',');
    json::AppendQuoted(&buf, s.substr(pos, found == SV::npos ? SV::npos : found - pos));
    if (found == SV::npos) break;
    pos = found + delimiter.size();
  }
  buf.push_back(']');
  return SV(buf);
}

Status ConcatStrings(std::span<Vector* const> args, size_t rows, Vector& out, FunctionContext&,
                     const void*) {
  out.Resize(rows);
  std::string buf;
  for (size_t r = 0; r < rows; ++r) {
    buf.clear();
    bool null = false;
    for (Vector* a : args) {
      if (a->IsNull(r)) {
        null = true;
        break;
      }
      buf.append(a->Data<StringRef>()[r].view());
    }
    if (null) {
      out.SetNull(r);
    } else {
      out.SetString(r, buf);
    }
  }
  return Status::OK();
}

ScalarBind ConcatBind(bool operator_form) {
  return [operator_form](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    TB_RETURN_IF_ERROR(RejectLambdas(in));
    if (internal::AnyArrayArgument(in)) return internal::BindArrayConcat(in);
    if (!operator_form && in.arg_types.size() < 2) {
      return InvalidArgument("There must be two or more concatenation arguments");
    }
    for (const LogicalType& t : in.arg_types) {
      if (t.id() != TypeId::kVarchar && t.id() != TypeId::kUnknown) {
        return UnexpectedParameters(in, "concat(varchar, varchar, ...), concat(array(T), ...)");
      }
    }
    BoundScalarFunction b;
    b.arg_types.assign(in.arg_types.size(), T::Varchar());
    b.return_type = T::Varchar();
    b.kernel = ConcatStrings;
    b.lambda_params.assign(in.arg_types.size(), {});
    return b;
  };
}

Signature Unary(ScalarKernel k) { return {{T::Varchar()}, T::Varchar(), std::move(k)}; }

}  // namespace

void RegisterStringFunctions(FunctionRegistry& registry) {
  registry.AddScalar("lower", BindSignatures("lower", {Unary(BatchKernel<SV, SV>([] {
                                               return [buf = std::string()](SV s) mutable {
                                                 return MapCase<false>(s, buf);
                                               };
                                             }))}));
  registry.AddScalar("upper", BindSignatures("upper", {Unary(BatchKernel<SV, SV>([] {
                                               return [buf = std::string()](SV s) mutable {
                                                 return MapCase<true>(s, buf);
                                               };
                                             }))}));
  registry.AddScalar(
      "length",
      BindSignatures("length", {{{T::Varchar()}, T::Bigint(), RowKernel<int64_t, SV>([](SV s) {
                                   return static_cast<int64_t>(Utf8Length(s));
                                 })}}));

  for (const char* name : {"substr", "substring"}) {
    registry.AddScalar(
        name,
        BindSignatures(
            name, {{{T::Varchar(), T::Bigint()},
                    T::Varchar(),
                    RowKernel<SV, SV, int64_t>(
                        [](SV s, int64_t start) { return Substr(s, start, INT64_MAX); },
                        StringResult::kSliceOfArgs)},
                   {{T::Varchar(), T::Bigint(), T::Bigint()},
                    T::Varchar(),
                    RowKernel<SV, SV, int64_t, int64_t>(Substr, StringResult::kSliceOfArgs)}}));
  }

  registry.AddScalar(
      "replace",
      BindSignatures("replace",
                     {{{T::Varchar(), T::Varchar()}, T::Varchar(), BatchKernel<SV, SV, SV>([] {
                         return [buf = std::string()](SV s, SV search) mutable {
                           return Replace(s, search, {}, buf);
                         };
                       })},
                      {{T::Varchar(), T::Varchar(), T::Varchar()},
                       T::Varchar(),
                       BatchKernel<SV, SV, SV, SV>([] {
                         return [buf = std::string()](SV s, SV search, SV r) mutable {
                           return Replace(s, search, r, buf);
                         };
                       })}}));

  registry.AddScalar(
      "split_part",
      BindSignatures("split_part",
                     {{{T::Varchar(), T::Varchar(), T::Bigint()},
                       T::Varchar(),
                       RowKernel<SV, SV, SV, int64_t>(SplitPart, StringResult::kSliceOfArgs)}}));

  const T array_varchar = T::Array(T::Varchar());
  registry.AddScalar(
      "split",
      BindSignatures("split",
                     {{{T::Varchar(), T::Varchar()}, array_varchar, BatchKernel<SV, SV, SV>([] {
                         return [buf = std::string()](SV s, SV d) mutable {
                           return Split(s, d, INT64_MAX, buf);
                         };
                       })},
                      {{T::Varchar(), T::Varchar(), T::Bigint()},
                       array_varchar,
                       BatchKernel<SV, SV, SV, int64_t>([] {
                         return [buf = std::string()](SV s, SV d, int64_t limit) mutable {
                           return Split(s, d, limit, buf);
                         };
                       })}}));

  registry.AddScalar(
      "strpos",
      BindSignatures("strpos",
                     {{{T::Varchar(), T::Varchar()},
                       T::Bigint(),
                       RowKernel<int64_t, SV, SV>([](SV s, SV sub) { return Strpos(s, sub, 1); })},
                      {{T::Varchar(), T::Varchar(), T::Bigint()},
                       T::Bigint(),
                       RowKernel<int64_t, SV, SV, int64_t>(Strpos)}}));

  registry.AddScalar("starts_with",
                     BindSignatures("starts_with", {{{T::Varchar(), T::Varchar()},
                                                     T::Boolean(),
                                                     RowKernel<bool, SV, SV>([](SV s, SV prefix) {
                                                       return s.starts_with(prefix);
                                                     })}}));

  registry.AddScalar("concat", ConcatBind(false));
  registry.AddScalar("$concat", ConcatBind(true));

  auto trim_sigs = [](auto trim) {
    return std::vector<Signature>{
        {{T::Varchar()},
         T::Varchar(),
         RowKernel<SV, SV>([trim](SV s) { return trim(s, nullptr); }, StringResult::kSliceOfArgs)},
        {{T::Varchar(), T::Varchar()},
         T::Varchar(),
         RowKernel<SV, SV, SV>([trim](SV s, SV chars) { return trim(s, &chars); },
                               StringResult::kSliceOfArgs)}};
  };
  registry.AddScalar("trim", BindSignatures("trim", trim_sigs(Trim<true, true>)));
  registry.AddScalar("ltrim", BindSignatures("ltrim", trim_sigs(Trim<true, false>)));
  registry.AddScalar("rtrim", BindSignatures("rtrim", trim_sigs(Trim<false, true>)));

  auto pad_sig = [](auto pad) {
    return Signature{{T::Varchar(), T::Bigint(), T::Varchar()},
                     T::Varchar(),
                     BatchKernel<SV, SV, int64_t, SV>([pad] {
                       return [pad, buf = std::string()](SV s, int64_t n, SV p) mutable {
                         return pad(s, n, p, buf);
                       };
                     })};
  };
  registry.AddScalar("lpad", BindSignatures("lpad", {pad_sig(Pad<true>)}));
  registry.AddScalar("rpad", BindSignatures("rpad", {pad_sig(Pad<false>)}));

  ScalarBind reverse_string =
      BindSignatures("reverse", {Unary(BatchKernel<SV, SV>([] {
                       return [buf = std::string()](SV s) mutable { return Reverse(s, buf); };
                     }))});
  registry.AddScalar("reverse", [reverse_string](const ScalarBindInput& in) {
    if (internal::AnyArrayArgument(in)) return internal::BindArrayReverse(in);
    return reverse_string(in);
  });

  registry.AddScalar(
      "chr", BindSignatures("chr", {{{T::Bigint()}, T::Varchar(), BatchKernel<SV, int64_t>([] {
                                       return [buf = std::string()](int64_t cp) mutable {
                                         return Chr(cp, buf);
                                       };
                                     })}}));
  registry.AddScalar(
      "codepoint",
      BindSignatures("codepoint",
                     {{{T::Varchar()}, T::Bigint(), RowKernel<int64_t, SV>(Codepoint)}}));
  registry.AddScalar("url_encode", BindSignatures("url_encode", {Unary(BatchKernel<SV, SV>([] {
                                                    return [buf = std::string()](SV s) mutable {
                                                      return UrlEncode(s, buf);
                                                    };
                                                  }))}));
  registry.AddScalar("url_decode", BindSignatures("url_decode", {Unary(BatchKernel<SV, SV>([] {
                                                    return [buf = std::string()](SV s) mutable {
                                                      return UrlDecode(s, buf);
                                                    };
                                                  }))}));
}

}  // namespace trailbook::sql
