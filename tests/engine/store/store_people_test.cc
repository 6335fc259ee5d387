// Tests of the people registry (schema version 6, issue 15): registering,
// team members referring to it, the migration from version 5, bad input.
#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>

#include "assay/store.h"
#include "engine/store/store_test_util.h"
#include "store/store_internal.h"

namespace assay {
namespace {

class StorePeopleTest : public testing::StoreTest {
 protected:
  static RegisteredPerson Ada() {
    RegisteredPerson p;
    p.id = "ada";
    p.name = "Ada L.";
    p.organization = "Assessors Ltd";
    p.roles = {Role::kAssessor, Role::kLeadAssessor, Role::kAssessor};
    p.competences = {{"competent assessor, ISO/IEC 33002", "2024-03-01", ""}};
    p.qualifications = {{"TIPA lead assessor", "2023-05-10", "2026-05-09"}};
    p.areas = {"service desk", "networks"};
    return p;
  }
};

TEST_F(StorePeopleTest, RegisterListShowAndNewVersions) {
  auto ws = OpenWs();
  WriteResult r;
  ASSERT_OK(ws->RegisterPerson(Ada(), &r));
  EXPECT_EQ(WriteResult::Kind::kCreated, r.kind);
  ASSERT_OK(ws->RegisterPerson(Ada(), &r));
  EXPECT_EQ(WriteResult::Kind::kUnchanged, r.kind);
  RegisteredPerson changed = Ada();
  changed.areas = {"service desk"};
  ASSERT_OK(ws->RegisterPerson(changed, &r));
  EXPECT_EQ(WriteResult::Kind::kUpdated, r.kind);

  RegisteredPerson got;
  ASSERT_OK(ws->GetPerson("ada", &got));
  EXPECT_EQ("Ada L.", got.name);
  EXPECT_EQ((std::vector<Role>{Role::kLeadAssessor, Role::kAssessor}), got.roles);  // sorted, unique
  ASSERT_EQ(1u, got.qualifications.size());
  EXPECT_EQ("2026-05-09", got.qualifications[0].until);
  EXPECT_EQ(std::vector<std::string>{"service desk"}, got.areas);

  std::vector<RegisteredPerson> people;
  ASSERT_OK(ws->ListPeople(&people));
  ASSERT_EQ(1u, people.size());

  // Two events, workspace-wide (assessment ""), by the actor.
  std::vector<Event> events;
  ASSERT_OK(ws->ReadLog("", &events));
  ASSERT_EQ(2u, events.size());
  EXPECT_EQ("", events[0].assessment);
  EXPECT_EQ("person", events[0].entity);
  EXPECT_EQ("create", events[0].action);
  EXPECT_EQ("update", events[1].action);
  EXPECT_EQ("tester", events[1].actor);
  EXPECT_NE(std::string::npos, events[1].before.find("networks"));
  ExpectVerifies(ws.get());
}

TEST_F(StorePeopleTest, BadEntriesAreRefusedAndNothingWritten) {
  auto ws = OpenWs();
  WriteResult r;
  ASSERT_OK(ws->RegisterPerson(Ada(), &r));
  const std::string head = Head(ws.get());
  struct Case {
    RegisteredPerson person;
    std::string message;
  };
  RegisteredPerson bad_date = Ada(), backwards = Ada(), unnamed = Ada(), bad_id = Ada();
  bad_date.qualifications[0].since = "2023-13-01";
  backwards.qualifications[0].until = "2020-01-01";
  unnamed.competences[0].name = " ";
  bad_id.id = "ada\u202e";
  const Case cases[] = {
      {bad_date, "qualifications/0: '2023-13-01' is not a date (YYYY-MM-DD, e.g. 2026-03-01)"},
      {backwards, "qualifications/0: until 2020-01-01 is before since 2023-05-10"},
      {unnamed, "competences/0: needs a name (UTF-8 text)"},
      {bad_id, "person 'ada\u202e' contains the invisible character U+202E (right-to-left override)"},
  };
  for (const Case& c : cases) {
    Status s = ws->RegisterPerson(c.person, &r);
    EXPECT_EQ(Status::Code::kInvalidInput, s.code());
    EXPECT_EQ(c.message, s.message());
  }
  EXPECT_EQ(head, Head(ws.get()));

  RegisteredPerson got;
  Status s = ws->GetPerson("adx", &got);
  EXPECT_EQ(Status::Code::kNotFound, s.code());
  EXPECT_EQ(std::vector<std::string>{"ada"}, s.subject().nearest);
}

// A team member is registered on first use; later teams take the
// registered name and may not give another.
TEST_F(StorePeopleTest, TeamMembersReferToTheRegistry) {
  auto ws = Populated();  // ada, cy, bob in A1's team
  std::vector<RegisteredPerson> people;
  ASSERT_OK(ws->ListPeople(&people));
  ASSERT_EQ(3u, people.size());
  EXPECT_EQ("ada", people[0].id);
  EXPECT_EQ("Ada L.", people[0].name);
  EXPECT_EQ("bob", people[1].id);

  WriteResult r;
  ASSERT_OK(ws->CreateAssessment(BasicAssessment("A2"), &r));
  ASSERT_OK(ws->PutPerson("A2", {"ada", "", "", {Role::kAssessor}}, &r));
  AssessmentData a2;
  ASSERT_OK(ws->ReadSnapshot("A2", &a2));
  ASSERT_EQ(1u, a2.people.size());
  EXPECT_EQ("Ada L.", a2.people[0].name);

  const std::string head = Head(ws.get());
  Status s = ws->PutPerson("A2", {"cy", "Cyril P.", "", {Role::kAssessor}}, &r);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  EXPECT_EQ("person 'cy' is registered as 'Cy P.', not 'Cyril P.'; a team refers to a registered person by ID",
            s.message());
  EXPECT_EQ("name-differs", s.subject().reason);
  EXPECT_EQ(head, Head(ws.get()));
  ExpectVerifies(ws.get());
}

// Importing an assessment registers its people in the same transaction; a
// dry run registers nobody.
TEST_F(StorePeopleTest, ImportRegistersPeople) {
  ASSAY_SQLITE_ONLY();
  std::string json;
  {
    auto src = Populated(dir_.path() + "/src.db");
    ASSERT_OK(src->Export("A1", &json));
  }
  auto ws = OpenWs();
  ImportReport report;
  ImportOptions dry;
  dry.dry_run = true;
  ASSERT_OK(ws->ImportText(json, "a1.json", dry, &report));
  std::vector<RegisteredPerson> people;
  ASSERT_OK(ws->ListPeople(&people));
  EXPECT_TRUE(people.empty());
  ASSERT_OK(ws->ImportText(json, "a1.json", ImportOptions(), &report));
  ASSERT_OK(ws->ListPeople(&people));
  EXPECT_EQ(3u, people.size());
  std::string again;
  ASSERT_OK(ws->Export("A1", &again));
  EXPECT_EQ(json, again);
  ExpectVerifies(ws.get());
}

// Migration 6: people of the same ID and name become one entry; another
// name for the same ID is kept as an alias (the first name recorded wins),
// and teams keep the names they recorded. Every entry has its event.
TEST_F(StorePeopleTest, MigrationFromVersion5MergesPeople) {
  ASSAY_SQLITE_ONLY();
  {
    std::unique_ptr<Workspace> v5;
    ASSERT_OK(internal::OpenWorkspaceAtVersion(db_path_, Options(), 5, &v5));
    WriteResult r;
    for (const char* id : {"A1", "A2", "A3"}) ASSERT_OK(v5->CreateAssessment(BasicAssessment(id), &r));
    ASSERT_OK(v5->PutPerson("A1", {"ada", "Ada L.", "Assessors Ltd", {Role::kLeadAssessor}}, &r));
    ASSERT_OK(v5->PutPerson("A2", {"ada", "Ada L.", "", {Role::kAssessor}}, &r));
    ASSERT_OK(v5->PutPerson("A1", {"bob", "Bob M.", "ACME", {Role::kInterviewee}}, &r));
    ASSERT_OK(v5->PutPerson("A3", {"bob", "Robert Miller", "ACME", {Role::kSponsor}}, &r));
  }
  std::string export_a3;
  auto ws = OpenWs();
  EXPECT_EQ(Workspace::kSchemaVersion, ws->schema_version());
  std::vector<RegisteredPerson> people;
  ASSERT_OK(ws->ListPeople(&people));
  ASSERT_EQ(2u, people.size());
  EXPECT_EQ("Ada L.", people[0].name);
  EXPECT_EQ("Assessors Ltd", people[0].organization);
  EXPECT_EQ((std::vector<Role>{Role::kLeadAssessor, Role::kAssessor}), people[0].roles);
  EXPECT_TRUE(people[0].aliases.empty());
  EXPECT_EQ("Bob M.", people[1].name);
  EXPECT_EQ(std::vector<std::string>{"Robert Miller"}, people[1].aliases);
  AssessmentData a3;
  ASSERT_OK(ws->ReadSnapshot("A3", &a3));
  EXPECT_EQ("Robert Miller", a3.people[0].name);
  // The alias may still be given for bob (the team's own record).
  WriteResult r;
  ASSERT_OK(ws->PutPerson("A3", {"bob", "Robert Miller", "ACME", {Role::kSponsor, Role::kInterviewee}}, &r));
  EXPECT_EQ(WriteResult::Kind::kUpdated, r.kind);

  std::vector<Event> events;
  ASSERT_OK(ws->ReadLog("", &events));
  int migrated = 0;
  for (const Event& e : events)
    if (e.action == "migrate") {
      ++migrated;
      EXPECT_EQ("", e.assessment);
      EXPECT_EQ("tester", e.actor);
    }
  EXPECT_EQ(2, migrated);
  ExpectVerifies(ws.get());
}

// The fixture workspaces of schema 1 and 2 still migrate (through 6) and verify.
TEST_F(StorePeopleTest, OldFixturesMigrateThroughVersion6) {
  ASSAY_SQLITE_ONLY();
  for (const char* name : {"v1.db", "v2.db"}) {
    const std::string path = dir_.path() + "/" + name;
    std::filesystem::copy_file(testing::SourcePath("tests/fixtures/workspaces/") + name, path);
    auto ws = OpenWs(path);
    ASSERT_TRUE(ws);
    EXPECT_EQ(Workspace::kSchemaVersion, ws->schema_version());
    ExpectVerifies(ws.get());
  }
}

}  // namespace
}  // namespace assay
