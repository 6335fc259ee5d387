// assay_gen: writes synthetic assessments for benchmarks (see gen.h).
//
//   assay_gen --format csv  --assessments 100 --out /tmp/ws   # <id>.csv each
//   assay_gen --format json --ratings=false --assessments 100 --out /tmp/ws
//   assay_gen --format csv --processes 10 --out -              # one, to stdout
//
// Exit codes: 0 success, 2 usage error, 3 invalid input, 4 model not found,
// 6 I/O error.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "assay/model.h"
#include "gen.h"

namespace {

int ExitCode(const assay::Status& st) {
  switch (st.code()) {
    case assay::Status::Code::kOk:
      return 0;
    case assay::Status::Code::kNotFound:
      return 4;
    case assay::Status::Code::kIOError:
      return 6;
    default:
      return 3;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Writes synthetic assessments (ratings CSV or assay-assessment/1 JSON), deterministic by seed"};
  assay::bench::GenSpec spec;
  std::string format = "csv", model_id = "itsm-20000", method = "R1", out = "-";
  std::vector<std::string> model_dirs;
  bool quiet = false;
  app.add_option("--format", format, "csv (ratings, one file per assessment) or json (assay-assessment/1)")
      ->check(CLI::IsMember({"csv", "json"}))
      ->capture_default_str();
  app.add_option("--assessments", spec.assessments, "Number of assessments")->capture_default_str();
  app.add_option("--processes", spec.processes, "Processes per assessment (capped at the model's)")
      ->capture_default_str();
  app.add_option("--instances", spec.instances, "Instances per process")->capture_default_str();
  app.add_option("--indicators", spec.indicators,
                 "Ratings per instance; 0 = every item once; more cycles the items with another assessor")
      ->capture_default_str();
  app.add_option("--assessors", spec.assessors, "Rating assessors")->capture_default_str();
  app.add_option("--target-level", spec.target_level, "Target level of every process")->capture_default_str();
  app.add_option("--method", method, "R1 (indicator ratings) or R2/R3 (attribute ratings)")
      ->check(CLI::IsMember({"R1", "R2", "R3"}))
      ->capture_default_str();
  app.add_option("--ratings", spec.ratings, "JSON: include the ratings (false: a skeleton for a CSV import)")
      ->capture_default_str();
  app.add_option("--seed", spec.seed, "Random seed")->capture_default_str();
  app.add_option("--prefix", spec.prefix, "Assessment ID prefix (<prefix>-0001, ...)")->capture_default_str();
  app.add_option("--model", model_id, "Model pack ID")->capture_default_str();
  app.add_option("--models-dir", model_dirs, "Extra directories to search for model packs");
  app.add_option("--out", out, "Output directory, or - for stdout (one assessment only)")->capture_default_str();
  int scale_processes = 0;
  std::string pack_out;
  app.add_option("--scale-processes", scale_processes,
                 "Write a copy of --model with this many processes (IDs of copies suffixed x1, x2, ...) to "
                 "--pack-out and generate over it");
  app.add_option("--pack-out", pack_out, "Directory for the --scale-processes pack (give it to assay as --models)");
  app.add_flag("-q,--quiet", quiet, "No summary on stderr");
  CLI11_PARSE(app, argc, argv);
  if (assay::Status s = assay::ParseRatingMethod(method, &spec.method); !s.ok()) {
    std::cerr << "assay_gen: --method: " << s.message() << "\n";
    return 2;
  }

  const bool scaling = !pack_out.empty() || app.count("--scale-processes") > 0;
  if (scaling && (pack_out.empty() || app.count("--scale-processes") == 0)) {
    std::cerr << "assay_gen: --scale-processes and --pack-out go together\n";
    return 2;
  }
  if (scaling && scale_processes < 1) {
    std::cerr << "assay_gen: --scale-processes " << scale_processes << ": expected at least 1\n";
    return 2;
  }
  if (scaling) {
    // The scaled pack: <pack-out>/<model>-p<N>.json, ID <model>-p<N>.
    assay::ModelLibrary source(model_dirs);
    assay::Status st = source.Scan();
    const assay::PackInfo* info = nullptr;
    for (const assay::PackInfo& p : source.packs())  // the first in search order
      if (!info && p.id == model_id && p.kind == "pam") info = &p;
    if (!st.ok() || !info) {
      std::cerr << "assay_gen: " << (st.ok() ? "model pack " + model_id + " not found" : st.ToString()) << '\n';
      return 4;
    }
    std::ifstream in(info->path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string id = model_id + "-p" + std::to_string(scale_processes);
    std::string scaled;
    st = assay::bench::ScalePack(text, scale_processes, id, &scaled);
    if (!st.ok()) {
      std::cerr << "assay_gen: " << st.ToString() << '\n';
      return ExitCode(st);
    }
    std::error_code ec;
    std::filesystem::create_directories(pack_out, ec);
    const std::filesystem::path path = std::filesystem::path(pack_out) / (id + ".json");
    std::ofstream os(path, std::ios::binary);
    if (!(os << scaled) || !os.flush()) {
      std::cerr << "assay_gen: " << path.string() << ": cannot write\n";
      return 6;
    }
    model_dirs.insert(model_dirs.begin(), pack_out);
    model_id = id;
  }

  assay::ModelLibrary lib(model_dirs);
  std::shared_ptr<const assay::Model> model;
  std::vector<assay::Diagnostic> diags;
  assay::Status st = lib.Scan();
  if (st.ok()) st = lib.Load(model_id, "", &model, &diags);
  if (!st.ok()) {
    for (const assay::Diagnostic& d : diags) std::cerr << d.ToString() << '\n';
    std::cerr << "assay_gen: " << st.ToString() << '\n';
    return ExitCode(st);
  }
  if (static_cast<size_t>(spec.processes) > model->processes().size())
    std::cerr << "assay_gen: " << model->Key() << " has " << model->processes().size()
              << " processes; using all of them\n";

  auto write = [&](int i, std::ostream& os) {
    return format == "csv" ? assay::bench::WriteRatingsCsv(*model, spec, i, os)
                           : assay::bench::WriteAssessmentJson(*model, spec, i, os);
  };
  if (out == "-") {
    if (spec.assessments != 1) {
      std::cerr << "assay_gen: --out - writes one assessment; give a directory for " << spec.assessments << '\n';
      return 2;
    }
    st = write(0, std::cout);
  } else {
    std::error_code ec;
    std::filesystem::create_directories(out, ec);
    if (ec) {
      std::cerr << "assay_gen: " << out << ": " << ec.message() << '\n';
      return 6;
    }
    for (int i = 0; i < spec.assessments && st.ok(); ++i) {
      const std::filesystem::path path =
          std::filesystem::path(out) / (assay::bench::AssessmentId(spec, i) + "." + format);
      std::ofstream os(path, std::ios::binary);
      st = os ? write(i, os) : assay::Status::IOError(path.string() + ": cannot open");
      if (st.ok() && !os.flush()) st = assay::Status::IOError(path.string() + ": write failed");
    }
  }
  if (!st.ok()) {
    std::cerr << "assay_gen: " << st.ToString() << '\n';
    return ExitCode(st);
  }
  if (!quiet)
    std::cerr << "assay_gen: " << spec.assessments << " assessment(s) x "
              << assay::bench::RatingsPerAssessment(*model, spec) << " ratings (" << model->Key() << ", seed "
              << spec.seed << ")\n";
  return 0;
}
