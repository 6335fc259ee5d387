// Signing: Ed25519 keys and detached signatures in minisign's formats.
//
// A certification body publishes its public key; anyone can then check a
// report assay signed with Debian's `minisign -Vm R.pdf -p KEY.pub`, without
// assay. The formats are minisign's own (https://jedisct1.github.io/minisign):
//
//   public key   "untrusted comment: ...\n" + base64("Ed" || key ID (8) || pk (32)) + "\n"
//   secret key   "untrusted comment: ...\n" + base64("Ed" || kdf ("Sc" or 0 0) ||
//                "B2" || salt (32) || opslimit (8, LE) || memlimit (8, LE) ||
//                [key ID || sk (64) || BLAKE2b-256 checksum], XORed with the
//                scrypt stream of the passphrase when kdf is "Sc") + "\n"
//   signature    "untrusted comment: ...\n" + base64("ED" || key ID || Ed25519
//                of BLAKE2b-512(file)) + "\ntrusted comment: TEXT\n" +
//                base64(Ed25519 of (signature || TEXT)) + "\n"
//
// Keys made here load in minisign and minisign's keys load here. The
// cryptography is libsodium's; nothing here reads or writes files (callers
// pass and receive text) and nothing keeps secrets longer than the objects
// that hold them (SecretKey wipes itself).
//
// The second part of this header: registered keys and sealed log heads (the
// seal line, its message and parser; the store records and checks seals).
//
// Thread safety: the functions are thread-safe; objects are values.
#ifndef ASSAY_SIGNING_H_
#define ASSAY_SIGNING_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "assay/status.h"

namespace assay {

struct PublicKey {
  std::array<uint8_t, 8> key_id{};
  std::array<uint8_t, 32> key{};
  // The key ID as minisign prints it: 16 upper-case hex digits.
  std::string KeyIdHex() const;
  // The public key file's text (minisign's format).
  std::string ToText() const;
};

// scrypt work factors for a passphrase-protected secret key. The defaults
// are minisign's own ("sensitive": 1 GiB, a few seconds); tests use less.
struct KdfLimits {
  uint64_t opslimit = 33554432;
  uint64_t memlimit = 1073741824;
};

class SecretKey {
 public:
  SecretKey() = default;
  ~SecretKey();
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;
  SecretKey(SecretKey&& other) noexcept;
  SecretKey& operator=(SecretKey&& other) noexcept;

  bool loaded() const { return loaded_; }
  const PublicKey& public_key() const { return public_key_; }

 private:
  friend Status NewKeyPair(std::string_view, const KdfLimits&, SecretKey*, std::string*);
  friend Status LoadSecretKey(std::string_view, std::string_view, SecretKey*);
  friend Status SignDetached(const SecretKey&, std::string_view, std::string_view, std::string_view,
                             std::string*);
  friend Status SignMessage(const SecretKey&, std::string_view, std::string*);
  bool loaded_ = false;
  PublicKey public_key_;
  std::array<uint8_t, 64> secret_{};  // libsodium's Ed25519 secret key (seed || pk)
};

// Creates a new key pair. With a non-empty passphrase the secret key text is
// encrypted (scrypt, as minisign does); with an empty one it is stored in
// the clear (minisign -W). *secret_key_text is the secret key file's text.
Status NewKeyPair(std::string_view passphrase, const KdfLimits& limits, SecretKey* key,
                  std::string* secret_key_text);

// Reads a secret key file's text. InvalidInput when it is not a minisign
// secret key, when the passphrase is wrong (the checksum does not match) or
// when an encrypted key is given no passphrase.
Status LoadSecretKey(std::string_view text, std::string_view passphrase, SecretKey* key);

// Reads a public key: the text of a .pub file, or its base64 line alone.
Status ParsePublicKey(std::string_view text, PublicKey* key);

// A detached signature of `content` in minisign's .minisig format (prehashed,
// "ED"). `trusted_comment` is signed too (one line, no newline characters);
// `untrusted_comment` is not.
Status SignDetached(const SecretKey& key, std::string_view content, std::string_view trusted_comment,
                    std::string_view untrusted_comment, std::string* minisig_text);

// Checks a .minisig text against `content` and `key`: the key ID, the
// signature of the content (prehashed "ED" or legacy "Ed") and the signature
// of the trusted comment. Corruption when a signature does not verify,
// InvalidInput when the text is not a minisign signature or names another key.
Status VerifyDetached(const PublicKey& key, std::string_view content, std::string_view minisig_text,
                      std::string* trusted_comment);

// An Ed25519 signature of `message` (not prehashed), base64 (88 characters).
Status SignMessage(const SecretKey& key, std::string_view message, std::string* signature_base64);
// Whether `signature_base64` is `key`'s signature of `message`.
bool VerifyMessage(const PublicKey& key, std::string_view message, std::string_view signature_base64);

}  // namespace assay

// ===========================================================================
// Registered keys and sealed log heads (docs/TRUST.md).
//
// A seal is a signed statement "workspace W held hash H at log position
// (event) N, at time T, sealed by SIGNER with key K". It is recorded in the
// workspace's own log (Workspace::Seal) and handed out as one line of text,
// so that whoever keeps the line can later check that the workspace still
// holds that head (Workspace::CheckSeal): a log rewritten and rehashed,
// truncated or emptied since no longer does.
//
// The seal line (one line, fields in this order, separated by one space):
//
//   assay-seal/1 workspace=<32 hex> seq=<N> head=<64 hex> at=<UTC ISO 8601>
//                signer=<person> key=<16 HEX> sig=<base64>
//
// `sig` is the Ed25519 signature (SignMessage above, 88 base64
// characters) of the line's bytes before " sig=". `key` is the key ID as
// minisign prints it; `signer` the person the key is registered for.
//
// Thread safety: the functions are thread-safe; the structs are values.

namespace assay {

// A public key registered in a workspace (Workspace::RegisterKey).
struct KeyInfo {
  std::string key_id;      // 16 upper-case hex digits, as minisign prints it
  std::string person;      // whose key it is (a person ID; see IsValidKeyPerson)
  std::string public_key;  // the base64 line of the minisign public key file
  std::string registered_at;  // UTC, ISO 8601 (the registering event's time)
  std::string registered_by;  // the registering event's actor
  int64_t event = 0;          // the event that registered it
};

// One seal of the log head (Workspace::Seal).
struct SealInfo {
  std::string workspace_id;  // Workspace::WorkspaceId of the sealed workspace
  int64_t seq = 0;           // the sealed log position: the newest event when sealed
  std::string hash;          // that event's hash
  std::string at;            // when it was sealed (UTC, ISO 8601)
  std::string signer;        // the person the key is registered for
  std::string key_id;        // the signing key's ID (16 upper-case hex digits)
  std::string signature;     // base64 Ed25519 signature of SealMessage()
  std::string line;          // the whole seal line (SealLine())
  int64_t event = 0;         // the event that recorded the seal (0 for a parsed line)
};

// The bytes a seal's signature covers: the seal line up to " sig=".
std::string SealMessage(const SealInfo& seal);
// The seal line (without a newline).
std::string SealLine(const SealInfo& seal);
// Parses a seal line (a trailing "\n" or "\r\n" is allowed); InvalidInput
// names the field that is missing or malformed. Fills every field but event.
Status ParseSealLine(std::string_view text, SealInfo* seal);

// Whether `person` may name a key's owner (and so a seal's signer): 1 to 64
// characters of A-Z a-z 0-9 . _ @ + -, so that a seal line stays one line of
// space-separated fields.
bool IsValidKeyPerson(std::string_view person);

}  // namespace assay

#endif  // ASSAY_SIGNING_H_
