// Signing what a command writes (--sign KEY): a detached signature in
// minisign's format beside the output file (key_commands.cc).
#ifndef ASSAY_CLI_SIGNING_CLI_H_
#define ASSAY_CLI_SIGNING_CLI_H_

#include <string>

#include <CLI/CLI.hpp>

#include "assay/signing.h"
#include "assay/status.h"

namespace assay::cli {

struct SigningOptions {
  std::string key_file;         // --sign: the secret key; empty: no signature
  std::string passphrase_file;  // --passphrase-file; empty: ask when the key is protected
};

// Adds --sign KEY and --passphrase-file FILE to `cmd`.
void AddSigningOptions(CLI::App* cmd, SigningOptions* options);

// Before any work: loads the secret key of --sign (asking for its
// passphrase on the terminal, or reading it from standard input or
// --passphrase-file, when it is protected). Nothing when no key was given.
// --sign needs an output file.
Status LoadSigningKey(const SigningOptions& options, const std::string& out_path, SecretKey* key);

// Loads the secret key in `key_file`, its passphrase read from
// `passphrase_file` when given, else asked for (terminal or standard input)
// when the key is protected. InvalidInput names the file.
Status LoadSecretKeyFile(const std::string& key_file, const std::string& passphrase_file, SecretKey* key);

// Reads a public key file (minisign's .pub, or its base64 line):
// NotFound when missing, InvalidInput naming the file when it is not a key.
// *person is the owner an assay key's comment names ("assay public key of
// ada (...)"), or "".
Status LoadPublicKeyFile(const std::string& path, PublicKey* key, std::string* person = nullptr);

// Reads a file holding a seal line (`assay log seal`): NotFound when
// missing, InvalidInput naming the file and what is wrong with the line.
Status LoadSealFile(const std::string& path, SealInfo* seal);

// Writes OUT.minisig, the signature of `bytes` (the content written to
// `out_path`) with `trusted_comment` (one line) signed along; nothing when
// `key` is not loaded. An existing OUT.minisig is replaced only with `force`.
Status SignOutput(const SecretKey& key, const std::string& out_path, const std::string& bytes,
                  const std::string& trusted_comment, bool force);

}  // namespace assay::cli

#endif  // ASSAY_CLI_SIGNING_CLI_H_
