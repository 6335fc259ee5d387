// The people registry (schema version 6, docs/TEAMWORK.md): people known
// once for the whole workspace, as records of assessment "" and kind
// "person", versioned and logged like every other record. Teams (the
// "person" records of an assessment) refer to them by ID.
#include <algorithm>
#include <map>
#include <set>

#include "assay/text.h"
#include "store/store_impl.h"

namespace assay {

namespace internal {

namespace {

using nlohmann::json;

json ToJson(const Credential& c) {
  json j = {{"name", c.name}};
  if (!c.since.empty()) j["since"] = c.since;
  if (!c.until.empty()) j["until"] = c.until;
  return j;
}

Status ReadCredentials(const json& j, const char* name, std::vector<Credential>* out) {
  out->clear();
  if (!j.contains(name)) return Status::OK();
  const json& v = j.at(name);
  if (!v.is_array()) return Status::InvalidInput(std::string(name) + ": expected an array");
  for (const json& e : v) {
    if (!e.is_object()) return Status::InvalidInput(std::string(name) + ": expected objects");
    Credential c;
    for (auto [field, target] : {std::pair{"name", &c.name}, {"since", &c.since}, {"until", &c.until}}) {
      if (!e.contains(field)) continue;
      if (!e.at(field).is_string())
        return Status::InvalidInput(std::string(name) + "/" + field + ": expected a string");
      *target = e.at(field).get<std::string>();
    }
    out->push_back(std::move(c));
  }
  return Status::OK();
}

Status ReadStrings(const json& j, const char* name, std::vector<std::string>* out) {
  out->clear();
  if (!j.contains(name)) return Status::OK();
  const json& v = j.at(name);
  if (!v.is_array()) return Status::InvalidInput(std::string(name) + ": expected an array of strings");
  for (const json& e : v) {
    if (!e.is_string()) return Status::InvalidInput(std::string(name) + ": expected an array of strings");
    out->push_back(e.get<std::string>());
  }
  return Status::OK();
}

bool Blank(const std::string& s) { return s.find_first_not_of(' ') == std::string::npos; }

bool IsPlainDate(const std::string& d) { return d.size() == 10 && WhyNotDateTime(d).empty(); }

void CheckCredentials(const char* field, const std::vector<Credential>& list, std::vector<FieldProblem>* problems) {
  for (size_t i = 0; i < list.size(); ++i) {
    const Credential& c = list[i];
    const std::string where = std::string(field) + "/" + std::to_string(i);
    if (Blank(c.name) || !IsValidUtf8(c.name))
      problems->push_back({where, Status::InvalidInput(where + ": needs a name (UTF-8 text)")});
    for (const std::string* d : {&c.since, &c.until})
      if (!d->empty() && !IsPlainDate(*d))
        problems->push_back({where, Status::InvalidInput(where + ": " + Quote(*d) +
                                                         " is not a date (YYYY-MM-DD, e.g. 2026-03-01)")});
    if (IsPlainDate(c.since) && IsPlainDate(c.until) && c.until < c.since)
      problems->push_back({where, Status::InvalidInput(where + ": until " + c.until + " is before since " + c.since)});
  }
}

// The current registry row of `id` into reg->rows; *out when found.
bool LoadEntry(sql::Connection& db, const std::string& id, Context* reg, RegisteredPerson* out) {
  sql::Statement q(db,
                      "SELECT row_id, data FROM records WHERE assessment = '' AND kind = 'person' AND record_key = ? "
                      "AND is_current = 1");
  q.Bind(1, id);
  if (!q.Step()) return false;
  std::string data = q.String(1);
  reg->rows[kKindPerson][id] = {q.Int64(0), data};
  try {
    if (!FromJson(json::parse(data), out).ok()) *out = RegisteredPerson{id, "", "", {}, {}, {}, {}, {}};
  } catch (const std::exception&) {
    *out = RegisteredPerson{id, "", "", {}, {}, {}, {}, {}};
  }
  return true;
}

std::vector<std::string> RegisteredIds(sql::Connection& db) {
  std::vector<std::string> ids;
  sql::Statement q(db,
                      "SELECT record_key FROM records WHERE assessment = '' AND kind = 'person' AND is_current = 1 "
                      "ORDER BY record_key");
  while (q.Step()) ids.push_back(q.String(0));
  return ids;
}

}  // namespace

json ToJson(const RegisteredPerson& p) {
  json j = {{"id", p.id}};
  if (!p.name.empty()) j["name"] = p.name;
  if (!p.organization.empty()) j["organization"] = p.organization;
  std::vector<std::string> roles;
  for (Role r : p.roles) roles.push_back(RoleName(r));
  if (!roles.empty()) j["roles"] = roles;
  for (auto [name, list] : {std::pair{"competences", &p.competences}, {"qualifications", &p.qualifications}}) {
    if (list->empty()) continue;
    json a = json::array();
    for (const Credential& c : *list) a.push_back(ToJson(c));
    j[name] = a;
  }
  if (!p.areas.empty()) j["areas"] = p.areas;
  if (!p.aliases.empty()) j["aliases"] = p.aliases;
  return j;
}

Status FromJson(const json& j, RegisteredPerson* p) {
  if (!j.is_object()) return Status::InvalidInput("a person is a JSON object");
  *p = RegisteredPerson();
  for (auto [name, target] : {std::pair{"id", &p->id}, {"name", &p->name}, {"organization", &p->organization}}) {
    if (!j.contains(name)) continue;
    if (!j.at(name).is_string()) return Status::InvalidInput(std::string(name) + ": expected a string");
    *target = j.at(name).get<std::string>();
  }
  std::vector<std::string> roles;
  ASSAY_RETURN_IF_ERROR(ReadStrings(j, "roles", &roles));
  for (const std::string& r : roles) {
    Role role;
    if (Status s = ParseRole(r, &role); !s.ok()) return s.Reworded("roles: " + s.message());
    p->roles.push_back(role);
  }
  ASSAY_RETURN_IF_ERROR(ReadCredentials(j, "competences", &p->competences));
  ASSAY_RETURN_IF_ERROR(ReadCredentials(j, "qualifications", &p->qualifications));
  ASSAY_RETURN_IF_ERROR(ReadStrings(j, "areas", &p->areas));
  return ReadStrings(j, "aliases", &p->aliases);
}

void ValidateRegisteredPerson(RegisteredPerson* p, std::vector<FieldProblem>* problems) {
  if (p->id.empty()) {
    problems->push_back({"id", Status::InvalidInput("id is required")});
  } else if (const std::string why = WhyNotSafeId(p->id); !why.empty()) {
    problems->push_back(
        {"id", Status::InvalidInput("person " + (IsValidUtf8(p->id) ? Quote(p->id) + " " : std::string()) + why)
                   .About("person", p->id, {}, "unsafe")});
  }
  for (const std::string* text : {&p->name, &p->organization})
    if (!IsValidUtf8(*text)) problems->push_back({"name", Status::InvalidInput("name: not UTF-8 text")});
  std::sort(p->roles.begin(), p->roles.end());
  p->roles.erase(std::unique(p->roles.begin(), p->roles.end()), p->roles.end());
  CheckCredentials("competences", p->competences, problems);
  CheckCredentials("qualifications", p->qualifications, problems);
  for (const std::string& a : p->areas)
    if (Blank(a) || !IsValidUtf8(a))
      problems->push_back({"areas", Status::InvalidInput("areas: an area is non-empty UTF-8 text")});
}

Status SeedRegistry(sql::Connection& db, const std::string& at, const std::string& actor) {
  // The current team records of every assessment, oldest first: the first
  // (non-empty) name of an ID is its registry name, the others its aliases.
  std::map<std::string, RegisteredPerson> people;
  std::map<std::string, std::set<std::string>> names;
  sql::Statement q(db,
                      "SELECT record_key, data FROM records WHERE kind = 'person' AND assessment <> '' "
                      "AND is_current = 1 ORDER BY row_id");
  while (q.Step()) {
    const std::string id = q.String(0);
    Person p;
    try {
      if (!FromJson(json::parse(q.String(1)), &p).ok()) continue;
    } catch (const std::exception&) {
      continue;  // a damaged row: `assay log verify` names it
    }
    if (p.id != id || !WhyNotSafeId(id).empty() || !IsValidUtf8(p.name) || !IsValidUtf8(p.organization)) continue;
    RegisteredPerson& r = people[id];
    r.id = id;
    if (r.name.empty()) r.name = p.name;
    if (r.organization.empty()) r.organization = p.organization;
    r.roles.insert(r.roles.end(), p.roles.begin(), p.roles.end());
    if (!p.name.empty()) names[id].insert(p.name);
  }
  if (people.empty()) return Status::OK();
  int64_t seq = 0, row = 0;
  std::string prev_hash;
  {
    sql::Statement head(db, "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1");
    if (head.Step()) {
      seq = head.Int64(0);
      prev_hash = head.String(1);
    }
    sql::Statement max_row(db,
                              "SELECT (SELECT coalesce(max(row_id), 0) FROM records), "
                              "(SELECT coalesce(max(row_id), 0) FROM ratings)");
    max_row.Step();
    row = std::max(max_row.Int64(0), max_row.Int64(1));
  }
  sql::Statement ev(db,
                       "INSERT INTO events (seq, at, actor, assessment, action, entity, entity_id, row_id, "
                       "before_json, after_json, prev_hash, hash) VALUES (?,?,?,'','migrate','person',?,?,NULL,?,?,?)");
  sql::Statement rec(db,
                        "INSERT INTO records (row_id, assessment, kind, record_key, data, is_current, event_seq, "
                        "event_hash) VALUES (?,'','person',?,?,1,?,?)");
  for (auto& [id, r] : people) {
    std::sort(r.roles.begin(), r.roles.end());
    r.roles.erase(std::unique(r.roles.begin(), r.roles.end()), r.roles.end());
    for (const std::string& n : names[id])
      if (n != r.name) r.aliases.push_back(n);
    Event e;
    e.seq = ++seq;
    e.at = at;
    e.actor = actor;
    e.action = "migrate";
    e.entity = kKindPerson;
    e.entity_id = id;
    e.row = ++row;
    e.after = Canonical(ToJson(r));
    e.prev_hash = prev_hash;
    e.hash = EventHash(e);
    ev.Bind(1, e.seq);
    ev.Bind(2, e.at);
    ev.Bind(3, e.actor);
    ev.Bind(4, e.entity_id);
    ev.Bind(5, e.row);
    ev.Bind(6, e.after);
    ev.Bind(7, e.prev_hash);
    ev.Bind(8, e.hash);
    ev.Exec();
    ev.Reset();
    rec.Bind(1, e.row);
    rec.Bind(2, id);
    rec.Bind(3, e.after);
    rec.Bind(4, e.seq);
    rec.Bind(5, e.hash);
    rec.Exec();
    rec.Reset();
    prev_hash = e.hash;
  }
  return Status::OK();
}

Status SqlWorkspace::SyncTeamMember(Person* member, bool write) {
  Context reg;  // the registry: assessment ""
  RegisteredPerson entry;
  if (LoadEntry(*db_, member->id, &reg, &entry)) {
    if (member->name.empty()) {
      member->name = entry.name;
    } else if (member->name != entry.name &&
               std::find(entry.aliases.begin(), entry.aliases.end(), member->name) == entry.aliases.end()) {
      return Status::InvalidInput("person " + Quote(member->id) + " is registered as " + Quote(entry.name) +
                                  ", not " + Quote(member->name) + "; a team refers to a registered person by ID")
          .About("person", member->id, {}, "name-differs");
    }
    return Status::OK();
  }
  RegisteredPerson r;
  r.id = member->id;
  r.name = member->name;
  r.organization = member->organization;
  r.roles = member->roles;
  std::vector<FieldProblem> problems;
  ValidateRegisteredPerson(&r, &problems);
  if (!problems.empty()) return problems.front().status;
  WriteResult wr;
  return Apply(&reg, kKindPerson, r.id, Canonical(ToJson(r)), "create", write, &wr);
}

Status SqlWorkspace::RegisterPerson(const RegisteredPerson& person, WriteResult* result) {
  if (version_ < 6) return Status::Unsupported(path_ + ": the people registry needs schema version 6");
  try {
    sql::Transaction tx(*db_, sql::Tx::kWrite);
    RegisteredPerson p = person;
    std::vector<FieldProblem> problems;
    ValidateRegisteredPerson(&p, &problems);
    if (!problems.empty()) return problems.front().status;
    Context reg;
    RegisteredPerson old;
    const bool exists = LoadEntry(*db_, p.id, &reg, &old);
    if (exists && p.aliases.empty()) p.aliases = old.aliases;  // kept from the migration
    ASSAY_RETURN_IF_ERROR(Apply(&reg, kKindPerson, p.id, Canonical(ToJson(p)), exists ? "update" : "create", true,
                                result));
    tx.Commit();
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqlWorkspace::ListPeople(std::vector<RegisteredPerson>* out) {
  out->clear();
  if (version_ < 6) return Status::OK();
  try {
    sql::Statement q(*db_,
                        "SELECT record_key, data FROM records WHERE assessment = '' AND kind = 'person' "
                        "AND is_current = 1 ORDER BY record_key");
    while (q.Step()) {
      RegisteredPerson p;
      Status s;
      try {
        s = FromJson(json::parse(q.String(1)), &p);
      } catch (const std::exception& e) {
        s = Status::Corruption(e.what());
      }
      if (!s.ok())
        return Status::Corruption(path_ + ": registry entry " + Quote(q.String(0)) +
                                  " is damaged: " + s.message());
      out->push_back(std::move(p));
    }
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqlWorkspace::GetPerson(const std::string& id, RegisteredPerson* out) {
  try {
    Context reg;
    if (version_ >= 6 && LoadEntry(*db_, id, &reg, out)) return Status::OK();
    std::vector<std::string> ids;
    if (version_ >= 6) ids = RegisteredIds(*db_);
    return Status::NotFound("no person " + Quote(id) + " in the registry of " + path_ + SuggestionSuffix(id, ids))
        .About("person", id, NearestIds(id, ids), ids.empty() ? "none-yet" : "missing");
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

}  // namespace internal

}  // namespace assay
