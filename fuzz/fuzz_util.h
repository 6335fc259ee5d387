// Helpers shared by the libFuzzer harnesses of fuzz/.
//
// A harness must stop the process (so that libFuzzer saves the input) when
// the code under test breaks a contract, not only when it crashes:
// FUZZ_CHECK aborts with the condition and a message.
#ifndef ASSAY_FUZZ_FUZZ_UTIL_H_
#define ASSAY_FUZZ_FUZZ_UTIL_H_

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "assay/model.h"
#include "assay/store.h"

#define FUZZ_CHECK(cond, msg)                                                              \
  do {                                                                                     \
    if (!(cond)) {                                                                         \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed: %s\n", __FILE__, __LINE__, #cond, \
                   std::string(msg).c_str());                                              \
      std::abort();                                                                        \
    }                                                                                      \
  } while (0)

namespace assay::fuzz {

// The bundled model packs, scanned once.
inline const ModelLibrary& Library() {
  static const ModelLibrary* library = [] {
    auto* lib = new ModelLibrary();
    Status s = lib->Scan();
    FUZZ_CHECK(s.ok(), s.ToString());
    FUZZ_CHECK(lib->problems().empty(), lib->problems().front().ToString());
    return lib;
  }();
  return *library;
}

// A model resolver over the bundled packs that keeps every model it loaded,
// so that an import does not re-read and re-validate pack files each time.
inline ModelResolver CachedResolver() {
  return [](const std::string& id, const std::string& version, std::shared_ptr<const Model>* model) {
    static std::map<std::pair<std::string, std::string>, std::shared_ptr<const Model>> cache;
    auto it = cache.find({id, version});
    if (it != cache.end()) {
      *model = it->second;
      return Status::OK();
    }
    Status s = LibraryResolver(&Library())(id, version, model);
    if (s.ok()) cache.emplace(std::make_pair(id, version), *model);
    return s;
  };
}

// A file private to this process, rewritten with `data` on each call and
// removed at exit. Returns its path.
inline const std::string& WriteTempFile(const uint8_t* data, size_t size, const char* suffix) {
  struct TempFile {
    std::string path;
    ~TempFile() { ::unlink(path.c_str()); }
  };
  static const TempFile file = [suffix] {
    const char* tmp = std::getenv("TMPDIR");
    return TempFile{std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/assay-fuzz-" +
                    std::to_string(::getpid()) + suffix};
  }();
  std::ofstream out(file.path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  out.close();
  FUZZ_CHECK(out.good(), "cannot write " + file.path);
  return file.path;
}

}  // namespace assay::fuzz

#endif  // ASSAY_FUZZ_FUZZ_UTIL_H_
