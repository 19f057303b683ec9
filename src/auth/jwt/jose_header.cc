#include "auth/jwt/jose_header.h"

#include <array>
#include <utility>

namespace trailbook::auth {
namespace {

struct AlgorithmInfo {
  JwsAlgorithm alg;
  std::string_view name;
  JwsAlgorithmFamily family;
  size_t digest_size;
  const char* digest_name;
};

constexpr std::array<AlgorithmInfo, 13> kAlgorithms = {{
    {JwsAlgorithm::kHS256, "HS256", JwsAlgorithmFamily::kHmac, 32, "SHA256"},
    {JwsAlgorithm::kHS384, "HS384", JwsAlgorithmFamily::kHmac, 48, "SHA384"},
    {JwsAlgorithm::kHS512, "HS512", JwsAlgorithmFamily::kHmac, 64, "SHA512"},
    {JwsAlgorithm::kRS256, "RS256", JwsAlgorithmFamily::kRsaPkcs1, 32, "SHA256"},
    {JwsAlgorithm::kRS384, "RS384", JwsAlgorithmFamily::kRsaPkcs1, 48, "SHA384"},
    {JwsAlgorithm::kRS512, "RS512", JwsAlgorithmFamily::kRsaPkcs1, 64, "SHA512"},
    {JwsAlgorithm::kPS256, "PS256", JwsAlgorithmFamily::kRsaPss, 32, "SHA256"},
    {JwsAlgorithm::kPS384, "PS384", JwsAlgorithmFamily::kRsaPss, 48, "SHA384"},
    {JwsAlgorithm::kPS512, "PS512", JwsAlgorithmFamily::kRsaPss, 64, "SHA512"},
    {JwsAlgorithm::kES256, "ES256", JwsAlgorithmFamily::kEcdsa, 32, "SHA256"},
    {JwsAlgorithm::kES384, "ES384", JwsAlgorithmFamily::kEcdsa, 48, "SHA384"},
    {JwsAlgorithm::kES512, "ES512", JwsAlgorithmFamily::kEcdsa, 64, "SHA512"},
    {JwsAlgorithm::kEdDSA, "EdDSA", JwsAlgorithmFamily::kEdDSA, 64, nullptr},
}};

const AlgorithmInfo& Info(JwsAlgorithm alg) { return kAlgorithms[static_cast<size_t>(alg)]; }

// Header parameters that make a token unacceptable whatever their value, with the reason.
constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kForbiddenMembers = {{
    {"jku", "keys are never fetched from a URL named in the token"},
    {"jwk", "keys are never taken from the token"},
    {"x5u", "keys are never fetched from a URL named in the token"},
    {"x5c", "keys are never taken from a certificate chain in the token"},
    {"crit", "no JWS extension parameter is understood"},
    {"cty", "nested or non-JWT content is not accepted"},
    {"b64", "unencoded payloads (RFC 7797) are not accepted"},
    {"enc", "encrypted tokens (JWE) are not accepted"},
    {"zip", "compressed tokens (JWE) are not accepted"},
}};

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

}  // namespace

std::optional<JwsAlgorithm> ParseJwsAlgorithm(std::string_view name) {
  for (const AlgorithmInfo& info : kAlgorithms) {
    if (info.name == name) return info.alg;
  }
  return std::nullopt;
}

std::string_view JwsAlgorithmName(JwsAlgorithm alg) { return Info(alg).name; }
JwsAlgorithmFamily FamilyOf(JwsAlgorithm alg) { return Info(alg).family; }
size_t DigestSize(JwsAlgorithm alg) { return Info(alg).digest_size; }
const char* DigestName(JwsAlgorithm alg) { return Info(alg).digest_name; }

std::string JoinAlgorithmNames(const std::vector<JwsAlgorithm>& algs) {
  std::string out;
  for (JwsAlgorithm alg : algs) {
    if (!out.empty()) out += ", ";
    out += JwsAlgorithmName(alg);
  }
  return out;
}

Result<JoseHeader> ParseJoseHeader(std::string_view header_json, StrictJsonParser& parser) {
  TB_ASSIGN_OR_RETURN(simdjson::dom::element root, parser.Parse(header_json, kMaxHeaderDepth));
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    return InvalidArgument(std::string("header is a JSON ") + std::string(JsonTypeName(root)) +
                           ", not an object");
  }
  JoseHeader header;
  bool have_alg = false;
  for (simdjson::dom::key_value_pair field : object) {
    for (const auto& [name, why] : kForbiddenMembers) {
      if (field.key == name) {
        return InvalidArgument(std::string("header carries \"") + std::string(name) + "\": " +
                               std::string(why));
      }
    }
    if (field.key == "alg" || field.key == "kid" || field.key == "typ") {
      std::string_view value;
      if (field.value.get_string().get(value) != simdjson::SUCCESS) {
        return InvalidArgument(std::string("header \"") + std::string(field.key) + "\" is a JSON " +
                               std::string(JsonTypeName(field.value)) + ", not a string");
      }
      if (field.key == "alg") {
        header.alg = std::string(value);
        have_alg = true;
      } else if (field.key == "kid") {
        if (value.size() > kMaxKidBytes) {
          return InvalidArgument(std::string("header \"kid\" is longer than ") +
                                 std::to_string(kMaxKidBytes) + " bytes");
        }
        header.kid = std::string(value);
      } else {
        header.typ = std::string(value);
      }
    }
  }
  if (!have_alg) return InvalidArgument("header has no \"alg\"");
  return header;
}

bool TypMatches(std::string_view typ, std::string_view expected) {
  constexpr std::string_view kPrefix = "application/";
  auto strip = [&](std::string_view s) {
    if (s.size() >= kPrefix.size() && EqualsIgnoreAsciiCase(s.substr(0, kPrefix.size()), kPrefix)) {
      s.remove_prefix(kPrefix.size());
    }
    return s;
  };
  return EqualsIgnoreAsciiCase(strip(typ), strip(expected));
}

}  // namespace trailbook::auth
