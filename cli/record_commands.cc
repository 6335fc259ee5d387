// assay scope|unit|instance|person|interview|evidence add: the records of an
// assessment, each written as a new version on the picked assessment.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "assay/store.h"
#include "assay/text.h"
#include "assay/rating.h"
#include "cli.h"
#include "commands.h"

namespace assay::cli {

void AddScopeCommand(CLI::App* scope, const GlobalOptions& global, int* exit_code) {
  scope->require_subcommand(1);
  auto* cmd = scope->add_subcommand("add", "Add a process with its target capability level");
  auto a = std::make_shared<std::string>();
  auto s = std::make_shared<ScopedProcess>();
  cmd->add_option("PROCESS", s->process, "Process ID of the pinned model")->required();
  cmd->add_option("--target,-t", s->target_level, "Target capability level (default 3)");
  AddAssessmentOption(cmd, a.get());
  cmd->callback([&global, exit_code, a, s] {
    *exit_code = WriteRecord(global, *a, "scope " + s->process,
                       [&](Workspace& ws, const std::string& id, WriteResult* r) { return ws.PutScope(id, *s, r); });
  });
}

void AddUnitCommand(CLI::App* unit, const GlobalOptions& global, int* exit_code) {
  unit->require_subcommand(1);
  auto* cmd = unit->add_subcommand("add", "Add an organizational unit");
  auto a = std::make_shared<std::string>();
  auto u = std::make_shared<OrgUnit>();
  cmd->add_option("ID", u->id, "Unit ID")->required();
  cmd->add_option("--name,-n", u->name, "Name");
  cmd->add_option("--description", u->description, "Size, products, context");
  AddAssessmentOption(cmd, a.get());
  cmd->callback([&global, exit_code, a, u] {
    *exit_code = WriteRecord(global, *a, "unit " + u->id,
                       [&](Workspace& ws, const std::string& id, WriteResult* r) { return ws.PutUnit(id, *u, r); });
  });
}

void AddInstanceCommand(CLI::App* instance, const GlobalOptions& global, int* exit_code) {
  instance->require_subcommand(1);
  auto* cmd = instance->add_subcommand("add", "Add a process instance");
  auto a = std::make_shared<std::string>();
  auto i = std::make_shared<ProcessInstance>();
  cmd->add_option("ID", i->id, "Instance ID, e.g. RES.1/ServiceDesk-EU")->required();
  cmd->add_option("--process,-p", i->process, "Process ID (in scope)")->required();
  cmd->add_option("--name,-n", i->name, "Name");
  cmd->add_option("--unit,-u", i->unit, "Organizational unit ID");
  cmd->add_option("--weight,-w", i->weight, "Weight for weighted aggregation (default 1)");
  AddAssessmentOption(cmd, a.get());
  cmd->callback([&global, exit_code, a, i] {
    *exit_code = WriteRecord(global, *a, "instance " + i->id, [&](Workspace& ws, const std::string& id, WriteResult* r) {
      return ws.PutInstance(id, *i, r);
    });
  });
}

void AddPersonCommand(CLI::App* person, const GlobalOptions& global, int* exit_code) {
  person->require_subcommand(1);
  AddPersonRegistryCommands(person, global, exit_code);
  auto* cmd = person->add_subcommand("add", "Add a person to the assessment's team, with their roles there");
  auto a = std::make_shared<std::string>();
  auto p = std::make_shared<Person>();
  auto roles = std::make_shared<std::vector<std::string>>();
  cmd->add_option("ID", p->id, "Short handle, e.g. mkoch")->required();
  cmd->add_option("--name,-n", p->name, "Full name");
  cmd->add_option("--organization,-o", p->organization, "Organization");
  cmd->add_option("--role,-r", *roles,
                  "Role (repeatable): sponsor, lead-assessor, assessor, coordinator, interviewee, observer");
  AddAssessmentOption(cmd, a.get());
  cmd->callback([&global, exit_code, a, p, roles] {
    p->roles.clear();
    for (const std::string& r : *roles) {
      Role role;
      if (Status s = ParseRole(r, &role); !s.ok()) {
        *exit_code = Fail(s);
        return;
      }
      p->roles.push_back(role);
    }
    *exit_code = WriteRecord(global, *a, "person " + p->id,
                       [&](Workspace& ws, const std::string& id, WriteResult* r) { return ws.PutPerson(id, *p, r); });
  });
}

void AddInterviewCommand(CLI::App* interview, const GlobalOptions& global, int* exit_code) {
  interview->require_subcommand(1);
  auto* cmd = interview->add_subcommand("add", "Record an interview");
  auto a = std::make_shared<std::string>();
  auto i = std::make_shared<Interview>();
  cmd->add_option("ID", i->id, "Interview ID, e.g. I-3")->required();
  cmd->add_option("--at", i->held_at, "Date and time (default: now, UTC)");
  cmd->add_option("--interviewer", i->interviewers, "Interviewer person ID (repeatable)");
  cmd->add_option("--interviewee", i->interviewees, "Interviewee person ID (repeatable)");
  cmd->add_option("--process,-p", i->processes, "Process covered (repeatable)");
  cmd->add_option("--instance,-i", i->instances, "Instance covered (repeatable)");
  cmd->add_option("--notes", i->notes, "Notes");
  AddAssessmentOption(cmd, a.get());
  cmd->callback([&global, exit_code, a, i] {
    if (i->held_at.empty()) i->held_at = NowUtc();
    *exit_code = WriteRecord(global, *a, "interview " + i->id, [&](Workspace& ws, const std::string& id, WriteResult* r) {
      return ws.PutInterview(id, *i, r);
    });
  });
}

// The bytes of an evidence file to attach; InvalidInput naming the file
// when it is larger than a workspace keeps (`keep`) or empty.
Status ReadEvidenceFile(const std::string& path, bool keep, std::string* bytes) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Status::InvalidInput(path + ": is a directory, not a file");
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return Status::NotFound(path + ": cannot read: " + ec.message()).About("file", path);
  if (keep && size > static_cast<uintmax_t>(kMaxKeptFileBytes))
    return Status::InvalidInput(path + ": " + std::to_string(size) + " bytes, more than the " +
                                std::to_string(kMaxKeptFileBytes >> 20) +
                                " MiB a workspace keeps; attach it without --keep to record its SHA-256 only")
        .About("file", path, {}, "too-large");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open: " + std::strerror(errno)).About("file", path);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IOError(path + ": read failed");
  *bytes = ss.str();
  if (bytes->empty()) return Status::InvalidInput(path + ": the file is empty").About("file", path, {}, "empty");
  return Status::OK();
}

// Writes the attachment: kept (KeepEvidenceFile) or its SHA-256 only.
Status AttachEvidenceFile(Workspace& ws, const std::string& assessment, const std::string& evidence,
                          const std::string& path, const std::string& bytes, bool keep) {
  WriteResult r;
  const std::string hex = Sha256Hex(bytes);
  if (keep) {
    ASSAY_RETURN_IF_ERROR(ws.KeepEvidenceFile(assessment, evidence, bytes, &r));
  } else {
    Snapshot snap;
    ASSAY_RETURN_IF_ERROR(ws.ReadSnapshot(assessment, SnapshotOptions(), &snap));
    EvidenceEntry entry;
    ASSAY_RETURN_IF_ERROR(GetEvidence(snap.data, evidence, &entry));
    Evidence e = entry.evidence;
    e.sha256 = hex;
    ASSAY_RETURN_IF_ERROR(ws.PutEvidence(assessment, e, &r));
  }
  std::cerr << "evidence " << evidence << ": " << path << " attached, SHA-256 " << hex << " (" << bytes.size()
            << " bytes)" << (keep ? ", kept in the workspace" : ", not kept (its SHA-256 only)") << "\n";
  return Status::OK();
}

// `evidence file ID -o FILE`: the kept file, its SHA-256 checked.
Status WriteKeptEvidenceFile(Workspace& ws, const std::string& assessment, const std::string& evidence,
                             const std::string& out, bool force) {
  Snapshot snap;
  ASSAY_RETURN_IF_ERROR(ws.ReadSnapshot(assessment, SnapshotOptions(), &snap));
  EvidenceEntry entry;
  ASSAY_RETURN_IF_ERROR(GetEvidence(snap.data, evidence, &entry));
  const std::string& sha = entry.evidence.sha256;
  if (sha.empty())
    return Status::NotFound("evidence " + evidence + " has no attached file").About("file", evidence, {}, "none");
  std::string bytes;
  Status s = ws.ReadKeptFile(sha, &bytes);
  if (s.code() == Status::Code::kNotFound)
    return Status::NotFound("the file of evidence " + evidence + " (SHA-256 " + sha +
                            ") is not kept in the workspace: only its SHA-256 is recorded")
        .About("file", evidence, {}, "not-kept");
  ASSAY_RETURN_IF_ERROR(s);
  ASSAY_RETURN_IF_ERROR(WriteOutputFile(out, bytes, force));
  std::cerr << "wrote " << out << ": the file of evidence " << evidence << ", " << bytes.size()
            << " bytes, SHA-256 " << sha << " (checked)\n";
  return Status::OK();
}

void AddEvidenceFileCommands(CLI::App* evidence, const GlobalOptions& global, int* exit_code) {
  struct Args {
    std::string assessment, id, path, out;
    bool keep = false, force = false;
  };
  auto attach = std::make_shared<Args>();
  auto* cmd = evidence->add_subcommand("attach", "Attach a file to an evidence item: its SHA-256, and with --keep the file");
  cmd->add_option("ID", attach->id, "Evidence ID")->required();
  cmd->add_option("FILE", attach->path, "The file")->required();
  cmd->add_flag("--keep", attach->keep, "Keep the file in the workspace too (at most 32 MiB)");
  AddAssessmentOption(cmd, &attach->assessment);
  cmd->footer("Exit codes: 0 attached, 3 empty or (with --keep) larger than 32 MiB, the assessment\n"
              "frozen, 4 no such evidence item (with the nearest IDs) or file, 9 permission denied.");
  cmd->callback([&global, exit_code, attach] {
    std::string bytes;
    Status s = ReadEvidenceFile(attach->path, attach->keep, &bytes);
    if (!s.ok()) {
      *exit_code = Fail(s);
      return;
    }
    *exit_code = WithSession(global, false, [&](Workspace& ws) {
      std::string id;
      ASSAY_RETURN_IF_ERROR(PickAssessment(&ws, attach->assessment, &id));
      return AttachEvidenceFile(ws, id, attach->id, attach->path, bytes, attach->keep);
    });
  });
  auto file = std::make_shared<Args>();
  cmd = evidence->add_subcommand("file", "Write the file kept for an evidence item, its SHA-256 checked");
  cmd->add_option("ID", file->id, "Evidence ID")->required();
  cmd->add_option("--out,-o", file->out, "Where to write it")->required();
  cmd->add_flag("--force", file->force, "Overwrite an existing file");
  AddAssessmentOption(cmd, &file->assessment);
  cmd->footer("Exit codes: 0 written, 3 --out exists (without --force), 4 no such evidence item,\n"
              "no file attached or the file not kept, 7 the kept file no longer has its SHA-256.");
  cmd->callback([&global, exit_code, file] {
    *exit_code = WithSession(global, false, [&](Workspace& ws) {
      std::string id;
      ASSAY_RETURN_IF_ERROR(PickAssessment(&ws, file->assessment, &id));
      return WriteKeptEvidenceFile(ws, id, file->id, file->out, file->force);
    });
  });
}

void AddEvidenceCommand(CLI::App* evidence, const GlobalOptions& global, int* exit_code) {
  evidence->require_subcommand(1);
  auto* cmd = evidence->add_subcommand("add", "Record an evidence item");
  auto a = std::make_shared<std::string>();
  auto e = std::make_shared<Evidence>();
  auto kind = std::make_shared<std::string>("document");
  auto file = std::make_shared<std::string>();
  auto keep = std::make_shared<bool>(false);
  cmd->add_option("ID", e->id, "Evidence ID, e.g. EV-12")->required();
  cmd->add_option("--kind,-k", *kind,
                  "document, record, interview-statement, observation or tool-demonstration (default document)")
      ->check(CLI::IsMember({"document", "record", "interview-statement", "observation", "tool-demonstration"}));
  cmd->add_option("--ref,-r", e->reference, "Reference: document ID, ticket, URL");
  cmd->add_option("--description,-d", e->description, "Description");
  cmd->add_option("--effective", e->effective_date, "Date the evidence speaks for");
  cmd->add_option("--collected", e->collected_date, "Date collected (default: today)");
  cmd->add_option("--by", e->collected_by, "Person ID who collected it");
  cmd->add_option("--interview", e->interview, "Interview ID it came from");
  cmd->add_option("--sha256", e->sha256, "SHA-256 of the attached file");
  cmd->add_option("--file,-f", *file, "Attached file: its SHA-256 is computed and recorded");
  cmd->add_flag("--keep", *keep, "Keep the --file in the workspace too (at most 32 MiB)")->needs("--file");
  AddAssessmentOption(cmd, a.get());
  cmd->callback([&global, exit_code, a, e, kind, file, keep] {
    if (Status s = ParseEvidenceKind(*kind, &e->kind); !s.ok()) {
      *exit_code = Fail(s.Reworded("--kind: " + s.message()));
      return;
    }
    if (e->collected_date.empty()) e->collected_date = NowUtc().substr(0, 10);
    std::string bytes;
    if (!file->empty()) {
      Status s = ReadEvidenceFile(*file, *keep, &bytes);
      if (!s.ok()) {
        *exit_code = Fail(s);
        return;
      }
      const std::string hex = Sha256Hex(bytes);
      if (!e->sha256.empty() && e->sha256 != hex) {
        *exit_code = Fail(Status::InvalidInput("--sha256 does not match the SHA-256 of " + *file + " (" + hex + ")"));
        return;
      }
      e->sha256 = hex;
    }
    *exit_code = WriteRecord(global, *a, "evidence " + e->id, [&](Workspace& ws, const std::string& id, WriteResult* r) {
      ASSAY_RETURN_IF_ERROR(ws.PutEvidence(id, *e, r));
      if (!*keep) return Status::OK();
      WriteResult kept;
      ASSAY_RETURN_IF_ERROR(ws.KeepEvidenceFile(id, e->id, bytes, &kept));
      if (kept.event != 0) r->event = kept.event;
      return Status::OK();
    });
  });
  AddEvidenceFileCommands(evidence, global, exit_code);
}

void AddWithdrawCommand(CLI::App* cmd, const GlobalOptions& global, int* exit_code) {
  auto a = std::make_shared<std::string>();
  auto kind = std::make_shared<std::string>();
  auto w = std::make_shared<Withdrawal>();
  cmd->add_option("KIND", *kind, "rating, evidence, instance or person")
      ->required()
      ->check(CLI::IsMember({"rating", "evidence", "instance", "person"}));
  cmd->add_option("ID", w->id, "Evidence, instance or person ID (a rating: -i, -x and -s or --consolidated)");
  cmd->add_option("--reason", w->reason, "Why it was entered by mistake (required)")->required();
  cmd->add_option("--instance,-i", w->instance, "A rating's process instance");
  cmd->add_option("--item,-x", w->item, "A rating's item");
  cmd->add_option("--assessor,-s", w->assessor, "A rating's assessor");
  cmd->add_flag("--consolidated", w->consolidated, "The team's rating");
  AddAssessmentOption(cmd, a.get());
  cmd->footer("Nothing is deleted: a tombstone version supersedes it, and `assay log` shows it.\n"
              "Exit codes: 0 withdrawn, 2 usage, 3 no reason, still referred to, withdrawn already or\n"
              "the assessment is reported, 4 not found (with the nearest IDs).");
  cmd->callback([&global, exit_code, a, kind, w] {
    const bool rating = *kind == "rating";
    if (rating != w->id.empty() || (rating && (w->instance.empty() || w->item.empty() ||
                                               w->assessor.empty() == !w->consolidated))) {
      *exit_code = Fail(Status::InvalidInput(
          rating ? "withdraw rating takes -i INSTANCE -x ITEM and -s ASSESSOR or --consolidated, and no ID"
                 : "withdraw " + *kind + " takes the " + *kind + "'s ID"));
      if (*exit_code == kExitInvalidInput) *exit_code = kExitUsage;
      return;
    }
    w->kind = rating ? WithdrawKind::kRating
                     : *kind == "evidence" ? WithdrawKind::kEvidence
                     : *kind == "instance" ? WithdrawKind::kInstance : WithdrawKind::kPerson;
    const std::string what = rating ? "rating " + w->instance + " " + w->item + " " +
                                          (w->consolidated ? std::string("consolidated") : w->assessor)
                                    : *kind + " " + w->id;
    *exit_code = WithSession(global, false, [&](Workspace& ws) {
      std::string id;
      ASSAY_RETURN_IF_ERROR(PickAssessment(&ws, *a, &id));
      WriteResult r;
      ASSAY_RETURN_IF_ERROR(ws.Withdraw(id, *w, &r));
      std::cerr << what << ": withdrawn (event " << r.event << ")\n";
      return Status::OK();
    });
  });
}

}  // namespace assay::cli
