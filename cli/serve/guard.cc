// Who may talk to assay serve: the Host header (DNS rebinding), the one-time
// token exchanged for a session cookie (or, in a workspace with accounts, a
// sign-in with a user and password, rate-limited, with idle and absolute
// expiry), the CSRF header on writes; and the security headers of every
// response.
#include <arpa/inet.h>
#include <sodium.h>

#include <algorithm>
#include <iterator>
#include <string>

#include "serve.h"

namespace assay::cli::serve {

namespace {

const char* kCookie = "assay_session";

// The value of cookie `name` in the request's Cookie header, or "".
std::string CookieValue(const httplib::Request& req, const std::string& name) {
  const std::string header = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.erase(0, 1);
    if (part.compare(0, name.size() + 1, name + "=") == 0) return part.substr(name.size() + 1);
    pos = end + 1;
  }
  return "";
}

// Equal, in time independent of where they differ.
bool SameSecret(const std::string& a, const std::string& b) {
  return a.size() == b.size() && !a.empty() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool IsWrite(const std::string& method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

void Refuse(httplib::Response& res, int http_status, const std::string& message, const std::string& reason) {
  nlohmann::json body = {{"error", {{"message", message}, {"status", http_status}, {"reason", reason}}}};
  res.status = http_status;
  res.set_content(body.dump() + "\n", "application/json");
}

}  // namespace

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (char ch : raw) {
    const auto c = static_cast<unsigned char>(ch);
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

bool IsLoopback(const std::string& address) {
  if (address == "localhost" || address == "::1" || address == "[::1]") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, address.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  return false;
}

Guard::Guard(std::string bind, int port) : token_(RandomHex(32)) {
  const std::string p = ":" + std::to_string(port);
  hosts_ = {"127.0.0.1" + p, "localhost" + p, "[::1]" + p};
  if (bind.find(':') != std::string::npos && bind.front() != '[') bind = "[" + bind + "]";
  if (bind != "0.0.0.0" && bind != "[::]") hosts_.push_back(bind + p);
}

bool Guard::HostAllowed(const httplib::Request& req) const {
  const std::string host = req.get_header_value("Host");
  for (const std::string& h : hosts_)
    if (host == h) return true;
  return false;
}

Guard::SessionState* Guard::Find(const httplib::Request& req) {
  const std::string cookie = CookieValue(req, kCookie);
  if (cookie.empty()) return nullptr;
  for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
    if (!SameSecret(it->first, cookie)) continue;
    SessionState& state = it->second;
    if (accounts_) {  // idle and absolute expiry
      const Clock::time_point now = Clock::now();
      if (now - state.last > kIdleTimeout || now - state.started > kMaxSession) {
        sessions_.erase(it);
        return nullptr;
      }
      state.last = now;
    }
    return &state;
  }
  return nullptr;
}

// GET /?token=T: the one-time token becomes a session (cookie) and the
// browser is sent to / without the token in its address bar.
bool Guard::ExchangeToken(const httplib::Request& req, httplib::Response& res) {
  std::lock_guard<std::mutex> lock(mu_);
  if (token_used_ || !SameSecret(req.get_param_value("token"), token_)) return false;
  token_used_ = true;
  const std::string cookie = RandomHex(32);
  sessions_[cookie] = SessionState{RandomHex(32), "", {}, Clock::now(), Clock::now()};
  res.set_header("Set-Cookie", std::string(kCookie) + "=" + cookie + "; Path=/; HttpOnly; SameSite=Strict");
  res.set_redirect("/", 303);
  return true;
}

bool Guard::OriginAllowed(const httplib::Request& req) const {
  const std::string origin = req.get_header_value("Origin");
  if (origin.empty()) return true;
  for (const std::string& h : hosts_)
    if (origin == "http://" + h || origin == "https://" + h) return true;
  return false;
}

// With accounts, the page itself and the sign-in need no session.
bool Guard::OpenWithoutSession(const httplib::Request& req) const {
  if (!accounts_) return false;
  if (req.method == "POST" && (req.path == "/api/login" || req.path == "/api/logout")) return true;
  return req.method == "GET" && (req.path == "/" || req.path == "/index.html" || req.path == "/app.js" ||
                                 req.path == "/app.css");
}

httplib::Server::HandlerResponse Guard::Check(const httplib::Request& req, httplib::Response& res) {
  using R = httplib::Server::HandlerResponse;
  if (!HostAllowed(req)) {
    Refuse(res, 403, "Host '" + req.get_header_value("Host") + "' is not this server's address", "host");
    return R::Handled;
  }
  if (req.method == "GET" && req.path == "/" && req.has_param("token")) {
    if (!accounts_ && ExchangeToken(req, res)) return R::Handled;
    Refuse(res, 401,
           accounts_ ? "this server signs in with a user and password: open / without a token"
                     : "this sign-in link is not valid or was used already; restart assay serve for a new one",
           "token");
    return R::Handled;
  }
  if (OpenWithoutSession(req)) {
    if (IsWrite(req.method) && !OriginAllowed(req)) {
      Refuse(res, 403, "a sign-in from another site is refused", "origin");
      return R::Handled;
    }
    return R::Unhandled;
  }
  std::lock_guard<std::mutex> lock(mu_);
  SessionState* session = Find(req);
  if (session == nullptr) {
    if (accounts_)
      Refuse(res, 401, "not signed in (or the session expired): sign in with your user and password", "login");
    else
      Refuse(res, 401, "not signed in: open the URL assay serve printed", "session");
    return R::Handled;
  }
  if (IsWrite(req.method)) {
    if (!OriginAllowed(req) || !SameSecret(req.get_header_value("X-CSRF-Token"), session->csrf)) {
      Refuse(res, 403, "a write needs the page's X-CSRF-Token header", "csrf");
      return R::Handled;
    }
  }
  return R::Unhandled;
}

std::string Guard::WhyNoLogin(const std::string& user, const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  const Clock::time_point now = Clock::now();
  auto recent = [&](const std::string& key) {
    std::vector<Clock::time_point>& v = failures_[key];
    std::erase_if(v, [&](Clock::time_point t) { return now - t > kFailureWindow; });
    return static_cast<int>(v.size());
  };
  if (recent("user:" + user) >= kMaxFailuresPerAccount)
    return "too many failed sign-ins for this user; wait 15 minutes (or ask an admin)";
  if (recent("address:" + address) >= kMaxFailuresPerAddress)
    return "too many failed sign-ins from this address; wait 15 minutes";
  return "";
}

void Guard::NoteLoginFailure(const std::string& user, const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  const Clock::time_point now = Clock::now();
  if (failures_.size() >= kFailureKeysBeforeSweep) {
    for (auto it = failures_.begin(); it != failures_.end();) {
      std::erase_if(it->second, [&](Clock::time_point t) { return now - t > kFailureWindow; });
      it = it->second.empty() ? failures_.erase(it) : std::next(it);
    }
  }
  failures_["user:" + user].push_back(now);
  failures_["address:" + address].push_back(now);
}

std::string Guard::ClientAddress(const httplib::Request& req) {
  const std::string& peer = req.remote_addr;
  const bool local = peer == "::1" || peer.rfind("127.", 0) == 0 || peer == "::ffff:127.0.0.1";
  const std::string forwarded = req.get_header_value("X-Forwarded-For");
  if (!local || forwarded.empty()) return peer;
  std::string last = forwarded.substr(forwarded.rfind(',') == std::string::npos ? 0 : forwarded.rfind(',') + 1);
  const size_t b = last.find_first_not_of(" \t"), e = last.find_last_not_of(" \t");
  return b == std::string::npos ? peer : last.substr(b, e - b + 1);
}

std::string Guard::StartSession(const httplib::Request& req, httplib::Response& res, const std::string& user,
                                const std::vector<std::string>& roles) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_.erase("user:" + user);
  // A session cookie the request came with is replaced (no fixation).
  const std::string old = CookieValue(req, kCookie);
  if (!old.empty()) sessions_.erase(old);
  const std::string cookie = RandomHex(32);
  const Clock::time_point now = Clock::now();
  SessionState st{RandomHex(32), user, roles, now, now};
  sessions_[cookie] = st;
  const bool tls = req.get_header_value("X-Forwarded-Proto") == "https";
  res.set_header("Set-Cookie", std::string(kCookie) + "=" + cookie + "; Path=/; HttpOnly; SameSite=Strict" +
                                   (tls ? "; Secure" : ""));
  return st.csrf;
}

void Guard::EndSession(const httplib::Request& req, httplib::Response& res) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::string cookie = CookieValue(req, kCookie);
  if (!cookie.empty()) sessions_.erase(cookie);
  res.set_header("Set-Cookie", std::string(kCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
}

std::vector<std::string> Guard::Roles(const httplib::Request& req) {
  std::lock_guard<std::mutex> lock(mu_);
  SessionState* s = Find(req);
  return s ? s->roles : std::vector<std::string>();
}

void Guard::Install(httplib::Server* server) {
  server->set_default_headers({
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Cache-Control", "no-store"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
  });
  server->set_pre_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) { return Check(req, res); });
}

std::string Guard::Actor(const httplib::Request& req) {
  std::lock_guard<std::mutex> lock(mu_);
  SessionState* s = Find(req);
  return s ? s->actor : "";
}

void Guard::SetActor(const httplib::Request& req, const std::string& person) {
  std::lock_guard<std::mutex> lock(mu_);
  if (SessionState* s = Find(req)) s->actor = person;
}

std::string Guard::Csrf(const httplib::Request& req) {
  std::lock_guard<std::mutex> lock(mu_);
  SessionState* s = Find(req);
  return s ? s->csrf : "";
}

}  // namespace assay::cli::serve
