#include "assay/audit.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "assay/model.h"
#include "assay/text.h"
#include "util/json_input.h"

namespace assay {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr char kFormat[] = "assay-catalogue/1";


// The decimal components of a clause number; a component that is not a
// number becomes -1 (it then matches nothing exactly).
std::vector<long> Components(std::string_view number) {
  std::vector<long> out;
  size_t start = 0;
  while (start <= number.size()) {
    size_t end = number.find('.', start);
    if (end == std::string_view::npos) end = number.size();
    std::string_view part = number.substr(start, end - start);
    long value = part.empty() ? -1 : 0;
    for (char c : part) {
      if (c < '0' || c > '9' || value > 1000000) {
        value = -1;
        break;
      }
      value = value * 10 + (c - '0');
    }
    out.push_back(value);
    start = end + 1;
  }
  return out;
}

std::string DigitsOnly(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != '.') out += c;
  return out;
}

std::string ParentNumber(std::string_view number) {
  size_t dot = number.rfind('.');
  return dot == std::string_view::npos ? std::string() : std::string(number.substr(0, dot));
}

std::string JoinList(const std::vector<std::string>& items, const char* sep = ", ") {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

int CompareVersions(const std::string& a, const std::string& b) {
  auto parts = [](const std::string& s) {
    std::vector<long> out;
    size_t start = 0;
    while (start < s.size()) {
      size_t end = s.find_first_of(".-+", start);
      if (end == std::string::npos) end = s.size();
      out.push_back(std::strtol(s.substr(start, end - start).c_str(), nullptr, 10));
      if (end < s.size() && s[end] != '.') break;  // pre-release / build: ignored
      start = end + 1;
    }
    return out;
  };
  auto pa = parts(a), pb = parts(b);
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> StrList(const json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it != j.end() && it->is_array())
    for (const json& v : *it)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

std::string Problems(size_t n) { return std::to_string(n) + (n == 1 ? " problem" : " problems"); }

// Builds the catalogue from a schema-valid document and runs the semantic
// checks, appending problems to `diags`.
void BuildCatalogue(const json& doc, const std::string& path, Catalogue* cat, std::vector<Diagnostic>* diags) {
  cat->id = Str(doc, "id");
  cat->version = Str(doc, "version");
  cat->title = Str(doc, "title");
  cat->standard = Str(doc, "standard");
  cat->follows = StrList(doc, "follows");
  cat->notice = Str(doc, "notice");
  if (auto m = doc.find("model"); m != doc.end() && m->is_object()) {
    cat->model.id = Str(*m, "id");
    cat->model.version = Str(*m, "version");
  }
  cat->path = path;
  cat->sha256 = Sha256Hex(doc.dump());

  auto error = [&](const std::string& pointer, const std::string& message) {
    diags->push_back({path, pointer, 0, 0, message});
  };
  const json& clauses = doc.at("clauses");
  std::map<std::string, size_t> index;  // number -> position
  std::vector<long> previous;
  std::string previous_number;
  for (size_t i = 0; i < clauses.size(); ++i) {
    const json& c = clauses[i];
    const std::string ptr = "/clauses/" + std::to_string(i);
    Clause clause;
    clause.number = Str(c, "number");
    clause.title = Str(c, "title");
    clause.parent = Str(c, "parent");
    clause.auditable = c.value("auditable", true);
    clause.summary = Str(c, "summary");
    clause.processes = StrList(c, "processes");
    clause.evidence_hints = StrList(c, "evidence_hints");

    auto [it, inserted] = index.emplace(clause.number, i);
    if (!inserted) {
      error(ptr + "/number", "duplicate clause number " + Quote(clause.number) + " (first at /clauses/" +
                                 std::to_string(it->second) + ")");
    } else {
      std::vector<long> comps = Components(clause.number);
      if (!previous.empty() && !(previous < comps))
        error(ptr + "/number",
              "clause " + Quote(clause.number) + " is out of document order: it follows " + Quote(previous_number));
      previous = comps;
      previous_number = clause.number;
    }
    std::string expected_parent = ParentNumber(clause.number);
    if (!clause.parent.empty() && clause.parent != expected_parent) {
      error(ptr + "/parent", "parent " + Quote(clause.parent) + " does not enclose clause " + Quote(clause.number) +
                                 " (expected " + Quote(expected_parent) + ")");
    } else if (!clause.parent.empty() && index.count(clause.parent) == 0) {
      error(ptr + "/parent",
            "parent clause " + Quote(clause.parent) + " of " + Quote(clause.number) + " is not defined before it");
    }
    cat->clauses.push_back(std::move(clause));
  }
  // A heading must have sub-clauses: its requirements sit in them.
  for (size_t i = 0; i < cat->clauses.size(); ++i) {
    const Clause& c = cat->clauses[i];
    if (c.auditable) continue;
    bool has_child =
        std::any_of(cat->clauses.begin(), cat->clauses.end(), [&](const Clause& d) { return d.parent == c.number; });
    if (!has_child)
      error("/clauses/" + std::to_string(i) + "/auditable",
            "clause " + Quote(c.number) +
                " is not auditable but has no sub-clauses; its requirements would be "
                "audited nowhere");
  }
}

// Looks a file over cheaply: its id and version when it is a catalogue.
bool PeekCatalogue(const std::string& path, std::string* id, std::string* version) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.find(kFormat) == std::string::npos) return false;
  json doc;
  std::vector<Diagnostic> ignored;
  if (!internal::ParseJson(text, path, JsonLimits{}, &doc, &ignored) || !doc.is_object()) return false;
  if (Str(doc, "kind") != "catalogue") return false;
  *id = Str(doc, "id");
  *version = Str(doc, "version");
  return !id->empty();
}

struct Found {
  std::string id;
  std::string version;
  std::string path;
  size_t dir = 0;  // index into the search directories
};

std::vector<Found> FindCatalogues(const std::vector<std::string>& search_dirs) {
  std::vector<Found> out;
  for (size_t d = 0; d < search_dirs.size(); ++d) {
    for (const fs::path& dir : {fs::path(search_dirs[d]) / "catalogues", fs::path(search_dirs[d])}) {
      std::error_code ec;
      if (!fs::is_directory(dir, ec)) continue;
      std::vector<std::string> files;
      for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".json" && it->is_regular_file(ec)) files.push_back(it->path().string());
      std::sort(files.begin(), files.end());
      for (const std::string& f : files) {
        Found found;
        if (PeekCatalogue(f, &found.id, &found.version)) {
          found.path = f;
          found.dir = d;
          out.push_back(std::move(found));
        }
      }
    }
  }
  return out;
}

}  // namespace

int Clause::depth() const { return static_cast<int>(std::count(number.begin(), number.end(), '.')) + 1; }

const Clause* Catalogue::FindClause(std::string_view number) const {
  for (const Clause& c : clauses)
    if (c.number == number) return &c;
  return nullptr;
}

std::vector<const Clause*> Catalogue::AuditableClauses() const {
  std::vector<const Clause*> out;
  for (const Clause& c : clauses)
    if (c.auditable) out.push_back(&c);
  return out;
}

std::vector<const Clause*> Catalogue::ClausesOfProcess(std::string_view process) const {
  std::vector<const Clause*> out;
  for (const Clause& c : clauses)
    if (std::find(c.processes.begin(), c.processes.end(), process) != c.processes.end()) out.push_back(&c);
  return out;
}

std::vector<const Clause*> Catalogue::Children(std::string_view number) const {
  std::vector<const Clause*> out;
  for (const Clause& c : clauses)
    if (c.parent == number) out.push_back(&c);
  return out;
}

std::vector<std::string> Catalogue::ClauseNumbers(bool auditable_only) const {
  std::vector<std::string> out;
  for (const Clause& c : clauses)
    if (!auditable_only || c.auditable) out.push_back(c.number);
  return out;
}

std::vector<std::string> Catalogue::NearestClauses(std::string_view number, bool auditable_only, size_t max) const {
  const std::vector<long> w = Components(number);
  const std::string w_digits = DigitsOnly(number);
  constexpr long kMissing = 1000000000;
  using Key = std::tuple<int, long, long, long, long, long, size_t>;
  // A clause spelled with other dots ("8.51" for "8.5.1"); when it is a
  // heading and only auditable clauses count, its auditable sub-clauses.
  std::string respelled;
  for (const Clause& c : clauses)
    if (c.number != number && !w_digits.empty() && DigitsOnly(c.number) == w_digits) respelled = c.number;
  std::vector<Key> keys;
  for (size_t i = 0; i < clauses.size(); ++i) {
    const Clause& c = clauses[i];
    if (auditable_only && !c.auditable) continue;
    if (c.number == number) continue;
    const std::vector<long> v = Components(c.number);
    int dots_only = 1;
    if (!respelled.empty() && (c.number == respelled || c.number.rfind(respelled + ".", 0) == 0)) dots_only = 0;
    size_t k = 0;
    while (k < w.size() && k < v.size() && w[k] == v[k] && w[k] >= 0) ++k;
    long diff = (k < w.size() && k < v.size() && w[k] >= 0) ? std::labs(w[k] - v[k]) : kMissing;
    long depth = std::labs(static_cast<long>(w.size()) - static_cast<long>(v.size()));
    long next = (k + 1 < w.size() && k + 1 < v.size() && w[k + 1] >= 0) ? std::labs(w[k + 1] - v[k + 1]) : kMissing;
    // Among otherwise equal candidates below the number, the last is the
    // closest ("9.4" for "11"); above it, the first.
    long side = (diff != kMissing && w[k] > v[k]) ? -static_cast<long>(i) : static_cast<long>(i);
    keys.emplace_back(dots_only, -static_cast<long>(k), diff, depth, next, side, i);
  }
  std::sort(keys.begin(), keys.end());
  if (keys.size() > max) keys.resize(max);
  std::vector<size_t> picked;
  for (const Key& k : keys) picked.push_back(std::get<6>(k));
  std::sort(picked.begin(), picked.end());
  std::vector<std::string> out;
  for (size_t i : picked) out.push_back(clauses[i].number);
  return out;
}

Status Catalogue::CheckClause(std::string_view number) const {
  if (FindClause(number) != nullptr) return Status::OK();
  std::vector<std::string> near = NearestClauses(number, /*auditable_only=*/true);
  std::string msg = "unknown clause " + Quote(number) + " in catalogue " + id;
  if (!near.empty()) msg += "; nearest: " + JoinList(near);
  return Status::NotFound(msg);
}

Status Catalogue::CheckAuditableClause(std::string_view number) const {
  ASSAY_RETURN_IF_ERROR(CheckClause(number));
  const Clause* c = FindClause(number);
  if (c->auditable) return Status::OK();
  // The auditable clauses below the heading, in document order.
  std::vector<std::string> below;
  std::string prefix = c->number + ".";
  for (const Clause& d : clauses)
    if (d.auditable && d.number.compare(0, prefix.size(), prefix) == 0) below.push_back(d.number);
  std::string msg = "clause " + c->number + " (" + c->title + ") is a heading, not an auditable clause";
  if (!below.empty()) msg += "; use one of " + JoinList(below);
  return Status::InvalidInput(msg);
}

Status LoadCatalogueFile(const std::string& path, std::shared_ptr<const Catalogue>* out,
                         std::vector<Diagnostic>* diags) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    diags->push_back({path, "", 0, 0, "file not found"});
    return Status::NotFound(path + ": requirement catalogue file not found");
  }
  const size_t before = diags->size();
  json doc;
  if (!internal::ReadJsonFile(path, JsonLimits{}, &doc, diags))
    return Status::InvalidInput(path + ": invalid requirement catalogue (" + Problems(diags->size() - before) + ")");
  if (!doc.is_object()) {
    diags->push_back(
        {path, "/", 0, 0, "expected a JSON object (a requirement catalogue), got " + internal::JsonTypeName(doc)});
    return Status::InvalidInput(path + ": invalid requirement catalogue (1 problem)");
  }
  if (!internal::ValidateSchema("catalogue", doc, path, diags))
    return Status::InvalidInput(path + ": invalid requirement catalogue (" + Problems(diags->size() - before) + ")");
  auto cat = std::make_shared<Catalogue>();
  try {
    BuildCatalogue(doc, path, cat.get(), diags);
  } catch (const json::exception& e) {
    // Unreachable after schema validation; kept so that no exception escapes.
    diags->push_back({path, "", 0, 0, std::string("unexpected structure: ") + e.what()});
  }
  if (diags->size() != before)
    return Status::InvalidInput(path + ": invalid requirement catalogue (" + Problems(diags->size() - before) + ")");
  *out = std::move(cat);
  return Status::OK();
}

Status LoadCatalogue(const std::string& id_or_path, const std::vector<std::string>& search_dirs,
                     std::shared_ptr<const Catalogue>* out, std::vector<Diagnostic>* diags) {
  const bool is_path = id_or_path.find('/') != std::string::npos ||
                       (id_or_path.size() > 5 && id_or_path.compare(id_or_path.size() - 5, 5, ".json") == 0);
  if (is_path) return LoadCatalogueFile(id_or_path, out, diags);

  std::vector<Found> found = FindCatalogues(search_dirs);
  const Found* best = nullptr;
  for (const Found& f : found) {
    if (f.id != id_or_path) continue;
    if (best == nullptr) {
      best = &f;
    } else if (f.dir == best->dir && CompareVersions(f.version, best->version) > 0) {
      best = &f;
    }
  }
  if (best == nullptr) {
    std::vector<std::string> ids;
    for (const Found& f : found)
      if (std::find(ids.begin(), ids.end(), f.id) == ids.end()) ids.push_back(f.id);
    std::string where = search_dirs.empty() ? std::string("no search directories") : JoinList(search_dirs);
    return Status::NotFound("catalogue " + Quote(id_or_path) + " not found in " + where +
                            SuggestionSuffix(id_or_path, ids));
  }
  return LoadCatalogueFile(best->path, out, diags);
}

std::vector<std::string> ListCatalogues(const std::vector<std::string>& search_dirs) {
  std::vector<std::string> out;
  for (const Found& f : FindCatalogues(search_dirs)) out.push_back(f.id + "@" + f.version + " " + f.path);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Status CheckCatalogueAgainstModel(const Catalogue& catalogue, const Model& model, std::vector<Diagnostic>* diags) {
  const size_t before = diags->size();
  const std::string file = catalogue.path.empty() ? "catalogue " + catalogue.id : catalogue.path;
  const PackInfo& pack = model.pam();
  if (catalogue.model.id != pack.id || (!catalogue.model.version.empty() && catalogue.model.version != pack.version)) {
    diags->push_back({file, "/model", 0, 0,
                      "the catalogue links processes of " + catalogue.model.id + "@" + catalogue.model.version +
                          ", not of " + model.Key()});
  }
  const std::vector<std::string> process_ids = model.ProcessIds();
  for (size_t i = 0; i < catalogue.clauses.size(); ++i) {
    const Clause& c = catalogue.clauses[i];
    for (size_t p = 0; p < c.processes.size(); ++p) {
      if (model.FindProcess(c.processes[p]) != nullptr) continue;
      diags->push_back({file, "/clauses/" + std::to_string(i) + "/processes/" + std::to_string(p), 0, 0,
                        "unknown process " + Quote(c.processes[p]) + " in " + model.Key() +
                            SuggestionSuffix(c.processes[p], process_ids)});
    }
  }
  if (diags->size() == before) return Status::OK();
  return Status::InvalidInput(file + ": catalogue does not match model " + model.Key() + " (" +
                              Problems(diags->size() - before) + ")");
}

}  // namespace assay
