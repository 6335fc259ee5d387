// Exports for other tools (issue 18): certificate data in IAF CertSearch's
// field layout, and an audit's findings as NIST OSCAL assessment results,
// validated against OSCAL's published JSON schema (tests/fixtures/oscal/).
#include "assay/reports/audit_exports.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "test_util.h"

namespace assay::reports {
namespace {

using nlohmann::json;

Date D(const char* s) {
  Date d;
  EXPECT_TRUE(Date::Parse(s, &d).ok()) << s;
  return d;
}

ClientAuditData Client() {
  ClientAuditData c;
  c.client.id = "ACME";
  c.client.name = "ACME Services, Ltd";
  c.client.address = "Leeds, UK";
  c.client.scope = "Managed desktop services";
  CertificateRecord x;
  x.certificate = {"C-1", D("2024-05-13"), D("2027-05-13"), CertificateStatus::kActive};
  x.history = {{CertificateStatus::kActive, D("2024-05-13"), "issued"}};
  c.certificates.push_back(x);
  return c;
}

TEST(CertSearch, FieldsInTheirLayout) {
  ClientAuditData c = Client();
  CertificationBody body{"Kalibra", "Hamburg", "accredited by DAkkS"};
  std::vector<CertSearchRow> rows;
  ASSERT_OK(CertSearchRows(c, body, "ISO/IEC 20000-1:2018", D("2025-01-01"), &rows));
  ASSERT_EQ(1u, rows.size());
  EXPECT_EQ((CertSearchRow{"ACME", "C-1", "Active", "Accredited", "Management System", "20240513", "20270513",
                           "ACME Services, Ltd", "Leeds, UK", "Managed desktop services (ISO/IEC 20000-1:2018)",
                           "20240513"}),
            rows[0]);
  EXPECT_EQ(
      "Certification Identity Number,Certificate Number,Certification Status,Accreditation Status,Certification "
      "Type,Issue Date,Expiry Date,Certified Entity Name,Site Address,Scope,Original Issue Date\r\n"
      "ACME,C-1,Active,Accredited,Management System,20240513,20270513,\"ACME Services, Ltd\",\"Leeds, UK\","
      "Managed desktop services (ISO/IEC 20000-1:2018),20240513\r\n",
      CertSearchCsv(rows));
  const json j = json::parse(CertSearchJson(rows));
  ASSERT_EQ(1u, j.size());
  EXPECT_EQ("20270513", j[0]["Expiry Date"]);
  EXPECT_EQ(11u, j[0].size());
}

TEST(CertSearch, StatusSitesRenewalAndLimits) {
  ClientAuditData c = Client();
  c.client.sites = {{"HQ", "Head office", "Leeds, UK", "", true}, {"DC", "", "", "", false}};
  c.certificates[0].history.push_back({CertificateStatus::kActive, D("2027-04-01"), "renewed"});
  c.certificates[0].certificate.expiry_date = D("2030-05-13");
  std::vector<CertSearchRow> rows;
  ASSERT_OK(CertSearchRows(c, CertificationBody{}, "", D("2030-05-13"), &rows));
  ASSERT_EQ(2u, rows.size());  // one per site
  EXPECT_EQ("Head office, Leeds, UK", rows[0][8]);
  EXPECT_EQ("DC", rows[1][8]);
  EXPECT_EQ("Expired", rows[0][2]);  // on its expiry date
  EXPECT_EQ("Unaccredited", rows[0][3]);
  EXPECT_EQ("20270401", rows[0][5]);   // the latest renewal
  EXPECT_EQ("20240513", rows[0][10]);  // the first issue
  c.certificates[0].certificate.status = CertificateStatus::kSuspended;
  ASSERT_OK(CertSearchRows(c, CertificationBody{}, "", D("2028-01-01"), &rows));
  EXPECT_EQ("Suspended", rows[0][2]);
  c.certificates[0].certificate.number = std::string(61, 'N');
  Status s = CertSearchRows(c, CertificationBody{}, "", D("2028-01-01"), &rows);
  EXPECT_EQ(Status::Code::kInvalidInput, s.code());
  EXPECT_NE(std::string::npos, s.message().find("longer than 60 characters")) << s.message();
}

// The published schema, with the two adaptations tests/fixtures/oscal/README.md
// describes.
json OscalSchema() {
  std::ifstream in(testing::SourcePath("tests/fixtures/oscal/oscal_assessment-results_schema.json"));
  json schema = json::parse(in);
  std::map<std::string, std::string> by_id;
  for (auto& [key, def] : schema["definitions"].items())
    if (def.contains("$id")) {
      std::string token;
      for (char ch : key) token += ch == '/' ? std::string("~1") : ch == '~' ? std::string("~0") : std::string(1, ch);
      by_id[def["$id"].get<std::string>()] = "#/definitions/" + token;
      def.erase("$id");
    }
  std::function<void(json&)> walk = [&](json& j) {
    if (j.is_object()) {
      if (j.contains("$ref") && by_id.count(j["$ref"].get<std::string>())) j["$ref"] = by_id[j["$ref"].get<std::string>()];
      if (j.contains("pattern")) {
        std::string p = j["pattern"].get<std::string>();
        for (const auto& [from, to] : {std::pair<std::string, std::string>{"\\p{L}", "[A-Za-z]"}, {"\\p{N}", "[0-9]"}})
          for (size_t at = p.find(from); at != std::string::npos; at = p.find(from)) p.replace(at, from.size(), to);
        j["pattern"] = p;
      }
      for (auto& [k, v] : j.items()) walk(v);
    } else if (j.is_array()) {
      for (auto& v : j) walk(v);
    }
  };
  walk(schema);
  return schema;
}

std::vector<std::string> Violations(const json& schema_doc, const json& doc) {
  valijson::Schema schema;
  valijson::SchemaParser parser;
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_doc);
  parser.populateSchema(schema_adapter, schema);
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(doc);
  std::vector<std::string> out;
  if (validator.validate(schema, target, &results)) return out;
  for (const auto& e : results) {
    std::string where;
    for (const std::string& part : e.context) where += part;
    out.push_back(where + ": " + e.description);
  }
  return out;
}

std::string RunAssay(const testing::TempDir& dir, const std::string& args, int* rc) {
  const std::string cmd = "cd '" + dir.path() + "' && '" + std::string(ASSAY_BIN) + "' --db w.db " + args + " 2>/dev/null";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  char buf[4096];
  size_t n;
  while (p && (n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = p ? ::pclose(p) : -1;
  *rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

TEST(Oscal, TheBundledAuditsAreValidAssessmentResults) {
  testing::TempDir dir;
  int rc = 0;
  RunAssay(dir, "import '" + testing::SourcePath("models/examples/northwind-2026.json") + "'", &rc);
  ASSERT_EQ(0, rc);
  RunAssay(dir, "audit import '" + testing::SourcePath("models/examples/northwind-2024-cycle.json") + "'", &rc);
  ASSERT_EQ(0, rc);
  const json schema = OscalSchema();
  for (const char* audit : {"NW-ST1-2024", "NW-ST2-2024", "NW-SV1-2025", "NW-SV2-2026"}) {
    const std::string text = RunAssay(dir, std::string("audit oscal ") + audit, &rc);
    ASSERT_EQ(0, rc) << audit;
    const json doc = json::parse(text);
    const std::vector<std::string> v = Violations(schema, doc);
    EXPECT_TRUE(v.empty()) << audit << ": " << (v.empty() ? "" : v[0]) << " (" << v.size() << " problems)";
    EXPECT_EQ(text, RunAssay(dir, std::string("audit oscal ") + audit, &rc)) << "not deterministic";
  }
  const json sv1 = json::parse(RunAssay(dir, "audit oscal NW-SV1-2025", &rc));
  const json& result = sv1["assessment-results"]["results"][0];
  EXPECT_EQ("2025-03-10T00:00:00Z", result["start"]);
  ASSERT_EQ(3u, result["findings"].size());  // F-07, F-08, F-09
  const json& f07 = result["findings"][0];
  EXPECT_EQ("not-satisfied", f07["target"]["status"]["state"]);
  EXPECT_EQ("iso20000-1-2018_7.5.3", f07["target"]["target-id"]);
  EXPECT_NE(std::string::npos, f07["title"].get<std::string>().find("NC-04")) << f07["title"];
  EXPECT_EQ("satisfied", result["findings"][1]["target"]["status"]["state"]);
  // The validator does check: a malformed UUID and a missing result are refused.
  json bad = sv1;
  bad["assessment-results"]["uuid"] = "not-a-uuid";
  bad["assessment-results"]["results"][0].erase("reviewed-controls");
  EXPECT_GE(Violations(schema, bad).size(), 2u);
}

}  // namespace
}  // namespace assay::reports
