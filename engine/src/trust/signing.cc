#include "assay/signing.h"

#include <sodium.h>

#include <cstring>
#include <vector>

namespace assay {

namespace {

constexpr char kUntrustedPrefix[] = "untrusted comment: ";
constexpr char kTrustedPrefix[] = "trusted comment: ";
constexpr size_t kKeynumSkBytes = 8 + 64 + 32;                  // key ID, sk, checksum
constexpr size_t kSecretKeyBytes = 2 + 2 + 2 + 32 + 8 + 8 + kKeynumSkBytes;  // 158
constexpr size_t kPublicKeyBytes = 2 + 8 + 32;                  // 42
constexpr size_t kSignatureBytes = 2 + 8 + 64;                  // 74

bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

std::string Base64(const uint8_t* bytes, size_t n) {
  std::string out(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, n, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

// Decodes `text` (surrounding white space ignored); false unless it is
// base64 of exactly `n` bytes.
bool FromBase64(std::string_view text, uint8_t* out, size_t n) {
  while (!text.empty() && (text.back() == '\r' || text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  if (text.empty()) return false;  // (libsodium must not be given a null buffer)
  std::vector<uint8_t> buf(text.size());
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(buf.data(), buf.size(), text.data(), text.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0)
    return false;
  if (end != text.data() + text.size() || len != n) return false;
  std::memcpy(out, buf.data(), n);
  sodium_memzero(buf.data(), buf.size());
  return true;
}

// The lines of a key or signature file, without their line ends.
std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

void StoreLe64(uint64_t v, uint8_t* out) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
}

uint64_t LoadLe64(const uint8_t* in) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | in[i];
  return v;
}

// BLAKE2b-256 of sig_alg || key ID || sk: minisign's secret key checksum.
void Checksum(const uint8_t* key_id, const uint8_t* sk, uint8_t out[32]) {
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, 32);
  crypto_generichash_update(&st, reinterpret_cast<const uint8_t*>("Ed"), 2);
  crypto_generichash_update(&st, key_id, 8);
  crypto_generichash_update(&st, sk, 64);
  crypto_generichash_final(&st, out, 32);
}

// XORs `data` with the scrypt stream of the passphrase (encrypts and decrypts).
Status ApplyKdf(std::string_view passphrase, const uint8_t* salt, uint64_t opslimit, uint64_t memlimit,
                uint8_t* data, size_t n) {
  std::vector<uint8_t> stream(n);
  if (crypto_pwhash_scryptsalsa208sha256(stream.data(), n, passphrase.data(), passphrase.size(), salt,
                                         opslimit, static_cast<size_t>(memlimit)) != 0)
    return Status::IOError("secret key: the passphrase could not be processed (not enough memory for scrypt?)");
  for (size_t i = 0; i < n; ++i) data[i] ^= stream[i];
  sodium_memzero(stream.data(), n);
  return Status::OK();
}

std::string Hex(const uint8_t* bytes, size_t n) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 15];
  }
  return out;
}

}  // namespace

std::string PublicKey::KeyIdHex() const {
  // minisign prints the key ID as a little-endian 64-bit number.
  uint8_t be[8];
  for (size_t i = 0; i < 8; ++i) be[i] = key_id[7 - i];
  return Hex(be, 8);
}

std::string PublicKey::ToText() const {
  uint8_t raw[kPublicKeyBytes];
  std::memcpy(raw, "Ed", 2);
  std::memcpy(raw + 2, key_id.data(), 8);
  std::memcpy(raw + 10, key.data(), 32);
  return std::string(kUntrustedPrefix) + "minisign public key " + KeyIdHex() + "\n" + Base64(raw, sizeof raw) + "\n";
}

SecretKey::~SecretKey() { sodium_memzero(secret_.data(), secret_.size()); }

SecretKey::SecretKey(SecretKey&& other) noexcept { *this = std::move(other); }

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
  if (this != &other) {
    loaded_ = other.loaded_;
    public_key_ = other.public_key_;
    secret_ = other.secret_;
    sodium_memzero(other.secret_.data(), other.secret_.size());
    other.loaded_ = false;
  }
  return *this;
}

Status NewKeyPair(std::string_view passphrase, const KdfLimits& limits, SecretKey* key,
                  std::string* secret_key_text) {
  if (!SodiumReady()) return Status::IOError("libsodium could not be initialised");
  SecretKey k;
  crypto_sign_keypair(k.public_key_.key.data(), k.secret_.data());
  randombytes_buf(k.public_key_.key_id.data(), 8);
  k.loaded_ = true;

  uint8_t raw[kSecretKeyBytes] = {};
  uint8_t* p = raw;
  std::memcpy(p, "Ed", 2);
  if (!passphrase.empty()) std::memcpy(p + 2, "Sc", 2);  // else 0 0: no KDF
  std::memcpy(p + 4, "B2", 2);
  uint8_t* salt = p + 6;
  uint8_t* keynum_sk = p + 6 + 32 + 16;
  std::memcpy(keynum_sk, k.public_key_.key_id.data(), 8);
  std::memcpy(keynum_sk + 8, k.secret_.data(), 64);
  Checksum(keynum_sk, keynum_sk + 8, keynum_sk + 72);
  if (!passphrase.empty()) {
    randombytes_buf(salt, 32);
    StoreLe64(limits.opslimit, p + 38);
    StoreLe64(limits.memlimit, p + 46);
    Status st = ApplyKdf(passphrase, salt, limits.opslimit, limits.memlimit, keynum_sk, kKeynumSkBytes);
    if (!st.ok()) {
      sodium_memzero(raw, sizeof raw);
      return st;
    }
  }
  *secret_key_text = std::string(kUntrustedPrefix) +
                     (passphrase.empty() ? "minisign secret key " : "minisign encrypted secret key ") +
                     k.public_key_.KeyIdHex() + "\n" + Base64(raw, sizeof raw) + "\n";
  sodium_memzero(raw, sizeof raw);
  *key = std::move(k);
  return Status::OK();
}

Status LoadSecretKey(std::string_view text, std::string_view passphrase, SecretKey* key) {
  if (!SodiumReady()) return Status::IOError("libsodium could not be initialised");
  std::vector<std::string_view> lines = Lines(text);
  uint8_t raw[kSecretKeyBytes];
  if (lines.size() < 2 || lines[0].substr(0, sizeof kUntrustedPrefix - 1) != kUntrustedPrefix ||
      !FromBase64(lines[1], raw, sizeof raw) || std::memcmp(raw, "Ed", 2) != 0 || std::memcmp(raw + 4, "B2", 2) != 0)
    return Status::InvalidInput("not a minisign secret key (expected an 'untrusted comment:' line and a base64 line)");
  const bool encrypted = std::memcmp(raw + 2, "Sc", 2) == 0;
  if (!encrypted && (raw[2] != 0 || raw[3] != 0)) {
    sodium_memzero(raw, sizeof raw);
    return Status::InvalidInput("secret key: unknown key derivation '" + std::string(reinterpret_cast<char*>(raw + 2), 2) + "'");
  }
  uint8_t* keynum_sk = raw + 54;
  if (encrypted) {
    if (passphrase.empty()) return Status::InvalidInput("secret key is protected by a passphrase; none was given");
    Status st = ApplyKdf(passphrase, raw + 6, LoadLe64(raw + 38), LoadLe64(raw + 46), keynum_sk, kKeynumSkBytes);
    if (!st.ok()) {
      sodium_memzero(raw, sizeof raw);
      return st;
    }
  }
  uint8_t check[32];
  Checksum(keynum_sk, keynum_sk + 8, check);
  // minisign -W leaves the checksum of a key stored in the clear all zero.
  const bool no_checksum = !encrypted && sodium_is_zero(keynum_sk + 72, 32);
  if (!no_checksum && sodium_memcmp(check, keynum_sk + 72, 32) != 0) {
    sodium_memzero(raw, sizeof raw);
    return Status::InvalidInput(encrypted ? "secret key: wrong passphrase" : "secret key: checksum does not match (damaged file)");
  }
  SecretKey k;
  std::memcpy(k.public_key_.key_id.data(), keynum_sk, 8);
  std::memcpy(k.secret_.data(), keynum_sk + 8, 64);
  crypto_sign_ed25519_sk_to_pk(k.public_key_.key.data(), k.secret_.data());
  k.loaded_ = true;
  sodium_memzero(raw, sizeof raw);
  *key = std::move(k);
  return Status::OK();
}

Status ParsePublicKey(std::string_view text, PublicKey* key) {
  std::vector<std::string_view> lines = Lines(text);
  std::string_view b64;
  if (lines.size() >= 2 && lines[0].substr(0, sizeof kUntrustedPrefix - 1) == kUntrustedPrefix)
    b64 = lines[1];
  else if (!lines.empty())
    b64 = lines[0];
  uint8_t raw[kPublicKeyBytes];
  if (!FromBase64(b64, raw, sizeof raw) || std::memcmp(raw, "Ed", 2) != 0)
    return Status::InvalidInput("not a minisign public key (expected base64 of 42 bytes starting with 'Ed')");
  std::memcpy(key->key_id.data(), raw + 2, 8);
  std::memcpy(key->key.data(), raw + 10, 32);
  return Status::OK();
}

Status SignDetached(const SecretKey& key, std::string_view content, std::string_view trusted_comment,
                    std::string_view untrusted_comment, std::string* minisig_text) {
  if (!SodiumReady()) return Status::IOError("libsodium could not be initialised");
  if (!key.loaded()) return Status::InvalidInput("no secret key loaded");
  if (trusted_comment.find_first_of("\r\n") != std::string_view::npos ||
      untrusted_comment.find_first_of("\r\n") != std::string_view::npos)
    return Status::InvalidInput("a signature comment must be one line");
  uint8_t hash[crypto_generichash_BYTES_MAX];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const uint8_t*>(content.data()), content.size(), nullptr, 0);
  uint8_t sig[kSignatureBytes];
  std::memcpy(sig, "ED", 2);
  std::memcpy(sig + 2, key.public_key().key_id.data(), 8);
  crypto_sign_detached(sig + 10, nullptr, hash, sizeof hash, key.secret_.data());
  std::string global(reinterpret_cast<const char*>(sig + 10), 64);
  global.append(trusted_comment);
  uint8_t global_sig[64];
  crypto_sign_detached(global_sig, nullptr, reinterpret_cast<const uint8_t*>(global.data()), global.size(),
                       key.secret_.data());
  *minisig_text = std::string(kUntrustedPrefix) + std::string(untrusted_comment) + "\n" + Base64(sig, sizeof sig) +
                  "\n" + kTrustedPrefix + std::string(trusted_comment) + "\n" + Base64(global_sig, 64) + "\n";
  return Status::OK();
}

Status VerifyDetached(const PublicKey& key, std::string_view content, std::string_view minisig_text,
                      std::string* trusted_comment) {
  if (!SodiumReady()) return Status::IOError("libsodium could not be initialised");
  std::vector<std::string_view> lines = Lines(minisig_text);
  uint8_t sig[kSignatureBytes];
  uint8_t global_sig[64];
  if (lines.size() < 4 || lines[0].substr(0, sizeof kUntrustedPrefix - 1) != kUntrustedPrefix ||
      !FromBase64(lines[1], sig, sizeof sig) || lines[2].substr(0, sizeof kTrustedPrefix - 1) != kTrustedPrefix ||
      !FromBase64(lines[3], global_sig, sizeof global_sig))
    return Status::InvalidInput("not a minisign signature (expected four lines: untrusted comment, signature, "
                                "trusted comment, global signature)");
  const bool prehashed = std::memcmp(sig, "ED", 2) == 0;
  if (!prehashed && std::memcmp(sig, "Ed", 2) != 0)
    return Status::InvalidInput("signature: unknown algorithm '" + std::string(reinterpret_cast<char*>(sig), 2) + "'");
  PublicKey signer;
  std::memcpy(signer.key_id.data(), sig + 2, 8);
  if (signer.key_id != key.key_id)
    return Status::InvalidInput("signature was made with key " + signer.KeyIdHex() + ", not with key " + key.KeyIdHex());
  int bad;
  if (prehashed) {
    uint8_t hash[crypto_generichash_BYTES_MAX];
    crypto_generichash(hash, sizeof hash, reinterpret_cast<const uint8_t*>(content.data()), content.size(), nullptr,
                       0);
    bad = crypto_sign_verify_detached(sig + 10, hash, sizeof hash, key.key.data());
  } else {
    bad = crypto_sign_verify_detached(sig + 10, reinterpret_cast<const uint8_t*>(content.data()), content.size(),
                                      key.key.data());
  }
  if (bad != 0) return Status::Corruption("signature does not match the file's content");
  std::string_view comment = lines[2].substr(sizeof kTrustedPrefix - 1);
  std::string global(reinterpret_cast<const char*>(sig + 10), 64);
  global.append(comment);
  if (crypto_sign_verify_detached(global_sig, reinterpret_cast<const uint8_t*>(global.data()), global.size(),
                                  key.key.data()) != 0)
    return Status::Corruption("the signature's trusted comment was changed");
  if (trusted_comment) *trusted_comment = std::string(comment);
  return Status::OK();
}

Status SignMessage(const SecretKey& key, std::string_view message, std::string* signature_base64) {
  if (!SodiumReady()) return Status::IOError("libsodium could not be initialised");
  if (!key.loaded()) return Status::InvalidInput("no secret key loaded");
  uint8_t sig[64];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const uint8_t*>(message.data()), message.size(),
                       key.secret_.data());
  *signature_base64 = Base64(sig, sizeof sig);
  return Status::OK();
}

bool VerifyMessage(const PublicKey& key, std::string_view message, std::string_view signature_base64) {
  if (!SodiumReady()) return false;
  uint8_t sig[64];
  if (!FromBase64(signature_base64, sig, sizeof sig)) return false;
  return crypto_sign_verify_detached(sig, reinterpret_cast<const uint8_t*>(message.data()), message.size(),
                                     key.key.data()) == 0;
}

}  // namespace assay
