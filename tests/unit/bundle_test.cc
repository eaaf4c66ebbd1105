#include "bundle/bundle.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace phiguard::bundle {
namespace {

using phiguard::testing::PackJson;
using phiguard::testing::RuleJson;

const std::string kPack = PackJson("[" + RuleJson("b.x", R"("pattern":"abc")") + "]");

std::string Signed(const KeyPair& keys, const std::string& version = "2026.11.22") {
  auto bundle = CreateBundle({{"x.json", kPack}}, version, "2026-11-22T12:00:00Z", keys);
  EXPECT_TRUE(bundle.ok()) << bundle.error().Describe();
  return bundle.value();
}

TEST(Bundle, RoundTripsWithTheTrustedKey) {
  const auto keys = GenerateKeyPair();
  const auto verified = VerifyBundle(Signed(keys), {keys.public_key});
  ASSERT_TRUE(verified.ok()) << verified.error().Describe();
  EXPECT_EQ(verified.value().version, "2026.11.22");
  EXPECT_EQ(verified.value().created, "2026-11-22T12:00:00Z");
  ASSERT_EQ(verified.value().packs.size(), 1u);
  EXPECT_EQ(verified.value().packs[0].source, "bundle 2026.11.22: x.json");
}

TEST(Bundle, TamperedPayloadFailsTheSignature) {
  const auto keys = GenerateKeyPair();
  auto envelope = nlohmann::json::parse(Signed(keys));
  auto payload = FromBase64(envelope["payload"].get<std::string>()).value();
  payload[payload.find("abc")] = 'x';  // change one byte of a rule
  envelope["payload"] = ToBase64(payload);
  const auto verified = VerifyBundle(envelope.dump(), {keys.public_key});
  ASSERT_FALSE(verified.ok());
  EXPECT_NE(verified.error().reason.find("signature"), std::string::npos);
}

TEST(Bundle, WrongKeyAndTheBundlesOwnKeyAreNotTrusted) {
  const auto signer = GenerateKeyPair();
  const auto other = GenerateKeyPair();
  EXPECT_FALSE(VerifyBundle(Signed(signer), {other.public_key}).ok());
  // The "key" field in the envelope is informational: with no trusted key, nothing verifies.
  EXPECT_FALSE(VerifyBundle(Signed(signer), {}).ok());
  EXPECT_TRUE(VerifyBundle(Signed(signer), {other.public_key, signer.public_key}).ok());
}

TEST(Bundle, MalformedEnvelopesNameTheProblem) {
  const auto keys = GenerateKeyPair();
  const auto good = nlohmann::json::parse(Signed(keys));
  const auto with = [&](const char* field, const char* value) {
    auto j = good;
    j[field] = value;
    return j.dump();
  };
  const struct {
    const char* name;
    std::string text;
    const char* reason;
  } cases[] = {
      {"not json", "{", "not a bundle"},
      {"wrong format", with("format", "x/9"), "unknown format"},
      {"no signature",
       [&] {
         auto j = good;
         j.erase("signature");
         return j.dump();
       }(),
       "missing"},
      {"bad base64", with("signature", "!!!"), "base64"},
  };
  for (const auto& c : cases) {
    const auto verified = VerifyBundle(c.text, {keys.public_key});
    ASSERT_FALSE(verified.ok()) << c.name;
    EXPECT_NE(verified.error().reason.find(c.reason), std::string::npos)
        << c.name << ": " << verified.error().Describe();
  }
}

// A signed payload is still data: every field of the wrong type is an error that names it,
// never an exception (a number for "created" once aborted the host at every start).
TEST(Bundle, SignedPayloadFieldsOfTheWrongTypeAreErrorsNamingTheField) {
  const auto keys = GenerateKeyPair();
  const std::string pack = nlohmann::json(kPack).dump();  // the pack text as a JSON string
  const std::string packs = R"([{"name":"x.json","content":)" + pack + "}]";
  const struct {
    const char* name;
    std::string payload;
    const char* reason;
  } rows[] = {
      // Former bugs
      {"created is a number", R"({"version":"1.0","created":5,"packs":)" + packs + "}",
       "'created'"},
      // Each field
      {"created is a list", R"({"version":"1.0","created":[],"packs":)" + packs + "}", "'created'"},
      {"created is null", R"({"version":"1.0","created":null,"packs":)" + packs + "}", "'created'"},
      {"version is a number", R"({"version":1,"packs":)" + packs + "}", "'version'"},
      {"no version", R"({"packs":)" + packs + "}", "'version'"},
      {"packs is an object", R"({"version":"1.0","packs":{}})", "'packs'"},
      {"pack name is a number", R"({"version":"1.0","packs":[{"name":1,"content":)" + pack + "}]}",
       "'name'"},
      {"pack content is an object", R"({"version":"1.0","packs":[{"name":"x.json","content":{}}]})",
       "'content'"},
      {"pack entry is a string", R"({"version":"1.0","packs":["x"]})", "'packs'"},
      {"payload is a list", "[1,2]", "not an object"},
  };
  for (const auto& row : rows) {
    const auto file = SignPayload(row.payload, keys);
    ASSERT_TRUE(file.ok()) << row.name;
    util::Result<VerifiedBundle> verified = util::Error{};
    ASSERT_NO_THROW(verified = VerifyBundle(file.value(), {keys.public_key})) << row.name;
    ASSERT_FALSE(verified.ok()) << row.name;
    EXPECT_NE(verified.error().reason.find(row.reason), std::string::npos)
        << row.name << ": " << verified.error().Describe();
  }
  // And the same payload shape with the right types is accepted.
  const auto good = SignPayload(R"({"version":"1.0","created":"now","packs":)" + packs + "}", keys);
  EXPECT_TRUE(VerifyBundle(good.value(), {keys.public_key}).ok());
}

TEST(Bundle, KeysParseFromFilesAndBareBase64) {
  const auto keys = GenerateKeyPair();
  const auto from_file = ParsePublicKey(PublicKeyFileText(keys.public_key));
  const auto from_base64 = ParsePublicKey(keys.public_key.Base64());
  ASSERT_TRUE(from_file.ok() && from_base64.ok());
  EXPECT_EQ(from_file.value().bytes, keys.public_key.bytes);
  EXPECT_EQ(from_base64.value().bytes, keys.public_key.bytes);
  EXPECT_FALSE(ParsePublicKey("AAAA").ok());
  const auto secret = ParseSecretKey(SecretKeyFileText(keys.secret_key));
  ASSERT_TRUE(secret.ok());
  EXPECT_EQ(secret.value().bytes, keys.secret_key.bytes);
}

TEST(Bundle, VersionsCompareNumericallyPartByPart) {
  const struct {
    const char* a;
    const char* b;
    int order;
  } rows[] = {
      {"1.10", "1.9", 1},    {"2026.11.22", "2026.11.3", 1},
      {"1.0", "1.0.0", 0},   {"2", "10", -1},
      {"3.1.0", "3.1.0", 0}, {"2026.1.1", "2025.12.31", 1},
      {"0.9.9", "1", -1},    {"01.2", "1.2", 0},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(CompareVersions(row.a, row.b), row.order) << row.a << " vs " << row.b;
    EXPECT_EQ(CompareVersions(row.b, row.a), -row.order) << row.b << " vs " << row.a;
  }
  EXPECT_TRUE(IsValidVersion("2026.11.22"));
  EXPECT_FALSE(IsValidVersion("v1"));
  EXPECT_FALSE(IsValidVersion("1..2"));
  EXPECT_FALSE(CreateBundle({{"x.json", kPack}}, "latest", "t", GenerateKeyPair()).ok());
}

}  // namespace
}  // namespace phiguard::bundle
