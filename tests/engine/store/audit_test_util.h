// What the audit store tests share: the bundled ISO/IEC 20000-1 catalogue,
// loaded once per process.
#ifndef ASSAY_TESTS_ENGINE_STORE_AUDIT_TEST_UTIL_H_
#define ASSAY_TESTS_ENGINE_STORE_AUDIT_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "assay/audit.h"
#include "test_util.h"

namespace assay::testing {

inline const Catalogue* IsoCatalogue() {
  static std::shared_ptr<const Catalogue> cat = [] {
    std::shared_ptr<const Catalogue> c;
    std::vector<Diagnostic> diags;
    Status s = LoadCatalogue("iso20000-1-2018", {SourcePath("models")}, &c, &diags);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return c;
  }();
  return cat.get();
}

}  // namespace assay::testing

#endif  // ASSAY_TESTS_ENGINE_STORE_AUDIT_TEST_UTIL_H_
