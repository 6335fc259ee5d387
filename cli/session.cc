// Pieces shared by the workspace commands: the session, the picked
// assessment, the loaded snapshot and safe output files.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <optional>

#include "cli.h"
#include "serve/serve_hooks.h"

namespace assay::cli {

std::string Actor() {
  for (const char* var : {"ASSAY_ACTOR", "USER", "LOGNAME"})
    if (const char* v = std::getenv(var); v && *v) return v;
  return "unknown";
}

std::string NowUtc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string Join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

const char* Done(const WriteResult& r) {
  switch (r.kind) {
    case WriteResult::Kind::kCreated:
      return "added";
    case WriteResult::Kind::kUpdated:
      return "updated (new version)";
    case WriteResult::Kind::kUnchanged:
      return "unchanged";
  }
  return "?";
}

namespace {
// A workspace file that exists but that we may not write (mode 0444,
// archived evidence): it is opened read-only, so that reading works and a
// write fails with "workspace is read-only".
bool ReadOnlyFile(const std::string& path) {
  return path != ":memory:" && ::access(path.c_str(), F_OK) == 0 && ::access(path.c_str(), W_OK) != 0;
}
}  // namespace

Status Prefixed(const Status& s, const std::string& prefix) { return s.Reworded(prefix + s.message()); }

std::string Hint(const Status& status) {
  const Status::Subject& about = status.subject();
  const std::string& msg = status.message();
  auto ends_with = [&msg](const std::string& tail) {
    return msg.size() >= tail.size() && msg.compare(msg.size() - tail.size(), tail.size(), tail) == 0;
  };
  static const std::string kCreate = "; create one with: assay assessment new ID --model MODEL";
  if (about.kind == "workspace" && about.reason == "missing") return kCreate;
  if (about.kind == "assessment" && about.reason == "none-yet") return kCreate;
  if (about.kind == "assessment" && about.reason == "frozen" && ends_with(" is reported; its records can no longer change"))
    return " (move it back with: assay assessment status rated -a " + about.id + ")";
  if (about.reason == "none-yet") {
    if (about.kind == "person") return "; add people with: assay person add";
    if (about.kind == "unit") return "; add units with: assay unit add";
    if (about.kind == "instance") return "; add instances with: assay instance add";
  }
  if (about.kind == "process" && about.reason == "not-in-scope") return "; add it with: assay scope add " + about.id;
  if (about.reason == "denied" && msg.find("needs a signed-in user") != std::string::npos)
    return " (give your account: assay --user ID ..., or $ASSAY_USER)";
  if (about.kind == "key" && about.reason == "unregistered") return "; register it with: assay key register KEY.pub";
  if (about.kind == "key" && about.reason == "seal-key-unregistered")
    return "; give the signer's public key: assay log verify --seal FILE --pub KEY.pub";
  return "";
}

namespace {
// The pinned model `a` names, through the session's cache; the CLI's words
// when it cannot be loaded or its content changed.
Status PinnedModel(Session* session, const Assessment& a, std::shared_ptr<const Model>* model,
                   std::shared_ptr<const ModelGraph>* graph) {
  std::shared_ptr<const Model>& cached = session->models[a.model_id + "@" + a.model_version];
  if (!cached) {
    std::vector<Diagnostic> diags;
    Status s = session->library.Load(a.model_id, a.model_version, &cached, &diags);
    if (!s.ok()) {
      cached.reset();
      PrintDiagnostics(diags);
      return Status::NotFound("assessment " + a.id + " pins model " + a.model_id + "@" + a.model_version +
                              ", which cannot be loaded: " + s.message());
    }
  }
  if (!a.model_hash.empty() && cached->hash() != a.model_hash)
    return Status::Unsupported("assessment " + a.id + " was rated against " + a.model_id + "@" + a.model_version +
                               " with hash " + a.model_hash.substr(0, 12) + "..., but the pack found now hashes to " +
                               cached->hash().substr(0, 12) + "...; restore the original pack (--models DIR)");
  *model = cached;
  std::shared_ptr<const ModelGraph>& g = session->graphs[a.model_id + "@" + a.model_version + "#" + cached->hash()];
  if (!g) g = std::make_shared<const ModelGraph>(cached);
  *graph = g;
  return Status::OK();
}
}  // namespace

Status OpenWorkspaceAs(Session* session, const GlobalOptions& global, bool create, const std::string& actor,
                       std::unique_ptr<Workspace>* out, const std::string& user) {
  WorkspaceOptions o;
  o.create_if_missing = create;
  o.actor = actor;
  o.user = user;
  NoteWorkspaceForOutputs(global.db);
  // Through the session's cache: a pack is parsed once per process.
  ModelResolver load = LibraryResolver(&session->library);
  o.resolve_model = [session, load](const std::string& id, const std::string& version,
                                    std::shared_ptr<const Model>* model) {
    std::shared_ptr<const Model>& cached = session->models[id + "@" + version];
    if (!cached) {
      Status st = load(id, version, &cached);
      if (!st.ok()) {
        cached.reset();
        return st;
      }
    }
    *model = cached;
    return Status::OK();
  };
  o.read_only = !create && ReadOnlyFile(global.db);
  return Workspace::Open(global.db, o, out);
}

Status OpenSession(const GlobalOptions& global, bool create, std::unique_ptr<Session>* out) {
  auto s = std::make_unique<Session>();
  ASSAY_RETURN_IF_ERROR(OpenLibrary(global, &s->library));
  ASSAY_RETURN_IF_ERROR(OpenWorkspaceAs(s.get(), global, create, Actor(), &s->ws, global.user));
  if (!global.user.empty()) {  // sign in: the engine then checks every write against the account's roles
    std::string password;
    ASSAY_RETURN_IF_ERROR(ReadPassword(global.login_password_file, "password for " + global.user + ": ", false, &password));
    Account account;
    ASSAY_RETURN_IF_ERROR(s->ws->Authenticate(global.user, password, NowUtc(), &account));
  }
  *out = std::move(s);
  return Status::OK();
}

Status PickAssessment(Workspace* ws, const std::string& given, std::string* id, const char* how) {
  if (!given.empty()) {
    *id = given;
    return Status::OK();
  }
  std::vector<Assessment> all;
  ASSAY_RETURN_IF_ERROR(ws->ListAssessments(&all));
  ASSAY_RETURN_IF_ERROR(ws->LatestAssessment(id));
  if (all.size() > 1) std::cerr << "assay: using assessment " << *id << " (the most recent); choose " << how << "\n";
  return Status::OK();
}

Status ReadAssessment(Session* session, std::string id, const SnapshotOptions& options, Loaded* out) {
  if (id.empty()) ASSAY_RETURN_IF_ERROR(session->ws->LatestAssessment(&id));
  Snapshot snapshot;
  ASSAY_RETURN_IF_ERROR(session->ws->ReadSnapshot(id, options, &snapshot));
  out->data = std::move(snapshot.data);
  out->log_seq = snapshot.log_seq;
  out->log_hash = std::move(snapshot.log_hash);
  out->head_hash = std::move(snapshot.head_hash);
  out->export_sha256 = std::move(snapshot.export_sha256);
  return PinnedModel(session, out->data.assessment, &out->model, &out->graph);
}

Status LoadAssessment(const GlobalOptions& global, std::string id, Loaded* out) {
  std::unique_ptr<Session> session;
  ASSAY_RETURN_IF_ERROR(OpenSession(global, false, &session));
  // profile, check, what-if, export --format xlsx: named when there are several.
  ASSAY_RETURN_IF_ERROR(PickAssessment(session->ws.get(), id, &id, "with the ID argument"));
  return ReadAssessment(session.get(), std::move(id), SnapshotOptions(), out);
}

namespace {

// Whether output files are owner-only: set by OpenSession when the
// workspace file has no group or other permissions.
bool private_outputs = false;

// The temporary file being written (and the journal files SQLite may keep
// beside a backup), removed by the signal handler when the command is
// interrupted (SIGINT, SIGTERM, SIGHUP) before the rename.
constexpr const char* kTempSuffixes[] = {"", "-journal", "-wal", "-shm"};
constexpr size_t kTempFiles = sizeof kTempSuffixes / sizeof kTempSuffixes[0];
char pending_temp[kTempFiles][4096];
volatile sig_atomic_t pending = 0;

extern "C" void RemoveTempAndReraise(int sig) {
  if (pending != 0)
    for (size_t i = 0; i < kTempFiles; ++i) ::unlink(pending_temp[i]);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

// Arms the handler for one temporary file; disarmed on destruction.
class TempGuard {
 public:
  explicit TempGuard(const std::string& path) {
    if (path.size() + 16 >= sizeof pending_temp[0]) return;
    for (size_t i = 0; i < kTempFiles; ++i) {
      const std::string name = path + kTempSuffixes[i];
      std::memcpy(pending_temp[i], name.c_str(), name.size() + 1);
    }
    pending = 1;
    struct sigaction sa {};
    sa.sa_handler = RemoveTempAndReraise;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < kSignals; ++i) ::sigaction(kSignal[i], &sa, &old_[i]);
  }
  ~TempGuard() {
    for (size_t i = 0; i < kSignals; ++i) ::sigaction(kSignal[i], &old_[i], nullptr);
    pending = 0;
  }
  TempGuard(const TempGuard&) = delete;
  TempGuard& operator=(const TempGuard&) = delete;

 private:
  static constexpr size_t kSignals = 3;
  static constexpr int kSignal[kSignals] = {SIGINT, SIGTERM, SIGHUP};
  struct sigaction old_[kSignals] {};
};

mode_t CurrentUmask() {
  const mode_t mask = ::umask(022);
  ::umask(mask);
  return mask;
}

// Why `path`, which exists, may not be replaced even with --force ("" when
// it is a regular file).
std::string NotRegular(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return "";
  if (S_ISREG(st.st_mode)) return "";
  if (S_ISLNK(st.st_mode)) return "is a symbolic link";
  if (S_ISDIR(st.st_mode)) return "is a directory";
  if (S_ISFIFO(st.st_mode)) return "is a named pipe (FIFO)";
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) return "is a device";
  if (S_ISSOCK(st.st_mode)) return "is a socket";
  return "is not a regular file";
}

Status WriteAll(int fd, const std::string& path, const std::string& bytes) {
  for (size_t done = 0; done < bytes.size();) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IOError(path + ": write failed: " + std::strerror(errno));
    }
    done += static_cast<size_t>(n);
  }
  return Status::OK();
}

}  // namespace

void NoteWorkspaceForOutputs(const std::string& db) {
  struct stat st {};
  private_outputs = ::stat(db.c_str(), &st) == 0 && (st.st_mode & 077) == 0;
}

mode_t OutputFileMode() { return (private_outputs ? 0600 : 0666) & ~CurrentUmask(); }

Status CheckOutputTarget(const std::string& path, bool force) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(std::filesystem::symlink_status(path, ec));
  if (!exists) return Status::OK();
  if (const std::string why = NotRegular(path); !why.empty())
    return Status::InvalidInput(path + ": " + why + "; assay writes and replaces regular files only");
  if (!force) return Status::InvalidInput(path + ": exists; use --force to overwrite");
  return Status::OK();
}

Status WriteOutputFile(const std::string& path, const std::string& bytes, bool force) {
  // Messages name the output, not its temporary file.
  return WriteOutputWith(path, force, [&](int fd, const std::string&) { return WriteAll(fd, path, bytes); });
}

Status WriteOutputWith(const std::string& path, bool force, const std::function<Status(int, const std::string&)>& fill) {
  namespace fs = std::filesystem;
  ASSAY_RETURN_IF_ERROR(CheckOutputTarget(path, force));
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  std::string temp = (dir / ("." + fs::path(path).filename().string() + ".XXXXXX")).string();
  // The handler is armed before a signal can arrive between creation and arming.
  sigset_t block, old_mask;
  sigemptyset(&block);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&block, sig);
  ::sigprocmask(SIG_BLOCK, &block, &old_mask);
  int fd = mkstemp(temp.data());  // created 0600
  const int create_errno = errno;
  std::optional<TempGuard> guard;
  if (fd >= 0) guard.emplace(temp);
  ::sigprocmask(SIG_SETMASK, &old_mask, nullptr);
  if (fd < 0)
    return Status::IOError(path + ": cannot create a file in " + dir.string() + ": " + std::strerror(create_errno));
  Status s = fill(fd, temp);
  if (s.ok() && (::fchmod(fd, OutputFileMode()) != 0 || ::fsync(fd) != 0))
    s = Status::IOError(path + ": write failed: " + std::strerror(errno));
  if (::close(fd) != 0 && s.ok()) s = Status::IOError(path + ": write failed: " + std::strerror(errno));
  // Checked again just before the rename: something may have appeared there.
  if (s.ok()) s = CheckOutputTarget(path, force);
  if (s.ok() && ::rename(temp.c_str(), path.c_str()) != 0)
    s = Status::IOError(path + ": cannot replace: " + std::strerror(errno));
  if (!s.ok()) ::unlink(temp.c_str());
  return s;
}

}  // namespace assay::cli
