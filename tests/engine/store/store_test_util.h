// Fixture shared by the workspace tests (store_*_test.cc).
#ifndef ASSAY_TESTS_ENGINE_STORE_TEST_UTIL_H_
#define ASSAY_TESTS_ENGINE_STORE_TEST_UTIL_H_

#include <memory>
#include <string>

#include <SQLiteCpp/SQLiteCpp.h>

#include "assay/model_library.h"
#include "assay/store.h"
#include "assay/text.h"
#include "test_util.h"

namespace assay::testing {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { db_path_ = dir_.path() + "/ws.db"; }

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

  // Runs one SQL statement on the workspace file directly, as the sqlite3
  // shell would (foreign keys off).
  void Tamper(const std::string& sql) {
    SQLite::Database db(db_path_, SQLite::OPEN_READWRITE);
    db.exec(sql);
  }

  TempDir dir_;
  std::string db_path_;
};

}  // namespace assay::testing

#endif  // ASSAY_TESTS_ENGINE_STORE_TEST_UTIL_H_
