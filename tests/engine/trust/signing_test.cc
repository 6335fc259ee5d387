// Keys and detached signatures in minisign's formats (assay/signing.h),
// including interoperability with Debian's minisign in both directions.
#include "assay/signing.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "test_util.h"

namespace assay {
namespace {

using testing::RunCommand;
using testing::TempDir;

// Fast scrypt limits for tests (the CLI uses minisign's defaults).
constexpr KdfLimits kTestLimits{524288, 16777216};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool HaveMinisign() { return std::system("command -v minisign >/dev/null 2>&1") == 0; }

TEST(Signing, SignAndVerifyRoundTrip) {
  SecretKey key;
  std::string sk_text;
  ASSERT_OK(NewKeyPair("", kTestLimits, &key, &sk_text));
  EXPECT_EQ(0u, sk_text.find("untrusted comment: minisign secret key "));
  std::string sig;
  ASSERT_OK(SignDetached(key, "report bytes", "file:r.pdf seq:42", "signature from assay", &sig));
  std::string comment;
  ASSERT_OK(VerifyDetached(key.public_key(), "report bytes", sig, &comment));
  EXPECT_EQ("file:r.pdf seq:42", comment);
}

TEST(Signing, OneChangedByteFails) {
  SecretKey key;
  std::string sk_text, sig;
  ASSERT_OK(NewKeyPair("", kTestLimits, &key, &sk_text));
  ASSERT_OK(SignDetached(key, "report bytes", "c", "u", &sig));
  Status st = VerifyDetached(key.public_key(), "report bytez", sig, nullptr);
  EXPECT_EQ(Status::Code::kCorruption, st.code()) << st.ToString();
  EXPECT_EQ("signature does not match the file's content", st.message());
}

TEST(Signing, ChangedTrustedCommentFails) {
  SecretKey key;
  std::string sk_text, sig;
  ASSERT_OK(NewKeyPair("", kTestLimits, &key, &sk_text));
  ASSERT_OK(SignDetached(key, "x", "seq:42", "u", &sig));
  size_t at = sig.find("seq:42");
  ASSERT_NE(std::string::npos, at);
  sig.replace(at, 6, "seq:43");
  Status st = VerifyDetached(key.public_key(), "x", sig, nullptr);
  EXPECT_EQ(Status::Code::kCorruption, st.code());
  EXPECT_EQ("the signature's trusted comment was changed", st.message());
}

TEST(Signing, AnotherKeyIsNamed) {
  SecretKey a, b;
  std::string t, sig;
  ASSERT_OK(NewKeyPair("", kTestLimits, &a, &t));
  ASSERT_OK(NewKeyPair("", kTestLimits, &b, &t));
  ASSERT_OK(SignDetached(a, "x", "c", "u", &sig));
  Status st = VerifyDetached(b.public_key(), "x", sig, nullptr);
  EXPECT_EQ(Status::Code::kInvalidInput, st.code());
  EXPECT_EQ("signature was made with key " + a.public_key().KeyIdHex() + ", not with key " + b.public_key().KeyIdHex(),
            st.message());
}

TEST(Signing, PassphraseProtectedKey) {
  SecretKey key;
  std::string sk_text;
  ASSERT_OK(NewKeyPair("correct horse", kTestLimits, &key, &sk_text));
  EXPECT_EQ(0u, sk_text.find("untrusted comment: minisign encrypted secret key "));
  SecretKey loaded;
  ASSERT_OK(LoadSecretKey(sk_text, "correct horse", &loaded));
  EXPECT_EQ(key.public_key().key, loaded.public_key().key);
  EXPECT_EQ(key.public_key().key_id, loaded.public_key().key_id);

  SecretKey wrong;
  Status st = LoadSecretKey(sk_text, "battery staple", &wrong);
  EXPECT_EQ(Status::Code::kInvalidInput, st.code());
  EXPECT_EQ("secret key: wrong passphrase", st.message());
  EXPECT_FALSE(wrong.loaded());
  st = LoadSecretKey(sk_text, "", &wrong);
  EXPECT_EQ("secret key is protected by a passphrase; none was given", st.message());
}

TEST(Signing, MalformedTextIsRefused) {
  PublicKey pk;
  EXPECT_EQ(Status::Code::kInvalidInput, ParsePublicKey("hello", &pk).code());
  SecretKey sk;
  EXPECT_EQ(Status::Code::kInvalidInput, LoadSecretKey("untrusted comment: x\nAAAA\n", "", &sk).code());
  SecretKey key;
  std::string t, sig;
  ASSERT_OK(NewKeyPair("", kTestLimits, &key, &t));
  EXPECT_EQ(Status::Code::kInvalidInput, VerifyDetached(key.public_key(), "x", "one line", nullptr).code());
  EXPECT_EQ(Status::Code::kInvalidInput, SignDetached(key, "x", "two\nlines", "u", &sig).code());
}

TEST(Signing, MessageSignatures) {
  SecretKey key;
  std::string t, sig;
  ASSERT_OK(NewKeyPair("", kTestLimits, &key, &t));
  ASSERT_OK(SignMessage(key, "seal 42 abcd", &sig));
  EXPECT_EQ(88u, sig.size());
  EXPECT_TRUE(VerifyMessage(key.public_key(), "seal 42 abcd", sig));
  EXPECT_FALSE(VerifyMessage(key.public_key(), "seal 43 abcd", sig));
  EXPECT_FALSE(VerifyMessage(key.public_key(), "seal 42 abcd", "not base64"));
}

TEST(Signing, MinisignVerifiesOurSignature) {
  if (!HaveMinisign()) GTEST_SKIP() << "minisign is needed (scripts/setup.sh --test)";
  TempDir dir;
  SecretKey key;
  std::string sk_text, sig;
  ASSERT_OK(NewKeyPair("", kTestLimits, &key, &sk_text));
  std::string file = dir.Write("r.pdf", std::string("%PDF-1.7\n\x01\x02 binary\n", 20));
  std::string pub = dir.Write("key.pub", key.public_key().ToText());
  ASSERT_OK(SignDetached(key, ReadFile(file), "assay report r.pdf", "signature from assay secret key", &sig));
  dir.Write("r.pdf.minisig", sig);
  int rc = -1;
  std::string out = RunCommand("minisign -Vm '" + file + "' -p '" + pub + "' 2>&1", &rc);
  EXPECT_EQ(0, rc) << out;
  EXPECT_NE(std::string::npos, out.find("Trusted comment: assay report r.pdf")) << out;

  dir.Write("r.pdf", std::string("%PDF-1.7\n\x01\x03 binary\n", 20));  // one byte changed
  out = RunCommand("minisign -Vm '" + file + "' -p '" + pub + "' 2>&1", &rc);
  EXPECT_NE(0, rc) << out;
}

TEST(Signing, MinisignKeysAndSignaturesLoadHere) {
  if (!HaveMinisign()) GTEST_SKIP() << "minisign is needed (scripts/setup.sh --test)";
  TempDir dir;
  std::string pub = dir.path() + "/m.pub", sec = dir.path() + "/m.key";
  std::string file = dir.Write("data.txt", "signed by minisign\n");
  int rc = -1;
  std::string out = RunCommand("minisign -G -W -p '" + pub + "' -s '" + sec + "' </dev/null 2>&1", &rc);
  ASSERT_EQ(0, rc) << out;
  out = RunCommand("minisign -S -s '" + sec + "' -m '" + file + "' -t 'from minisign' </dev/null 2>&1", &rc);
  ASSERT_EQ(0, rc) << out;

  PublicKey pk;
  ASSERT_OK(ParsePublicKey(ReadFile(pub), &pk));
  std::string comment;
  ASSERT_OK(VerifyDetached(pk, ReadFile(file), ReadFile(file + ".minisig"), &comment));
  EXPECT_EQ("from minisign", comment);

  SecretKey sk;
  ASSERT_OK(LoadSecretKey(ReadFile(sec), "", &sk));
  EXPECT_EQ(pk.key, sk.public_key().key);
  EXPECT_EQ(pk.KeyIdHex(), sk.public_key().KeyIdHex());
  // minisign 0.11 prints the key ID without leading zeros; newer versions pad it to 16 digits.
  std::string id = pk.KeyIdHex();
  id.erase(0, std::min(id.find_first_not_of('0'), id.size() - 1));
  EXPECT_NE(std::string::npos, ReadFile(pub).find(id)) << ReadFile(pub) << " vs " << pk.KeyIdHex();
}

TEST(Signing, MinisignSignsWithOurPassphraseProtectedKey) {
  if (!HaveMinisign()) GTEST_SKIP() << "minisign is needed (scripts/setup.sh --test)";
  TempDir dir;
  SecretKey key;
  std::string sk_text;
  ASSERT_OK(NewKeyPair("pw-123", kTestLimits, &key, &sk_text));
  std::string sec = dir.Write("k.key", sk_text);
  std::string pub = dir.Write("k.pub", key.public_key().ToText());
  std::string file = dir.Write("f.txt", "content\n");
  int rc = -1;
  std::string out = RunCommand("echo pw-123 | minisign -S -s '" + sec + "' -m '" + file + "' 2>&1", &rc);
  ASSERT_EQ(0, rc) << out;
  std::string comment;
  ASSERT_OK(VerifyDetached(key.public_key(), ReadFile(file), ReadFile(file + ".minisig"), &comment));
  out = RunCommand("echo wrong | minisign -S -s '" + sec + "' -m '" + file + "' -x '" + dir.path() + "/x.sig' 2>&1", &rc);
  EXPECT_NE(0, rc) << out;
}

}  // namespace
}  // namespace assay
