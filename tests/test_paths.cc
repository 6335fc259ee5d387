// Where this checkout is: the only test source compiled with the paths of
// the source and build trees (tests/CMakeLists.txt), so that every other test
// file compiles to the same object in any clone and ccache can share it.
#include <string>

#include "test_util.h"

namespace assay::testing {

std::string SourcePath(const std::string& rel) { return std::string(ASSAY_SOURCE_DIR) + "/" + rel; }

}  // namespace assay::testing
