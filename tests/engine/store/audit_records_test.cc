// Schema version 9: the certification-audit records in the table
// audit_records. A version 8 workspace written by this code (its audit rows
// in records, under the subject " audit:CLIENT") migrates with its row IDs,
// its log untouched and verifying, and every audit read giving what it gave
// before; the log verifier wants each audit row in audit_records; a copy
// carries them. Runs on SQLite and, under store.postgres, on PostgreSQL.
#include <memory>
#include <string>
#include <vector>

#include "assay/audit_store.h"
#include "assay/audit.h"
#include "engine/store/audit_test_util.h"
#include "engine/store/store_test_util.h"

namespace assay::testing {
namespace {

Date D(const char* text) {
  Date d;
  EXPECT_OK(Date::Parse(text, &d));
  return d;
}

class AuditRecordsTest : public StoreTest {
 protected:
  static const Catalogue* Iso() { return IsoCatalogue(); }

  // The bundled example (assessment NW-2026-01 and client NORTHWIND's
  // cycle), then client C1 written command by command, with versions that
  // supersede others (the client for its site, the audit four times, a
  // nonconformity moved).
  static void Certify(Workspace* ws) {
    ImportReport ir;
    ASSERT_OK(ws->Import(SourcePath("models/examples/northwind-2026.json"), ImportOptions{}, &ir));
    AuditStore st(ws, Iso());
    AuditImportReport ar;
    ASSERT_OK(st.Import(SourcePath("models/examples/northwind-2024-cycle.json"), false, &ar));
    WriteResult r;
    Client c;
    c.id = "C1";
    c.name = "Client One";
    c.scope = "Managed services";
    ASSERT_OK(st.AddClient(c, &r));
    ASSERT_OK(st.AddSite("C1", {"HQ", "Head office", "", ""}, &r));
    AuditRecord a;
    a.audit.id = "S2";
    a.audit.type = AuditType::kStage2;
    a.audit.planned_start = D("2026-03-02");
    a.audit.planned_end = D("2026-03-05");
    a.sites = {"HQ"};
    ASSERT_OK(st.AddAudit("C1", a, &r));
    ASSERT_OK(st.AddTeamMember("S2", {"Ana Ruiz", TeamRole::kLeader}, &r));
    ASSERT_OK(st.AddTeamMember("S2", {"Ben Okafor", TeamRole::kAuditor}, &r));
    a.audit.team = {{"Ana Ruiz", TeamRole::kLeader}, {"Ben Okafor", TeamRole::kAuditor}};
    a.audit.status = AuditStatus::kCompleted;
    a.audit.actual_start = D("2026-03-02");
    a.audit.actual_end = D("2026-03-05");
    a.stage1_exception = "Stage 1 held by the previous certification body; its report was reviewed";
    ASSERT_OK(st.UpdateAudit(a, &r));
    Finding f;
    f.audit_id = "S2";
    f.id = "F-1";
    f.clause = "8.5.1.3";
    f.grade = FindingGrade::kMajor;
    f.statement = "Changes deployed without approval";
    ASSERT_OK(st.AddFinding(f, "", &r, nullptr));
    f.id = "F-2";
    f.clause = "8.6.1";
    f.grade = FindingGrade::kMinor;
    f.statement = "Wrong priorities";
    ASSERT_OK(st.AddFinding(f, "", &r, nullptr));
    ASSERT_OK(st.MoveNonconformity("NC-F-1", NonconformityState::kPlanSubmitted, D("2026-03-10"), "c", "rc", "ca", &r));
  }

  // What the audit reads give, and the log: equal before and after the
  // migration. `mid` is a log position inside client C1's history.
  static std::string Outputs(Workspace* ws, int64_t mid) {
    AuditStore st(ws, Iso());
    std::string out;
    std::vector<Client> clients;
    EXPECT_OK(st.ListClients(&clients));
    for (const Client& c : clients) {
      std::string json;
      EXPECT_OK(st.Export(c.id, &json));
      out += "client " + c.id + "\n" + json;
    }
    ClientAuditData c;
    AuditPolicy policy;
    std::string at_mid;
    EXPECT_OK(st.ReadClientAt("C1", mid, &c, &policy, &at_mid));
    out += "C1 at " + std::to_string(mid) + "\n" + at_mid;
    int64_t seq = 0;
    std::string hash;
    EXPECT_OK(st.ReportPosition("NORTHWIND", D("2026-12-31"), &seq, &hash));
    out += "report position " + std::to_string(seq) + " " + hash + "\n";
    std::string assessment;
    EXPECT_OK(ws->Export("NW-2026-01", &assessment));
    out += assessment;
    std::vector<Event> events;
    EXPECT_OK(ws->ReadLog("", &events));
    for (const Event& e : events)
      out += std::to_string(e.seq) + " " + e.assessment + " " + e.entity + " " + e.entity_id + " " +
             std::to_string(e.row) + " " + e.hash + "\n";
    VerifyReport v;
    EXPECT_OK(ws->VerifyLog(&v));
    out += "verified " + std::to_string(v.events) + " events, " + std::to_string(v.records) + " records, head " +
           std::to_string(v.head_seq) + "\n";
    return out;
  }

  // The largest row ID of the record tables (one sequence).
  int64_t MaxRow() {
    return QueryCount(db_path_,
                      "SELECT max(m) FROM (SELECT max(row_id) AS m FROM records UNION ALL SELECT max(row_id) FROM "
                      "ratings UNION ALL SELECT max(row_id) FROM audit_records) x");
  }
};

constexpr const char* kAuditRowsInRecords =
    "SELECT row_id FROM records WHERE substr(assessment, 1, 7) = ' audit:' ORDER BY row_id";

TEST_F(AuditRecordsTest, VersionEightWorkspaceMigratesWithItsRowsLogAndReadsUnchanged) {
  std::string before, rows_before;
  int64_t mid = 0;
  {
    std::unique_ptr<Workspace> v8;
    ASSERT_OK(internal::OpenWorkspaceAtVersion(db_path_, Options(), 8, &v8));
    ASSERT_EQ(8, v8->schema_version());
    ASSERT_NO_FATAL_FAILURE(Certify(v8.get()));
    std::vector<Event> c1;
    ASSERT_OK(v8->ReadLog(AuditSubject("C1"), &c1));
    ASSERT_GT(c1.size(), 4u);
    mid = c1[3].seq;
    before = Outputs(v8.get(), mid);
    rows_before = QueryText(db_path_, kAuditRowsInRecords);
  }
  ASSERT_FALSE(rows_before.empty());

  auto ws = OpenWs();  // migrates
  ASSERT_EQ(9, ws->schema_version());
  EXPECT_EQ(before, Outputs(ws.get(), mid));
  // Every audit row moved with its row ID; none is left in records.
  EXPECT_EQ(rows_before, QueryText(db_path_, "SELECT row_id FROM audit_records ORDER BY row_id"));
  EXPECT_EQ("", QueryText(db_path_, kAuditRowsInRecords));
  EXPECT_EQ("C1|1\nNORTHWIND|1",
            QueryText(db_path_, "SELECT client, count(*) FROM audit_records WHERE record_key = 'client' AND "
                                "is_current = 1 GROUP BY client ORDER BY client"));
  EXPECT_EQ("|policy", QueryText(db_path_, "SELECT client, kind FROM audit_records WHERE record_key = 'policy'"));

  // The next audit write continues the one sequence of row IDs and verifies.
  const int64_t max_row = MaxRow();
  AuditStore st(ws.get(), Iso());
  WriteResult r;
  ASSERT_OK(st.MoveNonconformity("NC-F-1", NonconformityState::kPlanAccepted, D("2026-03-12"), "", "", "", &r));
  EXPECT_EQ(max_row + 1, r.row);
  EXPECT_EQ("nc", QueryText(db_path_, "SELECT kind FROM audit_records WHERE row_id = " + std::to_string(r.row)));
  ExpectVerifies(ws.get());
  ClientAuditData c;
  ASSERT_OK(st.ReadClient("C1", &c));
  EXPECT_EQ(c.FindNonconformity("NC-F-1")->nc.state, NonconformityState::kPlanAccepted);
}

// Each event's row is looked up in its own table: an audit row put back
// into records (same row, same data) no longer verifies.
TEST_F(AuditRecordsTest, AnAuditRowOutsideItsTableDoesNotVerify) {
  auto ws = OpenWs();
  ASSERT_NO_FATAL_FAILURE(Certify(ws.get()));
  ExpectVerifies(ws.get());
  ws.reset();
  const std::string where =
      " WHERE client = 'C1' AND record_key = 'finding/F-2' AND supersedes IS NULL AND superseded_by IS NULL";
  ASSERT_EQ("1", QueryText(db_path_, std::string("SELECT count(*) FROM audit_records") + where));
  Outside(std::string("INSERT INTO records (row_id, assessment, kind, record_key, data, supersedes, superseded_by, "
                      "is_current, event_seq, event_hash) SELECT row_id, ' audit:' || client, kind, record_key, "
                      "data, supersedes, superseded_by, is_current, event_seq, event_hash FROM audit_records") +
          where);
  Outside(std::string("DELETE FROM audit_records") + where);
  ws = OpenWs();
  VerifyReport v;
  Status s = ws->VerifyLog(&v);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("(finding finding/F-2) is a certification-audit record outside the table audit_records"),
            std::string::npos)
      << s.message();
  EXPECT_GT(v.first_bad_event, 0);
}

// A copy (SQLite -> PostgreSQL -> SQLite under store.postgres) carries the
// audit records: the same reads and the same verifying log.
TEST_F(AuditRecordsTest, CopyCarriesTheAuditRecords) {
  auto src = OpenWs(dir_.path() + "/src.db");
  ASSERT_NO_FATAL_FAILURE(Certify(src.get()));
  std::vector<Event> c1;
  ASSERT_OK(src->ReadLog(AuditSubject("C1"), &c1));
  ASSERT_GT(c1.size(), 4u);
  const int64_t mid = c1[3].seq;
  const std::string original = Outputs(src.get(), mid);
  auto mid_ws = OpenWs();
  CopyReport there;
  ASSERT_OK(src->CopyInto(mid_ws.get(), &there));
  EXPECT_EQ(original, Outputs(mid_ws.get(), mid));
  EXPECT_EQ(there.verified.records, there.records + there.ratings);
  auto back = OpenWs(dir_.path() + "/back.db");
  CopyReport again;
  ASSERT_OK(mid_ws->CopyInto(back.get(), &again));
  EXPECT_EQ(there.records, again.records);
  EXPECT_EQ(original, Outputs(back.get(), mid));
}

}  // namespace
}  // namespace assay::testing
