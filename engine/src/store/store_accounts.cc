// Workspace: accounts, their passwords and the permissions of the write path
// (schema version 7; store.h, docs/ACCOUNTS.md).
#include <sodium.h>

#include <algorithm>
#include <set>

#include "assay/store.h"
#include "assay/audit.h"
#include "assay/text.h"
#include "store/store_impl.h"

namespace assay {

bool IsAccountRole(std::string_view role) {
  for (const char* r : kAccountRoles)
    if (role == r) return true;
  return false;
}

bool HasRole(const Account& account, std::string_view role) {
  return std::find(account.roles.begin(), account.roles.end(), role) != account.roles.end();
}

Status CheckAccount(Account* a) {
  auto bad = [a](const std::string& msg) {
    return Status::InvalidInput("account " + (WhyNotSafeId(a->id).empty() ? Quote(a->id) + ": " : std::string()) + msg +
                                "; nothing was written")
        .About("account", a->id, {}, "invalid");
  };
  if (const std::string why = WhyNotSafeId(a->id); !why.empty()) return bad("the account ID " + why);
  if (a->person.empty()) a->person = a->id;
  if (const std::string why = WhyNotSafeId(a->person); !why.empty()) return bad("the person ID " + why);
  if (!a->name.empty() && !IsValidUtf8(a->name)) return bad("the name is not UTF-8");
  std::sort(a->roles.begin(), a->roles.end());
  a->roles.erase(std::unique(a->roles.begin(), a->roles.end()), a->roles.end());
  if (a->roles.empty()) return bad("needs at least one role");
  for (const std::string& r : a->roles)
    if (!IsAccountRole(r)) {
      std::vector<std::string> all(std::begin(kAccountRoles), std::end(kAccountRoles));
      return bad("unknown role " + Quote(DisplaySafe(r)) + " (roles: " + [&all] {
        std::string s;
        for (const std::string& x : all) s += (s.empty() ? "" : ", ") + x;
        return s;
      }() + ")" + SuggestionSuffix(r, all));
    }
  const bool client = HasRole(*a, "client");
  if (client && a->roles.size() > 1) return bad("the role client (read-only access to one client) takes no other role");
  if (client && (a->client.empty() || a->until.empty()))
    return bad("the role client needs the client it may read and the last day of access (--client C --until DATE)");
  if (!client && !a->client.empty()) return bad("a client is given for the role client only");
  if (!a->until.empty()) {
    Date d;
    if (Status s = Date::Parse(a->until, &d); !s.ok()) return bad("until: " + s.message());
  }
  return Status::OK();
}

Status AccountActive(const Account& a, const std::string& today) {
  if (a.disabled) return Status::PermissionDenied("account " + Quote(a.id) + " is disabled");
  if (!a.until.empty() && today.substr(0, 10) > a.until)
    return Status::PermissionDenied("account " + Quote(a.id) + " expired after " + a.until);
  return Status::OK();
}

namespace {
bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}
}  // namespace

Status HashPassword(const std::string& password, std::string* hash) {
  if (password.size() < kMinPasswordLength)
    return Status::InvalidInput("the password is too short: at least " + std::to_string(kMinPasswordLength) +
                                " characters are needed");
  if (password.size() > 1024) return Status::InvalidInput("the password is longer than 1024 bytes");
  if (!SodiumReady()) return Status::IOError("libsodium cannot be initialized");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return Status::IOError("the password cannot be hashed (out of memory)");
  *hash = out;
  return Status::OK();
}

bool PasswordMatches(const std::string& hash, const std::string& password) {
  if (!SodiumReady() || hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

Status Workspace::Authenticate(const std::string& id, const std::string& password, const std::string& today,
                               Account* out) {
  // An unknown ID costs one verification too, so that timing does not tell
  // which IDs exist.
  static const std::string kDummy = [] {
    std::string h;
    return HashPassword("not a password of anyone", &h).ok() ? h : std::string();
  }();
  Account a;
  std::string hash;
  Status s = GetAccount(id, &a, &hash);
  if (!s.ok() && s.code() != Status::Code::kNotFound) return s;
  const bool known = s.ok();
  const bool match = PasswordMatches(known ? hash : kDummy, password);
  if (!known || !match)
    return Status::PermissionDenied("unknown user or wrong password").About("account", "", {}, "login");
  ASSAY_RETURN_IF_ERROR(AccountActive(a, today));
  *out = std::move(a);
  return Status::OK();
}

namespace internal {

namespace {

using nlohmann::json;

constexpr const char* kKindAccount = "account";
constexpr const char* kKindAccess = "access";

std::string AccountText(const Account& a) {
  return Canonical(json{{"client", a.client},
                        {"disabled", a.disabled},
                        {"id", a.id},
                        {"name", a.name},
                        {"password_set", a.password_set},
                        {"person", a.person},
                        {"roles", a.roles},
                        {"until", a.until}});
}

bool AccountOfText(const std::string& text, Account* a) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return false;
  a->id = j.value("id", "");
  a->name = j.value("name", "");
  a->person = j.value("person", "");
  a->roles = j.value("roles", std::vector<std::string>());
  a->client = j.value("client", "");
  a->until = j.value("until", "");
  a->disabled = j.value("disabled", false);
  a->password_set = j.value("password_set", "");
  return true;
}

// The current row of account `id`: false when none.
bool CurrentAccount(sql::Connection& db, const std::string& id, Account* a, std::string* hash, int64_t* row,
                    std::string* text) {
  sql::Statement q(db,
                   "SELECT row_id, data, password_hash, event_seq FROM accounts WHERE account = ? AND is_current = 1");
  q.Bind(1, id);
  if (!q.Step()) return false;
  if (row) *row = q.Int64(0);
  if (text) *text = q.String(1);
  if (hash) *hash = q.String(2);
  AccountOfText(q.String(1), a);
  a->event = q.Int64(3);
  return true;
}

// The roles `person` has in the team of `assessment` (its current person record).
std::vector<std::string> TeamRoles(sql::Connection& db, const std::string& assessment, const std::string& person) {
  sql::Statement q(db,
                   "SELECT data FROM records WHERE assessment = ? AND kind = 'person' AND record_key = ? AND "
                   "is_current = 1");
  q.Bind(1, assessment);
  q.Bind(2, person);
  if (!q.Step()) return {};
  json j = json::parse(q.Text(0), nullptr, false);
  if (!j.is_object() || j.value("withdrawn", false)) return {};
  return j.value("roles", std::vector<std::string>());
}

bool TeamHasLead(sql::Connection& db, const std::string& assessment) {
  sql::Statement q(db, "SELECT data FROM records WHERE assessment = ? AND kind = 'person' AND is_current = 1");
  q.Bind(1, assessment);
  while (q.Step()) {
    json j = json::parse(q.Text(0), nullptr, false);
    if (!j.is_object()) continue;
    for (const std::string& r : j.value("roles", std::vector<std::string>()))
      if (r == "lead-assessor") return true;
  }
  return false;
}

bool Contains(const std::vector<std::string>& v, const char* x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// The field `name` of the event's after JSON ("" when absent).
std::string AfterField(const Event& e, const char* name) {
  json j = json::parse(e.after, nullptr, false);
  if (!j.is_object() || !j.contains(name) || !j[name].is_string()) return "";
  return j[name].get<std::string>();
}

bool AfterFlag(const Event& e, const char* name) {
  json j = json::parse(e.after, nullptr, false);
  return j.is_object() && j.contains(name) && j[name].is_boolean() && j[name].get<bool>();
}

// Why `a` may not write an event of an assessment ("" when it may).
std::string WhyNotAssessmentWrite(sql::Connection& db, const Account& a, const Event& e) {
  const std::vector<std::string> team = TeamRoles(db, e.assessment, a.person);
  const bool lead = HasRole(a, "lead-assessor") && Contains(team, "lead-assessor");
  const bool member = Contains(team, "lead-assessor") || Contains(team, "assessor");
  const std::string in = " in assessment " + e.assessment;
  if (lead) return "";
  if (e.entity == kKindMerge) return "only the assessment's lead assessor merges hand-outs" + in;
  if (e.entity == kKindAssessment) {
    if (e.action == "create") return HasRole(a, "lead-assessor") ? "" : "only a lead assessor creates assessments";
    if (e.action == "status") return "only the assessment's lead assessor moves its status" + in;
    return "only the assessment's lead assessor changes it" + in;
  }
  if (e.entity == kKindRating) {
    if (e.action == "import") return "only the assessment's lead assessor imports ratings" + in;
    if (AfterFlag(e, "consolidated")) return "only the assessment's lead assessor consolidates" + in;
    if (!HasRole(a, "assessor") || !member)
      return "rates only in assessments whose team has them as assessor;" + std::string(" not") + in;
    if (AfterField(e, "assessor") != a.person)
      return "an assessor rates as themselves (" + a.person + "), not as " + Quote(AfterField(e, "assessor"));
    return "";
  }
  if (e.entity == kKindEvidence || e.entity == kKindInterview || e.entity == kKindFile) {
    if ((HasRole(a, "assessor") || HasRole(a, "lead-assessor")) && member) return "";
    return "only the assessors of the team record evidence and interviews" + in;
  }
  // The team and the other records: the lead assessor, or a lead assessor
  // while the team has none (the first member of a new assessment).
  if (HasRole(a, "lead-assessor") && !TeamHasLead(db, e.assessment)) return "";
  return "only the assessment's lead assessor changes its " + e.entity + " records" + in;
}

std::string WhyNotAuditWrite(const Account& a, const Event& e) {
  if (e.entity == "decision") {
    if (!HasRole(a, "decision-maker")) return "only a decision maker records certification decisions";
    const std::string by = AfterField(e, "decided_by");
    if (by != a.person) return "a decision maker decides as themselves (" + a.person + "), not as " + Quote(by);
    return "";
  }
  if (e.entity == "certificate")
    return HasRole(a, "decision-maker") || HasRole(a, "admin")
               ? ""
               : "only a decision maker or an admin changes certificates";
  if (e.entity == "policy") return HasRole(a, "admin") ? "" : "only an admin sets the audit policy";
  for (const char* r : {"audit-team-member", "technical-reviewer", "admin"})
    if (HasRole(a, r)) return "";
  return "only audit team members and technical reviewers write audit records";
}

std::string RolesText(const Account& a) {
  std::string s;
  for (const std::string& r : a.roles) s += (s.empty() ? "" : ", ") + r;
  return s;
}

// Why the roles of `a` do not allow `e` ("" when they do).
std::string WhyAccountMayNot(sql::Connection& db, const Account& a, const Event& e) {
  std::string why;
  if (e.entity == kKindAccount) {
    why = HasRole(a, "admin") ? "" : "only an admin manages accounts";
  } else if (e.entity == kKindKey) {
    why = HasRole(a, "admin") || AfterField(e, "person") == a.person ? "" : "only an admin registers others' keys";
  } else if (e.entity == kKindSeal) {
    why = HasRole(a, "admin") || HasRole(a, "lead-assessor") || HasRole(a, "decision-maker")
              ? ""
              : "only an admin, a lead assessor or a decision maker seals the log";
  } else if (IsAuditSubject(e.assessment)) {  // a certification-audit record (audit_records)
    why = WhyNotAuditWrite(a, e);
  } else if (e.assessment.empty()) {  // the people registry
    why = HasRole(a, "admin") || HasRole(a, "lead-assessor") ? "" : "only an admin or a lead assessor registers people";
  } else {
    why = WhyNotAssessmentWrite(db, a, e);
  }
  return why.empty() ? "" : Quote(a.id) + " (" + RolesText(a) + "): " + why;
}

}  // namespace

std::string SqlWorkspace::WhyRefused(const Event& e) {
  if (options_.user.empty()) return "this workspace has accounts: every write needs a signed-in user";
  Account a;
  if (!CurrentAccount(*db_, options_.user, &a, nullptr, nullptr, nullptr)) return "no account " + Quote(options_.user);
  if (Status s = AccountActive(a, Now()); !s.ok()) return s.message();
  std::string why = WhyAccountMayNot(*db_, a, e);
  if (why.empty() && origin_ && !origin_->person.empty()) why = WhyHandoutRefused(origin_->person, e);
  return why;
}

// The hand-out's person acts through the accounts whose person they are;
// their roles decide, as they did when the assessor wrote offline (an
// account disabled since then does not undo what it wrote before).
std::string SqlWorkspace::WhyHandoutRefused(const std::string& person, const Event& e) {
  const std::string what = "the hand-out of " + person + " brings " + e.entity + " " + e.entity_id + " by " +
                           e.actor + ", which " + person + " may not write: ";
  sql::Statement q(*db_, "SELECT data FROM accounts WHERE is_current = 1 ORDER BY account");
  std::string first;
  while (q.Step()) {
    Account a;
    if (!AccountOfText(q.String(0), &a) || a.person != person) continue;
    const std::string why = WhyAccountMayNot(*db_, a, e);
    if (why.empty()) return "";
    if (first.empty()) first = why;
  }
  return what + (first.empty() ? "no account of this workspace acts as " + person : first);
}

void SqlWorkspace::NoteRefusal(const std::string& assessment, const std::string& entity, const std::string& action,
                               const std::string& id, const std::string& why) {
  refusal_ = Event();
  refusal_.entity = kKindAccess;
  refusal_.action = "refused";
  refusal_.entity_id = options_.user.empty() ? "-" : options_.user;
  refusal_.after =
      Canonical(json{{"attempt", {{"action", action}, {"assessment", assessment}, {"entity", entity}, {"id", id}}},
                     {"reason", why},
                     {"user", options_.user}});
}

void SqlWorkspace::Authorize(const Event& e) {
  if (version_ < 7 || writing_refusal_) return;
  if (sql::QueryInt64(*db_, "SELECT count(*) FROM accounts") == 0) return;  // open to all, as before accounts
  const std::string why = WhyRefused(e);
  if (why.empty()) return;
  NoteRefusal(e.assessment, e.entity, e.action, e.entity_id, why);
  throw PermissionError("permission denied: " + why + "; nothing was written (the attempt is logged)");
}

Status SqlWorkspace::RefusalFor(const Status& s, const std::string& assessment, const std::string& entity,
                                const std::string& id) {
  if (s.ok() || version_ < 7 || options_.user.empty()) return s;
  if (sql::QueryInt64(*db_, "SELECT count(*) FROM accounts") == 0) return s;
  NoteRefusal(assessment, entity, "create", id, s.message());
  Status out = Status::PermissionDenied("permission denied: " + s.message() + " (the attempt is logged)");
  return std::move(out).About(s.subject());
}

// Appends the noted refusal in a transaction of its own (the refused one
// has rolled back). Best effort: a refusal that cannot be logged (the
// workspace locked, read-only) leaves the refusal itself unchanged.
void SqlWorkspace::WriteRefusal() {
  if (refusal_.after.empty() || writing_refusal_) return;
  Event e = std::move(refusal_);
  refusal_ = Event();
  writing_refusal_ = true;
  try {
    sql::Transaction tx(*db_, sql::Tx::kWrite);
    int64_t unused_row = 0;
    NextRowAndEvent(&unused_row, &e.seq, &e.prev_hash);
    e.at = Now();
    e.actor = options_.actor;
    e.row = 0;
    InsertEvent(&e);
    tx.Commit();
  } catch (const std::exception&) {
  }
  writing_refusal_ = false;
}

std::string SqlWorkspace::WhyReadRefused(const std::string& assessment, const std::string& client) {
  if (sql::QueryInt64(*db_, "SELECT count(*) FROM accounts") == 0) return "";
  Account a;
  if (!CurrentAccount(*db_, options_.user, &a, nullptr, nullptr, nullptr)) return "no account " + Quote(options_.user);
  if (Status s = AccountActive(a, Now()); !s.ok()) return s.message();
  if (!HasRole(a, "client")) return "";
  if (!assessment.empty())
    return Quote(a.id) + " (client representative of " + a.client + ") reads its client's audit reports only";
  if (client != a.client)
    return Quote(a.id) + " (client representative of " + a.client + ") may not read client " + client;
  return "";
}

Status SqlWorkspace::AuthorizeRead(const std::string& assessment, const std::string& client) {
  if (options_.user.empty() || version_ < 7) return Status::OK();
  try {
    sql::Transaction tx(*db_, sql::Tx::kRead);
    const std::string why = WhyReadRefused(assessment, client);
    if (why.empty()) {
      tx.Commit();
      return Status::OK();
    }
    NoteRefusal(assessment, assessment.empty() ? "client" : "assessment", "read",
                assessment.empty() ? client : assessment, why);
    return Status::PermissionDenied("permission denied: " + why + " (the attempt is logged)")
        .About(assessment.empty() ? "client" : "assessment", assessment.empty() ? client : assessment, {}, "denied");
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqlWorkspace::PutAccount(const Account& given, const std::string& password_hash, WriteResult* result) {
  if (version_ < 7) return Status::Unsupported(path_ + ": accounts need workspace schema version 7");
  Account a = given;
  ASSAY_RETURN_IF_ERROR(CheckAccount(&a));
  if (!password_hash.empty() && password_hash.rfind("$argon2id$", 0) != 0)
    return Status::InvalidInput("account " + Quote(a.id) + ": the password hash is not an Argon2id hash");
  try {
    sql::Transaction tx(*db_, sql::Tx::kWrite);
    Account cur;
    int64_t cur_row = 0;
    std::string cur_text, cur_hash;
    const bool exists = CurrentAccount(*db_, a.id, &cur, &cur_hash, &cur_row, &cur_text);
    if (!exists && password_hash.empty())
      return Status::InvalidInput("account " + Quote(a.id) + " is new and needs a password; nothing was written")
          .About("account", a.id, {}, "required");
    if (!exists && !HasRole(a, "admin") && sql::QueryInt64(*db_, "SELECT count(*) FROM accounts") == 0)
      return Status::InvalidInput(
                 "the first account of a workspace must have the role admin (it manages the "
                 "others); nothing was written")
          .About("account", a.id, {}, "first-admin");
    Event e;
    int64_t unused_row = 0;
    NextRowAndEvent(&unused_row, &e.seq, &e.prev_hash);
    e.at = Now();
    a.password_set = password_hash.empty() ? cur.password_set : e.at;
    const std::string text = AccountText(a);
    if (exists && text == cur_text) {
      if (result) *result = WriteResult{WriteResult::Kind::kUnchanged, cur_row, 0, false};
      return Status::OK();
    }
    e.actor = options_.actor;
    e.action = exists ? "update" : "create";
    e.entity = kKindAccount;
    e.entity_id = a.id;
    e.row = sql::QueryInt64(*db_, "SELECT coalesce(max(row_id), 0) + 1 FROM accounts");
    e.before = exists ? cur_text : "";
    e.after = text;
    InsertEvent(&e);
    if (exists) {
      sql::Statement up(*db_, "UPDATE accounts SET is_current = 0 WHERE row_id = ?");
      up.Bind(1, cur_row);
      up.Exec();
    }
    sql::Statement ins(*db_,
                       "INSERT INTO accounts (row_id, account, data, password_hash, supersedes, is_current, "
                       "event_seq) VALUES (?,?,?,?,?,1,?)");
    ins.Bind(1, e.row);
    ins.Bind(2, a.id);
    ins.Bind(3, text);
    ins.Bind(4, password_hash.empty() ? cur_hash : password_hash);
    if (exists)
      ins.Bind(5, cur_row);
    else
      ins.BindNull(5);
    ins.Bind(6, e.seq);
    ins.Exec();
    tx.Commit();
    if (result)
      *result = WriteResult{exists ? WriteResult::Kind::kUpdated : WriteResult::Kind::kCreated, e.row, e.seq, false};
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqlWorkspace::ListAccounts(std::vector<Account>* out) {
  out->clear();
  if (version_ < 7) return Status::OK();
  try {
    sql::Transaction tx(*db_, sql::Tx::kRead);
    sql::Statement q(*db_, "SELECT data, event_seq FROM accounts WHERE is_current = 1 ORDER BY account");
    while (q.Step()) {
      Account a;
      AccountOfText(q.String(0), &a);
      a.event = q.Int64(1);
      out->push_back(std::move(a));
    }
    tx.Commit();
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqlWorkspace::GetAccount(const std::string& id, Account* out, std::string* password_hash) {
  if (version_ < 7)
    return Status::NotFound("no account " + Quote(id) + " (the workspace has no accounts)").About("account", id);
  try {
    sql::Transaction tx(*db_, sql::Tx::kRead);
    if (CurrentAccount(*db_, id, out, password_hash, nullptr, nullptr)) {
      tx.Commit();
      return Status::OK();
    }
    std::vector<std::string> ids;
    sql::Statement q(*db_, "SELECT account FROM accounts WHERE is_current = 1 ORDER BY account");
    while (q.Step()) ids.push_back(q.String(0));
    tx.Commit();
    return Status::NotFound("no account " + Quote(DisplaySafe(id)) + SuggestionSuffix(id, ids))
        .About("account", id, NearestIds(id, ids), ids.empty() ? "none-yet" : "missing");
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqlWorkspace::HasAccounts(bool* has) {
  *has = false;
  if (version_ < 7) return Status::OK();
  try {
    sql::Transaction tx(*db_, sql::Tx::kRead);
    *has = sql::QueryInt64(*db_, "SELECT count(*) FROM accounts") > 0;
    tx.Commit();
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqlWorkspace::VerifyAccounts(const std::map<int64_t, const Event*>& by_seq, std::map<int64_t, std::string>* bad,
                                    int64_t* rows_checked) {
  std::map<int64_t, std::string> data_of;  // row -> data
  std::set<int64_t> written;               // event seqs with a row
  sql::Statement q(*db_, "SELECT row_id, account, data, supersedes, event_seq FROM accounts ORDER BY row_id");
  while (q.Step()) {
    ++*rows_checked;
    const int64_t row = q.Int64(0), seq = q.Int64(4);
    const std::string id = q.String(1), data = q.String(2);
    const std::string what = "account row " + std::to_string(row) + " (account " + id + ")";
    data_of[row] = data;
    written.insert(seq);
    auto ev = by_seq.find(seq);
    if (ev == by_seq.end()) {
      bad->emplace(seq, "event " + std::to_string(seq) + " that wrote " + what + " is missing");
      continue;
    }
    const Event& e = *ev->second;
    const std::string before = q.IsNull(3) ? "" : data_of[q.Int64(3)];
    if (e.entity != kKindAccount || e.row != row || e.entity_id != id || !e.assessment.empty())
      bad->emplace(seq, what + " does not match event " + std::to_string(seq));
    else if (e.after != data || e.before != before)
      bad->emplace(seq, what + " was changed after event " + std::to_string(seq) + " wrote it");
  }
  for (const auto& [seq, e] : by_seq)
    if (e->entity == kKindAccount && !written.count(seq))
      bad->emplace(
          seq, "account row " + std::to_string(e->row) + " written by event " + std::to_string(seq) + " is missing");
  return Status::OK();
}

}  // namespace internal
}  // namespace assay
