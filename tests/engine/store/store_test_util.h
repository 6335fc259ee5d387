// Fixture shared by the workspace tests (store_*_test.cc).
#ifndef ASSAY_TESTS_ENGINE_STORE_TEST_UTIL_H_
#define ASSAY_TESTS_ENGINE_STORE_TEST_UTIL_H_

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "assay/model.h"
#include "assay/store.h"
#include "assay/text.h"
#include "store/store_impl.h"
#include "test_util.h"

namespace assay::testing {

// The attack of issue 14: after editing rows with the sqlite3 shell, recompute
// the hash of every event from `from` on (with the store's own hashing), so
// that the chain is consistent again; records keep pointing at their events.
inline void RehashFrom(const std::string& path, int64_t from) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  SQLite::Transaction tx(db);
  std::vector<Event> events;
  SQLite::Statement q(db,
                      "SELECT seq, at, actor, assessment, action, entity, entity_id, row_id, before_json, "
                      "after_json, prev_hash, hash FROM events ORDER BY seq");
  while (q.executeStep()) {
    Event e;
    e.seq = q.getColumn(0).getInt64();
    e.at = q.getColumn(1).getString();
    e.actor = q.getColumn(2).getString();
    e.assessment = q.getColumn(3).getString();
    e.action = q.getColumn(4).getString();
    e.entity = q.getColumn(5).getString();
    e.entity_id = q.getColumn(6).getString();
    e.row = q.getColumn(7).getInt64();
    e.before = q.getColumn(8).getString();
    e.after = q.getColumn(9).getString();
    e.prev_hash = q.getColumn(10).getString();
    e.hash = q.getColumn(11).getString();
    events.push_back(e);
  }
  std::string prev;
  for (Event& e : events) {
    if (e.seq >= from) {
      e.prev_hash = prev;
      e.hash = internal::EventHash(e);
      SQLite::Statement u(db, "UPDATE events SET prev_hash = ?, hash = ? WHERE seq = ?");
      u.bind(1, e.prev_hash);
      u.bind(2, e.hash);
      u.bind(3, e.seq);
      u.exec();
      for (const char* table : {"records", "audit_records"}) {  // audit_records: schema 9
        if (!db.tableExists(table)) continue;
        SQLite::Statement r(db, std::string("UPDATE ") + table + " SET event_hash = ? WHERE event_seq = ?");
        r.bind(1, e.hash);
        r.bind(2, e.seq);
        r.exec();
      }
    }
    prev = e.hash;
  }
  tx.commit();
}

// The stale-index attack of issue 14: while the partial index of current
// ratings is switched off (its WHERE clause made false with PRAGMA
// writable_schema), `write` supersedes a rating; then the index is switched
// back on, still holding the superseded row.
template <typename F>
void WithRatingsIndexFrozen(const std::string& path, F write) {
  auto set_where = [&path](const char* from, const char* to) {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA writable_schema = ON");
    SQLite::Statement u(db, "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE name = 'ratings_current'");
    u.bind(1, from);
    u.bind(2, to);
    u.exec();
    db.exec("PRAGMA writable_schema = OFF");
  };
  set_where("WHERE is_current = 1", "WHERE is_current = 1 AND 0");
  write();
  set_where("WHERE is_current = 1 AND 0", "WHERE is_current = 1");
}

// The PostgreSQL server the store tests also run against: the URI in
// $ASSAY_TEST_PG (ctest's store.postgres sets it from the pg fixture,
// scripts/pg.sh); "" when unset (the tests run on SQLite files).
inline std::string PostgresUnderTest() {
  const char* uri = std::getenv("ASSAY_TEST_PG");
  return uri ? uri : "";
}

// A fresh, empty schema of the database `base` names, as a URI whose
// workspace lives there ("" when it cannot be made; *why says why).
inline std::string FreshPostgresSchema(const std::string& base, std::string* why) {
  static int n = 0;
  const std::string schema = "t" + std::to_string(::getpid()) + "_" + std::to_string(++n);
  const std::string cmd = "psql -X -q -v ON_ERROR_STOP=1 '" + base + "' -c 'CREATE SCHEMA " + schema + "' 2>&1";
  std::string out;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[512];
    while (size_t got = std::fread(buf, 1, sizeof buf, p)) out.append(buf, got);
    if (::pclose(p) == 0) return base + (base.find('?') == std::string::npos ? "?" : "&") +
                                 "options=-csearch_path%3D" + schema;
  }
  *why = "cannot create a schema in " + base + ": " + out;
  return "";
}

// The rows `sql` gives on the workspace at `path` (an SQLite file or a
// PostgreSQL URI), read around the store: columns joined by '|', rows by
// '\n' (psql -At's format).
inline std::string QueryText(const std::string& path, const std::string& sql) {
  std::string out;
  if (!IsServerLocation(path)) {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    SQLite::Statement q(db, sql);
    while (q.executeStep()) {
      if (!out.empty()) out += "\n";
      for (int i = 0; i < q.getColumnCount(); ++i) out += (i ? "|" : "") + q.getColumn(i).getString();
    }
    return out;
  }
  const std::string cmd = "psql -X -At '" + path + "' -c \"" + sql + "\" 2>&1";
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[512];
    while (size_t got = std::fread(buf, 1, sizeof buf, p)) out.append(buf, got);
    ::pclose(p);
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

inline int64_t QueryCount(const std::string& path, const std::string& sql) {
  const std::string t = QueryText(path, sql);
  return t.empty() ? 0 : std::stoll(t);
}

class StoreTest : public ::testing::Test {
 protected:
  // With $ASSAY_TEST_PG, every test gets a workspace of its own in a fresh
  // schema of that PostgreSQL database; otherwise an SQLite file.
  void SetUp() override {
    db_path_ = dir_.path() + "/ws.db";
    if (const std::string base = PostgresUnderTest(); !base.empty()) {
      std::string why;
      db_path_ = FreshPostgresSchema(base, &why);
      if (db_path_.empty()) GTEST_FAIL() << why;
    }
  }
  bool OnPostgres() const { return IsServerLocation(db_path_); }

  // The bundled model packs, scanned once.
  static const ModelLibrary* Library() {
    static const ModelLibrary* library = [] {
      auto* lib = new ModelLibrary({SourcePath("models")});
      Status s = lib->Scan();
      EXPECT_TRUE(s.ok()) << s.ToString();
      return lib;
    }();
    return library;
  }

  static WorkspaceOptions Options() {
    WorkspaceOptions o;
    o.actor = "tester";
    o.clock = [] { return std::string("2026-11-24T12:00:00Z"); };
    o.resolve_model = LibraryResolver(Library());
    return o;
  }

  std::unique_ptr<Workspace> OpenWs(const std::string& path = "") {
    std::unique_ptr<Workspace> ws;
    Status s = Workspace::Open(path.empty() ? db_path_ : path, Options(), &ws);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return ws;
  }

  static Assessment BasicAssessment(const std::string& id) {
    Assessment a;
    a.id = id;
    a.title = "Service desk capability";
    a.organization = "ACME";
    a.sponsor = "ada";
    a.purpose = "improvement";
    a.independence = "B";
    a.model_id = "itsm-20000";
    return a;
  }

  // A1 in status collecting: RES.1 (target 2) and RES.2 (target 1) in scope,
  // unit EU, instances RES.1/EU (weight 2) and RES.2/EU, people ada
  // (lead assessor), cy (assessor), bob (interviewee), interview I-1,
  // evidence EV-1.
  std::unique_ptr<Workspace> Populated(const std::string& path = "") {
    auto ws = OpenWs(path);
    WriteResult r;
    EXPECT_OK(ws->CreateAssessment(BasicAssessment("A1"), &r));
    EXPECT_OK(ws->PutScope("A1", {"RES.1", 2}, &r));
    EXPECT_OK(ws->PutScope("A1", {"RES.2", 1}, &r));
    EXPECT_OK(ws->PutUnit("A1", {"EU", "Europe", "Service desk Europe"}, &r));
    EXPECT_OK(ws->PutInstance("A1", {"RES.1/EU", "RES.1", "Incidents EU", "EU", 2.0}, &r));
    EXPECT_OK(ws->PutInstance("A1", {"RES.2/EU", "RES.2", "Requests EU", "EU", 1.0}, &r));
    EXPECT_OK(ws->PutPerson("A1", {"ada", "Ada L.", "Assessors Ltd", {Role::kLeadAssessor}}, &r));
    EXPECT_OK(ws->PutPerson("A1", {"cy", "Cy P.", "Assessors Ltd", {Role::kAssessor}}, &r));
    EXPECT_OK(ws->PutPerson("A1", {"bob", "Bob M.", "ACME", {Role::kInterviewee}}, &r));
    EXPECT_OK(ws->SetStatus("A1", AssessmentStatus::kCollecting, &r));
    Interview iv;
    iv.id = "I-1";
    iv.held_at = "2026-11-23T09:00:00Z";
    iv.interviewers = {"ada"};
    iv.interviewees = {"bob"};
    iv.processes = {"RES.1"};
    iv.instances = {"RES.1/EU"};
    iv.notes = "Walk through of the incident queue";
    EXPECT_OK(ws->PutInterview("A1", iv, &r));
    Evidence ev;
    ev.id = "EV-1";
    ev.kind = EvidenceKind::kDocument;
    ev.reference = "DOC-17 Incident procedure v3";
    ev.collected_by = "ada";
    ev.collected_date = "2026-11-23";
    ev.sha256 = Sha256Hex("abc");
    ev.interview = "I-1";
    EXPECT_OK(ws->PutEvidence("A1", ev, &r));
    return ws;
  }

  static Rating AttrRating(const std::string& value) {
    Rating r;
    r.instance = "RES.1/EU";
    r.item = "PA1.1";
    r.assessor = "ada";
    r.value = value;
    r.rated_at = "2026-11-24T12:00:00Z";
    return r;
  }

  // The log head and the number of record rows: equal before and after a
  // failed command means nothing was written.
  static std::string Head(Workspace* ws) {
    VerifyReport v;
    Status s = ws->VerifyLog(&v);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return std::to_string(v.head_seq) + ":" + v.head_hash + ":" + std::to_string(v.records);
  }

  static void ExpectVerifies(Workspace* ws) {
    VerifyReport v;
    Status s = ws->VerifyLog(&v);
    EXPECT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(0, v.first_bad_event);
  }

  // Runs `sql` on the workspace around the store, on either backend: as
  // the sqlite3 shell or psql would (no double quotes or $ in `sql`).
  void Outside(const std::string& sql) {
    if (OnPostgres())
      QueryText(db_path_, sql);
    else
      Tamper(sql);
  }

  // Runs one SQL statement on the workspace file directly, as the sqlite3
  // shell would (foreign keys off).
  void Tamper(const std::string& sql) {
    SQLite::Database db(db_path_, SQLite::OPEN_READWRITE);
    db.exec(sql);
  }

  TempDir dir_;
  std::string db_path_;
};

// Skips a test on PostgreSQL: it reads or edits the SQLite file itself (the
// attacks on the log, migrations of old files, file permissions).
#define ASSAY_SQLITE_ONLY()                                                         \
  do {                                                                              \
    if (OnPostgres()) GTEST_SKIP() << "SQLite only: works on the workspace file"; \
  } while (0)

}  // namespace assay::testing

#endif  // ASSAY_TESTS_ENGINE_STORE_TEST_UTIL_H_
