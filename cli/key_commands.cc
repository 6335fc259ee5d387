// assay key new | verify, and the signing of reports (--sign): Ed25519 keys
// and detached signatures in minisign's formats (engine/src/trust), so that
// anyone can check a signed report with Debian's `minisign -Vm R.pdf -p K.pub`.
#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <array>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "assay/signing.h"
#include "cli.h"
#include "commands.h"
#include "signing_cli.h"

namespace assay::cli {

namespace {

namespace fs = std::filesystem;

const char* kKeyExitCodes =
    "Exit codes: 0 done (verify: the signature is good), 3 invalid input (not a key or signature,\n"
    "wrong passphrase, FILE exists without --force, a key registered already, an owner that is not\n"
    "a person ID), 4 file or workspace not found, 6 I/O error, 7 the signature does not match the file.";

Status ReadSmallFile(const std::string& path, const char* what, std::string* text) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status::NotFound(path + ": no such file (" + what + ")");
  if (!fs::is_regular_file(path, ec)) return Status::InvalidInput(path + ": not a regular file (" + what + ")");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(path + ": cannot open: " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IOError(path + ": read failed");
  *text = ss.str();
  return Status::OK();
}

// One line typed on the terminal without echo, or read from standard input
// when it is not a terminal (as minisign does).
Status ReadPassphraseLine(const char* prompt, std::string* out) {
  const bool tty = isatty(STDIN_FILENO);
  termios old{};
  if (tty) {
    std::cerr << prompt << std::flush;
    if (tcgetattr(STDIN_FILENO, &old) == 0) {
      termios quiet = old;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    std::cerr << "\n";
  }
  if (!got) return Status::InvalidInput("no passphrase given (standard input is empty)");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  *out = std::move(line);
  return Status::OK();
}

Status PassphraseFrom(const std::string& file, std::string* out) {
  std::string text;
  ASSAY_RETURN_IF_ERROR(ReadSmallFile(file, "passphrase file", &text));
  *out = text.substr(0, text.find('\n'));
  if (!out->empty() && out->back() == '\r') out->pop_back();
  return Status::OK();
}

// Creates `path` with mode `mode` and writes `text`; refuses an existing
// path unless `force` (and then only a regular file is replaced).
Status WriteKeyFile(const std::string& path, const std::string& text, mode_t mode, bool force) {
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(path, ec);
  if (fs::exists(st)) {
    if (!force) return Status::InvalidInput(path + ": exists; use --force to overwrite");
    if (!fs::is_regular_file(st)) return Status::InvalidInput(path + ": not a regular file; refusing to replace it");
    if (::unlink(path.c_str()) != 0) return Status::IOError(path + ": cannot replace: " + std::strerror(errno));
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) return Status::IOError(path + ": cannot create: " + std::strerror(errno));
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      ::unlink(path.c_str());
      return Status::IOError(path + ": write failed: " + std::strerror(err));
    }
    done += static_cast<size_t>(n);
  }
  if (::fchmod(fd, mode) != 0 || ::fsync(fd) != 0 || ::close(fd) != 0) {
    const int err = errno;
    ::unlink(path.c_str());
    return Status::IOError(path + ": write failed: " + std::strerror(err));
  }
  return Status::OK();
}

struct KeyNewArgs {
  std::string owner;
  std::string out;
  std::string passphrase_file;
  bool no_passphrase = false;
  bool force = false;
  bool no_register = false;
};

// `key new` registers the public key when it names an owner and the
// workspace (--db, $ASSAY_DB, ./assay.db) exists: the session is opened
// before any file is written; *session stays empty when not registering.
Status RegistrationSession(const GlobalOptions& global, const KeyNewArgs& a, std::unique_ptr<Session>* session) {
  std::error_code ec;
  if (a.no_register || a.owner.empty() || (!IsServerLocation(global.db) && !fs::exists(global.db, ec)))
    return Status::OK();
  if (!IsValidKeyPerson(a.owner))
    return Status::InvalidInput("to be registered, the key's owner must be a person ID of 1 to 64 characters of "
                                "A-Z a-z 0-9 . _ @ + -; use --no-register to only write the key files");
  return OpenSession(global, false, session);
}

int RunKeyNew(const GlobalOptions& global, const KeyNewArgs& a) {
  std::string passphrase;
  Status s;
  if (!a.passphrase_file.empty()) {
    s = PassphraseFrom(a.passphrase_file, &passphrase);
  } else if (!a.no_passphrase) {
    s = ReadPassphraseLine("Passphrase for the new secret key: ", &passphrase);
    std::string again;
    if (s.ok() && isatty(STDIN_FILENO)) s = ReadPassphraseLine("The same passphrase again: ", &again);
    if (s.ok() && isatty(STDIN_FILENO) && again != passphrase)
      s = Status::InvalidInput("the two passphrases differ; nothing was written");
  }
  if (!s.ok()) return Fail(s);
  if (!a.no_passphrase && passphrase.empty())
    return Fail(Status::InvalidInput("empty passphrase; give one, or --no-passphrase for an unprotected key"));
  const std::string pub_path = a.out + ".pub";
  std::error_code ec;
  for (const std::string& p : {a.out, pub_path})
    if (fs::exists(fs::symlink_status(p, ec)) && !a.force)
      return Fail(Status::InvalidInput(p + ": exists; use --force to overwrite"));
  std::unique_ptr<Session> session;
  s = RegistrationSession(global, a, &session);
  if (!s.ok()) return Fail(s);
  SecretKey key;
  std::string secret_text;
  s = NewKeyPair(passphrase, KdfLimits{}, &key, &secret_text);
  if (!s.ok()) return Fail(s);
  std::string pub_text = key.public_key().ToText();
  if (!a.owner.empty()) {
    // minisign shows the untrusted comment line; name the owner there.
    const std::string comment = "untrusted comment: assay public key of " + a.owner + " (" +
                                key.public_key().KeyIdHex() + ")";
    pub_text = comment + pub_text.substr(pub_text.find('\n'));
  }
  s = WriteKeyFile(a.out, secret_text, 0600, a.force);
  if (s.ok()) s = WriteKeyFile(pub_path, pub_text, 0644, a.force);
  KeyInfo registered;
  if (s.ok() && session) s = session->ws->RegisterKey(key.public_key(), a.owner, &registered);
  if (!s.ok()) {
    ::unlink(a.out.c_str());
    if (session) ::unlink(pub_path.c_str());
    return Fail(s);
  }
  std::cerr << "assay: wrote secret key " << a.out << " (mode 0600" << (passphrase.empty() ? ", no passphrase" : "")
            << ") and public key " << pub_path << "\n";
  if (session)
    std::cerr << "assay: registered the public key for " << a.owner << " in " << session->ws->path() << " (event "
              << registered.event << ")\n";
  else if (!a.owner.empty() && !a.no_register)
    std::cerr << "assay: no workspace at " << global.db
              << ", so the key is not registered; register it in a workspace with: assay key register " << pub_path
              << "\n";
  std::cout << "key " << key.public_key().KeyIdHex() << "\n";
  return kExitOk;
}

int RunKeyVerify(const std::string& file, const std::string& pub, std::string sig) {
  if (sig.empty()) sig = file + ".minisig";
  std::string content, pub_text, sig_text;
  Status s = ReadSmallFile(file, "signed file", &content);
  if (s.ok()) s = ReadSmallFile(pub, "public key", &pub_text);
  if (s.ok()) s = ReadSmallFile(sig, "signature", &sig_text);
  if (!s.ok()) return Fail(s);
  PublicKey key;
  s = ParsePublicKey(pub_text, &key);
  if (!s.ok()) return Fail(Status::InvalidInput(pub + ": " + s.message()));
  std::string trusted;
  s = VerifyDetached(key, content, sig_text, &trusted);
  if (!s.ok()) return Fail(s.code() == Status::Code::kCorruption ? Status::Corruption(file + ": " + s.message())
                                                                  : Status::InvalidInput(sig + ": " + s.message()));
  std::cout << "good signature of " << file << " by key " << key.KeyIdHex() << "\n";
  std::cout << "trusted comment: " << trusted << "\n";
  return kExitOk;
}

// The owner an assay public key's comment names: "untrusted comment: assay
// public key of ada (0123456789ABCDEF)" gives "ada"; "" otherwise.
std::string OwnerInComment(const std::string& pub_text) {
  static const std::string kPrefix = "untrusted comment: assay public key of ";
  if (pub_text.compare(0, kPrefix.size(), kPrefix) != 0) return "";
  const size_t end = pub_text.find(" (", kPrefix.size());
  const size_t nl = pub_text.find('\n');
  if (end == std::string::npos || end > nl) return "";
  return pub_text.substr(kPrefix.size(), end - kPrefix.size());
}

int RunKeyRegister(const GlobalOptions& global, const std::string& file, std::string person) {
  PublicKey key;
  std::string named;
  Status s = LoadPublicKeyFile(file, &key, &named);
  if (!s.ok()) return Fail(s);
  if (person.empty()) person = named;
  if (person.empty())
    return Fail(Status::InvalidInput(file + ": the key's comment names no owner; give one with --person ID"));
  return WithSession(global, false, [&](Workspace& ws) {
    KeyInfo k;
    Status st = ws.RegisterKey(key, person, &k);
    if (st.code() == Status::Code::kInvalidInput) return Status::InvalidInput(file + ": " + st.message());
    ASSAY_RETURN_IF_ERROR(st);
    std::cout << "registered key " << k.key_id << " for " << k.person << " (event " << k.event << ")\n";
    return Status::OK();
  });
}

int RunKeyList(const GlobalOptions& global, const std::string& format) {
  return WithSession(global, false, [&](Workspace& ws) {
    std::vector<KeyInfo> keys;
    ASSAY_RETURN_IF_ERROR(ws.ListKeys(&keys));
    if (format == "json") {
      nlohmann::json out = nlohmann::json::array();
      for (const KeyInfo& k : keys)
        out.push_back({{"key", k.key_id}, {"person", k.person}, {"public_key", k.public_key},
                       {"registered_at", k.registered_at}, {"registered_by", k.registered_by}, {"event", k.event}});
      std::cout << out.dump(2) << "\n";
      return Status::OK();
    }
    if (keys.empty()) {
      std::cerr << "assay: no keys registered in " << ws.path() << "\n";
      return Status::OK();
    }
    std::cout << "key               person       registered            by           event\n";
    for (const KeyInfo& k : keys)
      std::cout << k.key_id << "  " << std::left << std::setw(12) << k.person << " " << k.registered_at << "  "
                << std::setw(12) << k.registered_by << " " << k.event << "\n";
    return Status::OK();
  });
}

}  // namespace

void AddSigningOptions(CLI::App* cmd, SigningOptions* o) {
  cmd->add_option("--sign", o->key_file,
                  "Also write FILE.minisig, a detached signature by this secret key (see `assay key new`)");
  cmd->add_option("--passphrase-file", o->passphrase_file,
                  "Read the secret key's passphrase from this file (else it is asked for)");
}

Status LoadSecretKeyFile(const std::string& key_file, const std::string& passphrase_file, SecretKey* key) {
  std::string key_text;
  ASSAY_RETURN_IF_ERROR(ReadSmallFile(key_file, "secret key", &key_text));
  std::string passphrase;
  if (!passphrase_file.empty()) ASSAY_RETURN_IF_ERROR(PassphraseFrom(passphrase_file, &passphrase));
  Status s = LoadSecretKey(key_text, passphrase, key);
  if (!s.ok() && passphrase.empty() && s.message().find("protected by a passphrase") != std::string::npos) {
    ASSAY_RETURN_IF_ERROR(ReadPassphraseLine("Passphrase of the secret key: ", &passphrase));
    s = LoadSecretKey(key_text, passphrase, key);
  }
  if (!s.ok()) return Status::InvalidInput(key_file + ": " + s.message());
  return Status::OK();
}

Status LoadSigningKey(const SigningOptions& o, const std::string& out_path, SecretKey* key) {
  if (o.key_file.empty()) return Status::OK();
  if (out_path.empty()) return Status::InvalidInput("--sign needs --out FILE (the signature is written beside it)");
  return LoadSecretKeyFile(o.key_file, o.passphrase_file, key);
}

Status LoadPublicKeyFile(const std::string& path, PublicKey* key, std::string* person) {
  std::string text;
  ASSAY_RETURN_IF_ERROR(ReadSmallFile(path, "public key", &text));
  Status s = ParsePublicKey(text, key);
  if (!s.ok()) return Status::InvalidInput(path + ": " + s.message());
  if (person) *person = OwnerInComment(text);
  return Status::OK();
}

Status LoadSealFile(const std::string& path, SealInfo* seal) {
  std::string text;
  ASSAY_RETURN_IF_ERROR(ReadSmallFile(path, "seal", &text));
  Status s = ParseSealLine(text, seal);
  if (!s.ok()) return Status::InvalidInput(path + ": " + s.message());
  return Status::OK();
}

Status SignOutput(const SecretKey& key, const std::string& out_path, const std::string& bytes,
                  const std::string& trusted_comment, bool force) {
  if (!key.loaded()) return Status::OK();
  std::string sig;
  ASSAY_RETURN_IF_ERROR(SignDetached(key, bytes, trusted_comment,
                                     "signature from assay secret key " + key.public_key().KeyIdHex(), &sig));
  return WriteOutputFile(out_path + ".minisig", sig, force);
}

void AddKeyCommand(CLI::App* command, const GlobalOptions& global, int* exit_code) {
  command->require_subcommand(1);
  command->footer(kKeyExitCodes);

  auto* make = command->add_subcommand(
      "new", "Create an Ed25519 key pair: the secret key in FILE (mode 0600), the public key in FILE.pub");
  auto kn = std::make_shared<KeyNewArgs>();
  make->add_option("owner", kn->owner, "Whose key it is (a person ID, shown in the public key's comment)");
  make->add_option("-o,--out", kn->out, "The secret key file; the public key goes to FILE.pub")->required();
  make->add_option("--passphrase-file", kn->passphrase_file, "Read the passphrase from this file's first line");
  make->add_flag("--no-passphrase", kn->no_passphrase, "Store the secret key unprotected (as minisign -W)");
  make->add_flag("--force", kn->force, "Overwrite existing key files");
  make->add_flag("--no-register", kn->no_register,
                 "Do not register the public key in the workspace (by default it is, when OWNER is given and the "
                 "workspace exists)");
  make->callback([&global, kn, exit_code] { *exit_code = RunKeyNew(global, *kn); });

  auto* reg = command->add_subcommand(
      "register", "Register a public key (FILE.pub) in the workspace, for the person who owns it (a logged event)");
  auto kr = std::make_shared<std::array<std::string, 2>>();
  reg->add_option("pubkey", (*kr)[0], "The public key file (minisign's format)")->required();
  reg->add_option("--person", (*kr)[1], "Whose key it is (default: the owner the key's comment names)");
  reg->callback([&global, kr, exit_code] { *exit_code = RunKeyRegister(global, (*kr)[0], (*kr)[1]); });

  auto* list = command->add_subcommand("list", "List the keys registered in the workspace");
  auto kl = std::make_shared<std::string>("table");
  list->add_option("--format", *kl, "table or json")->check(CLI::IsMember({"table", "json"}));
  list->callback([&global, kl, exit_code] { *exit_code = RunKeyList(global, *kl); });

  auto* verify = command->add_subcommand(
      "verify", "Check FILE against its detached signature (FILE.minisig) and a public key, as minisign -V does");
  auto kv = std::make_shared<std::array<std::string, 3>>();
  verify->add_option("file", (*kv)[0], "The signed file")->required();
  verify->add_option("-p,--pub", (*kv)[1], "The signer's public key file (KEY.pub)")->required();
  verify->add_option("-x,--sig", (*kv)[2], "The signature (default FILE.minisig)");
  verify->callback([kv, exit_code] { *exit_code = RunKeyVerify((*kv)[0], (*kv)[1], (*kv)[2]); });
}

}  // namespace assay::cli
