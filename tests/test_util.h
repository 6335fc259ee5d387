// Helpers shared by the unit tests.
#ifndef ASSAY_TESTS_TEST_UTIL_H_
#define ASSAY_TESTS_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "assay/status.h"

#define ASSERT_OK(expr)                                      \
  do {                                                       \
    ::assay::Status _s = (expr);                             \
    ASSERT_TRUE(_s.ok()) << _s.ToString();                   \
  } while (0)
#define EXPECT_OK(expr)                                      \
  do {                                                       \
    ::assay::Status _s = (expr);                             \
    EXPECT_TRUE(_s.ok()) << _s.ToString();                   \
  } while (0)

namespace assay::testing {

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("assay-test-" + std::to_string(rd()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string path() const { return path_.string(); }
  std::string Write(const std::string& name, const std::string& content) const {
    std::string p = (path_ / name).string();
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

 private:
  std::filesystem::path path_;
};

// The repository path of `rel` ("models/examples/northwind-2026.json").
// Defined in test_paths.cc, the one file that knows the checkout's location.
std::string SourcePath(const std::string& rel);

// Runs a shell command; returns its stdout and sets *rc to its exit status.
inline std::string RunCommand(const std::string& cmd, int* rc = nullptr) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) {
    if (rc != nullptr) *rc = -1;
    return out;
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  if (rc != nullptr) *rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

// Whether the PDF tools the report tests use are installed.
inline bool HavePdfTools() {
  return std::system(
             "command -v pdftotext >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1 && "
             "command -v qpdf >/dev/null 2>&1") == 0;
}

}  // namespace assay::testing

#define REQUIRE_TOOLS()                                                                              \
  do {                                                                                               \
    if (!::assay::testing::HavePdfTools())                                                           \
      GTEST_SKIP() << "poppler-utils and qpdf are needed (scripts/setup.sh --test)";                 \
  } while (0)

#endif  // ASSAY_TESTS_TEST_UTIL_H_
