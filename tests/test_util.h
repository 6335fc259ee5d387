// Helpers shared by the unit tests.
#ifndef ASSAY_TESTS_TEST_UTIL_H_
#define ASSAY_TESTS_TEST_UTIL_H_

#include <gtest/gtest.h>

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

inline std::string SourcePath(const std::string& rel) { return std::string(ASSAY_SOURCE_DIR) + "/" + rel; }

}  // namespace assay::testing

#endif  // ASSAY_TESTS_TEST_UTIL_H_
