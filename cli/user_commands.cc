// assay user: the accounts of a shared workspace (docs/ACCOUNTS.md), and
// reading passwords (a prompt without echo, a file, or standard input).
#include <termios.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "assay/text.h"
#include "commands.h"

namespace assay::cli {

namespace {

const char* kUserExitCodes =
    "Exit codes: 0 done, 2 usage, 3 invalid input (an ID, role or date, a password shorter than 10\n"
    "characters, passwords that differ), 4 no such account or workspace, 6 storage, 9 permission\n"
    "denied (the workspace has accounts and --user is not an admin, or a wrong password).";

// The first line of `in`, without its line end.
bool FirstLine(std::istream& in, std::string* out) {
  if (!std::getline(in, *out)) return false;
  if (!out->empty() && out->back() == '\r') out->pop_back();
  return true;
}

// One line from the terminal without echo, after `prompt` on stderr.
bool PromptNoEcho(const std::string& prompt, std::string* out) {
  std::cerr << prompt << std::flush;
  termios old{};
  const bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  const bool ok = FirstLine(std::cin, out);
  if (tty) tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
  std::cerr << "\n";
  return ok;
}

std::string RolesText(const std::vector<std::string>& roles) { return Join(roles); }

std::string AccessText(const Account& a, const std::string& today) {
  if (a.disabled) return "disabled";
  if (!a.until.empty()) return (today > a.until ? "expired after " : "until ") + a.until;
  return "active";
}

// What `user add` and `user roles` say of the registry link.
std::string LinkNote(Workspace& ws, const Account& a) {
  RegisteredPerson p;
  if (ws.GetPerson(a.person, &p).ok())
    return "acts as registered person " + a.person + (p.name.empty() ? "" : " (" + p.name + ")");
  return "acts as person " + a.person + ", not in the registry yet (assay person register " + a.person + ")";
}

struct UserArgs {
  Account account;
  std::string password_file;
  std::string format = "table";
  bool enable = false;
};

int UserAdd(const GlobalOptions& global, UserArgs& u) {
  return WithSession(global, true, [&](Workspace& ws) {
    Account a = u.account;
    ASSAY_RETURN_IF_ERROR(CheckAccount(&a));  // before asking for a password
    Account existing;
    if (ws.GetAccount(a.id, &existing, nullptr).ok())
      return Status::InvalidInput("account " + Quote(a.id) +
                                  " exists; change it with assay user roles, passwd or disable")
          .About("account", a.id, {}, "exists");
    std::string password, hash;
    ASSAY_RETURN_IF_ERROR(ReadPassword(u.password_file, "password for " + a.id + ": ", true, &password));
    ASSAY_RETURN_IF_ERROR(HashPassword(password, &hash));
    WriteResult r;
    ASSAY_RETURN_IF_ERROR(ws.PutAccount(a, hash, &r));
    std::cerr << "account " << a.id << ": added (" << RolesText(a.roles) << "; " << LinkNote(ws, a) << ")\n";
    return Status::OK();
  });
}

int UserList(const GlobalOptions& global, const std::string& format) {
  return WithSession(global, false, [&](Workspace& ws) {
    std::vector<Account> all;
    ASSAY_RETURN_IF_ERROR(ws.ListAccounts(&all));
    const std::string today = NowUtc().substr(0, 10);
    if (format == "json") {
      nlohmann::json out = nlohmann::json::array();
      for (const Account& a : all)
        out.push_back({{"id", a.id},
                       {"name", a.name},
                       {"person", a.person},
                       {"roles", a.roles},
                       {"client", a.client},
                       {"until", a.until},
                       {"disabled", a.disabled},
                       {"password_set", a.password_set},
                       {"event", a.event}});
      std::cout << out.dump(2) << "\n";
      return Status::OK();
    }
    if (all.empty()) {
      std::cerr << "no accounts: the workspace is open to whoever can open it (add the first, an admin, with: assay "
                   "user add ID --role admin)\n";
      return Status::OK();
    }
    std::vector<std::vector<std::string>> rows = {{"ID", "NAME", "PERSON", "ROLES", "CLIENT", "ACCESS"}};
    for (const Account& a : all)
      rows.push_back({a.id, a.name.empty() ? "-" : a.name, a.person, RolesText(a.roles),
                      a.client.empty() ? "-" : a.client, AccessText(a, today)});
    PrintTable(rows);
    return Status::OK();
  });
}

// Reads the account, lets `change` change it, writes it (with a new
// password hash when `hash` is not empty) and says what happened.
template <typename F>
int UserChange(const GlobalOptions& global, const std::string& id, const char* what, F change) {
  return WithSession(global, false, [&](Workspace& ws) {
    Account a;
    ASSAY_RETURN_IF_ERROR(ws.GetAccount(id, &a, nullptr));
    std::string hash;
    ASSAY_RETURN_IF_ERROR(change(ws, &a, &hash));
    WriteResult r;
    ASSAY_RETURN_IF_ERROR(ws.PutAccount(a, hash, &r));
    std::cerr << "account " << a.id << ": " << (r.kind == WriteResult::Kind::kUnchanged ? "unchanged" : what) << "\n";
    return Status::OK();
  });
}

}  // namespace

Status ReadPassword(const std::string& file, const std::string& prompt, bool confirm, std::string* out) {
  if (file == "-" || (file.empty() && !isatty(STDIN_FILENO))) {
    if (!FirstLine(std::cin, out))
      return Status::InvalidInput(
          "no password on standard input (give it on its first line, with --password-file "
          "FILE, or at the prompt of a terminal)");
    return Status::OK();
  }
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) return Status::NotFound(file + ": cannot read the password file").About("file", file);
    if (!FirstLine(in, out)) return Status::InvalidInput(file + ": the password file is empty");
    return Status::OK();
  }
  if (!PromptNoEcho(prompt, out)) return Status::InvalidInput("no password given");
  if (confirm) {
    std::string again;
    if (!PromptNoEcho("again: ", &again) || again != *out)
      return Status::InvalidInput("the two passwords differ; nothing was written");
  }
  return Status::OK();
}

void AddUserCommand(CLI::App* user, const GlobalOptions& global, int* exit_code) {
  user->require_subcommand(1);
  user->footer(kUserExitCodes);
  const std::string roles_help =
      "Role (repeatable): viewer, assessor, lead-assessor, audit-team-member, technical-reviewer, decision-maker, "
      "admin, client";
  auto add = std::make_shared<UserArgs>();
  auto* a = user->add_subcommand("add", "Add an account (the first one must be an admin); the password is asked for");
  a->add_option("ID", add->account.id, "Sign-in name, e.g. ada")->required();
  a->add_option("--role,-r", add->account.roles, roles_help)->required();
  a->add_option("--name,-n", add->account.name, "Full name");
  a->add_option("--person", add->account.person, "The registry person the account acts as (default: its ID)");
  a->add_option("--client", add->account.client, "With --role client: the client whose reports it may read");
  a->add_option("--until", add->account.until, "Last day of access, YYYY-MM-DD (required with --role client)");
  a->add_option("--password-file", add->password_file, "Read the password from the first line of FILE (- for stdin)");
  a->callback([&global, exit_code, add] { *exit_code = UserAdd(global, *add); });

  auto list = std::make_shared<UserArgs>();
  auto* l = user->add_subcommand("list", "List the accounts: roles, client and access");
  l->add_option("--format", list->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  l->callback([&global, exit_code, list] { *exit_code = UserList(global, list->format); });

  auto pw = std::make_shared<UserArgs>();
  auto* p = user->add_subcommand("passwd", "Set an account's password (the log records when, never the hash)");
  p->add_option("ID", pw->account.id, "Account")->required();
  p->add_option("--password-file", pw->password_file, "Read the password from the first line of FILE (- for stdin)");
  p->callback([&global, exit_code, pw] {
    *exit_code =
        UserChange(global, pw->account.id, "password changed", [&](Workspace&, Account* acc, std::string* hash) {
          std::string password;
          ASSAY_RETURN_IF_ERROR(ReadPassword(pw->password_file, "new password for " + acc->id + ": ", true, &password));
          return HashPassword(password, hash);
        });
  });

  auto dis = std::make_shared<UserArgs>();
  auto* d = user->add_subcommand("disable", "Disable an account (it can no longer sign in or write); --enable undoes");
  d->add_option("ID", dis->account.id, "Account")->required();
  d->add_flag("--enable", dis->enable, "Enable it again");
  d->callback([&global, exit_code, dis] {
    *exit_code = UserChange(global, dis->account.id, dis->enable ? "enabled" : "disabled",
                            [&](Workspace&, Account* acc, std::string*) {
                              acc->disabled = !dis->enable;
                              return Status::OK();
                            });
  });

  auto ro = std::make_shared<UserArgs>();
  auto* r = user->add_subcommand("roles", "Replace an account's roles (and client and last day)");
  r->add_option("ID", ro->account.id, "Account")->required();
  r->add_option("--role,-r", ro->account.roles, roles_help)->required();
  r->add_option("--client", ro->account.client, "With --role client: the client whose reports it may read");
  r->add_option("--until", ro->account.until, "Last day of access, YYYY-MM-DD");
  r->callback([&global, exit_code, ro] {
    *exit_code = UserChange(global, ro->account.id, "roles changed", [&](Workspace& ws, Account* acc, std::string*) {
      acc->roles = ro->account.roles;
      acc->client = ro->account.client;
      acc->until = ro->account.until;
      ASSAY_RETURN_IF_ERROR(CheckAccount(acc));
      std::cerr << RolesText(acc->roles) << "; " << LinkNote(ws, *acc) << "\n";
      return Status::OK();
    });
  });
}

}  // namespace assay::cli
