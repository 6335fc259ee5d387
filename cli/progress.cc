#include "progress.h"

#include <iostream>
#include <streambuf>
#include <utility>

namespace assay::cli {

namespace {
constexpr uint64_t kBarCells = 30;
ProgressBar* active = nullptr;  // the bar on screen

// Standard error itself: where bars are drawn (std::cerr may be guarded).
std::ostream& Terminal() {
  static std::ostream* terminal = new std::ostream(std::cerr.rdbuf());
  return *terminal;
}

// std::cerr's buffer once guarded: erases the bar on screen, then writes.
class GuardedBuf : public std::streambuf {
 public:
  explicit GuardedBuf(std::streambuf* real) : real_(real) {}

 protected:
  int overflow(int c) override {
    if (active != nullptr) active->Clear();
    return c == traits_type::eof() ? traits_type::not_eof(c) : real_->sputc(traits_type::to_char_type(c));
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    if (active != nullptr) active->Clear();
    return real_->sputn(s, n);
  }
  int sync() override { return real_->pubsync(); }

 private:
  std::streambuf* real_;
};

// The count with thousands separators: 1000000 -> "1,000,000".
std::string Count(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}
}  // namespace

ProgressBar::ProgressBar(std::string label, bool enabled) : label_(std::move(label)), enabled_(enabled) {}

ProgressBar::~ProgressBar() { Clear(); }

void ProgressBar::GuardStderr() {
  Terminal();  // bound to the real buffer before std::cerr is redirected
  static GuardedBuf* guarded = new GuardedBuf(std::cerr.rdbuf());
  std::cerr.rdbuf(guarded);
}

std::string ProgressBar::Text(const std::string& label, uint64_t done, uint64_t total, const std::string& step) {
  std::string text = label;
  if (total > 0) {
    if (done > total) done = total;
    const uint64_t per_mille = done * 1000 / total;
    const uint64_t cells = per_mille * kBarCells / 1000;
    text += " [" + std::string(cells, '#') + std::string(kBarCells - cells, '-') + "] ";
    const std::string percent = std::to_string(per_mille / 10) + "%";
    text += std::string(4 - percent.size(), ' ') + percent + "  " + Count(done) + "/" + Count(total);
  } else {
    text += ": " + Count(done);
  }
  if (!step.empty()) text += "  " + step;
  return text;
}

void ProgressBar::Update(uint64_t done, uint64_t total, const std::string& step) {
  if (!enabled_) return;
  // Shown in per-mille steps of a known total (an unknown one: in steps of
  // two significant digits), so a per-row call redraws rarely.
  uint64_t unit = total / 1000;
  if (total == 0)
    for (unit = 1; done / unit >= 100; unit *= 10) {
    }
  const uint64_t shown = unit > 1 && (total == 0 || done < total) ? done / unit * unit : done;
  std::string text = Text(label_, shown, total, step);
  if (drawn_ && text == shown_) return;
  Terminal() << "\r" << text << "\033[K" << std::flush;
  shown_ = std::move(text);
  drawn_ = true;
  active = this;
}

void ProgressBar::Clear() {
  if (!drawn_) return;
  Terminal() << "\r\033[K" << std::flush;
  drawn_ = false;
  if (active == this) active = nullptr;
}

std::function<void(uint64_t, uint64_t)> ProgressBar::Callback() {
  return [this](uint64_t done, uint64_t total) { Update(done, total); };
}

}  // namespace assay::cli
