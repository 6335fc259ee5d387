// Tests of the resource limits of JSON input (json_input.cc): file size,
// nesting depth and string length give one clear diagnostic, never a crash,
// a stack overflow or an unbounded allocation.
#include <ostream>
#include <string>
#include <vector>

#include "util/json_input.h"
#include "test_util.h"

namespace assay::internal {
namespace {

struct LimitCase {
  const char* name;
  std::string text;
  JsonLimits limits;
  std::string expected;  // Diagnostic::ToString(), "" when the text parses
};

// Test names, not bytes, in gtest's messages.
void PrintTo(const LimitCase& c, std::ostream* os) { *os << c.name; }

JsonLimits Limits(size_t max_bytes, int max_depth, size_t max_string) {
  JsonLimits l;
  l.max_bytes = max_bytes;
  l.max_depth = max_depth;
  l.max_string = max_string;
  return l;
}

std::string Parse(const std::string& text, const JsonLimits& limits) {
  nlohmann::json doc;
  std::vector<Diagnostic> diags;
  bool ok = ParseJson(text, "in.json", limits, &doc, &diags);
  EXPECT_EQ(ok, diags.empty());
  if (ok) return "";
  EXPECT_EQ(diags.size(), 1u);
  return diags.front().ToString();
}

class JsonLimitsTest : public ::testing::TestWithParam<LimitCase> {};

TEST_P(JsonLimitsTest, ReportsExactly) { EXPECT_EQ(Parse(GetParam().text, GetParam().limits), GetParam().expected); }

const LimitCase kCases[] = {
    {"StringAtLimit", R"({"a": "12345"})", Limits(1024, 8, 5), ""},
    {"StringOverLimit", R"({"a": [1, {"b": "123456"}]})", Limits(1024, 8, 5),
     "in.json: /a/1/b: string is 6 bytes long; the limit is 5"},
    {"StringInArray", R"(["ok", "toolong"])", Limits(1024, 8, 5),
     "in.json: /1: string is 7 bytes long; the limit is 5"},
    {"TopLevelString", R"("toolong")", Limits(1024, 8, 5), "in.json: string is 7 bytes long; the limit is 5"},
    // The limit counts bytes after unescaping: six escapes are 6 bytes.
    {"EscapesCountOnce", R"({"a": "\u0041\u0041\u0041\u0041\u0041"})", Limits(1024, 8, 5), ""},
    {"EscapedOverLimit", R"({"a": "\u0041\u0041\u0041\u0041\u0041\u0041"})", Limits(1024, 8, 5),
     "in.json: /a: string is 6 bytes long; the limit is 5"},
    // Multi-byte UTF-8: "é" is 2 bytes, three of them 6.
    {"Utf8Bytes", "{\"a\": \"\xC3\xA9\xC3\xA9\xC3\xA9\"}", Limits(1024, 8, 5),
     "in.json: /a: string is 6 bytes long; the limit is 5"},
    {"KeyOverLimit", R"({"x": {"toolong": 1}})", Limits(1024, 8, 5),
     "in.json: /x: object key is 7 bytes long; the limit is 5"},
    {"RootKeyOverLimit", R"({"toolong": 1})", Limits(1024, 8, 5), "in.json: object key is 7 bytes long; the limit is 5"},
    {"DepthAtLimit", "[[[1]]]", Limits(1024, 3, 5), ""},
    {"DepthOverLimit", R"({"a": [[[1]]]})", Limits(1024, 3, 5), "in.json: /a/0/0: nesting deeper than 3 levels"},
    {"SizeOverLimit", "[1, 2, 3]", Limits(8, 8, 5), "in.json: file is 9 bytes; the limit is 8"},
    {"SizeAtLimit", "[1, 2,3]", Limits(8, 8, 5), ""},
    // Numbers beyond a double's range: nlohmann throws out_of_range, which
    // used to escape ParseJson (found by fuzz/json_parse_fuzzer).
    {"HugeNumberInArray", R"({"a": [1, 1e400]})", JsonLimits(), "in.json: /a/1: number 1e400 is out of range"},
    {"HugeNegativeNumber", R"({"x": -1e999})", JsonLimits(), "in.json: /x: number -1e999 is out of range"},
    {"HugeNumberFirstInArray", "[1E+400]", JsonLimits(), "in.json: /0: number 1E+400 is out of range"},
    {"HugeTopLevelNumber", "1e400", JsonLimits(), "in.json: number 1e400 is out of range"},
    {"LongIntegerIsADouble", "[123456789012345678901234567890]", JsonLimits(), ""},
};

INSTANTIATE_TEST_SUITE_P(Cases, JsonLimitsTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<LimitCase>& p) { return p.param.name; });

// Keys and values reach the messages; their control characters must not
// (found by fuzz/json_parse_fuzzer: a key "a\u0000b" in a pointer).
TEST(JsonLimits, ControlCharactersInMessagesAreEscaped) {
  EXPECT_EQ(Parse(R"({"a\u0000b": {"x": "toolong"}})", Limits(1024, 8, 5)),
            "in.json: /a\\x00b/x: string is 7 bytes long; the limit is 5");
  EXPECT_EQ(Parse(R"({"k\n": 1, "k\n": 2})", JsonLimits()),
            "in.json: /k\\x0A: duplicate key \"k\\x0A\" in one object");
  EXPECT_EQ(Parse("{\"\\u001b[2J\": [1e400]}", JsonLimits()),
            "in.json: /\\x1B[2J/0: number 1e400 is out of range");
}

TEST(JsonLimits, DefaultsAreDocumented) {
  JsonLimits l;
  EXPECT_EQ(l.max_bytes, 64u << 20);
  EXPECT_EQ(l.max_depth, 64);
  EXPECT_EQ(l.max_string, 1u << 20);
}

TEST(JsonLimits, DefaultStringLimitIsOneMebibyte) {
  const std::string at_limit(1u << 20, 'x');
  EXPECT_EQ(Parse("{\"s\": \"" + at_limit + "\"}", JsonLimits()), "");
  EXPECT_EQ(Parse("{\"ratings\": [{\"weakness\": \"" + at_limit + "y\"}]}", JsonLimits()),
            "in.json: /ratings/0/weakness: string is 1048577 bytes long; the limit is 1048576");
}

TEST(JsonLimits, TenThousandDeepNestingStopsAtTheLimit) {
  for (const char* open_close : {"[]", "{}"}) {
    std::string text;
    for (int i = 0; i < 10000; ++i) text += open_close[0] == '[' ? "[" : "{\"k\":";
    text += "1";
    for (int i = 0; i < 10000; ++i) text += open_close[1];
    std::string d = Parse(text, JsonLimits());
    EXPECT_NE(d.find(": nesting deeper than 64 levels"), std::string::npos) << d.substr(0, 200);
  }
}

TEST(JsonLimits, FiftyMegabyteStringIsRefusedByName) {
  std::string text = "{\"assessment\": {\"title\": \"" + std::string(50u << 20, 'a') + "\"}}";
  EXPECT_EQ(Parse(text, JsonLimits()),
            "in.json: /assessment/title: string is 52428800 bytes long; the limit is 1048576");
}

TEST(JsonLimits, ReadJsonFileAppliesTheSizeLimitBeforeReading) {
  testing::TempDir dir;
  std::string path = dir.Write("big.json", "[" + std::string(100, ' ') + "]");
  nlohmann::json doc;
  std::vector<Diagnostic> diags;
  EXPECT_FALSE(ReadJsonFile(path, Limits(64, 8, 5), &doc, &diags));
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].ToString(), path + ": file is 102 bytes; the limit is 64");
}

}  // namespace
}  // namespace assay::internal
