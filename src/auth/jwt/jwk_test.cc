#include "auth/jwt/jwk.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "auth/jwt/signer.h"

namespace trailbook::auth {
namespace {

const Jwk& PublicKeyOf(const Signer& s) { return s.verification_key(); }

Signer Generate(JwsAlgorithm alg, std::string kid, int bits = 2048) {
  Result<Signer> s = Signer::Generate(alg, std::move(kid), bits);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move(s).value();
}

TEST(JwkTest, BuildsFromGeneratedKeys) {
  for (JwsAlgorithm alg : {JwsAlgorithm::kES256, JwsAlgorithm::kES384, JwsAlgorithm::kES512,
                           JwsAlgorithm::kEdDSA, JwsAlgorithm::kRS256, JwsAlgorithm::kPS256,
                           JwsAlgorithm::kHS256}) {
    Signer s = Generate(alg, "k");
    EXPECT_EQ(PublicKeyOf(s).alg(), alg);
    EXPECT_EQ(PublicKeyOf(s).kid(), "k");
  }
  Signer es = Generate(JwsAlgorithm::kES384, "k");
  EXPECT_EQ(es.verification_key().crv(), "P-384");
  EXPECT_EQ(es.verification_key().signature_size(), 96u);
  Signer rs = Generate(JwsAlgorithm::kRS256, "k", 3072);
  EXPECT_EQ(rs.verification_key().signature_size(), 384u);
  EXPECT_NE(rs.verification_key().Describe().find("3072-bit"), std::string::npos);
}

TEST(JwkTest, EcRejectsWrongCurveLengthAndPoint) {
  Signer s = Generate(JwsAlgorithm::kES256, "k");
  const Jwk& k = s.verification_key();
  EXPECT_TRUE(Jwk::FromEc("P-256", k.x(), k.y(), JwsAlgorithm::kES256, "k").ok());
  // Curve/alg mismatch, unknown curve, short or padded coordinates, point off the curve.
  EXPECT_FALSE(Jwk::FromEc("P-256", k.x(), k.y(), JwsAlgorithm::kES384, "k").ok());
  EXPECT_FALSE(Jwk::FromEc("P-384", k.x(), k.y(), JwsAlgorithm::kES384, "k").ok());
  EXPECT_FALSE(Jwk::FromEc("secp256k1", k.x(), k.y(), JwsAlgorithm::kES256, "k").ok());
  EXPECT_FALSE(Jwk::FromEc("P-256", k.x().substr(1), k.y(), JwsAlgorithm::kES256, "k").ok());
  EXPECT_FALSE(Jwk::FromEc("P-256", std::string(1, '\0') + k.x(), k.y(), JwsAlgorithm::kES256, "k").ok());
  std::string bad_y = k.y();
  bad_y.back() = static_cast<char>(bad_y.back() ^ 1);
  EXPECT_FALSE(Jwk::FromEc("P-256", k.x(), bad_y, JwsAlgorithm::kES256, "k").ok());
  EXPECT_FALSE(Jwk::FromEc("P-256", k.x(), k.y(), JwsAlgorithm::kRS256, "k").ok());
}

TEST(JwkTest, RsaRejectsWeakKeys) {
  Signer s = Generate(JwsAlgorithm::kRS256, "k");
  const Jwk& k = s.verification_key();
  EXPECT_TRUE(Jwk::FromRsa(k.n(), k.e(), JwsAlgorithm::kPS256, "k").ok());
  EXPECT_FALSE(Jwk::FromRsa(k.n(), k.e(), JwsAlgorithm::kES256, "k").ok());
  EXPECT_FALSE(Jwk::FromRsa(k.n().substr(0, 128), k.e(), JwsAlgorithm::kRS256, "k").ok());  // 1024
  EXPECT_FALSE(Jwk::FromRsa(std::string(1, '\0') + k.n(), k.e(), JwsAlgorithm::kRS256, "k").ok());
  EXPECT_FALSE(Jwk::FromRsa(k.n(), std::string("\x03"), JwsAlgorithm::kRS256, "k").ok());
  EXPECT_FALSE(Jwk::FromRsa(k.n(), std::string("\x01\x00\x00", 3), JwsAlgorithm::kRS256, "k").ok());
  EXPECT_FALSE(Jwk::FromRsa(k.n(), std::string("\x01"), JwsAlgorithm::kRS256, "k").ok());
  EXPECT_FALSE(Jwk::FromRsa(k.n(), "", JwsAlgorithm::kRS256, "k").ok());
  std::string even = k.n();
  even.back() = static_cast<char>(even.back() & ~1);
  EXPECT_FALSE(Jwk::FromRsa(even, k.e(), JwsAlgorithm::kRS256, "k").ok());
}

TEST(JwkTest, RocaFingerprint) {
  Signer s = Generate(JwsAlgorithm::kRS256, "k");
  EXPECT_FALSE(HasRocaFingerprint(s.verification_key().n()));
  // 65537^k mod every detector prime is 1 for k = 0, so n = 1 has the fingerprint.
  EXPECT_TRUE(HasRocaFingerprint(std::string("\x01")));
}

TEST(JwkTest, OkpAndOctRules) {
  Signer ed = Generate(JwsAlgorithm::kEdDSA, "k");
  EXPECT_FALSE(Jwk::FromOkp("Ed448", ed.verification_key().x(), JwsAlgorithm::kEdDSA, "k").ok());
  EXPECT_FALSE(Jwk::FromOkp("Ed25519", ed.verification_key().x().substr(1), JwsAlgorithm::kEdDSA, "k").ok());
  EXPECT_FALSE(Jwk::FromOkp("Ed25519", ed.verification_key().x(), JwsAlgorithm::kES256, "k").ok());
  EXPECT_FALSE(Jwk::FromOct(std::string(31, 'k'), JwsAlgorithm::kHS256, "k").ok());
  EXPECT_TRUE(Jwk::FromOct(std::string(32, 'k'), JwsAlgorithm::kHS256, "k").ok());
  EXPECT_FALSE(Jwk::FromOct(std::string(47, 'k'), JwsAlgorithm::kHS384, "k").ok());
  EXPECT_FALSE(Jwk::FromOct(std::string(63, 'k'), JwsAlgorithm::kHS512, "k").ok());
  EXPECT_FALSE(Jwk::FromOct("", JwsAlgorithm::kHS256, "k").ok());
  EXPECT_FALSE(Jwk::FromOct(std::string(64, 'k'), JwsAlgorithm::kES256, "k").ok());
}

Jwk EcKey(std::optional<std::string> kid) {
  Signer s = Generate(JwsAlgorithm::kES256, "x");
  const Jwk& k = s.verification_key();
  return std::move(Jwk::FromEc("P-256", k.x(), k.y(), JwsAlgorithm::kES256, std::move(kid))).value();
}

TEST(JwkTest, SetInvariants) {
  std::vector<Jwk> keys;
  EXPECT_FALSE(JwkSet::Create(std::move(keys)).ok());  // Empty.

  keys.clear();
  keys.push_back(EcKey("a"));
  keys.push_back(EcKey("a"));
  EXPECT_FALSE(JwkSet::Create(std::move(keys)).ok());  // Duplicate kid.

  keys.clear();
  keys.push_back(EcKey("a"));
  keys.push_back(EcKey(std::nullopt));
  EXPECT_FALSE(JwkSet::Create(std::move(keys)).ok());  // Missing kid in a multi-key set.

  keys.clear();
  keys.push_back(EcKey("a"));
  keys.push_back(std::move(Jwk::FromOct(std::string(32, 's'), JwsAlgorithm::kHS256, "b")).value());
  EXPECT_FALSE(JwkSet::Create(std::move(keys)).ok());  // Mixed symmetric/asymmetric.
}

TEST(JwkTest, FindIsExactOpaqueLookup) {
  std::vector<Jwk> keys;
  keys.push_back(EcKey("key-1"));
  keys.push_back(EcKey("key-2"));
  Result<JwkSet> set = JwkSet::Create(std::move(keys));
  ASSERT_TRUE(set.ok());
  std::string why;
  EXPECT_NE(set->Find("key-2", &why), nullptr);
  EXPECT_EQ(set->Find("KEY-2", &why), nullptr);
  EXPECT_EQ(set->Find("key-2 ", &why), nullptr);
  EXPECT_EQ(set->Find("../key-2", &why), nullptr);
  EXPECT_EQ(set->Find(std::nullopt, &why), nullptr);
  EXPECT_NE(why.find("no kid"), std::string::npos);

  std::vector<Jwk> one;
  one.push_back(EcKey(std::nullopt));
  Result<JwkSet> single = JwkSet::Create(std::move(one));
  ASSERT_TRUE(single.ok());
  EXPECT_NE(single->Find(std::nullopt, &why), nullptr);
  EXPECT_EQ(single->Find("anything", &why), nullptr);
}

}  // namespace
}  // namespace trailbook::auth
