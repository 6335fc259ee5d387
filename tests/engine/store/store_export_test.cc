// The JSON export's streaming encoder (store_export.cc) writes, byte for
// byte, nlohmann::json::dump(2) of the document ToJson builds: the snapshot
// hash that reports and their signatures carry depends on it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "assay/store.h"
#include "assay/text.h"
#include "store/store_impl.h"

namespace assay {
namespace {

using nlohmann::json;

// The export as it was written before the streaming encoder: one tree.
std::string TreeExport(const AssessmentData& data) {
  using internal::ToJson;
  json doc = json::object();
  doc["format"] = "assay-assessment/1";
  doc["assessment"] = ToJson(data.assessment);
  auto section = [&](const char* name, const auto& records) {
    json arr = json::array();
    for (const auto& r : records) arr.push_back(ToJson(r));
    doc[name] = std::move(arr);
  };
  section("scope", data.scope);
  section("units", data.units);
  section("instances", data.instances);
  section("people", data.people);
  section("interviews", data.interviews);
  section("evidence", data.evidence);
  section("ratings", data.ratings);
  return doc.dump(2, ' ', false, json::error_handler_t::strict) + "\n";
}

Rating MakeRating(const std::string& instance, const std::string& item, const std::string& value) {
  Rating r;
  r.process = "RES.1";
  r.instance = instance;
  r.item = item;
  r.value = value;
  r.assessor = "ada";
  return r;
}

AssessmentData Skeleton() {
  AssessmentData d;
  d.assessment.id = "A1";
  d.assessment.title = "Caf\xc3\xa9 \"quoted\" \\ back";
  d.assessment.model_id = "itsm";
  d.assessment.model_version = "1";
  d.scope.push_back({"RES.1", 2});
  d.instances.push_back({"RES.1/EU", "RES.1", "Europe", "", 0.5});
  d.people.push_back({"ada", "Ada", "", {Role::kLeadAssessor, Role::kAssessor}});
  return d;
}

std::string Digest(const AssessmentData& d) {
  std::string sha;
  Status s = internal::ExportDigest("w.db", d, &sha);
  EXPECT_TRUE(s.ok()) << s.message();
  return sha;
}

TEST(StoreExportTest, EmptySectionsAndNoRatings) {
  AssessmentData d;
  d.assessment.id = "A1";
  EXPECT_EQ(TreeExport(d), ExportJson(d));
  EXPECT_EQ(Sha256Hex(TreeExport(d)), Digest(d));
}

TEST(StoreExportTest, EveryRatingFieldAndEscapeMatchesTheTree) {
  AssessmentData d = Skeleton();
  Rating full = MakeRating("RES.1/EU", "PA1.1", "L");
  full.strength = "line\none\ttab \"q\" back\\slash \x01\x1f\x7f /slash";
  full.weakness = "\xe2\x82\xac euro, \xf0\x9f\x98\x80 emoji, \b\f\r";
  full.reasons = {"RC.NO_DATA"};
  full.evidence = {"EV-1", "EV \"2\""};
  full.rated_at = "2026-11-24T10:30:00Z";
  full.justification = "accepted";
  full.item_kind = ItemKind::kIndicator;
  d.ratings.push_back(full);
  Rating team = MakeRating("RES.1/EU", "PA1.1", "F");
  team.assessor.clear();
  team.consolidated = true;
  team.reasons = {"A", "B", "C"};
  d.ratings.push_back(team);
  Rating bare;  // only the fields ToJson always writes
  d.ratings.push_back(bare);
  Rating odd = MakeRating("", "", "");
  odd.consolidated = true;  // an assessor and consolidated together
  d.ratings.push_back(odd);
  EXPECT_EQ(TreeExport(d), ExportJson(d));
  EXPECT_EQ(Sha256Hex(TreeExport(d)), Digest(d));
}

// Many ratings: the text crosses the encoder's 64 KiB chunks.
TEST(StoreExportTest, LargeExportHashesAcrossChunks) {
  AssessmentData d = Skeleton();
  for (int i = 0; i < 3000; ++i) {
    Rating r = MakeRating("RES.1/EU", "BP" + std::to_string(i), i % 3 ? "L" : "P");
    if (i % 7 == 0) r.weakness = std::string(static_cast<size_t>(i % 50), 'w');
    if (i % 11 == 0) r.evidence = {"EV-" + std::to_string(i)};
    d.ratings.push_back(r);
  }
  const std::string tree = TreeExport(d);
  ASSERT_GT(tree.size(), 3u * 64 * 1024);
  EXPECT_EQ(tree, ExportJson(d));
  EXPECT_EQ(Sha256Hex(tree), Digest(d));
}

// Stored text that is not UTF-8 (a file changed outside assay): the same
// error as the tree gave, naming the byte, as Corruption.
TEST(StoreExportTest, NotUtf8IsCorruptionNamingTheByte) {
  AssessmentData d = Skeleton();
  Rating r = MakeRating("RES.1/EU", "PA1.1", "L");
  r.weakness = "ok \xff bad";
  d.ratings.push_back(r);
  std::string tree_error;
  try {
    TreeExport(d);
  } catch (const json::exception& e) {
    tree_error = e.what();
  }
  ASSERT_FALSE(tree_error.empty());
  std::string sha;
  Status s = internal::ExportDigest("w.db", d, &sha);
  EXPECT_EQ(Status::Code::kCorruption, s.code());
  EXPECT_EQ("w.db: stored text is not valid UTF-8 (" + tree_error + "); the file was changed outside assay",
            s.message());
  std::string text;
  s = internal::EncodeExport("w.db", d, &text);
  EXPECT_EQ(Status::Code::kCorruption, s.code());
  EXPECT_NE(std::string::npos, s.message().find(tree_error)) << s.message();
}

}  // namespace
}  // namespace assay
