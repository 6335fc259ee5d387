// Tests of the command-line forms of the audit report items
// (cli/audit_specs.h): accepted forms, and refusals that name the bad part
// and the expected form.
#include "audit_specs.h"

#include <gtest/gtest.h>

#include <functional>

#include "test_util.h"

namespace assay::cli {
namespace {

// Each form parses; a bad one is refused naming the bad part and the form.
TEST(AuditSpecTest, ParsersAcceptTheFormsAndNameTheBadPart) {
  AuditActivityRecord act;
  ASSERT_OK(ParseActivitySpec("2025-03-11:on-site:Leeds HQ", &act));
  EXPECT_EQ(act.date.ToString(), "2025-03-11");
  EXPECT_EQ(act.mode, ActivityMode::kOnSite);
  EXPECT_EQ(act.place, "Leeds HQ");
  EXPECT_EQ(act.description, "");
  ASSERT_OK(ParseActivitySpec("2025-03-12:remote:video conference:Interviews: change and release", &act));
  EXPECT_EQ(act.place, "video conference");
  EXPECT_EQ(act.description, "Interviews: change and release");
  AccompanyingPerson acc;
  ASSERT_OK(ParseAccompanyingSpec("interpreter:Ines Moreira:Northwind", &acc));
  EXPECT_EQ(acc.role, AccompanyingRole::kInterpreter);
  EXPECT_EQ(acc.person, "Ines Moreira");
  EXPECT_EQ(acc.organization, "Northwind");
  AuditCombinationRecord comb;
  ASSERT_OK(ParseCombinationSpec("integrated:ISO 9001:2015 and ISO/IEC 27001:2022", &comb));
  EXPECT_EQ(comb.kind, AuditCombination::kIntegrated);
  EXPECT_EQ(comb.details, "ISO 9001:2015 and ISO/IEC 27001:2022");
  ASSERT_OK(ParseCombinationSpec("single", &comb));
  EXPECT_EQ(comb.kind, AuditCombination::kSingle);
  MarksUseRecord marks;
  ASSERT_OK(ParseMarksSpec("not-applicable", &marks));
  EXPECT_EQ(marks.control, MarksControl::kNotApplicable);

  struct Bad {
    std::function<Status()> parse;
    const char* message;
  };
  const Bad bad[] = {
      {[&] { return ParseActivitySpec("2025-02-30:on-site:LEJ", &act); },
       "'2025-02-30:on-site:LEJ': bad date '2025-02-30': "},
      {[&] { return ParseActivitySpec("2025-03-11:onsite:LEJ", &act); },
       "'2025-03-11:onsite:LEJ': unknown activity mode 'onsite': expected one of on-site, off-site, remote (form: "
       "DATE:MODE:PLACE[:WHAT], e.g. 2025-03-11:on-site:LEJ:Opening meeting)"},
      {[&] { return ParseActivitySpec("2025-03-11:remote", &act); },
       "'2025-03-11:remote': missing PLACE (form: DATE:MODE:PLACE[:WHAT]"},
      {[&] { return ParseActivitySpec("2025-03-11", &act); }, "'2025-03-11': missing MODE and PLACE (form: "},
      {[&] { return ParseActivitySpec("2025-03-11:on-site: :x", &act); }, "'2025-03-11:on-site: :x': empty PLACE"},
      {[&] { return ParseAccompanyingSpec("Jana Novak", &acc); },
       "'Jana Novak': missing NAME (form: ROLE:NAME[:ORGANIZATION]"},
      {[&] { return ParseAccompanyingSpec("driver:Jana Novak", &acc); },
       "'driver:Jana Novak': unknown accompanying role 'driver': expected one of guide, interpreter, observer"},
      {[&] { return ParseCombinationSpec("joint", &comb); },
       "'joint': missing DETAILS: a joint audit names the other standards or certification body (form: "
       "KIND[:DETAILS]"},
      {[&] { return ParseCombinationSpec("mixed:x", &comb); }, "'mixed:x': unknown audit combination 'mixed'"},
      {[&] { return ParseMarksSpec("not-controlled", &marks); },
       "'not-controlled': missing NOTE: say what was misused (form: CONTROL[:NOTE]"},
      {[&] { return ParseMarksSpec("ok:fine", &marks); },
       "'ok:fine': unknown marks control 'ok': expected one of controlled, not-controlled, not-applicable"},
  };
  for (const Bad& b : bad) {
    Status s = b.parse();
    EXPECT_EQ(s.code(), Status::Code::kInvalidInput) << b.message;
    EXPECT_EQ(s.message().rfind(b.message, 0), 0u) << "got: " << s.message() << "\nwant prefix: " << b.message;
  }
}
}  // namespace
}  // namespace assay::cli
