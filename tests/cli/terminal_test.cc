// Tests of terminal safety (cli/terminal.h): user text reaches the terminal
// with its control, bidirectional and zero-width characters escaped; assay's
// own colours pass.
#include "terminal.h"

#include <gtest/gtest.h>

#include <ostream>
#include <sstream>
#include <string>

namespace assay::cli {
namespace {

TEST(DisplaySafe, EscapesWhatWouldRewriteOrReorderTheScreen) {
  EXPECT_EQ("Desk\\x1B]0;pwned\\x07", DisplaySafe("Desk\x1b]0;pwned\a"));
  EXPECT_EQ("\\x1B[2J\\x1B[1A\\x1B[2K", DisplaySafe("\x1b[2J\x1b[1A\x1b[2K"));
  EXPECT_EQ("a\\x0D\\x0Ab\\x09c", DisplaySafe("a\r\nb\tc"));
  EXPECT_EQ("a\\x0D\\x0D\nb\tc", DisplaySafe("a\r\r\nb\tc", /*keep_newlines=*/true));
  EXPECT_EQ("RES.1/\\u202EUE", DisplaySafe("RES.1/\xe2\x80\xae" "UE"));
  EXPECT_EQ("A\\u200BB\\u2066C", DisplaySafe("A\xe2\x80\x8b" "B\xe2\x81\xa6" "C"));
  EXPECT_EQ("\\u009B31m", DisplaySafe("\xc2\x9b" "31m"));
  EXPECT_EQ("ab\\xFFc", DisplaySafe("ab\xff" "c"));
  EXPECT_EQ("\\x7F", DisplaySafe("\x7f"));
}

TEST(DisplaySafe, KeepsText) {
  const std::string text = "Zürich 東京 — L− 👍 = ok";
  EXPECT_EQ(text, DisplaySafe(text));
  EXPECT_EQ("line one\nline two\tend", DisplaySafe("line one\nline two\tend", /*keep_newlines=*/true));
}

TEST(SafeTerminalBuf, EscapesEverythingWrittenThroughIt) {
  std::stringbuf real;
  SafeTerminalBuf safe(&real);
  std::ostream out(&safe);
  out << "title: " << "x\x1b]0;t\a" << '\n' << 'A' << '\x1b' << "\n";
  out.flush();
  EXPECT_EQ("title: x\\x1B]0;t\\x07\nA\\x1B\n", real.str());
}

TEST(SafeTerminalBuf, HoldsASequenceSplitAcrossWrites) {
  std::stringbuf real;
  SafeTerminalBuf safe(&real);
  std::ostream out(&safe);
  const std::string rlo = "\xe2\x80\xae", e_acute = "\xc3\xa9";
  out << rlo.substr(0, 1);
  out << rlo.substr(1);
  out << e_acute[0];
  EXPECT_EQ("\\u202E", real.str());  // the first byte of é is held back
  out << e_acute[1] << "!";
  EXPECT_EQ("\\u202E\xc3\xa9!", real.str());
}

TEST(SafeTerminalBuf, ColoursOfAssayItselfPass) {
  std::stringbuf real;
  SafeTerminalBuf safe(&real);
  std::ostream out(&safe);
  out << " ";
  WriteControl(out, "\x1b[32m");
  out << "F";
  WriteControl(out, "\x1b[0m");
  EXPECT_EQ(" \x1b[32mF\x1b[0m", real.str());
  // Into a plain stream, WriteControl just writes.
  std::ostringstream plain;
  WriteControl(plain, "\x1b[0m");
  EXPECT_EQ("\x1b[0m", plain.str());
}

}  // namespace
}  // namespace assay::cli
