// assay_load: N concurrent clients of assay serve's browser API, each rating
// as the web page does (PUT /api/assessments/ID/ratings with the version it
// edits), at once; prints the throughput, the p50 and p99 latency and the
// errors, and checks afterwards that the server's log verifies and holds one
// event per rating written. bench/load.sh starts the servers and runs it.
//
// usage: assay_load --url URL... [--clients N] [--ratings TOTAL] [--setup]
//   URL: what `assay serve` printed (http://127.0.0.1:PORT/?token=T); with
//   several (servers over one workspace), client i uses the i-th, round robin
//   --setup: first create the assessment LOAD-1 through the API (an empty
//   workspace), with 50 assessors load-01 .. load-50
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int kMaxClients = 50;
constexpr const char* kAssessment = "/api/assessments/LOAD-1";

struct Server {
  std::string host;
  int port = 0;
  std::string cookie, csrf;

  httplib::Client Client() const {
    httplib::Client c(host, port);
    c.set_keep_alive(true);  // as a browser does
    c.set_tcp_nodelay(true);
    c.set_read_timeout(120, 0);
    c.set_write_timeout(120, 0);
    return c;
  }
  httplib::Headers Headers() const { return {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}; }
};

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "assay_load: %s\n", why.c_str());
  std::exit(1);
}

// Signs in with the URL's one-time token: the session cookie and CSRF token.
Server SignIn(const std::string& url) {
  Server s;
  const size_t scheme = url.find("://"), colon = url.rfind(':'), q = url.find("/?token=");
  if (scheme == std::string::npos || colon <= scheme || q == std::string::npos || q < colon)
    Die("not a URL assay serve prints: " + url);
  s.host = url.substr(scheme + 3, colon - scheme - 3);
  s.port = std::stoi(url.substr(colon + 1, q - colon - 1));
  auto c = s.Client();
  auto res = c.Get(url.substr(q));
  if (!res || res->status != 303) Die("sign-in refused: " + (res ? res->body : httplib::to_string(res.error())));
  const std::string set = res->get_header_value("Set-Cookie");
  s.cookie = set.substr(0, set.find(';'));
  auto session = c.Get("/api/session", s.Headers());
  if (!session || session->status != 200) Die("GET /api/session failed");
  s.csrf = json::parse(session->body).at("csrf").get<std::string>();
  return s;
}

void Send(const Server& s, httplib::Client& c, const std::string& method, const std::string& path, const json& body) {
  auto res = method == "PUT" ? c.Put(path, s.Headers(), body.dump(), "application/json")
                             : c.Post(path, s.Headers(), body.dump(), "application/json");
  if (!res || res->status >= 300)
    Die(method + " " + path + ": " + (res ? std::to_string(res->status) + " " + res->body : "no answer"));
}

// LOAD-1: two processes at level 3, four instances, 50 assessors.
void Setup(const Server& s) {
  auto c = s.Client();
  Send(s, c, "POST", "/api/assessments",
       {{"id", "LOAD-1"}, {"title", "Load test"}, {"organization", "Acme"}, {"model", "itsm-20000"},
        {"method", "R2"}});
  const std::string a = kAssessment;
  for (const char* p : {"RES.1", "RES.2"}) Send(s, c, "POST", a + "/scope", {{"process", p}, {"target_level", 3}});
  Send(s, c, "POST", a + "/units", {{"id", "EU"}, {"name", "Europe"}});
  Send(s, c, "POST", a + "/units", {{"id", "US"}, {"name", "Americas"}});
  json instances = json::array();
  for (const char* p : {"RES.1", "RES.2"})
    for (const char* u : {"EU", "US"})
      instances.push_back({{"id", std::string(p) + "/" + u}, {"process", p}, {"unit", u}});
  Send(s, c, "POST", a + "/instances", {{"instances", instances}});
  for (int i = 1; i <= kMaxClients; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "load-%02d", i);
    Send(s, c, "POST", a + "/team", {{"id", id}, {"name", id}, {"roles", {"assessor"}}});
  }
}

struct Key {
  std::string instance, item;
};

// Every (instance, item) of the rating grid.
std::vector<Key> Grid(const Server& s) {
  auto c = s.Client();
  auto res = c.Get(std::string(kAssessment) + "/items", s.Headers());
  if (!res || res->status != 200) Die("GET items failed");
  std::vector<Key> keys;
  const json items = json::parse(res->body);
  for (const json& p : items.at("processes"))
    for (const json& inst : p.at("instances"))
      for (const json& item : p.at("items")) keys.push_back({inst.at("id"), item.at("id")});
  if (keys.empty()) Die("the rating grid is empty");
  return keys;
}

struct ClientResult {
  std::vector<double> ms;  // latency of each request
  int errors = 0;
  std::string first_error;
};

// One client: `count` ratings as assessor load-NN, through the grid, each a
// new value of its key (so each writes one event), with the version it edits.
void RunClient(const Server& s, const std::vector<Key>& grid, int client, int count, ClientResult* out) {
  static const char* kValues[] = {"N", "P", "L", "F"};
  char who[16];
  std::snprintf(who, sizeof who, "load-%02d", client);
  auto c = s.Client();
  std::vector<int64_t> version(grid.size(), 0);
  const std::string path = std::string(kAssessment) + "/ratings";
  for (int i = 0; i < count; ++i) {
    const size_t k = static_cast<size_t>(i) % grid.size();
    const json body = {{"instance", grid[k].instance}, {"item", grid[k].item}, {"assessor", who},
                       {"value", kValues[(static_cast<size_t>(i) / grid.size()) % 4]}, {"version", version[k]}};
    const auto t0 = Clock::now();
    auto res = c.Put(path, s.Headers(), body.dump(), "application/json");
    out->ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (res && (res->status == 200 || res->status == 201)) {
      version[k] = json::parse(res->body).at("rating").at("version").get<int64_t>();
      continue;
    }
    if (++out->errors == 1)
      out->first_error = res ? std::to_string(res->status) + " " + res->body : httplib::to_string(res.error());
  }
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto rank = static_cast<size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(rank, v.size() - 1)];
}

json Verify(const Server& s) {
  auto c = s.Client();
  auto res = c.Get("/api/log/verify", s.Headers());
  if (!res || res->status != 200) Die("GET /api/log/verify failed");
  return json::parse(res->body);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"N concurrent clients rating through assay serve's API"};
  std::vector<std::string> urls;
  int clients = 1, total = 2000;
  bool setup = false;
  app.add_option("--url", urls, "The URL assay serve printed (one per server)")->required();
  app.add_option("--clients", clients, "Concurrent clients (1 to 50)")->check(CLI::Range(1, kMaxClients));
  app.add_option("--ratings", total, "Ratings in all, split evenly over the clients")->check(CLI::PositiveNumber);
  app.add_flag("--setup", setup, "First create the assessment LOAD-1 (in an empty workspace)");
  CLI11_PARSE(app, argc, argv);

  std::vector<Server> servers;
  for (const std::string& url : urls) servers.push_back(SignIn(url));
  const Server& server = servers.front();
  if (setup) Setup(server);
  const std::vector<Key> grid = Grid(server);
  const int64_t events_before = Verify(server).at("events").get<int64_t>();
  const int per = total / clients;
  std::vector<ClientResult> results(static_cast<size_t>(clients));
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int i = 0; i < clients; ++i)
    threads.emplace_back(RunClient, std::cref(servers[static_cast<size_t>(i) % servers.size()]), std::cref(grid), i + 1,
                         per, &results[static_cast<size_t>(i)]);
  for (std::thread& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();

  std::vector<double> all;
  int errors = 0;
  std::string first_error;
  for (const ClientResult& r : results) {
    all.insert(all.end(), r.ms.begin(), r.ms.end());
    errors += r.errors;
    if (first_error.empty()) first_error = r.first_error;
  }
  const json verify = Verify(server);
  const int64_t written = verify.at("events").get<int64_t>() - events_before;
  const int64_t ok = static_cast<int64_t>(all.size()) - errors;
  std::printf("servers %zu  clients %d  ratings %zu  errors %d  seconds %.2f  per_second %.1f  p50_ms %.1f  p99_ms %.1f  max_ms %.1f"
              "  events %lld  log %s\n",
              servers.size(), clients, all.size(), errors, seconds, static_cast<double>(all.size()) / seconds, Percentile(all, 50),
              Percentile(all, 99), Percentile(all, 100), static_cast<long long>(written),
              verify.at("ok").get<bool>() ? "verifies" : "DOES NOT VERIFY");
  if (errors > 0) std::fprintf(stderr, "assay_load: %d errors; the first: %s\n", errors, first_error.c_str());
  if (written != ok) std::fprintf(stderr, "assay_load: %lld ratings written, but %lld events\n",
                                  static_cast<long long>(ok), static_cast<long long>(written));
  return errors == 0 && written == ok && verify.at("ok").get<bool>() ? 0 : 1;
}
