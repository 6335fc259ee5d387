// assay serve in a workspace with accounts (docs/ACCOUNTS.md, docs/API.md):
// POST /api/login {user, password} checks the password with the engine
// (Argon2id), rate-limited per account and per address, and starts a
// session; POST /api/logout ends it.
#include <string>

#include "api_json.h"
#include "serve.h"

namespace assay::cli::serve {

using nlohmann::json;

struct LoginRoutes {
  static void Login(Api* api, const httplib::Request& req, httplib::Response& res) {
    if (!api->guard_->accounts()) {
      SendError(res, Status::NotFound("this workspace has no accounts: open the URL assay serve printed"));
      return;
    }
    Body body;
    Status s = body.Parse(req.body);
    std::string user, password;
    if (s.ok()) s = body.Str("user", true, &user);
    if (s.ok()) s = body.Str("password", true, &password);
    if (!s.ok()) {
      SendError(res, s, body.failed());
      return;
    }
    const std::string address = Guard::ClientAddress(req);
    if (const std::string why = api->guard_->WhyNoLogin(user, address); !why.empty()) {
      SendJson(res, {{"error", {{"code", "rate-limited"}, {"status", 429}, {"message", why}}}}, 429);
      return;
    }
    Account account;
    {
      std::lock_guard<std::mutex> lock(api->mu_);
      s = api->session_->ws->Authenticate(user, password, NowUtc(), &account);
    }
    if (!s.ok()) {
      if (s.code() == Status::Code::kPermissionDenied) api->guard_->NoteLoginFailure(user, address);
      json e = ErrorJson(s);
      if (s.code() == Status::Code::kPermissionDenied) e["error"]["status"] = 401;
      SendJson(res, e, s.code() == Status::Code::kPermissionDenied ? 401 : HttpStatusOf(s.code()));
      return;
    }
    const std::string csrf = api->guard_->StartSession(req, res, account.id, account.roles);
    SendJson(res, {{"user", account.id}, {"name", account.name}, {"roles", account.roles}, {"csrf", csrf}});
  }

  static void Logout(Api* api, const httplib::Request& req, httplib::Response& res) {
    api->guard_->EndSession(req, res);
    SendJson(res, {{"signed_out", true}});
  }
};

void InstallLoginRoutes(Api* api, httplib::Server* server) {
  server->Post("/api/login",
               [api](const httplib::Request& req, httplib::Response& res) { LoginRoutes::Login(api, req, res); });
  server->Post("/api/logout",
               [api](const httplib::Request& req, httplib::Response& res) { LoginRoutes::Logout(api, req, res); });
}

}  // namespace assay::cli::serve
