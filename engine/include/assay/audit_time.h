// Audit time and multi-site sampling: pure rules in the manner of
// ISO/IEC 20000-6 and IAF MD 5 (audit time) and IAF MD 1 (sampling of
// sites). The tables and factors are data the caller passes (a certification
// body's own, or assay's exemplar values, which are ours and not the
// standards'); nothing here reads a file or a clock. Safe to call
// concurrently.
//
// Status codes: InvalidInput for a table that is empty or not ascending, a
// non-positive number of persons or sites, or an adjustment without its
// reason.
#ifndef ASSAY_AUDIT_TIME_H_
#define ASSAY_AUDIT_TIME_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "assay/audit.h"
#include "assay/diagnostic.h"
#include "assay/status.h"

namespace assay {

// One band of the audit-time table: up to `max_persons` persons in scope
// (inclusive; the bands ascend), `days` audit days for an initial audit
// (stage 1 + stage 2).
struct AuditTimeBand {
  int max_persons = 0;
  double days = 0;
};

// Sampling factors for multi-site clients: the square root of the number of
// sites for an initial audit, times 0.6 for surveillance and 0.8 for
// recertification, rounded up; the central function is visited every time
// and counts among the sampled sites.
struct SiteSampling {
  double surveillance_factor = 0.6;
  double recertification_factor = 0.8;
};

struct AuditTimeTable {
  std::vector<AuditTimeBand> bands;  // ascending by max_persons
  double max_reduction = 0.30;       // the total reduction is capped at 30 %
  double surveillance_share = 1.0 / 3.0;
  double recertification_share = 2.0 / 3.0;
  SiteSampling sampling;             // the site-sampling factors of the same body
  // Where the values come from (set by LoadAuditTimeTable; empty when built
  // in memory).
  std::string id, version, title, notice, path;
  // SHA-256 (hex) of the table's content (its JSON, whitespace aside), set by
  // LoadAuditTimeTable; empty when built in memory.
  std::string sha256;
};

// An adjustment of the table's time up (+) or down (-), e.g. -0.20 for
// "identical shifts", with its reason (required). The records store whole
// percents (ClientAuditTime), so fraction is percent / 100 there.
struct AuditTimeAdjustment {
  double fraction = 0;
  std::string reason;
};

struct AuditTime {
  int persons = 0;            // the persons in scope it was computed for
  int band_min = 0;           // the band's persons: band_min..band_max
  int band_max = 0;
  double base_days = 0;       // the table's value for the persons in scope
  double sum_adjustment = 0;  // the sum of the adjustments, before the cap
  double net_adjustment = 0;  // the sum of the adjustments, after the cap
  bool capped = false;        // the reductions exceeded the cap
  double initial_days = 0;    // base * (1 + net_adjustment): stage 1 + stage 2
  double surveillance_days = 0;
  double recertification_days = 0;
  double days = 0;            // for the audit type: initial, or its share
};

// The audit time for `persons` in scope: the band's days, adjusted by the
// sum of `adjustments` (a net reduction below -max_reduction is capped at
// it), then the share for `type` (surveillance about a third,
// recertification about two thirds of the initial time; stage 1, stage 2
// and special audits: the initial time). Persons above the last band use
// the last band. Days are rounded to the nearest half day.
Status ComputeAuditTime(const AuditTimeTable& table, int persons, const std::vector<AuditTimeAdjustment>& adjustments,
                        AuditType type, AuditTime* out);

// The number of sites to visit out of `sites` for an audit of `type`
// (at least 1, at most `sites`). InvalidInput when sites < 1.
Status SitesToSample(int sites, AuditType type, const SiteSampling& sampling, int* out);

// The sites of `client` that no completed audit in `audits` visited
// (AuditRecord::sites; an audit naming no site visited all), in client order:
// the programme must visit every site over the cycle.
std::vector<std::string> SitesNotVisited(const Client& client, const std::vector<AuditRecord>& audits);

// ---------------------------------------------------------------------------
// The table as data: models/audit-time/*.json ("assay-audit-time/1",
// schemas/audit-time.schema.json). assay bundles exemplar values of its own
// (id kDefaultAuditTimeTable), not those of ISO/IEC 20000-6; a certification
// body replaces them with its own table under the same ID in a model
// directory searched first, or names another file.

inline constexpr const char* kDefaultAuditTimeTable = "audit-time-exemplar";

// Loads and validates one table file: JSON syntax (line:column), the schema,
// then the bands (ascending persons, positive days). Every problem is a
// diagnostic naming the file and the JSON pointer, e.g.
//   t.json: /bands/3/max_persons: band 4 (20 persons) does not follow band 3 (25 persons)
// NotFound when the file does not exist; InvalidInput "FILE: invalid
// audit-time table (N problems)" otherwise.
Status LoadAuditTimeTableFile(const std::string& path, std::shared_ptr<const AuditTimeTable>* out,
                              std::vector<Diagnostic>* diags);

// Loads a table by path (contains '/' or ends in ".json") or by ID from
// DIR/audit-time/*.json of `search_dirs` in order (the first directory
// holding the ID wins). NotFound naming the directories and the nearest IDs.
Status LoadAuditTimeTable(const std::string& id_or_path, const std::vector<std::string>& search_dirs,
                          std::shared_ptr<const AuditTimeTable>* out, std::vector<Diagnostic>* diags);

// The audit time of `client` (Client::audit_time) for an audit of `type`.
// InvalidInput when the client has no audit-time inputs (subject: kind
// "client", its ID, reason "audit-time") or they are invalid.
Status ClientAuditTimeFor(const Client& client, const AuditTimeTable& table, AuditType type, AuditTime* out);

// The planned audit days of one audit against the calculation.
struct AuditDays {
  std::string audit;
  AuditType type = AuditType::kStage2;
  AuditStatus status = AuditStatus::kPlanned;
  // The days planned: for a stage 2, its days plus those of the client's
  // latest stage 1 before it (the initial time covers both); none when the
  // audit records none.
  std::optional<double> planned;
  double required = 0;        // the calculation for the type
  bool below = false;         // planned < required
  std::string justification;  // AuditRecord::audit_days_justification
};

// One entry per stage 2, surveillance and recertification audit of `c` that
// is not cancelled, in the client's order; empty when the client has no
// audit-time inputs (stage 1 days count with their stage 2; special audits
// have no share of their own).
std::vector<AuditDays> AuditDaysOf(const ClientAuditData& c, const AuditTimeTable& table);

// The rule: an audit not yet completed (planned or in progress) whose
// planned days are below the calculation needs a recorded justification.
// Completed audits are history: AuditDaysOf flags them. InvalidInput about
// ("audit", ID, reason "days"), e.g.
//   audit 'S-1' plans 2 audit days, below the 2.5 days of the audit-time
//   calculation for a surveillance audit; record why (the justification)
Status CheckAuditDays(const ClientAuditData& c, const AuditTimeTable& table);

// The sites of the audits of the current cycle (the audits CycleCoverage
// counts: from the one the latest decision on or before `today` was based
// on; stage 1 and cancelled audits do not count).
struct AuditSites {
  std::string audit;
  AuditType type = AuditType::kStage2;
  bool held = false;               // completed on or before `today`
  std::vector<std::string> sites;  // the sites it visits (all when it names none)
  int required = 1;                // SitesToSample for its type
  bool central_visited = true;     // the central site among them (true when none is recorded)
};

struct SiteCoverage {
  std::string central;                      // the central site's ID; empty when none is marked
  std::vector<AuditSites> audits;           // by last day
  std::vector<std::string> not_visited;     // sites no held audit of the cycle visited, client order
  std::vector<std::string> not_planned;     // of those, the ones no planned audit visits either
};

SiteCoverage CycleSiteCoverage(const ClientAuditData& c, const SiteSampling& sampling, Date today);

// What an audit report shows of audit time and sites.
struct ReportTimeAndSites {
  std::string table;   // the table's "ID VERSION"
  std::string table_sha256;  // the table's AuditTimeTable::sha256
  std::string notice;  // the table's notice (where its values come from)
  // The table the client's calculation was recorded with, "ID VERSION
  // (SHA-256 first 12 hex digits)", when it is not the table of the report
  // (another ID, or the same ID with other content: the body replaced it
  // since); empty when they agree or the record names no table.
  std::string recorded_table;
  double max_reduction = 0.30;
  std::optional<AuditTime> time;                        // none: the client has no calculation
  std::vector<AuditTimeAdjustmentRecord> adjustments;   // the client's, with their reasons
  std::optional<AuditDays> days;                        // this audit's planned days against it
  std::vector<ClientSite> sites;                        // every site of the client
  std::vector<std::string> visited;                     // the sites this audit visits (all when it names none)
  int required_sites = 0;                               // SitesToSample for this audit's type (0: no sites)
  SiteCoverage coverage;                                // the cycle's, as of the report date
};

// The audit-time and site part of the report of `audit` of `c` (the client
// as of the report date, audit.h ClientAsOf) on `report_date`. NotFound when
// `c` has no such audit.
Status ComputeReportTimeAndSites(const ClientAuditData& c, const AuditTimeTable& table, const std::string& audit,
                                 Date report_date, ReportTimeAndSites* out);

// Days as the outputs show them: "2", "2.5".
std::string DaysText(double days);

}  // namespace assay

#endif  // ASSAY_AUDIT_TIME_H_
