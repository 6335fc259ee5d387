// `assay serve` over HTTP: the server runs as a child process on a free
// port and is talked to with cpp-httplib's client. The safety cases (no
// session, bad Host, a write without the CSRF header, a stale version, markup
// in user text) and the API's answers equal the CLI's.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "assay/store.h"
#include "assay/text.h"
#include "test_util.h"

namespace assay {
namespace {

using nlohmann::json;

class ServeApiTest : public ::testing::Test {
 protected:
  void SetUp() override { db_ = dir_.path() + "/ws.db"; }

  void TearDown() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "assay serve did not stop cleanly: " << status;
    }
    if (out_ != nullptr) std::fclose(out_);
  }

  // Runs `assay --db ws.db ARGS`; returns stdout.
  std::string Cli(const std::string& args, int* rc = nullptr) {
    return testing::RunCommand("ASSAY_ACTOR=tester '" + std::string(ASSAY_BIN) + "' --db '" + db_ + "' " + args +
                                   " 2>/dev/null",
                               rc);
  }

  // Starts `assay serve --port 0` and reads the URL it prints.
  void Start() {
    int fds[2];
    ASSERT_EQ(0, ::pipe(fds));
    pid_ = ::fork();
    ASSERT_GE(pid_, 0);
    if (pid_ == 0) {
      ::dup2(fds[1], 1);
      ::close(fds[0]);
      ::close(fds[1]);
      const int devnull = ::open("/dev/null", O_WRONLY);
      ::dup2(devnull, 2);
      ::execl(ASSAY_BIN, "assay", "--db", db_.c_str(), "serve", "--port", "0", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(fds[1]);
    out_ = ::fdopen(fds[0], "r");
    char line[512] = {0};
    ASSERT_NE(nullptr, std::fgets(line, sizeof line, out_)) << "assay serve printed nothing";
    const std::string text = line;  // "assay serve: http://127.0.0.1:PORT/?token=T\n" ("...PORT/" with accounts)
    const size_t host = text.find("127.0.0.1:"), q = text.find("/", host);
    ASSERT_NE(std::string::npos, host) << text;
    ASSERT_NE(std::string::npos, q) << text;
    port_ = std::stoi(text.substr(host + 10, q - host - 10));
    token_ = text.find("/?token=") == std::string::npos ? "" : text.substr(text.find("/?token=") + 8);
    while (!token_.empty() && (token_.back() == '\n' || token_.back() == '\r')) token_.pop_back();
  }

  httplib::Client Client() {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(60, 0);
    return c;
  }

  // Exchanges the token for the session cookie and reads the CSRF token.
  void SignIn() {
    auto c = Client();
    auto res = c.Get(("/?token=" + token_).c_str());
    ASSERT_TRUE(res);
    ASSERT_EQ(303, res->status);
    const std::string set = res->get_header_value("Set-Cookie");
    EXPECT_NE(std::string::npos, set.find("HttpOnly"));
    EXPECT_NE(std::string::npos, set.find("SameSite=Strict"));
    cookie_ = set.substr(0, set.find(';'));
    auto session = c.Get("/api/session", Headers());
    ASSERT_TRUE(session);
    ASSERT_EQ(200, session->status) << session->body;
    csrf_ = json::parse(session->body)["csrf"];
  }

  // The number of events in the workspace's log, as the server verifies it.
  size_t LogEvents() {
    auto verify = Client().Get("/api/log/verify", Headers());
    return json::parse(verify->body)["events"].get<size_t>();
  }

  httplib::Headers Headers(bool csrf = false) {
    httplib::Headers h = {{"Cookie", cookie_}};
    if (csrf) h.emplace("X-CSRF-Token", csrf_);
    return h;
  }

  httplib::Result Send(const std::string& method, const std::string& path, const json& body, bool csrf = true) {
    auto c = Client();
    const std::string text = body.dump();
    if (method == "PUT") return c.Put(path.c_str(), Headers(csrf), text, "application/json");
    return c.Post(path.c_str(), Headers(csrf), text, "application/json");
  }

  // An assessment with one process in scope, two instances, two assessors.
  void MakeAssessment(const std::string& title = "Service desk 2027") {
    auto r = Send("POST", "/api/assessments",
                  {{"id", "A1"}, {"title", title}, {"organization", "Acme"}, {"model", "itsm-20000"},
                   {"method", "R2"}});
    ASSERT_TRUE(r);
    ASSERT_EQ(201, r->status) << r->body;
    r = Send("POST", "/api/assessments/A1/scope", {{"process", "RES.1"}, {"target_level", 2}});
    ASSERT_EQ(201, r->status) << r->body;
    r = Send("POST", "/api/assessments/A1/units", {{"id", "EU"}, {"name", "Europe"}});
    ASSERT_EQ(201, r->status) << r->body;
    r = Send("POST", "/api/assessments/A1/instances",
             {{"instances", {{{"id", "RES.1/EU"}, {"process", "RES.1"}, {"unit", "EU"}},
                             {{"id", "RES.1/US"}, {"process", "RES.1"}, {"unit", "EU"}}}}});
    ASSERT_EQ(201, r->status) << r->body;
    for (const char* who : {"ada", "bob"}) {
      r = Send("POST", "/api/assessments/A1/team", {{"id", who}, {"name", who}, {"roles", {"assessor"}}});
      ASSERT_EQ(201, r->status) << r->body;
    }
  }

  testing::TempDir dir_;
  std::string db_, token_, cookie_, csrf_;
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  int port_ = 0;
};

TEST_F(ServeApiTest, EveryRequestNeedsTheSessionAndTheTokenWorksOnce) {
  Start();
  auto c = Client();
  for (const char* path : {"/", "/app.js", "/api/assessments", "/api/session"}) {
    auto res = c.Get(path);
    ASSERT_TRUE(res);
    EXPECT_EQ(401, res->status) << path;
  }
  auto wrong = c.Get("/?token=0000");
  EXPECT_EQ(401, wrong->status);
  SignIn();
  auto again = c.Get(("/?token=" + token_).c_str());
  EXPECT_EQ(401, again->status) << "the token is one-time";
  auto page = c.Get("/", Headers());
  ASSERT_EQ(200, page->status);
  EXPECT_NE(std::string::npos, page->body.find("<script src=\"/app.js\""));
  auto forged = c.Get("/api/assessments", {{"Cookie", "assay_session=" + std::string(64, 'a')}});
  EXPECT_EQ(401, forged->status);
}

TEST_F(ServeApiTest, SecurityHeadersOnEveryResponse) {
  Start();
  SignIn();
  auto c = Client();
  for (const char* path : {"/", "/app.js", "/api/assessments", "/api/nothing"}) {
    auto res = c.Get(path, Headers());
    ASSERT_TRUE(res);
    const std::string csp = res->get_header_value("Content-Security-Policy");
    EXPECT_NE(std::string::npos, csp.find("default-src 'self'")) << path;
    EXPECT_EQ(std::string::npos, csp.find("unsafe-inline")) << path;
    EXPECT_EQ("nosniff", res->get_header_value("X-Content-Type-Options")) << path;
  }
}

TEST_F(ServeApiTest, ABadHostHeaderIsRefused) {
  Start();
  SignIn();
  auto c = Client();
  auto res = c.Get("/api/assessments", {{"Cookie", cookie_}, {"Host", "attacker.example:" + std::to_string(port_)}});
  ASSERT_TRUE(res);
  EXPECT_EQ(403, res->status);
  EXPECT_NE(std::string::npos, res->body.find("attacker.example")) << res->body;
  auto local = c.Get("/api/assessments", {{"Cookie", cookie_}, {"Host", "localhost:" + std::to_string(port_)}});
  EXPECT_EQ(200, local->status);
}

TEST_F(ServeApiTest, AWriteWithoutTheCsrfHeaderIsRefusedAndWritesNothing) {
  Start();
  SignIn();
  auto r = Send("POST", "/api/assessments", {{"id", "A1"}, {"model", "itsm-20000"}}, /*csrf=*/false);
  ASSERT_TRUE(r);
  EXPECT_EQ(403, r->status);
  auto c = Client();
  auto foreign = c.Post("/api/assessments", {{"Cookie", cookie_}, {"X-CSRF-Token", csrf_}, {"Origin", "http://evil.example"}},
                        json({{"id", "A1"}, {"model", "itsm-20000"}}).dump(), "application/json");
  EXPECT_EQ(403, foreign->status) << "a foreign Origin is refused";
  auto list = c.Get("/api/assessments", Headers());
  EXPECT_EQ("[]", json::parse(list->body).dump());
}

TEST_F(ServeApiTest, AStaleVersionIsAConflictWithTheNewerRating) {
  Start();
  SignIn();
  MakeAssessment();
  json rating = {{"instance", "RES.1/EU"}, {"item", "PA1.1"}, {"assessor", "ada"}, {"value", "L"}, {"version", 0}};
  auto first = Send("PUT", "/api/assessments/A1/ratings", rating);
  ASSERT_EQ(201, first->status) << first->body;
  const int64_t v1 = json::parse(first->body)["rating"]["version"];
  rating["value"] = "F";
  rating["version"] = v1;
  auto second = Send("PUT", "/api/assessments/A1/ratings", rating);  // tab 1
  ASSERT_EQ(200, second->status) << second->body;
  rating["value"] = "P";  // tab 2 still holds v1
  auto stale = Send("PUT", "/api/assessments/A1/ratings", rating);
  ASSERT_EQ(409, stale->status) << stale->body;
  json conflict = json::parse(stale->body);
  EXPECT_EQ("F", conflict["current"]["value"]);
  EXPECT_EQ("/version", conflict["error"]["pointer"]);
  auto items = Client().Get("/api/assessments/A1/items", Headers());
  json sheet = json::parse(items->body);
  ASSERT_EQ(1u, sheet["ratings"].size());
  EXPECT_EQ("F", sheet["ratings"][0]["value"]) << "the newer rating stays";
}

TEST_F(ServeApiTest, MarkupInUserTextComesBackAsData) {
  Start();
  SignIn();
  const std::string title = "<script>alert(1)</script> \"q\" \u202Eevil";
  MakeAssessment(title);
  auto res = Client().Get("/api/assessments", Headers());
  ASSERT_EQ(200, res->status);
  EXPECT_EQ("application/json; charset=utf-8", res->get_header_value("Content-Type"));
  EXPECT_EQ(title, json::parse(res->body)[0]["title"]);
  // The page writes user text with textContent only.
  std::ifstream in(testing::SourcePath("web/app.js"));
  std::stringstream js;
  js << in.rdbuf();
  ASSERT_FALSE(js.str().empty());
  for (const char* sink : {"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("})
    EXPECT_EQ(std::string::npos, js.str().find(sink)) << sink;
}

TEST_F(ServeApiTest, ErrorsCarryTheCliMessagePointerAndNearestIds) {
  Start();
  SignIn();
  MakeAssessment();
  auto r = Send("PUT", "/api/assessments/A1/ratings",
                {{"instance", "RES.1/EX"}, {"item", "PA1.1"}, {"assessor", "ada"}, {"value", "L"}, {"version", 0}});
  ASSERT_EQ(404, r->status) << r->body;
  json e = json::parse(r->body)["error"];
  EXPECT_EQ("/instance", e["pointer"]);
  EXPECT_EQ("instance", e["subject"]["kind"]);
  EXPECT_EQ("RES.1/EU", e["subject"]["nearest"][0]) << r->body;
  int rc = 0;
  Cli("rate -a A1 -i RES.1/EX -x PA1.1 -v L -s ada", &rc);
  EXPECT_NE(0, rc);
  const std::string cli_err = testing::RunCommand("ASSAY_ACTOR=tester '" + std::string(ASSAY_BIN) + "' --db '" +
                                                  db_ + "' rate -a A1 -i RES.1/EX -x PA1.1 -v L -s ada 2>&1");
  EXPECT_NE(std::string::npos, cli_err.find(e["message"].get<std::string>())) << cli_err;
  auto missing =
      Send("PUT", "/api/assessments/A1/ratings", {{"instance", "RES.1/EU"}, {"item", "PA1.1"}, {"version", 0}});
  ASSERT_EQ(400, missing->status);
  EXPECT_EQ("/assessor", json::parse(missing->body)["error"]["pointer"]);
  auto unknown = Client().Get("/api/assessments/NOPE/profile", Headers());
  EXPECT_EQ(404, unknown->status);
}

TEST_F(ServeApiTest, RequestBodiesAreCheckedAgainstTheServedOpenApiDescription) {
  Start();
  SignIn();
  MakeAssessment();
  auto c = Client();
  auto served = c.Get("/api/openapi.json", Headers());
  ASSERT_EQ(200, served->status);
  std::ifstream in(testing::SourcePath("schemas/assay-api.openapi.json"));
  std::stringstream file;
  file << in.rdbuf();
  EXPECT_EQ(file.str(), served->body) << "the server serves the repository's description";
  const size_t events = LogEvents();

  // Every problem is listed with its pointer; nothing is written.
  auto bad = Send("PUT", "/api/assessments/A1/ratings",
                  {{"instance", "RES.1/EU"}, {"item", 7}, {"assessor", "ada"}, {"value", "L"}, {"colour", "red"}});
  ASSERT_EQ(400, bad->status) << bad->body;
  json e = json::parse(bad->body)["error"];
  EXPECT_EQ("invalid-input", e["code"]);
  std::set<std::string> pointers;
  for (const json& p : e["problems"]) pointers.insert(p["pointer"].get<std::string>());
  EXPECT_EQ((std::set<std::string>{"/item", "/version", "/colour"}), pointers) << bad->body;
  EXPECT_NE(std::string::npos, e["message"].get<std::string>().find("PUT /api/assessments/{id}/ratings")) << bad->body;
  EXPECT_EQ(e["problems"][0]["pointer"], e["pointer"]);

  // An enum, a nested array item, a nullable field.
  auto status = Send("POST", "/api/assessments/A1/status", {{"status", 3}});
  EXPECT_EQ(400, status->status) << status->body;
  auto whatif = Send("POST", "/api/assessments/A1/what-if",
                     {{"ratings", json::array({{{"instance", "RES.1/EU"}, {"item", "PA1.1"}}})}});
  ASSERT_EQ(400, whatif->status) << whatif->body;
  EXPECT_EQ("/ratings/0/value", json::parse(whatif->body)["error"]["pointer"]) << whatif->body;
  auto evidence = Send("POST", "/api/assessments/A1/evidence",
                       {{"id", "EV-1"}, {"kind", "document"}, {"reference", nullptr}, {"interview", nullptr}});
  EXPECT_EQ(201, evidence->status) << "null is allowed where the description says nullable: " << evidence->body;
  EXPECT_EQ(events + 1, LogEvents()) << "only the valid request wrote";
}

TEST_F(ServeApiTest, RatingsGoToTheLogAsTheActingPersonAndTheProfileEqualsTheCli) {
  Start();
  SignIn();
  MakeAssessment();
  auto who = Send("PUT", "/api/session", {{"actor", "ada"}});
  ASSERT_EQ(200, who->status) << who->body;
  auto items = Client().Get("/api/assessments/A1/items", Headers());
  ASSERT_EQ(200, items->status) << items->body;
  json sheet = json::parse(items->body);
  ASSERT_EQ(1u, sheet["processes"].size());
  EXPECT_EQ(2u, sheet["processes"][0]["instances"].size());
  EXPECT_FALSE(sheet["processes"][0]["items"][0]["text"].get<std::string>().empty());
  for (const char* inst : {"RES.1/EU", "RES.1/US"})
    for (const char* item : {"PA1.1", "PA2.1", "PA2.2"}) {
      auto r = Send("PUT", "/api/assessments/A1/ratings",
                    {{"instance", inst}, {"item", item}, {"assessor", "ada"}, {"value", "F"}, {"version", 0}});
      ASSERT_EQ(201, r->status) << r->body;
    }
  auto profile = Client().Get("/api/assessments/A1/profile", Headers());
  ASSERT_EQ(200, profile->status) << profile->body;
  EXPECT_EQ(Cli("profile A1 --format json"), profile->body);
  auto checks = Client().Get("/api/assessments/A1/checks", Headers());
  EXPECT_EQ(Cli("check A1 --format json"), checks->body);
  auto verify = Client().Get("/api/log/verify", Headers());
  EXPECT_TRUE(json::parse(verify->body)["ok"].get<bool>()) << verify->body;
  auto pdf = Client().Get("/api/assessments/A1/report.pdf", Headers());
  ASSERT_EQ(200, pdf->status) << pdf->body;
  EXPECT_EQ(0u, pdf->body.rfind("%PDF-", 0));
  EXPECT_EQ("application/pdf", pdf->get_header_value("Content-Type"));
  // The rating events name the acting person.
  json log = json::parse(Cli("log A1 --format json"));
  int by_ada = 0;
  for (const json& event : log)
    if (event["entity"] == "rating") {
      EXPECT_EQ("ada", event["actor"]) << event.dump();
      ++by_ada;
    }
  EXPECT_EQ(6, by_ada);
}

TEST_F(ServeApiTest, EvidenceInterviewsAndAnAttachedFileWhoseHashTheServerComputes) {
  Start();
  SignIn();
  MakeAssessment();
  ASSERT_EQ(200, Send("PUT", "/api/session", {{"actor", "ada"}})->status);
  auto iv = Send("POST", "/api/assessments/A1/interviews",
                 {{"id", "I-1"}, {"interviewers", {"ada"}}, {"processes", {"RES.1"}}, {"notes", "<b>desk</b>"}});
  ASSERT_EQ(201, iv->status) << iv->body;
  auto ev = Send("POST", "/api/assessments/A1/evidence",
                 {{"id", "EV-1"}, {"kind", "interview-statement"}, {"description", "desk lead"}, {"interview", "I-1"}});
  ASSERT_EQ(201, ev->status) << ev->body;
  // The file: the client's claim is not taken; the server hashes the bytes.
  auto c = Client();
  const std::string bytes = "minutes of the service desk review\n";
  auto up = c.Post("/api/assessments/A1/evidence/EV-1/file", Headers(true), bytes, "application/octet-stream");
  ASSERT_EQ(200, up->status) << up->body;
  json attached = json::parse(up->body);
  EXPECT_EQ(Sha256Hex(bytes), attached["sha256"]);
  EXPECT_EQ(bytes.size(), attached["bytes"].get<size_t>());
  auto none = c.Post("/api/assessments/A1/evidence/EV-9/file", Headers(true), bytes, "application/octet-stream");
  ASSERT_EQ(404, none->status) << none->body;
  EXPECT_EQ("EV-1", json::parse(none->body)["error"]["subject"]["nearest"][0]) << none->body;
  auto nocsrf = c.Post("/api/assessments/A1/evidence/EV-1/file", Headers(false), "x", "application/octet-stream");
  EXPECT_EQ(403, nocsrf->status);
  // A bad kind names the field and the nearest kind; nothing is written.
  auto bad = Send("POST", "/api/assessments/A1/evidence", {{"id", "EV-2"}, {"kind", "documnt"}});
  ASSERT_EQ(400, bad->status) << bad->body;
  EXPECT_EQ("/kind", json::parse(bad->body)["error"]["pointer"]);
  EXPECT_NE(std::string::npos, bad->body.find("document")) << bad->body;
  auto unknown_iv = Send("POST", "/api/assessments/A1/evidence", {{"id", "EV-2"}, {"interview", "I-2"}});
  EXPECT_EQ(404, unknown_iv->status) << unknown_iv->body;
  EXPECT_EQ("/interview", json::parse(unknown_iv->body)["error"]["pointer"]) << unknown_iv->body;
  // The register: one item, hashed, from the interview, collected by the acting person.
  const std::string listed = c.Get("/api/assessments/A1/evidence", Headers())->body;
  EXPECT_EQ(Cli("evidence list -a A1 --format json"), listed);
  json reg = json::parse(listed)["evidence"];
  ASSERT_EQ(1u, reg.size()) << reg.dump();
  EXPECT_EQ(Sha256Hex(bytes), reg[0]["sha256"]);
  EXPECT_EQ("I-1", reg[0]["interview"]);
  EXPECT_EQ("ada", reg[0]["collected_by"]);
  const std::string interviews = c.Get("/api/assessments/A1/interviews", Headers())->body;
  EXPECT_EQ(Cli("interview list -a A1 --format json"), interviews);
  json ivs = json::parse(interviews)["interviews"];
  ASSERT_EQ(1u, ivs.size());
  EXPECT_EQ("<b>desk</b>", ivs[0]["notes"]);
  EXPECT_EQ("EV-1", ivs[0]["evidence"][0]);
  // The same records as the CLI sees them.
  EXPECT_NE(std::string::npos, Cli("export A1").find(Sha256Hex(bytes)));
  // Not kept: only the hash; the download says so.
  EXPECT_EQ(false, reg[0]["kept"]);
  auto not_kept = c.Get("/api/assessments/A1/evidence/EV-1/file", Headers());
  ASSERT_EQ(404, not_kept->status) << not_kept->body;
  EXPECT_NE(std::string::npos, not_kept->body.find("only its SHA-256 is recorded")) << not_kept->body;
  // keep=1: the workspace keeps the file; the download is an attachment
  // of the same bytes, never shown inline.
  const std::string binary = [] {
    static const char kBytes[] = "%PDF-\0<script>alert(1)</script>\xff";
    return std::string(kBytes, sizeof kBytes - 1);  // every byte but the terminator
  }();
  auto bad_keep = c.Post("/api/assessments/A1/evidence/EV-1/file?keep=yes", Headers(true), binary,
                         "application/octet-stream");
  EXPECT_EQ(400, bad_keep->status) << bad_keep->body;
  auto kept = c.Post("/api/assessments/A1/evidence/EV-1/file?keep=1", Headers(true), binary, "application/octet-stream");
  ASSERT_EQ(200, kept->status) << kept->body;
  EXPECT_EQ(true, json::parse(kept->body)["kept"]);
  auto down = c.Get("/api/assessments/A1/evidence/EV-1/file", Headers());
  ASSERT_EQ(200, down->status) << down->body;
  EXPECT_EQ(binary, down->body);
  EXPECT_EQ("application/octet-stream", down->get_header_value("Content-Type"));
  EXPECT_EQ("attachment; filename=\"EV-1-file\"", down->get_header_value("Content-Disposition"));
  EXPECT_EQ("nosniff", down->get_header_value("X-Content-Type-Options"));
  EXPECT_EQ(Sha256Hex(binary), down->get_header_value("X-Content-SHA256"));
  const std::string relisted = c.Get("/api/assessments/A1/evidence", Headers())->body;
  EXPECT_EQ(Cli("evidence list -a A1 --format json"), relisted);
  EXPECT_EQ(true, json::parse(relisted)["evidence"][0]["kept"]);
}

TEST_F(ServeApiTest, WhatIfWritesNothingAndConsolidationNeedsARationale) {
  Start();
  SignIn();
  MakeAssessment();
  for (const char* who : {"ada", "bob"})
    for (const char* inst : {"RES.1/EU", "RES.1/US"}) {
      auto r = Send("PUT", "/api/assessments/A1/ratings",
                    {{"instance", inst}, {"item", "PA1.1"}, {"assessor", who},
                     {"value", std::string(who) == "ada" ? "F" : "P"}, {"version", 0}});
      ASSERT_EQ(201, r->status) << r->body;
    }
  const std::string before = Cli("export A1");
  auto what = Send("POST", "/api/assessments/A1/what-if",
                   {{"ratings", {{{"instance", "RES.1/EU"}, {"item", "PA1.1"}, {"value", "F"}},
                                 {{"instance", "RES.1/US"}, {"item", "PA1.1"}, {"value", "F"}}}}});
  ASSERT_EQ(200, what->status) << what->body;
  json w = json::parse(what->body);
  EXPECT_EQ(json::parse(Cli("what-if A1 -r RES.1/EU:PA1.1=F -r RES.1/US:PA1.1=F --format json")), w["profile"]);
  ASSERT_EQ(1u, w["changes"].size()) << w.dump();
  EXPECT_EQ("RES.1", w["changes"][0]["subject"]);
  EXPECT_EQ("0", w["changes"][0]["before"]);
  EXPECT_EQ("1", w["changes"][0]["after"]);
  auto bad = Send("POST", "/api/assessments/A1/what-if",
                  {{"ratings", {{{"instance", "RES.1/EU"}, {"item", "PA1.1"}, {"value", "N"}},
                                {{"instance", "RES.1/XX"}, {"item", "PA1.1"}, {"value", "N"}}}}});
  ASSERT_EQ(404, bad->status) << bad->body;
  EXPECT_EQ("/ratings/1/instance", json::parse(bad->body)["error"]["pointer"]);
  EXPECT_EQ(before, Cli("export A1")) << "what-if wrote something";
  // Two open disagreements; a consolidation without rationale is refused.
  const std::string listed = Client().Get("/api/assessments/A1/disagreements", Headers())->body;
  EXPECT_EQ(Cli("disagreements -a A1 --format json"), listed);
  json open = json::parse(listed);
  ASSERT_EQ(2u, open["disagreements"].size());
  auto blank = Send("POST", "/api/assessments/A1/consolidate",
                    {{"instance", "RES.1/EU"}, {"item", "PA1.1"}, {"value", "L"}, {"rationale", " "}});
  EXPECT_EQ(400, blank->status) << blank->body;
  EXPECT_EQ(before, Cli("export A1"));
  ASSERT_EQ(200, Send("PUT", "/api/session", {{"actor", "lea"}})->status);
  auto ok = Send("POST", "/api/assessments/A1/consolidate",
                 {{"instance", "RES.1/EU"}, {"item", "PA1.1"}, {"value", "L"}, {"rationale", "records show L"}});
  ASSERT_EQ(201, ok->status) << ok->body;
  EXPECT_EQ("ada F, bob P", json::parse(ok->body)["assessors"]);
  open = json::parse(Client().Get("/api/assessments/A1/disagreements", Headers())->body);
  ASSERT_EQ(1u, open["disagreements"].size());
  EXPECT_EQ("RES.1/US", open["disagreements"][0]["instance"]);
  json log = json::parse(Cli("log A1 --format json"));
  EXPECT_EQ("lea", log.back()["actor"]) << log.back().dump();
}

// Behind the reverse proxy of docs/DEPLOY.md: the session cookie is Secure
// when the proxy says the request came over TLS, and the sign-in limits
// count each client by the address the proxy appended to X-Forwarded-For,
// not the proxy's own (or one client's mistakes would lock out everyone).
TEST_F(ServeApiTest, BehindAProxyTheCookieIsSecureAndClientsAreCountedApart) {
  {
    std::ofstream pw(dir_.path() + "/pw");
    pw << "correct horse battery\n";
  }
  int rc = -1;
  Cli("user add root --role admin --password-file '" + dir_.path() + "/pw'", &rc);
  ASSERT_EQ(0, rc);
  Start();
  ASSERT_EQ("", token_) << "with accounts the server prints no token";
  auto login = [this](const std::string& password, const httplib::Headers& h) {
    return Client().Post("/api/login", h, json{{"user", "root"}, {"password", password}}.dump(), "application/json");
  };
  auto tls = login("correct horse battery", {{"X-Forwarded-Proto", "https"}});
  ASSERT_EQ(200, tls->status) << tls->body;
  EXPECT_NE(std::string::npos, tls->get_header_value("Set-Cookie").find("; Secure")) << tls->get_header_value("Set-Cookie");
  auto plain = login("correct horse battery", {});
  ASSERT_EQ(200, plain->status) << plain->body;
  EXPECT_EQ(std::string::npos, plain->get_header_value("Set-Cookie").find("Secure"));
  // 20 failures from one client (under 20 user names, so that the
  // per-account limit does not come first) close sign-in for that client
  // only: another client behind the same proxy still gets an answer.
  auto attempt = [this](const std::string& user, const std::string& client) {
    return Client()
        .Post("/api/login", {{"X-Forwarded-For", "198.51.100.9, " + client}},
              json{{"user", user}, {"password", "wrong"}}.dump(), "application/json")
        ->status;
  };
  for (int i = 0; i < 20; ++i) ASSERT_EQ(401, attempt("u" + std::to_string(i), "203.0.113.7"));
  EXPECT_EQ(429, attempt("someone", "203.0.113.7"));
  EXPECT_EQ(401, attempt("someone", "203.0.113.8"));
}

TEST_F(ServeApiTest, ANonLoopbackBindNeedsAnExplicitFlag) {
  int rc = 0;
  testing::RunCommand("'" + std::string(ASSAY_BIN) + "' --db '" + db_ + "' serve --bind 0.0.0.0 --port 0 2>/dev/null",
                      &rc);
  EXPECT_EQ(2, rc);
}

}  // namespace
}  // namespace assay
