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

#include <string>
#include <vector>

#include "assay/audit.h"
#include "assay/status.h"

namespace assay {

// One band of the audit-time table: up to `max_persons` persons in scope
// (inclusive; the bands ascend), `days` audit days for an initial audit
// (stage 1 + stage 2).
struct AuditTimeBand {
  int max_persons = 0;
  double days = 0;
};

struct AuditTimeTable {
  std::vector<AuditTimeBand> bands;  // ascending by max_persons
  double max_reduction = 0.30;       // the total reduction is capped at 30 %
  double surveillance_share = 1.0 / 3.0;
  double recertification_share = 2.0 / 3.0;
};

// An adjustment of the table's time up (+) or down (-), e.g. -0.20 for
// "identical shifts", with its reason (required).
struct AuditTimeAdjustment {
  double fraction = 0;
  std::string reason;
};

struct AuditTime {
  double base_days = 0;       // the table's value for the persons in scope
  double net_adjustment = 0;  // the sum of the adjustments, after the cap
  bool capped = false;        // the reductions exceeded the cap
  double initial_days = 0;    // base * (1 + net_adjustment)
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

// Sampling factors for multi-site clients: the square root of the number of
// sites for an initial audit, times 0.6 for surveillance and 0.8 for
// recertification, rounded up; the central function is visited every time
// and counts among the sampled sites.
struct SiteSampling {
  double surveillance_factor = 0.6;
  double recertification_factor = 0.8;
};

// The number of sites to visit out of `sites` for an audit of `type`
// (at least 1, at most `sites`). InvalidInput when sites < 1.
Status SitesToSample(int sites, AuditType type, const SiteSampling& sampling, int* out);

// The sites of `client` that no completed audit in `audits` visited
// (AuditRecord::sites; an audit naming no site visited all), in client order:
// the programme must visit every site over the cycle.
std::vector<std::string> SitesNotVisited(const Client& client, const std::vector<AuditRecord>& audits);

}  // namespace assay

#endif  // ASSAY_AUDIT_TIME_H_
