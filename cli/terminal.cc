#include "terminal.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "assay/text.h"

namespace assay::cli {

namespace {

// Length of the UTF-8 sequence that `lead` starts (1 for other bytes).
size_t SequenceLength(unsigned char lead) {
  if ((lead & 0xe0) == 0xc0) return 2;
  if ((lead & 0xf0) == 0xe0) return 3;
  if ((lead & 0xf8) == 0xf0) return 4;
  return 1;
}

}  // namespace

void SafeTerminalBuf::Put(std::string_view text) {
  std::string all = pending_;
  all.append(text);
  pending_.clear();
  // Hold back an incomplete sequence at the end until the next write.
  size_t start = all.size();
  for (size_t k = 1; k <= 3 && k <= all.size(); ++k) {
    const auto c = static_cast<unsigned char>(all[all.size() - k]);
    if ((c & 0xc0) == 0x80) continue;  // a continuation byte: look further back
    if (c >= 0xc0 && SequenceLength(c) > k) start = all.size() - k;
    break;
  }
  pending_ = all.substr(start);
  all.resize(start);
  const std::string safe = DisplaySafe(all, /*keep_newlines=*/true);
  real_->sputn(safe.data(), static_cast<std::streamsize>(safe.size()));
}

void SafeTerminalBuf::WriteRaw(std::string_view control) {
  real_->sputn(control.data(), static_cast<std::streamsize>(control.size()));
}

int SafeTerminalBuf::overflow(int c) {
  if (c == traits_type::eof()) return traits_type::not_eof(c);
  const char ch = traits_type::to_char_type(c);
  Put(std::string_view(&ch, 1));
  return c;
}

std::streamsize SafeTerminalBuf::xsputn(const char* s, std::streamsize n) {
  Put(std::string_view(s, static_cast<size_t>(n)));
  return n;
}

int SafeTerminalBuf::sync() { return real_->pubsync(); }

void GuardTerminalOutput() {
  if (isatty(STDOUT_FILENO)) {
    static SafeTerminalBuf* out = new SafeTerminalBuf(std::cout.rdbuf());
    std::cout.rdbuf(out);
  }
  if (isatty(STDERR_FILENO)) {
    static SafeTerminalBuf* err = new SafeTerminalBuf(std::cerr.rdbuf());
    std::cerr.rdbuf(err);
  }
}

void WriteControl(std::ostream& out, std::string_view control) {
  if (auto* guarded = dynamic_cast<SafeTerminalBuf*>(out.rdbuf())) {
    out.flush();
    guarded->WriteRaw(control);
  } else {
    out << control;
  }
}

}  // namespace assay::cli
