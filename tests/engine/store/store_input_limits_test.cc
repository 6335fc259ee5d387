// Input limits of single writes: IDs must be UTF-8, instance weights must be
// above 0 and at most 1000. Each refusal is InvalidInput (exit 3), names the
// field, and writes nothing.
#include <SQLiteCpp/SQLiteCpp.h>

#include <limits>

#include "assay/store.h"
#include "engine/store/store_test_util.h"

namespace assay {
namespace {

using testing::StoreTest;

int64_t EventCount(const std::string& path) { return testing::QueryCount(path, "SELECT count(*) FROM events"); }

TEST_F(StoreTest, PersonIdThatIsNotUtf8IsInvalidInputNamingTheByte) {
  auto ws = Populated();
  const int64_t before = EventCount(db_path_);
  WriteResult r;
  Status s = ws->PutPerson("A1", {"a\xff" "b", "Ann", "Assessors Ltd", {Role::kAssessor}}, &r);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code()) << s.ToString();
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  EXPECT_NE(std::string::npos, s.message().find("id is not valid UTF-8 (byte 2)")) << s.message();
  EXPECT_EQ(before, EventCount(db_path_));
}

TEST_F(StoreTest, OverlongAndSurrogateUtf8IdsAreRefused) {
  auto ws = Populated();
  WriteResult r;
  // "/" encoded in two bytes (overlong), and U+D800 (a surrogate).
  for (const char* id : {"x\xc0\xaf", "x\xed\xa0\x80"}) {
    Status s = ws->PutUnit("A1", {id, "Unit", ""}, &r);
    EXPECT_EQ(Status::Code::kInvalidInput, s.code()) << s.ToString();
    EXPECT_NE(std::string::npos, s.message().find("not valid UTF-8 (byte 2)")) << s.message();
  }
  // Well-formed UTF-8 beyond ASCII is an ordinary ID.
  EXPECT_OK(ws->PutUnit("A1", {"Zürich-Ω", "Unit", ""}, &r));
}

TEST_F(StoreTest, InstanceWeightMustBeAboveZeroAndAtMostAThousand) {
  auto ws = Populated();
  const int64_t before = EventCount(db_path_);
  WriteResult r;
  struct Case {
    double weight;
    const char* shown;
  };
  const Case bad[] = {{0, "0"},
                      {-1.5, "-1.5"},
                      {1000.5, "1000.5"},
                      {1e308, "1e+308"},
                      {std::numeric_limits<double>::infinity(), "inf"},
                      {std::numeric_limits<double>::quiet_NaN(), "nan"}};
  for (const Case& c : bad) {
    Status s = ws->PutInstance("A1", {"RES.1/X", "RES.1", "X", "EU", c.weight}, &r);
    EXPECT_EQ(Status::Code::kInvalidInput, s.code()) << c.shown;
    EXPECT_NE(std::string::npos, s.message().find("weight must be a number greater than 0 and at most 1000 (got " +
                                                  std::string(c.shown) + ")"))
        << s.message();
  }
  EXPECT_EQ(before, EventCount(db_path_));
  EXPECT_OK(ws->PutInstance("A1", {"RES.1/X", "RES.1", "X", "EU", 1000}, &r));
  EXPECT_OK(ws->PutInstance("A1", {"RES.1/Y", "RES.1", "Y", "EU", 0.001}, &r));
}

}  // namespace
}  // namespace assay
