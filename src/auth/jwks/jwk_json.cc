#include "auth/jwks/jwk_json.h"

#include <algorithm>
#include <array>
#include <set>

#include "auth/jwt/base64url.h"
#include "crypto/digest.h"
#include "json/json_writer.h"

namespace trailbook::auth {
namespace {

using simdjson::dom::element;

constexpr std::array<std::string_view, 7> kPrivateMembers = {"d", "p", "q", "dp", "dq", "qi", "oth"};

// JWE key-management and content-encryption algorithms (RFC 7518 sections 4 and 5): a key
// labelled with one of these is an encryption key, skipped rather than rejected.
bool IsEncryptionAlg(std::string_view alg) {
  static constexpr std::array<std::string_view, 20> kEnc = {
      "RSA1_5",         "RSA-OAEP",       "RSA-OAEP-256",   "RSA-OAEP-384",   "RSA-OAEP-512",
      "A128KW",         "A192KW",         "A256KW",         "dir",            "ECDH-ES",
      "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW", "A128GCMKW",      "A192GCMKW",
      "A256GCMKW",      "A128GCM",        "A192GCM",        "A256GCM",        "PBES2-HS256+A128KW"};
  if (alg.substr(0, 6) == "PBES2-") return true;
  if (alg.substr(0, 4) == "A128" || alg.substr(0, 4) == "A192" || alg.substr(0, 4) == "A256") {
    return true;  // Also covers A*CBC-HS* content encryption.
  }
  return std::find(kEnc.begin(), kEnc.end(), alg) != kEnc.end();
}

// Reads member `name` as a string; returns nullopt when absent, an error when mistyped.
Result<std::optional<std::string_view>> OptionalString(const simdjson::dom::object& object,
                                                       std::string_view name) {
  element value;
  if (object.at_key(name).get(value) != simdjson::SUCCESS) return std::optional<std::string_view>();
  std::string_view s;
  if (value.get_string().get(s) != simdjson::SUCCESS) {
    return InvalidArgument(std::string("\"") + std::string(name) + "\" is a JSON " +
                           std::string(JsonTypeName(value)) + ", not a string");
  }
  return std::optional<std::string_view>(s);
}

// Reads a required base64url member and decodes it strictly.
Result<std::string> RequiredBytes(const simdjson::dom::object& object, std::string_view name) {
  TB_ASSIGN_OR_RETURN(std::optional<std::string_view> text, OptionalString(object, name));
  if (!text) return InvalidArgument(std::string("missing \"") + std::string(name) + "\"");
  Result<std::string> bytes = Base64UrlDecode(*text);
  if (!bytes.ok()) return bytes.status().WithContext(std::string("\"") + std::string(name) + "\"");
  return bytes;
}

Result<std::optional<Jwk>> ParseJwkObject(const simdjson::dom::object& object,
                                          const JwkParseOptions& options, std::string* skip) {
  TB_ASSIGN_OR_RETURN(std::optional<std::string_view> kty, OptionalString(object, "kty"));
  if (!kty) return InvalidArgument("missing \"kty\"");
  TB_ASSIGN_OR_RETURN(std::optional<std::string_view> kid_view, OptionalString(object, "kid"));
  std::optional<std::string> kid;
  if (kid_view) {
    if (kid_view->empty() || kid_view->size() > kMaxKidBytes) {
      return InvalidArgument(std::string("\"kid\" must be 1..") + std::to_string(kMaxKidBytes) + " bytes");
    }
    kid = std::string(*kid_view);
  }
  for (std::string_view member : kPrivateMembers) {
    element ignored;
    if (object.at_key(member).get(ignored) == simdjson::SUCCESS) {
      return InvalidArgument(std::string("contains private key member \"") + std::string(member) + "\"");
    }
  }
  // "use": only "sig" is usable; "enc" keys are skipped; anything else is unknown.
  TB_ASSIGN_OR_RETURN(std::optional<std::string_view> use, OptionalString(object, "use"));
  if (use && *use == "enc") {
    *skip = "encryption key (use \"enc\")";
    return std::optional<Jwk>();
  }
  if (use && *use != "sig") return InvalidArgument(std::string("unknown \"use\" ") + QuoteForDetail(*use));
  // "key_ops": a verification key must list "verify"; only sign/verify may appear.
  element ops_value;
  if (object.at_key("key_ops").get(ops_value) == simdjson::SUCCESS) {
    simdjson::dom::array ops;
    if (ops_value.get_array().get(ops) != simdjson::SUCCESS) {
      return InvalidArgument("\"key_ops\" is not an array");
    }
    std::set<std::string_view> seen;
    for (element op : ops) {
      std::string_view s;
      if (op.get_string().get(s) != simdjson::SUCCESS) return InvalidArgument("\"key_ops\" entry is not a string");
      if (!seen.insert(s).second) return InvalidArgument(std::string("\"key_ops\" repeats ") + QuoteForDetail(s));
    }
    if (seen.count("verify") == 0) {
      *skip = "key_ops does not include \"verify\"";
      return std::optional<Jwk>();
    }
    for (std::string_view s : seen) {
      if (s != "verify" && s != "sign") {
        return InvalidArgument(std::string("\"key_ops\" mixes verify with ") + QuoteForDetail(s));
      }
    }
  }
  TB_ASSIGN_OR_RETURN(std::optional<std::string_view> alg_name, OptionalString(object, "alg"));
  std::optional<JwsAlgorithm> alg;
  if (alg_name) {
    if (IsEncryptionAlg(*alg_name)) {
      *skip = std::string("encryption key (alg ") + QuoteForDetail(*alg_name) + ")";
      return std::optional<Jwk>();
    }
    alg = ParseJwsAlgorithm(*alg_name);
    if (!alg) return InvalidArgument(std::string("unsupported \"alg\" ") + QuoteForDetail(*alg_name));
  }

  if (*kty == "RSA") {
    if (!alg) {
      if (!options.default_rsa_alg) {
        return InvalidArgument("RSA key without \"alg\" (configure a default RSA algorithm)");
      }
      alg = options.default_rsa_alg;
    }
    TB_ASSIGN_OR_RETURN(std::string n, RequiredBytes(object, "n"));
    TB_ASSIGN_OR_RETURN(std::string e, RequiredBytes(object, "e"));
    TB_ASSIGN_OR_RETURN(Jwk key, Jwk::FromRsa(n, e, *alg, std::move(kid)));
    return std::optional<Jwk>(std::move(key));
  }
  if (*kty == "EC") {
    TB_ASSIGN_OR_RETURN(std::optional<std::string_view> crv, OptionalString(object, "crv"));
    if (!crv) return InvalidArgument("missing \"crv\"");
    if (!alg) {
      if (*crv == "P-256") alg = JwsAlgorithm::kES256;
      else if (*crv == "P-384") alg = JwsAlgorithm::kES384;
      else if (*crv == "P-521") alg = JwsAlgorithm::kES512;
      else return InvalidArgument(std::string("unsupported curve ") + QuoteForDetail(*crv));
    }
    TB_ASSIGN_OR_RETURN(std::string x, RequiredBytes(object, "x"));
    TB_ASSIGN_OR_RETURN(std::string y, RequiredBytes(object, "y"));
    TB_ASSIGN_OR_RETURN(Jwk key, Jwk::FromEc(*crv, x, y, *alg, std::move(kid)));
    return std::optional<Jwk>(std::move(key));
  }
  if (*kty == "OKP") {
    TB_ASSIGN_OR_RETURN(std::optional<std::string_view> crv, OptionalString(object, "crv"));
    if (!crv) return InvalidArgument("missing \"crv\"");
    if (*crv == "X25519" || *crv == "X448") {
      *skip = std::string("key-agreement key (crv ") + std::string(*crv) + ")";
      return std::optional<Jwk>();
    }
    if (!alg) alg = JwsAlgorithm::kEdDSA;
    TB_ASSIGN_OR_RETURN(std::string x, RequiredBytes(object, "x"));
    TB_ASSIGN_OR_RETURN(Jwk key, Jwk::FromOkp(*crv, x, *alg, std::move(kid)));
    return std::optional<Jwk>(std::move(key));
  }
  if (*kty == "oct") {
    if (!options.allow_symmetric) {
      return InvalidArgument("symmetric (oct) key in a public key set");
    }
    if (!alg) return InvalidArgument("oct key without \"alg\"");
    TB_ASSIGN_OR_RETURN(std::string k, RequiredBytes(object, "k"));
    Result<Jwk> key = Jwk::FromOct(k, *alg, std::move(kid));
    if (!k.empty()) std::fill(k.begin(), k.end(), '\0');
    if (!key.ok()) return key.status();
    return std::optional<Jwk>(std::move(key).value());
  }
  return InvalidArgument(std::string("unsupported \"kty\" ") + QuoteForDetail(*kty));
}

void WriteKeyMembers(json::JsonWriter& w, const Jwk& key, bool include_secret) {
  w.Key("kty");
  w.String(KeyTypeName(key.kty()));
  if (key.kid()) {
    w.Key("kid");
    w.String(*key.kid());
  }
  w.Key("use");
  w.String("sig");
  w.Key("alg");
  w.String(JwsAlgorithmName(key.alg()));
  switch (key.kty()) {
    case KeyType::kRsa:
      w.Key("n");
      w.String(Base64UrlEncode(key.n()));
      w.Key("e");
      w.String(Base64UrlEncode(key.e()));
      break;
    case KeyType::kEc:
      w.Key("crv");
      w.String(key.crv());
      w.Key("x");
      w.String(Base64UrlEncode(key.x()));
      w.Key("y");
      w.String(Base64UrlEncode(key.y()));
      break;
    case KeyType::kOkp:
      w.Key("crv");
      w.String(key.crv());
      w.Key("x");
      w.String(Base64UrlEncode(key.x()));
      break;
    case KeyType::kOct:
      if (include_secret) {
        w.Key("k");
        w.String(Base64UrlEncode(key.k()));
      }
      break;
  }
}

}  // namespace

Result<std::optional<Jwk>> ParseJwk(const element& jwk, const JwkParseOptions& options,
                                    std::string* skip_reason) {
  simdjson::dom::object object;
  if (jwk.get_object().get(object) != simdjson::SUCCESS) {
    return InvalidArgument(std::string("JWK is a JSON ") + std::string(JsonTypeName(jwk)) + ", not an object");
  }
  return ParseJwkObject(object, options, skip_reason);
}

Result<ParsedJwks> ParseJwks(std::string_view json, const JwkParseOptions& options) {
  if (json.size() > kMaxJwksBytes) {
    return InvalidArgument(std::string("JWKS is ") + std::to_string(json.size()) + " bytes; limit " +
                           std::to_string(kMaxJwksBytes));
  }
  StrictJsonParser parser;
  TB_ASSIGN_OR_RETURN(element root, parser.Parse(json, /*max_depth=*/4));
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    return InvalidArgument(std::string("JWKS is a JSON ") + std::string(JsonTypeName(root)) + ", not an object");
  }
  element keys_value;
  simdjson::dom::array keys;
  if (object.at_key("keys").get(keys_value) != simdjson::SUCCESS ||
      keys_value.get_array().get(keys) != simdjson::SUCCESS) {
    return InvalidArgument("JWKS has no \"keys\" array");
  }
  if (keys.size() > kMaxJwksKeys) {
    return InvalidArgument(std::string("JWKS has more than ") + std::to_string(kMaxJwksKeys) + " keys");
  }
  std::vector<Jwk> usable;
  std::vector<std::string> skipped;
  size_t index = 0;
  for (element key : keys) {
    std::string where = std::string("keys[") + std::to_string(index++) + "]";
    std::string skip;
    Result<std::optional<Jwk>> parsed = ParseJwk(key, options, &skip);
    if (!parsed.ok()) return parsed.status().WithContext(where);
    if (parsed->has_value()) {
      usable.push_back(std::move(**parsed));
    } else {
      skipped.push_back(where + ": " + skip);
    }
  }
  Result<JwkSet> set = JwkSet::Create(std::move(usable));
  if (!set.ok()) return set.status().WithContext("JWKS");
  return ParsedJwks{std::move(set).value(), std::move(skipped)};
}

Result<Jwk> ParseJwkDocument(std::string_view json, const JwkParseOptions& options) {
  StrictJsonParser parser;
  TB_ASSIGN_OR_RETURN(element root, parser.Parse(json, /*max_depth=*/2));
  std::string skip;
  TB_ASSIGN_OR_RETURN(std::optional<Jwk> key, ParseJwk(root, options, &skip));
  if (!key) return InvalidArgument(std::string("JWK is not a signing key: ") + skip);
  return std::move(*key);
}

std::string JwkToJson(const Jwk& key, bool include_secret) {
  json::JsonWriter w;
  w.BeginObject();
  WriteKeyMembers(w, key, include_secret);
  w.EndObject();
  return std::move(w).Take();
}

std::string JwksToJson(const std::vector<const Jwk*>& keys, bool include_secret) {
  json::JsonWriter w(/*pretty=*/true);
  w.BeginObject();
  w.Key("keys");
  w.BeginArray();
  for (const Jwk* key : keys) {
    w.BeginObject();
    WriteKeyMembers(w, *key, include_secret);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  std::string out = std::move(w).Take();
  out.push_back('\n');
  return out;
}

std::string JwkThumbprint(const Jwk& key) {
  // RFC 7638 section 3.2: required members only, lexicographic order, no whitespace.
  json::JsonWriter w;
  w.BeginObject();
  switch (key.kty()) {
    case KeyType::kRsa:
      w.Key("e");
      w.String(Base64UrlEncode(key.e()));
      w.Key("kty");
      w.String("RSA");
      w.Key("n");
      w.String(Base64UrlEncode(key.n()));
      break;
    case KeyType::kEc:
      w.Key("crv");
      w.String(key.crv());
      w.Key("kty");
      w.String("EC");
      w.Key("x");
      w.String(Base64UrlEncode(key.x()));
      w.Key("y");
      w.String(Base64UrlEncode(key.y()));
      break;
    case KeyType::kOkp:
      w.Key("crv");
      w.String(key.crv());
      w.Key("kty");
      w.String("OKP");
      w.Key("x");
      w.String(Base64UrlEncode(key.x()));
      break;
    case KeyType::kOct:
      w.Key("k");
      w.String(Base64UrlEncode(key.k()));
      w.Key("kty");
      w.String("oct");
      break;
  }
  w.EndObject();
  crypto::Sha256Digest digest = crypto::Sha256(w.str());
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

}  // namespace trailbook::auth
