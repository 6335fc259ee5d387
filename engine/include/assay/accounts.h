// Accounts of a shared workspace (docs/ACCOUNTS.md; schema version 7).
//
// A workspace without accounts is open to whoever can open it, as before.
// Once it has one, every write names the account it is made for
// (WorkspaceOptions::user): the engine reads that account's roles in the
// write's own transaction and refuses (PermissionDenied) what they do not
// allow, and the refused attempt is appended to the hash-chained log
// (entity "access", action "refused") so that an accreditation body sees
// who tried what. Passwords are hashed with libsodium's crypto_pwhash_str
// (Argon2id); the hash is stored beside the account, never in the log.
//
// Thread safety: the functions are pure (password hashing aside, which is
// thread-safe); Account is a value.
#ifndef ASSAY_ACCOUNTS_H_
#define ASSAY_ACCOUNTS_H_

#include <string>
#include <string_view>
#include <vector>

#include "assay/status.h"

namespace assay {

// The roles an account can have, as stored and given on the command line:
//   viewer               reads everything, writes nothing
//   assessor             rates (as themselves) in assessments whose team
//                        has them as assessor or lead assessor; evidence,
//                        interviews
//   lead-assessor        creates assessments; in an assessment whose team
//                        has them as lead assessor: its records, any
//                        rating, consolidation, status moves, imports, merges
//   audit-team-member    writes certification audit records (clients,
//                        audits, findings, nonconformities)
//   technical-reviewer   the same (the review before the decision)
//   decision-maker       records certification decisions as themselves (the
//                        audit store refuses one who was on the cycle's
//                        audit teams)
//   admin                accounts, the people registry, keys and seals
//   client               the client's representative: reads the reports of
//                        its own client (Account::client) until
//                        Account::until, nothing else
inline constexpr const char* kAccountRoles[] = {"viewer",           "assessor",         "lead-assessor",
                                                "audit-team-member", "technical-reviewer", "decision-maker",
                                                "admin",            "client"};

// Whether `role` is one of kAccountRoles.
bool IsAccountRole(std::string_view role);

struct Account {
  std::string id;    // the sign-in name: the safe set of IDs (text.h WhyNotSafeId)
  std::string name;  // "" allowed
  // The person of the registry (and of teams) this account acts as: by
  // default the account's ID. Team membership is checked by this ID.
  std::string person;
  std::vector<std::string> roles;  // sorted, unique, each IsAccountRole, at least one
  std::string client;              // with role client: the client it may read (required then)
  std::string until;               // YYYY-MM-DD: no access after this day ("" none); required with role client
  bool disabled = false;
  // When the password was last set (UTC, ISO 8601; the event that set it).
  // What the log says of a password: that and when, never the hash.
  std::string password_set;
  // Read back only: the event that wrote this version.
  int64_t event = 0;
};

bool HasRole(const Account& account, std::string_view role);

// InvalidInput naming the field when `account` is not valid (the ID, roles,
// client and until as above). Sorts and dedupes the roles.
Status CheckAccount(Account* account);

// Whether the account may act on `today` (YYYY-MM-DD): not disabled and not
// past its `until`. PermissionDenied saying why otherwise.
Status AccountActive(const Account& account, const std::string& today);

// Argon2id (crypto_pwhash_str, libsodium's interactive limits) of `password`.
// InvalidInput for a password shorter than kMinPasswordLength bytes or
// longer than 1024; IOError when hashing fails (out of memory).
inline constexpr size_t kMinPasswordLength = 10;
Status HashPassword(const std::string& password, std::string* hash);
// Whether `password` matches `hash` (crypto_pwhash_str_verify); false for
// an empty or malformed hash.
bool PasswordMatches(const std::string& hash, const std::string& password);

}  // namespace assay

#endif  // ASSAY_ACCOUNTS_H_
