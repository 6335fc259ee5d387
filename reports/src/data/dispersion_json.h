// Internal to the reports' data formats: a dispersion as the profile's and
// the trend's JSON show it, figures rounded to two decimals so that they read
// the same on every platform.
#ifndef ASSAY_REPORTS_DATA_DISPERSION_JSON_H_
#define ASSAY_REPORTS_DATA_DISPERSION_JSON_H_

#include <cmath>

#include <nlohmann/json.hpp>

#include "assay/rating.h"

namespace assay::reports {

inline double Round2(double x) { return std::round(x * 100) / 100; }

// {values, mean, sd, cv, reliability}
inline nlohmann::ordered_json DispersionJson(const Dispersion& d) {
  nlohmann::ordered_json j;
  j["values"] = d.values;
  j["mean"] = Round2(d.mean);
  j["sd"] = Round2(d.sd);
  j["cv"] = Round2(d.cv);
  j["reliability"] = ReliabilityName(d.reliability);
  return j;
}

}  // namespace assay::reports

#endif  // ASSAY_REPORTS_DATA_DISPERSION_JSON_H_
