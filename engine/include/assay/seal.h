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
// `sig` is the Ed25519 signature (signing.h SignMessage, 88 base64
// characters) of the line's bytes before " sig=". `key` is the key ID as
// minisign prints it; `signer` the person the key is registered for.
//
// Thread safety: the functions are thread-safe; the structs are values.
#ifndef ASSAY_SEAL_H_
#define ASSAY_SEAL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "assay/status.h"

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

#endif  // ASSAY_SEAL_H_
