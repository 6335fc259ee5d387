// Terminal safety: user text (titles, names, statements, IDs, the actor)
// reaches the terminal through assay's output, and a control sequence in it
// could clear the screen, move the cursor to rewrite a line already shown,
// retitle the window, or reorder what is read (bidirectional overrides).
//
// DisplaySafe() (assay/text.h) escapes such characters in one string; when standard
// output or standard error is a terminal, main() also puts a
// SafeTerminalBuf in front of it, so everything printed there is shown
// escaped whatever the code path. Output to files and pipes is not touched:
// `assay export > a.json` stays the data as stored.
#ifndef ASSAY_CLI_TERMINAL_H_
#define ASSAY_CLI_TERMINAL_H_

#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>

#include "assay/text.h"

namespace assay::cli {

// A stream buffer that writes DisplaySafe(text, keep_newlines = true) of
// everything through to `real`; a UTF-8 sequence split across writes is
// held until it is complete. WriteRaw() passes assay's own control
// sequences (colours) through unchanged.
class SafeTerminalBuf : public std::streambuf {
 public:
  explicit SafeTerminalBuf(std::streambuf* real) : real_(real) {}
  void WriteRaw(std::string_view control);

 protected:
  int overflow(int c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  void Put(std::string_view text);
  std::streambuf* real_;
  std::string pending_;  // the start of an incomplete UTF-8 sequence
};

// Puts a SafeTerminalBuf in front of std::cout and std::cerr where each is
// a terminal. Called once by main(), after the progress bar has bound
// itself to the real standard error.
void GuardTerminalOutput();

// Writes assay's own control sequence `control` (an SGR colour) to `out`,
// unescaped even when `out` is guarded.
void WriteControl(std::ostream& out, std::string_view control);

}  // namespace assay::cli

#endif  // ASSAY_CLI_TERMINAL_H_
