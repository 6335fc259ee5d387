// assay serve: binds, prints the one-time URL, serves until SIGINT or
// SIGTERM, then stops the listener and joins every thread before returning.
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <spawn.h>
#include <sys/wait.h>

#include <iostream>
#include <string>
#include <thread>

#include "../commands.h"
#include "serve.h"

extern char** environ;

namespace assay::cli::serve {

namespace {

const char* kServeExitCodes =
    "Exit codes: 0 stopped (SIGINT or SIGTERM), 2 usage (a non-loopback --bind without --allow-remote),\n"
    "3 invalid input, 4 no workspace, 6 the port cannot be bound.";

// Starts the desktop's browser on `url` (xdg-open), without waiting for it.
void OpenBrowser(const std::string& url) {
  pid_t pid = 0;
  std::string prog = "xdg-open";
  char* argv[] = {prog.data(), const_cast<char*>(url.c_str()), nullptr};
  if (posix_spawnp(&pid, "xdg-open", nullptr, nullptr, argv, environ) != 0)
    std::cerr << "assay serve: cannot start xdg-open; open the URL yourself\n";
}

// The host part of a URL for `bind`.
std::string UrlHost(const std::string& bind) {
  if (bind == "0.0.0.0") return "127.0.0.1";
  if (bind == "::") return "[::1]";
  if (bind.find(':') != std::string::npos) return "[" + bind + "]";
  return bind;
}

}  // namespace

int RunServe(const GlobalOptions& global, const ServeOptions& options) {
  if (!IsLoopback(options.bind) && !options.allow_remote) {
    std::cerr << "assay serve: --bind " << options.bind
              << " is reachable from other machines; add --allow-remote, and put a TLS reverse proxy in front "
                 "(docs/API.md)\n";
    return kExitUsage;
  }
  if (sodium_init() < 0) return Fail(Status::IOError("libsodium cannot be initialized"));
  // SIGINT and SIGTERM are taken by one thread (sigwait) that stops the
  // server; blocked before any thread starts, so every thread inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  httplib::Server server;
  server.set_payload_max_length(64 << 20);  // an evidence file (POST .../evidence/ID/file)
  // A response's headers and body go out at once: without this, Nagle's
  // algorithm holds the body for the client's delayed ACK (some 40 ms).
  server.set_tcp_nodelay(true);
  const int port = options.port == 0 ? server.bind_to_any_port(options.bind)
                                     : (server.bind_to_port(options.bind, options.port) ? options.port : -1);
  if (port <= 0)
    return Fail(Status::IOError("cannot listen on " + options.bind + ":" + std::to_string(options.port) +
                                " (in use? try another --port)"));
  Guard guard(options.bind, port);
  Api api(global, &guard);
  if (Status s = api.Open(); !s.ok()) return Fail(s);
  bool accounts = false;
  if (Status s = api.HasAccounts(&accounts); !s.ok()) return Fail(s);
  guard.set_accounts(accounts);
  guard.Install(&server);
  api.Install(&server);
  InstallAssets(&server);

  const std::string base = "http://" + UrlHost(options.bind) + ":" + std::to_string(port) + "/";
  const std::string url = accounts ? base : base + "?token=" + guard.token();
  std::cout << "assay serve: " << url << std::endl;
  if (accounts)
    std::cerr << "assay serve: workspace " << global.db
              << " has accounts: sign in with a user and password (docs/ACCOUNTS.md); Ctrl+C stops\n";
  else
    std::cerr << "assay serve: workspace " << global.db << "; open the URL above (it works once); Ctrl+C stops\n";
  if (options.open) OpenBrowser(url);

  std::thread stopper([&server, &stop_signals] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    server.stop();
  });
  const bool listened = server.listen_after_bind();
  pthread_kill(stopper.native_handle(), SIGUSR1);  // wakes it when the listener ended on its own
  stopper.join();
  if (!listened) return Fail(Status::IOError("the server stopped on an error"));
  std::cerr << "assay serve: stopped\n";
  return kExitOk;
}

}  // namespace assay::cli::serve

namespace assay::cli {

void AddServeCommand(CLI::App* cmd, const GlobalOptions& global, int* exit_code) {
  auto o = std::make_shared<serve::ServeOptions>();
  cmd->add_option("--port,-p", o->port, "TCP port (default 8765; 0: any free port)")->check(CLI::Range(0, 65535));
  cmd->add_option("--bind", o->bind, "Address to listen on (default 127.0.0.1, this machine only)");
  cmd->add_flag("--allow-remote", o->allow_remote,
                "Allow a --bind address other machines can reach (use a TLS reverse proxy; docs/API.md)");
  cmd->add_flag("--open", o->open, "Open the URL in the desktop's browser");
  cmd->footer(serve::kServeExitCodes);
  cmd->callback([&global, exit_code, o] { *exit_code = serve::RunServe(global, *o); });
}

}  // namespace assay::cli
