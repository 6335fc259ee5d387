// Audit store: a certification body's records of its ISO/IEC 20000-1 clients
// (clients, sites, certificates, audits, findings, nonconformities,
// decisions, policy) in the workspace, next to the assessments.
//
// The records live in the table audit_records (schema version 9), one row
// per version, by client ('' for the certification-body policy), kind and
// record key, and every version is written with an event of the same
// hash-chained `events` table as the assessment records, so
// Workspace::VerifyLog (and `assay log verify`) covers them. Their events
// carry the subject " audit:CLIENT" in the `assessment` field (AuditSubject;
// the policy's is " audit:"): the leading blank makes it an ID no assessment
// can have, so ListAssessments, LatestAssessment, Export and the snapshot
// reading never see them. Before schema version 9 the records were rows of
// the assessments' `records` table with that subject; migration 9 moved
// them with their row IDs and left the events as they were (history is not
// rewritten). Each record is stored under the kind its key starts with
// (policy, client, certificate, audit, finding, nc, decision; schema
// version 3); rows of older workspaces stored as kind "unit" are still
// read, and the next version of such a record takes its own kind.
// docs/AUDIT.md lists the record keys and the JSON of each record.
//
// Every write loads the current records, applies the change in memory,
// validates the client's whole history (assay/audit.h CheckClientHistory plus
// the checks listed with each function) and writes the changed records in
// one transaction: a write either completes or leaves the workspace exactly
// as it was. Records are never deleted; a change is a new version.
//
// IDs of clients, audits, findings, nonconformities and certificate numbers
// are unique in the workspace, so that commands can name an audit or a
// nonconformity without its client.
//
// Thread safety: as Workspace (one per thread).
//
// Status codes: InvalidInput (bad value, illegal transition, a rule of
// audit.h broken, a decision maker on the team, an unknown clause), NotFound
// (unknown client, audit, finding, nonconformity, certificate or assessment;
// the message lists the nearest IDs), IOError (SQLite), Corruption (a stored
// record that does not parse). Errors about a record say so (Status::About):
// NotFound is about the kind ("client", "site", "audit", "finding", "nc",
// "certificate", "assessment") and the ID given, with the nearest IDs and
// reason "missing" (or "none-yet" when the workspace has none of the kind).
// Messages never word a command of a front end: a front end adds its hints
// from the subject.
#ifndef ASSAY_AUDIT_STORE_H_
#define ASSAY_AUDIT_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "assay/audit.h"
#include "assay/model.h"
#include "assay/status.h"
#include "assay/store.h"

namespace assay {

// What an audit import did: ImportReport, and what each problem is about
// (about[i] is the Status::Subject of problems[i]; its kind is empty when
// nothing more is known). A policy field of the file that differs from the
// workspace's is about ("policy", FIELD) with reason "conflict" and the
// file's value (JSON text) as nearest[0].
// The file's `people` (registry entries) are registered in the same
// transaction as the records: `registered` the IDs the registry did not
// have (in file order; with dry_run, those it would register), `kept` those
// it had, whose entries stay as they are.
struct AuditImportReport : ImportReport {
  std::vector<Status::Subject> about;
  std::vector<std::string> registered, kept;
};

// Audit-store operations over an open workspace. `catalogue`, when given,
// validates clause numbers of findings and sampled items (an unknown clause
// or a heading is InvalidInput with the nearest auditable clauses).
// `time_table`, when given, checks the planned audit days of every client
// with an audit-time calculation (assay/audit.h CheckAuditDays): a
// planned audit below it without a justification is InvalidInput.
class AuditStore {
 public:
  // `ws` must outlive the AuditStore; so must `catalogue` and `time_table`,
  // which may be null (no clause check, no audit-days check).
  AuditStore(Workspace* ws, const Catalogue* catalogue, const AuditTimeTable* time_table = nullptr);

  // --- Policy (defaults until set) ---
  Status GetPolicy(AuditPolicy* out);
  // InvalidInput when CheckPolicy fails, or when a stored client's history
  // fails under the new policy.
  Status SetPolicy(const AuditPolicy& policy, WriteResult* result);

  // --- Clients ---
  Status ListClients(std::vector<Client>* out);
  // NotFound with the nearest client IDs.
  Status ReadClient(const std::string& id, ClientAuditData* out);
  // Creates the client; InvalidInput when the ID exists or name/scope is empty.
  Status AddClient(const Client& client, WriteResult* result);
  // Adds a site to a client (a new version of the client record); at most
  // one site is the central function's.
  Status AddSite(const std::string& client, const ClientSite& site, WriteResult* result);
  // Records the inputs of the client's audit-time calculation (a new version
  // of the client record), checked with every planned audit's days when the
  // store has a table, and with them that table's ID, version and content
  // hash (a report made later with another table says so). InvalidInput for persons < 1, a percent outside
  // -100..100 or an adjustment without its reason.
  Status SetAuditTime(const std::string& client, const ClientAuditTime& inputs, WriteResult* result);
  // Records that a person declared a relationship with the client (a new
  // version of the client record, so an event in the log). With a registry,
  // the person must be a registry person (by ID, name or alias; NotFound
  // with the nearest IDs otherwise) and is stored by ID. InvalidInput when
  // `until` is before `from`.
  Status Declare(const std::string& client, const RelationshipDeclaration& declaration, WriteResult* result);

  // --- Audits ---
  // Plans an audit of `client`: its sites must be the client's, its linked
  // assessment must exist in the workspace, planned_end >= planned_start.
  Status AddAudit(const std::string& client, const AuditRecord& audit, WriteResult* result);
  // Replaces the audit's fields (not its ID or client) by a new version,
  // validated as AddAudit.
  Status UpdateAudit(const AuditRecord& audit, WriteResult* result);
  Status AddTeamMember(const std::string& audit, const TeamMember& member, WriteResult* result);
  // Finds an audit anywhere in the workspace; *client gets its client.
  Status FindAudit(const std::string& audit, std::string* client);

  // --- Findings and nonconformities ---
  // Records a finding of an audit. For a major or minor finding it also
  // raises a nonconformity (ID `nc_id`, default "NC-" + finding ID) in state
  // open with the due date from the policy. The finding date defaults to the
  // audit's actual (else planned) last day. *nc_out (may be null) gets the
  // nonconformity's ID ("" when none).
  Status AddFinding(const Finding& finding, const std::string& nc_id, WriteResult* result, std::string* nc_out);
  // Moves a nonconformity to `to` on `date` (audit.h ApplyTransition: illegal
  // moves are InvalidInput listing the allowed ones). Non-empty `correction`,
  // `root_cause`, `action` replace the recorded ones; a move to
  // plan-submitted needs all three recorded.
  Status MoveNonconformity(const std::string& id, NonconformityState to, Date date, const std::string& correction,
                           const std::string& root_cause, const std::string& action, WriteResult* result);
  Status FindNonconformity(const std::string& id, std::string* client);

  // --- Recommendation and decision ---
  // The recommendation after `audit` as of `today`: computed (audit.h
  // ComputeRecommendation over the audit's nonconformities and those still
  // unverified from earlier audits), then the recorded override, if any.
  Status Recommend(const std::string& audit, Date today, Recommendation* out);
  // Records an override of the computed recommendation (audit.h
  // OverrideRecommendation: a justification is required).
  Status Override(const std::string& audit, RecommendationKind to, const std::string& justification, Date date,
                  Recommendation* out, WriteResult* result);
  // Records the certification decision based on `audit` by `person` on
  // `date`. Refused (InvalidInput) when the person was on the audit team,
  // when the audit is not completed, when the recommendation in force is
  // not-recommend or new-stage2-required, or when the audit already has a
  // decision. The kind: initial after a stage 2 (or the first decision);
  // recertification (before expiry) or restoration (within 6 months after
  // it) after a recertification or special audit. An initial decision
  // issues certificate `certificate` (required then); the others renew or
  // restore the client's current certificate. *out gets the decision.
  Status Decide(const std::string& audit, const std::string& person, Date date, const std::string& certificate,
                DecisionRecord* out, WriteResult* result);
  // Changes a certificate's status (suspended, withdrawn, expired,
  // restored, active) with a reason; withdrawn is final.
  Status SetCertificateStatus(const std::string& number, CertificateStatus to, Date date, const std::string& reason,
                              WriteResult* result);

  // --- Import and export (schemas/audit.schema.json, "assay-audit/1") ---
  // The client's whole history as JSON (2-space indent, sections sorted by
  // key), with the workspace's certification body and policy, and as
  // `people` the registry entries of the people its audits name (team
  // members and decision makers, by ID, registered name or alias; sorted by
  // ID): importing it into an empty workspace and exporting again gives the
  // same bytes.
  Status Export(const std::string& client, std::string* json);

  // --- Reports as of a date and a log position ---
  // What a report of the client's audit is made from, read in one
  // transaction as the records stood right after log event `at_seq` (0:
  // now; Workspace SnapshotOptions::at_seq): the client, the policy, the
  // client's Export() bytes at that position and, when `people` is not
  // null, the registry of people as it stood then (what the competence of
  // an audit team is judged from). NotFound (with the nearest client IDs)
  // when the client had no record then.
  Status ReadClientAt(const std::string& client, int64_t at_seq, ClientAuditData* out, AuditPolicy* policy,
                      std::string* export_json, std::vector<RegisteredPerson>* people = nullptr);
  // The log position a report of `client` as of `date` is made at: the
  // oldest of the client's (and the policy's) events since which the policy
  // and the client's records as they stood on that date (audit.h
  // ClientAsOf) have not changed. A report made again later, after later
  // nonconformity verifications for example, is so made at the same
  // position and gives the same bytes. *seq and *hash: that event and its
  // hash. NotFound when the client is unknown.
  Status ReportPosition(const std::string& client, Date date, int64_t* seq, std::string* hash);
  // Imports one client's history: every problem is collected (file: /json/
  // pointer: message) and nothing is written when there is one (or with
  // dry_run). Records identical to the stored ones are unchanged, so
  // importing twice changes nothing. The file's certification body and
  // policy are adopted when the workspace has none set; otherwise they must
  // equal the workspace's (InvalidInput naming each differing field). The
  // file's people the registry does not have are registered, in the same
  // transaction as the records (AuditImportReport). A decision of the file
  // (other than one stored already with the same audit record) obeys the
  // competence rule of Decide (CheckTeamCompetenceForDecision, with the
  // registry and the file's people): a problem at /decisions/N.
  Status ImportText(const std::string& text, const std::string& name, bool dry_run, AuditImportReport* report);
  Status Import(const std::string& path, bool dry_run, AuditImportReport* report);

 private:
  Workspace* ws_;
  const Catalogue* catalogue_;
  const AuditTimeTable* time_table_;
};

// The subject of a client's events (their `assessment` field; the policy's
// is AuditSubject("")): Workspace::ReadLog(AuditSubject(client)) lists them.
std::string AuditSubject(const std::string& client);

}  // namespace assay

#endif  // ASSAY_AUDIT_STORE_H_
