// Pieces shared by the workspace commands: the session, the picked
// assessment, the loaded snapshot and safe output files.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "cli.h"

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

Status OpenSession(const GlobalOptions& global, bool create, std::unique_ptr<Session>* out) {
  auto s = std::make_unique<Session>();
  ASSAY_RETURN_IF_ERROR(OpenLibrary(global, &s->library));
  WorkspaceOptions o;
  o.create_if_missing = create;
  o.actor = Actor();
  // Through the session's cache: a pack is parsed once per process.
  Session* session = s.get();
  ModelResolver load = LibraryResolver(&s->library);
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
  ASSAY_RETURN_IF_ERROR(Workspace::Open(global.db, o, &s->ws));
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

Status WriteOutputFile(const std::string& path, const std::string& bytes, bool force) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path target(path);
  if (fs::is_directory(target, ec)) return Status::InvalidInput(path + ": is a directory; give a file name");
  if (fs::exists(target, ec) && !force) return Status::InvalidInput(path + ": exists; use --force to overwrite");
  fs::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  std::string tmpl = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
  int fd = mkstemp(tmpl.data());
  if (fd < 0) return Status::IOError(path + ": cannot create a file in " + dir.string() + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      ::unlink(tmpl.c_str());
      return Status::IOError(path + ": write failed: " + std::strerror(err));
    }
    done += static_cast<size_t>(n);
  }
  if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0 || ::close(fd) != 0) {
    int err = errno;
    ::unlink(tmpl.c_str());
    return Status::IOError(path + ": write failed: " + std::strerror(err));
  }
  if (::rename(tmpl.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmpl.c_str());
    return Status::IOError(path + ": cannot replace: " + std::strerror(err));
  }
  return Status::OK();
}

}  // namespace assay::cli
