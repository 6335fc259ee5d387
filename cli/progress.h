// A progress bar on standard error for commands that work through large
// inputs: imports, exports, reports and `profile --all`.
//
// It is drawn only when `enabled` (GlobalOptions::progress: standard error is
// a terminal and TERM is not "dumb"), so piped and redirected output, and
// every test that captures stderr, never see it. The bar is one line,
// redrawn in place with a carriage return and erased when the work ends, so
// that what the command prints afterwards is unchanged. Anything written to
// std::cerr meanwhile erases it first (GuardStderr); a command that prints to
// a terminal on stdout calls Clear() before. Not thread-safe.
#ifndef ASSAY_CLI_PROGRESS_H_
#define ASSAY_CLI_PROGRESS_H_

#include <cstdint>
#include <functional>
#include <string>

namespace assay::cli {

class ProgressBar {
 public:
  // `label` names the work ("profiles", "import"); the bar is drawn on
  // standard error.
  ProgressBar(std::string label, bool enabled);
  ~ProgressBar();  // erases the bar
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // `done` of `total` units (total 0: unknown, only the count is shown), with
  // an optional word on the current step. Redraws only when what is shown
  // changes (at most 1,000 times over a run), so it can be called per row.
  void Update(uint64_t done, uint64_t total, const std::string& step = "");

  // Erases the bar (before printing to a terminal); the next Update redraws.
  void Clear();

  // Makes every write to std::cerr erase the bar on screen first, so that
  // messages never run into it. main() calls it once when bars are enabled.
  static void GuardStderr();

  // Update as a callback, for engine options that report progress.
  std::function<void(uint64_t done, uint64_t total)> Callback();

  // The text of the bar for `done` of `total` (for tests):
  // "profiles [##########----------]  50%  50/100".
  static std::string Text(const std::string& label, uint64_t done, uint64_t total, const std::string& step);

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::string shown_;  // the text on screen, to redraw only on change
};

}  // namespace assay::cli

#endif  // ASSAY_CLI_PROGRESS_H_
