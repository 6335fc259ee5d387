// assay serve: the browser front end over the same engine (docs/API.md).
//
// server.cc runs cpp-httplib: it binds, prints the one-time URL, stops on
// SIGINT/SIGTERM and joins every thread before it returns. guard.cc admits
// requests (Host header, one-time token -> session cookie, CSRF header on
// writes) and sets the security headers. api.cc answers the JSON API by
// calling the engine and the report renderers the commands call; no rating,
// check or report logic lives here. assets.cc serves the web app embedded
// at build time (web/, cmake/EmbedWeb.cmake). request_schemas.cc checks
// every JSON request body against the OpenAPI description served with it.
#ifndef ASSAY_CLI_SERVE_SERVE_H_
#define ASSAY_CLI_SERVE_SERVE_H_

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "../cli.h"
#include "assay/json_schema.h"
#include "serve_hooks.h"
#include "web_asset.h"

namespace assay::cli::serve {

struct ServeOptions {
  std::string bind = "127.0.0.1";
  int port = 8765;  // 0: any free port (the URL printed says which)
  bool open = false;          // start the desktop's browser (xdg-open) on the URL
  bool allow_remote = false;  // required for a --bind that is not a loopback address
};

// Whether `address` is a loopback address (127.0.0.0/8, ::1, "localhost").
bool IsLoopback(const std::string& address);

// Who may talk to the server: the one-time token, the sessions it was
// exchanged for (each with its CSRF token and acting person), the Host
// names accepted. Thread-safe.
class Guard {
 public:
  Guard(std::string bind, int port);
  const std::string& token() const { return token_; }
  // A workspace with accounts (docs/ACCOUNTS.md): no one-time token; the
  // page and POST /api/login are open, everything else needs a session
  // made by StartSession.
  void set_accounts(bool on) { accounts_ = on; }
  bool accounts() const { return accounts_; }
  // Installs the pre-routing check and the default security headers.
  void Install(httplib::Server* server);
  // The acting person of the request's session ("" when none chosen yet);
  // with accounts, the signed-in account.
  std::string Actor(const httplib::Request& req);
  void SetActor(const httplib::Request& req, const std::string& person);
  std::string Csrf(const httplib::Request& req);
  // The signed-in account's roles (with accounts).
  std::vector<std::string> Roles(const httplib::Request& req);

  // --- Sign-in (with accounts) ---
  // "" when `user` may try to sign in from `address` now; otherwise why not
  // (too many failures: kMaxFailuresPerAccount per account or
  // kMaxFailuresPerAddress per address within kFailureWindow).
  std::string WhyNoLogin(const std::string& user, const std::string& address);
  void NoteLoginFailure(const std::string& user, const std::string& address);
  // The address a request came from, for the limits above: the peer's,
  // or, when the peer is this host (a reverse proxy beside the server, as
  // docs/DEPLOY.md sets it up) and says X-Forwarded-For, the last address
  // there (the one the proxy itself appended).
  static std::string ClientAddress(const httplib::Request& req);
  // A new session for `user` (its cookie set on `res`: HttpOnly,
  // SameSite=Strict, Secure when the request came over TLS through a proxy
  // saying X-Forwarded-Proto: https); returns its CSRF token.
  std::string StartSession(const httplib::Request& req, httplib::Response& res, const std::string& user,
                           const std::vector<std::string>& roles);
  // Ends the request's session and clears its cookie.
  void EndSession(const httplib::Request& req, httplib::Response& res);

  static constexpr int kMaxFailuresPerAccount = 5;
  static constexpr int kMaxFailuresPerAddress = 20;
  static constexpr std::chrono::minutes kFailureWindow{15};
  static constexpr std::chrono::minutes kIdleTimeout{30};
  static constexpr std::chrono::hours kMaxSession{12};
  // Failure records kept before expired ones are swept out (a stream of
  // sign-ins under random user names must not grow the table for ever).
  static constexpr size_t kFailureKeysBeforeSweep = 4096;

 private:
  using Clock = std::chrono::steady_clock;
  struct SessionState {
    std::string csrf;
    std::string actor;
    std::vector<std::string> roles;
    Clock::time_point started, last;
  };
  httplib::Server::HandlerResponse Check(const httplib::Request& req, httplib::Response& res);
  bool HostAllowed(const httplib::Request& req) const;
  bool OriginAllowed(const httplib::Request& req) const;
  bool ExchangeToken(const httplib::Request& req, httplib::Response& res);
  bool OpenWithoutSession(const httplib::Request& req) const;
  SessionState* Find(const httplib::Request& req);  // REQUIRES: mu_ held; drops an expired session

  std::mutex mu_;
  std::string token_;
  bool token_used_ = false;
  bool accounts_ = false;
  std::vector<std::string> hosts_;
  std::map<std::string, SessionState> sessions_;  // by cookie value
  std::map<std::string, std::vector<Clock::time_point>> failures_;  // "user:ID" or "address:A" -> recent failures
};

// Random bytes as lower-case hex (libsodium's randombytes).
std::string RandomHex(size_t bytes);

// The JSON error body {"error": {...}} for `status`: its message, the CLI's
// hint, the subject (kind, ID, nearest IDs, reason) and a JSON pointer into
// the request body when one is known.
nlohmann::json ErrorJson(const Status& status, const std::string& pointer = "");
// `id` as a download's file name: letters, digits, '-' and '.'; '_' for the rest.
std::string DownloadName(const std::string& id);
// The HTTP status of an engine status code.
int HttpStatusOf(Status::Code code);
// Sets `res` to the JSON error.
void SendError(httplib::Response& res, const Status& status, const std::string& pointer = "");
void SendJson(httplib::Response& res, const nlohmann::json& body, int http_status = 200);

// The JSON request bodies' schemas of the OpenAPI description
// (request_schemas.cc). Loaded once; read-only afterwards.
class RequestSchemas {
 public:
  // Compiles the schema of every operation with a JSON request body.
  Status Load(const std::string& openapi_text);
  // OK when `body` matches the schema of (method, path), or when that
  // operation has none. Otherwise InvalidInput naming the first problem,
  // and `problems` set to [{pointer, message}] for all of them.
  Status Check(const std::string& method, const std::string& path, const nlohmann::json& body,
               nlohmann::json* problems) const;

 private:
  struct Operation {
    std::string method;  // "POST"
    std::string path;    // the description's template
    std::regex pattern;
    nlohmann::json root;  // the schema document compiled
    std::unique_ptr<JsonSchema> schema;
  };
  const Operation* Find(const std::string& method, const std::string& path) const;
  static std::string EnumMessage(const Operation& op, const nlohmann::json& body, const std::string& pointer);
  static std::string TypeMessage(const Operation& op, const nlohmann::json& body, const std::string& pointer);
  std::vector<Operation> operations_;
};

// The API's state: the command line's options, one session (library and a
// connection per acting person) used under one lock.
class Api {
 public:
  Api(const GlobalOptions& global, Guard* guard);
  Status Open();
  // Whether the workspace has accounts (then the server signs users in).
  Status HasAccounts(bool* has) { return session_->ws->HasAccounts(has); }
  void Install(httplib::Server* server);

 private:
  friend struct ApiRoutes;
  friend struct RecordRoutes;
  friend struct LoginRoutes;
  // With accounts: whether the signed-in user may read `assessment` (the
  // engine's AuthorizeRead; a refusal is logged).
  Status CheckRead(const httplib::Request& req, const std::string& assessment);
  // The connection that writes as `actor` ("" = the server's own user).
  Status WorkspaceAs(const std::string& actor, Workspace** ws);

  const GlobalOptions& global_;
  Guard* guard_;
  std::mutex mu_;
  std::unique_ptr<Session> session_;
  std::map<std::string, std::unique_ptr<Workspace>> writers_;
  RequestSchemas schemas_;
};

// POST /api/login and /api/logout (api_login.cc).
void InstallLoginRoutes(Api* api, httplib::Server* server);

// Evidence, interviews, what-if and consolidation (api_records.cc).
void InstallRecordRoutes(Api* api, httplib::Server* server);

// The embedded web app (web/, generated at build time).
const WebAsset* FindWebAsset(const std::string& path);
void InstallAssets(httplib::Server* server);

int RunServe(const GlobalOptions& global, const ServeOptions& options);

}  // namespace assay::cli::serve

#endif  // ASSAY_CLI_SERVE_SERVE_H_
