// The JSON API of assay serve: assessments, their records and the acting
// person. Every write goes through the Workspace interface (one event in the
// hash-chained log, with the acting person as the event's actor).
#include <cctype>
#include <exception>
#include <string>
#include <vector>

#include "api_json.h"
#include "assay/text.h"
#include "serve.h"

namespace assay::cli::serve {

using nlohmann::json;

int HttpStatusOf(Status::Code code) {
  switch (code) {
    case Status::Code::kOk: return 200;
    case Status::Code::kInvalidInput: return 400;
    case Status::Code::kNotFound: return 404;
    case Status::Code::kChecksFailed: return 422;
    case Status::Code::kIOError: return 503;
    case Status::Code::kCorruption: return 500;
    case Status::Code::kUnsupported: return 422;
    case Status::Code::kPermissionDenied: return 403;
    case Status::Code::kConflict: return 409;
  }
  return 500;
}

namespace {
const char* CodeName(Status::Code code) {
  switch (code) {
    case Status::Code::kOk: return "ok";
    case Status::Code::kInvalidInput: return "invalid-input";
    case Status::Code::kNotFound: return "not-found";
    case Status::Code::kChecksFailed: return "checks-failed";
    case Status::Code::kIOError: return "io-error";
    case Status::Code::kCorruption: return "corruption";
    case Status::Code::kUnsupported: return "unsupported";
    case Status::Code::kPermissionDenied: return "permission-denied";
    case Status::Code::kConflict: return "conflict";
  }
  return "internal";
}
}  // namespace

json ErrorJson(const Status& status, const std::string& pointer) {
  const Status::Subject& about = status.subject();
  json e = {{"code", CodeName(status.code())}, {"status", HttpStatusOf(status.code())}, {"message", status.message()}};
  if (std::string hint = Hint(status); !hint.empty()) e["hint"] = hint;
  if (!pointer.empty()) e["pointer"] = pointer;
  if (!about.kind.empty() || !about.reason.empty())
    e["subject"] = {{"kind", about.kind}, {"id", about.id}, {"nearest", about.nearest}, {"reason", about.reason}};
  return {{"error", e}};
}

void SendJson(httplib::Response& res, const json& body, int http_status) {
  res.status = http_status;
  res.set_content(body.dump(2) + "\n", "application/json; charset=utf-8");
}

void SendError(httplib::Response& res, const Status& status, const std::string& pointer) {
  SendJson(res, ErrorJson(status, pointer), HttpStatusOf(status.code()));
}

Api::Api(const GlobalOptions& global, Guard* guard) : global_(global), guard_(guard) {}

Status Api::Open() {
  const WebAsset* openapi = FindWebAsset("/api/openapi.json");
  if (openapi == nullptr) return Status::NotFound("the OpenAPI description is not embedded");
  ASSAY_RETURN_IF_ERROR(schemas_.Load(std::string(reinterpret_cast<const char*>(openapi->data), openapi->size)));
  return OpenSession(global_, true, &session_);
}

Status Api::WorkspaceAs(const std::string& actor, Workspace** ws) {
  if (actor.empty()) {
    *ws = session_->ws.get();
    return Status::OK();
  }
  std::unique_ptr<Workspace>& w = writers_[actor];
  if (!w) {
    // With accounts the actor is the signed-in account: the engine checks its roles.
    Status s = OpenWorkspaceAs(session_.get(), global_, false, actor, &w, guard_->accounts() ? actor : "");
    if (!s.ok()) {
      w.reset();
      return s;
    }
  }
  *ws = w.get();
  return Status::OK();
}

// The request handlers; each runs under Api::mu_ (one workspace connection
// per acting person; a Workspace is not thread-safe).
struct ApiRoutes {
  using Fn = std::function<Status(Api&, const httplib::Request&, httplib::Response&, Body*)>;

  // Wraps `fn`: parses a write's body, locks, maps a failed Status to the
  // JSON error (with the pointer of the field it is about).
  static httplib::Server::Handler Wrap(Api* api, Fn fn, bool raw = false) {
    return [api, fn, raw](const httplib::Request& req, httplib::Response& res) {
      Body body;
      Status s;
      if (req.method != "GET" && !raw) s = body.Parse(req.body);
      if (s.ok() && req.method != "GET" && !raw) {
        json problems;
        s = api->schemas_.Check(req.method, req.path, body.json(), &problems);
        if (!s.ok()) {
          json error = ErrorJson(s, problems.at(0).value("pointer", ""));
          error["error"]["problems"] = problems;
          SendJson(res, error, HttpStatusOf(s.code()));
          return;
        }
      }
      if (s.ok()) {
        std::lock_guard<std::mutex> lock(api->mu_);
        try {
          if (api->guard_->accounts() && req.matches.size() > 1 && req.path.rfind("/api/assessments/", 0) == 0)
            s = api->CheckRead(req, req.matches[1]);
          if (s.ok()) s = fn(*api, req, res, &body);
        } catch (const std::exception& e) {
          s = Status::IOError(std::string("internal error: ") + e.what());
        }
      }
      if (!s.ok()) SendError(res, s, body.failed().empty() ? PointerOf(s, body) : body.failed());
    };
  }

  // The request field an engine error is about: its subject's kind when the
  // body has that field ("instance", "item", "process"; a person is the
  // rating's "/assessor").
  static std::string PointerOf(const Status& s, const Body& body) {
    std::string kind = s.subject().kind;
    if (kind == "person" && body.json().contains("assessor")) kind = "assessor";
    if (!kind.empty() && body.json().contains(kind)) return "/" + kind;
    return "";
  }

  static Status Writer(Api& api, const httplib::Request& req, Workspace** ws) {
    return api.WorkspaceAs(api.guard_->Actor(req), ws);
  }

  static Status SessionInfo(Api& api, const httplib::Request& req, httplib::Response& res, Body*) {
    std::vector<RegisteredPerson> people;
    ASSAY_RETURN_IF_ERROR(api.session_->ws->ListPeople(&people));
    json registry = json::array();
    for (const RegisteredPerson& p : people) registry.push_back({{"id", p.id}, {"name", p.name}});
    json out = {{"csrf", api.guard_->Csrf(req)},
                {"actor", api.guard_->Actor(req)},
                {"workspace", api.session_->ws->path()},
                {"version", ASSAY_VERSION},
                {"people", registry}};
    if (api.guard_->accounts()) {  // the signed-in account is the actor
      out["accounts"] = true;
      out["roles"] = api.guard_->Roles(req);
    }
    SendJson(res, out);
    return Status::OK();
  }

  static Status SetActor(Api& api, const httplib::Request& req, httplib::Response& res, Body* body) {
    if (api.guard_->accounts())
      return Status::PermissionDenied("this workspace has accounts: the signed-in user (" + api.guard_->Actor(req) +
                                      ") is the actor of every event; no other actor can be chosen")
          .About("actor", "", {}, "accounts");
    std::string actor;
    ASSAY_RETURN_IF_ERROR(body->Str("actor", true, &actor));
    if (std::string why = WhyNotSafeId(actor); !why.empty()) {
      return Status::InvalidInput("/actor: " + why);
    }
    api.guard_->SetActor(req, actor);
    SendJson(res, {{"actor", actor}});
    return Status::OK();
  }

  static Status Models(Api& api, const httplib::Request&, httplib::Response& res, Body*) {
    json out = json::array();
    for (const PackInfo& p : api.session_->library.packs())
      if (p.kind == "pam") out.push_back({{"id", p.id}, {"version", p.version}, {"title", p.title}});
    SendJson(res, out);
    return Status::OK();
  }

  static Status ListAssessments(Api& api, const httplib::Request& req, httplib::Response& res, Body*) {
    std::vector<Assessment> all;
    const std::vector<std::string> roles = api.guard_->Roles(req);
    const bool client_only = api.guard_->accounts() && roles == std::vector<std::string>{"client"};
    if (!client_only) ASSAY_RETURN_IF_ERROR(api.session_->ws->ListAssessments(&all));
    json out = json::array();
    for (const Assessment& a : all) out.push_back(AssessmentJson(a));
    SendJson(res, out);
    return Status::OK();
  }

  static Status CreateAssessment(Api& api, const httplib::Request& req, httplib::Response& res, Body* body) {
    Assessment a;
    std::string method = "R2", aggregation = "mean", scale = "standard";
    int64_t klass = 3;
    ASSAY_RETURN_IF_ERROR(body->Str("id", true, &a.id));
    ASSAY_RETURN_IF_ERROR(body->Str("model", true, &a.model_id));
    ASSAY_RETURN_IF_ERROR(body->Str("model_version", false, &a.model_version));
    for (auto [field, target] : {std::pair{"title", &a.title}, {"organization", &a.organization},
                                 {"series", &a.series}, {"sponsor", &a.sponsor}, {"purpose", &a.purpose},
                                 {"start_date", &a.start_date}, {"end_date", &a.end_date}})
      ASSAY_RETURN_IF_ERROR(body->Str(field, false, target));
    for (auto [field, target] : {std::pair{"method", &method}, {"aggregation", &aggregation}, {"scale", &scale}}) {
      std::string v;
      ASSAY_RETURN_IF_ERROR(body->Str(field, false, &v));
      if (!v.empty()) *target = v;
    }
    ASSAY_RETURN_IF_ERROR(body->Int("class", false, &klass));
    a.assessment_class = static_cast<int>(klass);
    if (Status s = ParseRatingMethod(method, &a.options.method); !s.ok()) return s.Reworded("/method: " + s.message());
    if (Status s = ParseAggregationMethod(aggregation, &a.options.aggregation); !s.ok())
      return s.Reworded("/aggregation: " + s.message());
    if (Status s = ParseScaleKind(scale, &a.options.scale); !s.ok()) return s.Reworded("/scale: " + s.message());
    Workspace* ws = nullptr;
    ASSAY_RETURN_IF_ERROR(Writer(api, req, &ws));
    WriteResult r;
    ASSAY_RETURN_IF_ERROR(ws->CreateAssessment(a, &r));
    ASSAY_RETURN_IF_ERROR(ws->GetAssessment(a.id, &a));
    SendJson(res, AssessmentJson(a), 201);
    return Status::OK();
  }

  static Status ShowAssessment(Api& api, const httplib::Request& req, httplib::Response& res, Body*) {
    Loaded loaded;
    ASSAY_RETURN_IF_ERROR(ReadAssessment(api.session_.get(), req.matches[1], SnapshotOptions(), &loaded));
    const AssessmentData& d = loaded.data;
    json processes = json::array();
    for (const Process& p : loaded.model->processes()) processes.push_back({{"id", p.id}, {"name", p.name}});
    json scope = json::array(), units = json::array(), instances = json::array(), team = json::array();
    for (const ScopedProcess& s : d.scope) scope.push_back({{"process", s.process}, {"target_level", s.target_level}});
    for (const OrgUnit& u : d.units) units.push_back({{"id", u.id}, {"name", u.name}});
    for (const ProcessInstance& i : d.instances) instances.push_back(InstanceJson(i));
    for (const Person& p : d.people) team.push_back(PersonJson(p));
    SendJson(res, {{"assessment", AssessmentJson(d.assessment)},
                   {"scope", scope},
                   {"units", units},
                   {"instances", instances},
                   {"team", team},
                   {"allowed_status", StatusNames(AllowedTransitions(d.assessment.status))},
                   {"model_processes", processes},
                   {"log_seq", loaded.log_seq},
                   {"ratings", d.ratings.size()}});
    return Status::OK();
  }

  static json StatusNames(const std::vector<AssessmentStatus>& all) {
    json out = json::array();
    for (AssessmentStatus s : all) out.push_back(AssessmentStatusName(s));
    return out;
  }

  static Status SetStatus(Api& api, const httplib::Request& req, httplib::Response& res, Body* body) {
    std::string to;
    ASSAY_RETURN_IF_ERROR(body->Str("status", true, &to));
    AssessmentStatus target;
    if (Status s = ParseAssessmentStatus(to, &target); !s.ok()) return s.Reworded("/status: " + s.message());
    Workspace* ws = nullptr;
    ASSAY_RETURN_IF_ERROR(Writer(api, req, &ws));
    WriteResult r;
    ASSAY_RETURN_IF_ERROR(ws->SetStatus(req.matches[1], target, &r));
    SendJson(res, {{"status", to}, {"event", r.event}});
    return Status::OK();
  }

  static void SendWrite(httplib::Response& res, const WriteResult& r) {
    SendJson(res, {{"result", Done(r)}, {"event", r.event}}, r.kind == WriteResult::Kind::kCreated ? 201 : 200);
  }

  static Status PutScope(Api& api, const httplib::Request& req, httplib::Response& res, Body* body) {
    ScopedProcess scope;
    int64_t target = 3;
    ASSAY_RETURN_IF_ERROR(body->Str("process", true, &scope.process));
    ASSAY_RETURN_IF_ERROR(body->Int("target_level", false, &target));
    scope.target_level = static_cast<int>(target);
    Workspace* ws = nullptr;
    ASSAY_RETURN_IF_ERROR(Writer(api, req, &ws));
    WriteResult r;
    ASSAY_RETURN_IF_ERROR(ws->PutScope(req.matches[1], scope, &r));
    SendWrite(res, r);
    return Status::OK();
  }

  static Status PutUnit(Api& api, const httplib::Request& req, httplib::Response& res, Body* body) {
    OrgUnit unit;
    ASSAY_RETURN_IF_ERROR(body->Str("id", true, &unit.id));
    ASSAY_RETURN_IF_ERROR(body->Str("name", false, &unit.name));
    ASSAY_RETURN_IF_ERROR(body->Str("description", false, &unit.description));
    Workspace* ws = nullptr;
    ASSAY_RETURN_IF_ERROR(Writer(api, req, &ws));
    WriteResult r;
    ASSAY_RETURN_IF_ERROR(ws->PutUnit(req.matches[1], unit, &r));
    SendWrite(res, r);
    return Status::OK();
  }

  // One instance, or several at once: {"instances": [{...}, ...]} (all
  // validated by the store one after another; the first failure stops).
  static Status PutInstances(Api& api, const httplib::Request& req, httplib::Response& res, Body* body) {
    std::vector<Body> items;
    if (body->json().contains("instances")) {
      const json& list = body->json()["instances"];
      if (!list.is_array()) return Status::InvalidInput("/instances: expected an array");
      for (size_t n = 0; n < list.size(); ++n) items.emplace_back(list[n], "/instances/" + std::to_string(n));
    } else {
      items.push_back(*body);
    }
    Workspace* ws = nullptr;
    ASSAY_RETURN_IF_ERROR(Writer(api, req, &ws));
    json results = json::array();
    for (Body& b : items) {
      ProcessInstance i;
      Status s = b.Str("id", true, &i.id);
      if (s.ok()) s = b.Str("process", true, &i.process);
      if (s.ok()) s = b.Str("name", false, &i.name);
      if (s.ok()) s = b.Str("unit", false, &i.unit);
      WriteResult r;
      if (s.ok()) s = ws->PutInstance(req.matches[1], i, &r);
      if (!s.ok()) {
        SendError(res, s, b.failed().empty() ? b.Pointer(s.subject().kind == "unit" ? "unit" : "id") : b.failed());
        return Status::OK();
      }
      results.push_back({{"id", i.id}, {"result", Done(r)}, {"event", r.event}});
    }
    SendJson(res, {{"instances", results}}, 201);
    return Status::OK();
  }

  static Status PutPerson(Api& api, const httplib::Request& req, httplib::Response& res, Body* body) {
    Person p;
    std::vector<std::string> roles;
    ASSAY_RETURN_IF_ERROR(body->Str("id", true, &p.id));
    ASSAY_RETURN_IF_ERROR(body->Str("name", false, &p.name));
    ASSAY_RETURN_IF_ERROR(body->Str("organization", false, &p.organization));
    ASSAY_RETURN_IF_ERROR(body->Strings("roles", &roles));
    for (size_t n = 0; n < roles.size(); ++n) {
      Role role;
      if (Status s = ParseRole(roles[n], &role); !s.ok())
        return s.Reworded("/roles/" + std::to_string(n) + ": " + s.message());
      p.roles.push_back(role);
    }
    Workspace* ws = nullptr;
    ASSAY_RETURN_IF_ERROR(Writer(api, req, &ws));
    WriteResult r;
    ASSAY_RETURN_IF_ERROR(ws->PutPerson(req.matches[1], p, &r));
    SendWrite(res, r);
    return Status::OK();
  }

  static Status Items(Api& api, const httplib::Request& req, httplib::Response& res, Body*) {
    json out;
    ASSAY_RETURN_IF_ERROR(ItemsJson(api.session_.get(), req.matches[1], &out));
    SendJson(res, out);
    return Status::OK();
  }

  static Status Rate(Api& api, const httplib::Request& req, httplib::Response& res, Body* body) {
    Workspace* ws = nullptr;
    ASSAY_RETURN_IF_ERROR(Writer(api, req, &ws));
    json out;
    int http_status = 200;
    ASSAY_RETURN_IF_ERROR(RateJson(api.session_.get(), ws, req.matches[1], *body, &out, &http_status));
    SendJson(res, out, http_status);
    return Status::OK();
  }

  static Status Profile(Api& api, const httplib::Request& req, httplib::Response& res, Body*) {
    std::string text;
    ASSAY_RETURN_IF_ERROR(ResultJson(api.session_.get(), req.matches[1], "profile", &text));
    res.set_content(text, "application/json; charset=utf-8");
    return Status::OK();
  }

  static Status Checks(Api& api, const httplib::Request& req, httplib::Response& res, Body*) {
    std::string text;
    ASSAY_RETURN_IF_ERROR(ResultJson(api.session_.get(), req.matches[1], "checks", &text));
    res.set_content(text, "application/json; charset=utf-8");
    return Status::OK();
  }

  static Status VerifyLog(Api& api, const httplib::Request&, httplib::Response& res, Body*) {
    SendJson(res, VerifyJson(api.session_->ws.get()));
    return Status::OK();
  }

  static Status Report(Api& api, const httplib::Request& req, httplib::Response& res, Body*) {
    const std::string id = req.matches[1], format = req.matches[2];
    std::string bytes;
    ASSAY_RETURN_IF_ERROR(AssessmentReportNow(api.session_.get(), api.global_, id, format, &bytes));
    const bool pdf = format == "pdf";
    res.set_content(bytes, pdf ? "application/pdf" : "application/json; charset=utf-8");
    res.set_header("Content-Disposition", "attachment; filename=\"" + DownloadName(id) + "-report." + format + "\"");
    return Status::OK();
  }
};

std::string DownloadName(const std::string& id) {
  std::string name;
  for (char c : id) name += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ? c : '_';
  return name;
}

Status Api::CheckRead(const httplib::Request& req, const std::string& assessment) {
  Workspace* ws = nullptr;
  ASSAY_RETURN_IF_ERROR(WorkspaceAs(guard_->Actor(req), &ws));
  return ws->AuthorizeRead(assessment, "");
}

httplib::Server::Handler Route(Api* api, RouteFn fn, bool raw) { return ApiRoutes::Wrap(api, std::move(fn), raw); }

void Api::Install(httplib::Server* server) {
  using R = ApiRoutes;
  const std::string a = R"(/api/assessments/([^/]+))";
  server->Get("/api/session", R::Wrap(this, R::SessionInfo));
  server->Put("/api/session", R::Wrap(this, R::SetActor));
  server->Get("/api/models", R::Wrap(this, R::Models));
  server->Get("/api/assessments", R::Wrap(this, R::ListAssessments));
  server->Post("/api/assessments", R::Wrap(this, R::CreateAssessment));
  server->Get(a, R::Wrap(this, R::ShowAssessment));
  server->Post(a + "/status", R::Wrap(this, R::SetStatus));
  server->Post(a + "/scope", R::Wrap(this, R::PutScope));
  server->Post(a + "/units", R::Wrap(this, R::PutUnit));
  server->Post(a + "/instances", R::Wrap(this, R::PutInstances));
  server->Post(a + "/team", R::Wrap(this, R::PutPerson));
  server->Get(a + "/items", R::Wrap(this, R::Items));
  server->Put(a + "/ratings", R::Wrap(this, R::Rate));
  server->Get(a + "/profile", R::Wrap(this, R::Profile));
  server->Get(a + "/checks", R::Wrap(this, R::Checks));
  server->Get(a + R"(/report\.(pdf|json))", R::Wrap(this, R::Report));
  server->Get("/api/log/verify", R::Wrap(this, R::VerifyLog));
  server->Get("/api/openapi.json", [](const httplib::Request&, httplib::Response& res) {
    const WebAsset* openapi = FindWebAsset("/api/openapi.json");
    res.set_content(reinterpret_cast<const char*>(openapi->data), openapi->size, openapi->type);
  });
  InstallRecordRoutes(this, server);
  InstallLoginRoutes(this, server);
  server->set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (res.status == 404 && res.body.empty())
      SendError(res, Status::NotFound("no such resource: " + req.method + " " + DisplaySafe(req.path)));
  });
}

}  // namespace assay::cli::serve
