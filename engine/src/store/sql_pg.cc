// The engine's side of the PostgreSQL module (sql_pg.h): finding and loading
// libassay-pg.so once per process, and the URI helpers that need no libpq.
#include "store/sql_pg.h"

#include <dlfcn.h>

#include <filesystem>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

namespace assay::internal::sql {

namespace {

// Where the module is looked for: beside an installed executable
// (PREFIX/bin/assay -> PREFIX/LIBDIR/assay/), then where this build made it.
std::vector<std::string> ModuleCandidates() {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) out.push_back((exe.parent_path() / ASSAY_PG_MODULE_FROM_BIN).lexically_normal().string());
  out.push_back(ASSAY_PG_MODULE_BUILD_PATH);
  return out;
}

struct Loaded {
  const PgModule* module = nullptr;
  std::string why_not;
};

const Loaded& Load() {
  static Loaded loaded;
  static std::once_flag once;
  std::call_once(once, [] {
    std::string tried;
    for (const std::string& path : ModuleCandidates()) {
      std::error_code ec;
      if (!std::filesystem::exists(path, ec)) {
        tried += (tried.empty() ? "" : "; ") + path + ": no such file";
        continue;
      }
      void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (handle == nullptr) {
        const char* err = dlerror();
        tried += (tried.empty() ? "" : "; ") + std::string(err != nullptr ? err : path + ": cannot be loaded");
        continue;
      }
      using Entry = const PgModule* (*)();
      auto entry = reinterpret_cast<Entry>(dlsym(handle, "assay_pg_module"));
      const PgModule* m = entry != nullptr ? entry() : nullptr;
      if (m == nullptr || m->abi != kPgModuleAbi || m->size != sizeof(PgModule)) {
        tried += (tried.empty() ? "" : "; ") + path + ": not the module of this assay (another build's?)";
        continue;  // never unloaded: a module may not expect it
      }
      loaded.module = m;
      return;
    }
    loaded.why_not = "the PostgreSQL module libassay-pg.so was not found or could not be loaded (" + tried + ")";
  });
  return loaded;
}

}  // namespace

bool IsPostgresUri(std::string_view path) {
  return path.rfind("postgresql://", 0) == 0 || path.rfind("postgres://", 0) == 0;
}

std::string PostgresUriForMessages(const std::string& uri) {
  // scheme://user:password@host... -> scheme://user@host...
  const size_t start = uri.find("://");
  if (start == std::string::npos) return uri;
  const size_t at = uri.find('@', start + 3);
  const size_t slash = uri.find('/', start + 3);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return uri;
  const size_t colon = uri.find(':', start + 3);
  if (colon == std::string::npos || colon > at) return uri;
  return uri.substr(0, colon) + uri.substr(at);
}

std::string WhyNoPostgres() { return Load().why_not; }

std::string WhyNotPostgresUri(const std::string& uri) {
  const Loaded& l = Load();
  return l.module != nullptr ? l.module->why_not_uri(uri) : l.why_not;
}

std::unique_ptr<Connection> OpenPostgres(const std::string& uri, int busy_timeout_ms, bool read_only) {
  const Loaded& l = Load();
  if (l.module == nullptr) throw Error(ErrorCode::kCantOpen, 0, l.why_not);
  return l.module->open(uri, busy_timeout_ms, read_only);
}

}  // namespace assay::internal::sql
