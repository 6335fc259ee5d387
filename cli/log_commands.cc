// assay log [ASSESSMENT] | log verify [--seal FILE] | log seal --key FILE: the
// hash-chained event log and its sealed heads (docs/TRUST.md).
#include <iomanip>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "assay/store.h"
#include "cli.h"
#include "commands.h"
#include "signing_cli.h"
#include "terminal.h"

namespace assay::cli {

namespace {

using nlohmann::json;

// ---- log ----------------------------------------------------------------------

std::string Short(const json& v) {
  std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

// "RES.1/EU PA1.1 ada" for a rating key, the key itself otherwise.
std::string EntityLabel(const Event& e) {
  if (e.entity == "seal") return "event " + e.entity_id;  // the sealed position
  if (e.entity == "merge") return "head " + e.entity_id.substr(0, 16) + "...";  // a hand-out's head
  if (e.entity != "rating") return e.entity_id;
  try {
    json k = json::parse(e.entity_id);
    std::string who = k[2].get<std::string>();
    return k[0].get<std::string>() + " " + k[1].get<std::string>() + " " + (who.empty() ? "consolidated" : who);
  } catch (const std::exception&) {
    return e.entity_id;
  }
}

// A merge record (docs/TEAMWORK.md): "hand-out of cy, events 21-23, 5
// events traced, sealed by cy (key ABCD...)".
std::string MergeSummary(const json& m) {
  const json& events = m.at("events");
  size_t traced = 0;
  std::string sealed;
  for (const json& e : events) {
    traced += e.at("merged").size();
    if (e.value("entity", "") == "seal") {
      const json seal = json::parse(e.value("after", ""), nullptr, false);
      if (seal.is_object()) sealed = ", sealed by " + seal.value("signer", "") + " (key " + seal.value("key", "") + ")";
    }
  }
  std::string range;
  if (!events.empty())
    range = ", events " + std::to_string(events.front().value("seq", int64_t{0})) + "-" +
            std::to_string(events.back().value("seq", int64_t{0}));
  return "hand-out of " + m.value("person", "") + range + ", " + std::to_string(traced) + " events traced" +
         (sealed.empty() ? ", not sealed" : sealed);
}

// What changed: "value: P -> L; weakness: (none) -> ...".
std::string Change(const Event& e) {
  try {
    json after = json::parse(e.after);
    json before = e.before.empty() ? json::object() : json::parse(e.before);
    std::vector<std::string> parts;
    if (e.action == "import") {
      // One event for a whole batch of ratings (docs/WORKSPACE.md); the
      // entity ID column already names the file.
      auto count = [&](const char* key) { return after.value(key, static_cast<int64_t>(0)); };
      return std::to_string(count("count")) + " ratings (" + std::to_string(count("created")) + " created, " +
             std::to_string(count("updated")) + " updated)";
    }
    if (e.entity == "seal")  // a sealed head (docs/TRUST.md)
      return "head " + Short(after.value("hash", "")) + " by " +
             after.value("signer", "") + " (key " + after.value("key", "") + ")";
    if (e.entity == "key") return "key of " + after.value("person", "");
    if (e.entity == "access")  // a refused attempt (docs/ACCOUNTS.md)
      return after.value("reason", "");
    if (e.entity == "account" && e.before.empty()) return "roles " + Short(after.value("roles", json::array()));
    if (e.entity == "merge") return MergeSummary(after);
    if (e.action == "withdraw")  // a tombstone (docs/TEAMWORK.md)
      return "withdrawn: " + Short(after.value("reason", after.value("justification", "")));
    if (e.before.empty()) {
      for (const char* key : {"value", "status", "target_level", "title", "name", "kind", "reference", "held_at"})
        if (after.contains(key)) parts.push_back(std::string(key) + " " + Short(after[key]));
      return Join(parts, ", ");
    }
    for (auto it = after.begin(); it != after.end(); ++it)
      if (!before.contains(it.key()) || before[it.key()] != it.value())
        parts.push_back(it.key() + ": " + (before.contains(it.key()) ? Short(before[it.key()]) : "(none)") + " -> " +
                        Short(it.value()));
    for (auto it = before.begin(); it != before.end(); ++it)
      if (!after.contains(it.key())) parts.push_back(it.key() + ": " + Short(it.value()) + " -> (none)");
    return Join(parts, "; ");
  } catch (const std::exception&) {
    return "(unreadable)";
  }
}

// Stored JSON, or the raw text when it does not parse (a tampered row).
json ParseOrText(const std::string& text) {
  try {
    return json::parse(text);
  } catch (const std::exception&) {
    return text;
  }
}

int RunLog(const GlobalOptions& global, const std::string& assessment, const std::string& format) {
  return WithSession(global, false, [&](Workspace& ws) {
    std::vector<Event> events;
    ASSAY_RETURN_IF_ERROR(ws.ReadLog(assessment, &events));
    if (!assessment.empty() && events.empty()) {
      Assessment a;
      ASSAY_RETURN_IF_ERROR(ws.GetAssessment(assessment, &a));  // NotFound with suggestions
    }
    if (format == "json") {
      json out = json::array();
      for (const Event& e : events)
        out.push_back({{"seq", e.seq},
                       {"at", e.at},
                       {"actor", e.actor},
                       {"assessment", e.assessment},
                       {"action", e.action},
                       {"entity", e.entity},
                       {"entity_id", e.entity_id},
                       {"before", e.before.empty() ? json(nullptr) : ParseOrText(e.before)},
                       {"after", ParseOrText(e.after)},
                       {"hash", e.hash}});
      std::cout << out.dump(2) << "\n";
      return Status::OK();
    }
    // One event, one line, whatever the stored text holds (an actor or a
    // value with a line feed cannot make a line read as another event).
    for (const Event& e : events)
      std::cout << std::left << std::setw(5) << e.seq << " " << DisplaySafe(e.at) << "  " << std::setw(10)
                << DisplaySafe(e.actor) << " " << std::setw(7) << e.action << " " << std::setw(10) << e.entity << " "
                << std::setw(28) << DisplaySafe(EntityLabel(e)) << " " << DisplaySafe(Change(e)) << "\n";
    if (!events.empty()) std::cerr << "head: event " << events.back().seq << " " << events.back().hash << "\n";
    return Status::OK();
  });
}

struct VerifyArgs {
  std::string seal_file;  // --seal: a seal line kept outside the workspace
  std::string pub_file;   // --pub: the signer's public key (else the registered one)
};

// `log verify [--seal FILE [--pub KEY.pub]]`: the seal first (when given),
// then the whole log, its recorded seals and the database's integrity.
int RunVerify(const GlobalOptions& global, const VerifyArgs& a) {
  SealInfo seal;
  PublicKey pub;
  Status s;
  if (!a.seal_file.empty()) s = LoadSealFile(a.seal_file, &seal);
  if (s.ok() && !a.pub_file.empty()) s = LoadPublicKeyFile(a.pub_file, &pub);
  if (!s.ok()) return Fail(s);
  return WithSession(global, false, [&](Workspace& ws) {
    if (!a.seal_file.empty()) {
      ASSAY_RETURN_IF_ERROR(ws.CheckSeal(seal, a.pub_file.empty() ? nullptr : &pub));
      std::cout << "seal ok: event " << seal.seq << " still has hash " << seal.hash << " (sealed " << seal.at << " by "
                << seal.signer << ", key " << seal.key_id << ")\n";
    }
    VerifyReport v;
    Status st = ws.VerifyLog(&v);
    if (!st.ok()) return st;
    std::cout << "ok: " << v.events << " events and " << v.records << " records verified; head event " << v.head_seq
              << " " << v.head_hash << "\n";
    SealInfo latest;
    bool found = false;
    if (v.seals > 0) ASSAY_RETURN_IF_ERROR(ws.LatestSeal(&latest, &found));
    if (found)
      std::cout << "seals: " << v.seals << " verified (" << v.keys << " registered key" << (v.keys == 1 ? "" : "s")
                << "); the latest seals event " << latest.seq << ", by " << latest.signer << " at " << latest.at << "\n";
    if (v.files > 0)
      std::cout << "files: " << v.files << " kept evidence file" << (v.files == 1 ? "" : "s")
                << " verified against " << (v.files == 1 ? "its" : "their") << " SHA-256\n";
    if (v.merges > 0)
      std::cout << "merges: " << v.merges << " hand-out" << (v.merges == 1 ? "" : "s")
                << " traced: their chains recomputed from the base to the head, " << v.traced
                << " events here match the hand-out events they came from, " << v.handout_seals << " hand-out seal"
                << (v.handout_seals == 1 ? "" : "s") << " verified\n";
    return Status::OK();
  });
}

// `log seal --key FILE`: seals the log head and prints the seal line.
int RunSeal(const GlobalOptions& global, const SigningOptions& o) {
  SecretKey key;
  Status s = LoadSecretKeyFile(o.key_file, o.passphrase_file, &key);
  if (!s.ok()) return Fail(s);
  return WithSession(global, false, [&](Workspace& ws) {
    SealInfo seal;
    ASSAY_RETURN_IF_ERROR(ws.Seal(key, &seal));
    std::cout << seal.line << "\n";
    std::cerr << "assay: sealed event " << seal.seq << " of " << ws.path() << " with key " << seal.key_id << " ("
              << seal.signer << "); the seal is event " << seal.event
              << ". Keep the line above: assay log verify --seal FILE checks it\n";
    return Status::OK();
  });
}

}  // namespace

void AddLogCommand(CLI::App* log, const GlobalOptions& global, int* exit_code) {
  auto id = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("table");
  log->add_option("ASSESSMENT", *id, "Only this assessment's events");
  log->add_option("--format", *format, "table or json")->check(CLI::IsMember({"table", "json"}));
  auto* verify = log->add_subcommand(
      "verify", "Verify the database, the whole chain, every record and every recorded seal (exit 7 if broken)");
  auto va = std::make_shared<VerifyArgs>();
  auto* seal_opt = verify->add_option("--seal", va->seal_file,
                                      "Also check that the log still holds the head this seal line (a file) seals");
  verify->add_option("--pub", va->pub_file, "Check the seal's signature with this public key (default: the "
                                             "key registered in the workspace)")
      ->needs(seal_opt);
  verify->footer(
      "Exit codes: 0 verified, 3 a seal or key file that is not one, 4 file or workspace not found,\n"
      "7 the log, the database or a seal does not verify (the log no longer holds a sealed head).");
  verify->callback([&global, exit_code, va] { *exit_code = RunVerify(global, *va); });
  auto* seal = log->add_subcommand(
      "seal", "Sign the log head with a registered key, record the seal in the log and print it as one line");
  auto so = std::make_shared<SigningOptions>();
  seal->add_option("--key", so->key_file, "The secret key (its public key registered with `assay key register`)")
      ->required();
  seal->add_option("--passphrase-file", so->passphrase_file, "Read the secret key's passphrase from this file");
  seal->footer("Exit codes: 0 sealed, 3 invalid input (not a key, wrong passphrase, an empty log),\n"
               "4 key not registered or file not found, 6 I/O error.");
  seal->callback([&global, exit_code, so] { *exit_code = RunSeal(global, *so); });
  log->callback([&global, exit_code, id, format, verify, seal] {
    if (verify->parsed() || seal->parsed()) return;
    *exit_code = RunLog(global, *id, *format);
  });
}

}  // namespace assay::cli
