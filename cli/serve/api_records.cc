// The API's evidence register, interviews, what-if and consolidation: each
// calls the same engine functions as `assay evidence add`, `assay interview
// add`, `assay what-if`, `assay disagreements` and `assay consolidate`.
#include <algorithm>
#include <string>
#include <vector>

#include "api_json.h"
#include "assay/rating.h"
#include "assay/reports/profile.h"
#include "assay/text.h"
#include "serve.h"

namespace assay::cli::serve {

using nlohmann::json;

namespace {

// The fields of an evidence item a request gives; the others keep `e`'s.
Status ReadEvidence(const Body& body, Evidence* e) {
  std::string kind;
  ASSAY_RETURN_IF_ERROR(body.Str("kind", false, &kind));
  if (!kind.empty()) {
    if (Status s = ParseEvidenceKind(kind, &e->kind); !s.ok()) return s.Reworded("/kind: " + s.message());
  }
  for (auto [field, target] : {std::pair{"reference", &e->reference}, {"description", &e->description},
                               {"effective_date", &e->effective_date}, {"collected_date", &e->collected_date},
                               {"collected_by", &e->collected_by}, {"interview", &e->interview},
                               {"sha256", &e->sha256}})
    if (body.json().contains(field)) ASSAY_RETURN_IF_ERROR(body.Str(field, false, target));
  return Status::OK();
}

}  // namespace

struct RecordRoutes {
  static Status Writer(Api& api, const httplib::Request& req, Workspace** ws) {
    return api.WorkspaceAs(api.guard_->Actor(req), ws);
  }

  static Status Read(Api& api, const std::string& id, Loaded* loaded) {
    return ReadAssessment(api.session_.get(), id, SnapshotOptions(), loaded);
  }

  static void SendWrite(httplib::Response& res, const WriteResult& r, json out) {
    out["result"] = Done(r);
    out["event"] = r.event;
    SendJson(res, out, r.kind == WriteResult::Kind::kCreated ? 201 : 200);
  }

  static Status ListEvidenceOf(Api& api, const httplib::Request& req, httplib::Response& res, Body*) {
    Loaded loaded;
    ASSAY_RETURN_IF_ERROR(Read(api, req.matches[1], &loaded));
    KeptFiles kept;
    ASSAY_RETURN_IF_ERROR(ReadKeptFiles(api.session_->ws.get(), &kept));
    res.set_content(EvidenceListJson(loaded.data, kept), "application/json; charset=utf-8");
    return Status::OK();
  }

  // POST: a new evidence item, or new values for the fields given of an
  // existing one (a new version in the log).
  static Status PutEvidence(Api& api, const httplib::Request& req, httplib::Response& res, Body* body) {
    Evidence e;
    ASSAY_RETURN_IF_ERROR(body->Str("id", true, &e.id));
    Loaded loaded;
    ASSAY_RETURN_IF_ERROR(Read(api, req.matches[1], &loaded));
    EvidenceEntry existing;
    if (GetEvidence(loaded.data, e.id, &existing).ok()) e = existing.evidence;
    if (Status s = ReadEvidence(*body, &e); !s.ok()) {
      SendError(res, s, body->failed().empty() ? body->Pointer("kind") : body->failed());
      return Status::OK();
    }
    // The interview it came from, named with its pointer (the store checks it too).
    std::vector<std::string> interviews;
    for (const Interview& i : loaded.data.interviews) interviews.push_back(i.id);
    if (!e.interview.empty() && std::find(interviews.begin(), interviews.end(), e.interview) == interviews.end())
      return Status::NotFound("unknown interview '" + e.interview + "'" + SuggestionSuffix(e.interview, interviews))
          .About("interview", e.interview, NearestIds(e.interview, interviews));
    if (e.collected_date.empty()) e.collected_date = NowUtc().substr(0, 10);
    if (e.collected_by.empty()) e.collected_by = api.guard_->Actor(req);
    Workspace* ws = nullptr;
    ASSAY_RETURN_IF_ERROR(Writer(api, req, &ws));
    WriteResult r;
    ASSAY_RETURN_IF_ERROR(ws->PutEvidence(loaded.data.assessment.id, e, &r));
    SendWrite(res, r, {{"id", e.id}});
    return Status::OK();
  }

  // POST .../evidence/EV/file[?keep=1] with the file's bytes as the body:
  // the server computes the SHA-256 (the client's word for it is not taken)
  // and records it on the evidence item; with keep=1 the workspace keeps
  // the file too (Workspace::KeepEvidenceFile).
  static Status AttachFile(Api& api, const httplib::Request& req, httplib::Response& res, Body*) {
    const std::string keep_text = req.get_param_value("keep");
    if (!keep_text.empty() && keep_text != "0" && keep_text != "1")
      return Status::InvalidInput("keep: expected 0 or 1, not " + Quote(keep_text));
    const bool keep = keep_text == "1";
    Loaded loaded;
    ASSAY_RETURN_IF_ERROR(Read(api, req.matches[1], &loaded));
    EvidenceEntry entry;
    ASSAY_RETURN_IF_ERROR(GetEvidence(loaded.data, req.matches[2], &entry));
    if (req.body.empty()) return Status::InvalidInput("the file is empty: send its bytes as the request body");
    Evidence e = entry.evidence;
    e.sha256 = Sha256Hex(req.body);
    Workspace* ws = nullptr;
    ASSAY_RETURN_IF_ERROR(Writer(api, req, &ws));
    WriteResult r;
    if (keep)
      ASSAY_RETURN_IF_ERROR(ws->KeepEvidenceFile(loaded.data.assessment.id, e.id, req.body, &r));
    else
      ASSAY_RETURN_IF_ERROR(ws->PutEvidence(loaded.data.assessment.id, e, &r));
    SendWrite(res, r, {{"id", e.id}, {"sha256", e.sha256}, {"bytes", req.body.size()}, {"kept", keep}});
    return Status::OK();
  }

  // GET .../evidence/EV/file: the kept file, as a download (never shown
  // inline: its bytes are the user's, of any type), its SHA-256 checked.
  static Status DownloadFile(Api& api, const httplib::Request& req, httplib::Response& res, Body*) {
    Loaded loaded;
    ASSAY_RETURN_IF_ERROR(Read(api, req.matches[1], &loaded));
    EvidenceEntry entry;
    ASSAY_RETURN_IF_ERROR(GetEvidence(loaded.data, req.matches[2], &entry));
    const std::string& sha = entry.evidence.sha256;
    if (sha.empty())
      return Status::NotFound("evidence " + entry.evidence.id + " has no attached file").About("file", entry.evidence.id);
    std::string bytes;
    Status s = api.session_->ws->ReadKeptFile(sha, &bytes);
    if (s.code() == Status::Code::kNotFound)
      return Status::NotFound("the file of evidence " + entry.evidence.id + " (SHA-256 " + sha +
                              ") is not kept in the workspace: only its SHA-256 is recorded")
          .About("file", entry.evidence.id, {}, "not-kept");
    ASSAY_RETURN_IF_ERROR(s);
    res.set_content(bytes, "application/octet-stream");
    res.set_header("Content-Disposition", "attachment; filename=\"" + DownloadName(entry.evidence.id) + "-file\"");
    res.set_header("X-Content-SHA256", sha);
    return Status::OK();
  }

  static Status ListInterviewsOf(Api& api, const httplib::Request& req, httplib::Response& res, Body*) {
    Loaded loaded;
    ASSAY_RETURN_IF_ERROR(Read(api, req.matches[1], &loaded));
    res.set_content(InterviewListJson(loaded.data), "application/json; charset=utf-8");
    return Status::OK();
  }

  static Status PutInterview(Api& api, const httplib::Request& req, httplib::Response& res, Body* body) {
    Interview i;
    ASSAY_RETURN_IF_ERROR(body->Str("id", true, &i.id));
    ASSAY_RETURN_IF_ERROR(body->Str("held_at", false, &i.held_at));
    ASSAY_RETURN_IF_ERROR(body->Str("notes", false, &i.notes));
    for (auto [field, target] : {std::pair{"interviewers", &i.interviewers}, {"interviewees", &i.interviewees},
                                 {"processes", &i.processes}, {"instances", &i.instances}})
      ASSAY_RETURN_IF_ERROR(body->Strings(field, target));
    if (i.held_at.empty()) i.held_at = NowUtc();
    Workspace* ws = nullptr;
    ASSAY_RETURN_IF_ERROR(Writer(api, req, &ws));
    WriteResult r;
    ASSAY_RETURN_IF_ERROR(ws->PutInterview(req.matches[1], i, &r));
    SendWrite(res, r, {{"id", i.id}});
    return Status::OK();
  }

  // POST {"ratings": [{instance, item, value}, ...]}: the profile as it
  // would be (what `assay what-if --format json` prints) and the levels that
  // change. Nothing is written.
  static Status WhatIf(Api& api, const httplib::Request& req, httplib::Response& res, Body* body) {
    const json& list = body->json().contains("ratings") ? body->json()["ratings"] : json();
    if (!list.is_array() || list.empty())
      return Status::InvalidInput("/ratings: expected a non-empty array of {instance, item, value}");
    std::vector<WhatIfChange> changes;
    std::vector<Body> items;
    for (size_t n = 0; n < list.size(); ++n) {
      Body b(list[n], "/ratings/" + std::to_string(n));
      WhatIfChange c;
      Status s = b.Str("instance", true, &c.instance);
      if (s.ok()) s = b.Str("item", true, &c.item);
      if (s.ok()) s = b.Str("value", true, &c.value);
      if (!s.ok()) {
        SendError(res, s, b.failed());
        return Status::OK();
      }
      changes.push_back(c);
      items.push_back(b);
    }
    Loaded loaded;
    ASSAY_RETURN_IF_ERROR(Read(api, req.matches[1], &loaded));
    AssessmentData changed;
    size_t failed = 0;
    if (Status s = ApplyWhatIf(loaded, changes, &changed, &failed); !s.ok()) {
      const std::string kind = s.subject().kind;
      const std::string field = kind == "instance" || kind == "item" ? kind : "value";
      SendError(res, Prefixed(s, items[failed].Pointer(field) + ": "), items[failed].Pointer(field));
      return Status::OK();
    }
    RatingResults before, after;
    ASSAY_RETURN_IF_ERROR(ComputeResults(*loaded.model, *loaded.graph, loaded.data, &before, ComputeOptions()));
    ASSAY_RETURN_IF_ERROR(ComputeResults(*loaded.model, *loaded.graph, changed, &after, ComputeOptions()));
    json level_changes = json::array();
    for (const LevelChange& c : LevelChanges(before, after))
      level_changes.push_back({{"subject", c.subject}, {"before", c.before}, {"after", c.after}});
    SendJson(res, {{"changes", level_changes},
                   {"profile", json::parse(reports::ProfileJson(*loaded.model, changed, after, nullptr))}});
    return Status::OK();
  }

  static Status Disagreements(Api& api, const httplib::Request& req, httplib::Response& res, Body*) {
    Loaded loaded;
    ASSAY_RETURN_IF_ERROR(Read(api, req.matches[1], &loaded));
    std::vector<OpenDisagreement> open;
    ASSAY_RETURN_IF_ERROR(FindDisagreements(*loaded.model, loaded.data, &open));
    res.set_content(DisagreementsJson(loaded.data.assessment.id, open), "application/json; charset=utf-8");
    return Status::OK();
  }

  // POST {instance, item, value, rationale}: the team's agreed rating.
  static Status Consolidate(Api& api, const httplib::Request& req, httplib::Response& res, Body* body) {
    std::string instance, item, rationale;
    Rating r;
    ASSAY_RETURN_IF_ERROR(body->Str("instance", true, &instance));
    ASSAY_RETURN_IF_ERROR(body->Str("item", true, &item));
    ASSAY_RETURN_IF_ERROR(body->Str("value", true, &r.value));
    ASSAY_RETURN_IF_ERROR(body->Str("rationale", true, &rationale));
    Workspace* ws = nullptr;
    ASSAY_RETURN_IF_ERROR(Writer(api, req, &ws));
    std::string was;
    WriteResult w;
    ASSAY_RETURN_IF_ERROR(
        cli::Consolidate(api.session_.get(), ws, req.matches[1], instance, item, r, rationale, &was, &w));
    SendWrite(res, w, {{"instance", instance}, {"item", item}, {"assessors", was}});
    return Status::OK();
  }
};

void InstallRecordRoutes(Api* api, httplib::Server* server) {
  using R = RecordRoutes;
  const std::string a = R"(/api/assessments/([^/]+))";
  server->Get(a + "/evidence", Route(api, R::ListEvidenceOf));
  server->Post(a + "/evidence", Route(api, R::PutEvidence));
  server->Post(a + "/evidence/([^/]+)/file", Route(api, R::AttachFile, true));
  server->Get(a + "/evidence/([^/]+)/file", Route(api, R::DownloadFile));
  server->Get(a + "/interviews", Route(api, R::ListInterviewsOf));
  server->Post(a + "/interviews", Route(api, R::PutInterview));
  server->Post(a + "/what-if", Route(api, R::WhatIf));
  server->Get(a + "/disagreements", Route(api, R::Disagreements));
  server->Post(a + "/consolidate", Route(api, R::Consolidate));
}

}  // namespace assay::cli::serve
