// assay rate: record one rating.
#include <memory>
#include <string>

#include "assay/scale.h"
#include "assay/store.h"
#include "cli.h"
#include "commands.h"

namespace assay::cli {

void AddRateCommand(CLI::App* cmd, const GlobalOptions& global, int* exit_code) {
  auto a = std::make_shared<std::string>();
  auto r = std::make_shared<Rating>();
  cmd->add_option("--instance,-i", r->instance, "Process instance ID")->required();
  cmd->add_option("--item,-x", r->item, "Indicator, outcome, achievement or process attribute ID")->required();
  cmd->add_option("--value,-v", r->value, "N, P-, P, P+, L-, L, L+, F or a percentage such as 72%")->required();
  cmd->add_option("--process,-p", r->process, "Process ID (default: the instance's)");
  auto* assessor = cmd->add_option("--assessor,-s", r->assessor, "Assessor person ID");
  auto* consolidated = cmd->add_flag("--consolidated,-c", r->consolidated, "The team's consolidated rating");
  assessor->excludes(consolidated);
  cmd->add_option("--weakness,-W", r->weakness, "Weakness statement");
  cmd->add_option("--strength,-S", r->strength, "Strength statement");
  cmd->add_option("--reason,-R", r->reasons, "Reason code of the model (repeatable)");
  cmd->add_option("--evidence,-e", r->evidence, "Evidence ID (repeatable)");
  cmd->add_option("--justification", r->justification, "Why a consistency rule deviation is accepted");
  cmd->add_option("--at", r->rated_at, "When rated (default: now, UTC)");
  AddAssessmentOption(cmd, a.get());
  cmd->callback([&global, exit_code, a, r] {
    *exit_code = WithSession(global, false, [&](Workspace& ws) {
      std::string id;
      ASSAY_RETURN_IF_ERROR(PickAssessment(&ws, *a, &id));
      WriteResult res;
      ASSAY_RETURN_IF_ERROR(ws.Rate(id, *r, &res));
      std::string value;
      NormalizeRatingValue(r->value, &value);
      std::cerr << "rated " << r->instance << " " << r->item << " = " << value << " by "
                << (r->consolidated ? std::string("the team (consolidated)") : r->assessor) << ": " << Done(res)
                << (res.event ? ", event " + std::to_string(res.event) : "") << "\n";
      if (res.outside_scope)
        std::cerr << "note: " << r->item << " is above the target level of the process; recorded as outside scope\n";
      return Status::OK();
    });
  });
}

}  // namespace assay::cli
