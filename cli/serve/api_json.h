// JSON of the records the API sends and reads (docs/API.md,
// schemas/assay-api.openapi.json). Internal to assay serve.
#ifndef ASSAY_CLI_SERVE_API_JSON_H_
#define ASSAY_CLI_SERVE_API_JSON_H_

#include <functional>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "assay/assessment.h"
#include "assay/status.h"
#include "assay/store.h"
#include "serve_hooks.h"

namespace assay::cli::serve {

nlohmann::json AssessmentJson(const Assessment& a);
nlohmann::json RatingJson(const Rating& r);
nlohmann::json InstanceJson(const ProcessInstance& i);
nlohmann::json PersonJson(const Person& p);

// A request body: a JSON object whose fields are read with their JSON
// pointers, so that an error names the field ("/value: expected a string").
class Body {
 public:
  // InvalidInput when `text` is not a JSON object.
  Status Parse(const std::string& text);
  explicit Body(nlohmann::json j = nlohmann::json::object(), std::string at = "") : j_(std::move(j)), at_(std::move(at)) {}
  const nlohmann::json& json() const { return j_; }
  // The pointer of `field` in the request.
  std::string Pointer(const std::string& field) const { return at_ + "/" + field; }
  // A string field; "" when absent and not `required`.
  Status Str(const std::string& field, bool required, std::string* out) const;
  Status Int(const std::string& field, bool required, int64_t* out) const;
  Status Bool(const std::string& field, bool* out) const;
  Status Strings(const std::string& field, std::vector<std::string>* out) const;
  // The pointer of the field the last failed call was about.
  const std::string& failed() const { return failed_; }

 private:
  Status Fail(const std::string& field, const std::string& what) const;
  nlohmann::json j_;
  std::string at_;
  mutable std::string failed_;
};

// A request handler of the API: reads `body` (a write's parsed JSON body),
// answers in the response; a failed Status becomes the JSON error.
class Api;
using RouteFn = std::function<Status(Api&, const httplib::Request&, httplib::Response&, Body*)>;
// Wraps `fn` (api.cc): parses a write's body as JSON unless `raw` (the
// handler reads req.body itself), takes the API's lock, maps a failed
// Status to the JSON error with the pointer of the field it is about.
httplib::Server::Handler Route(Api* api, RouteFn fn, bool raw = false);

// --- api_results.cc: the rating sheet, ratings and results ----------------

// The rating grid of assessment `id`: per scoped process its instances and
// the items to rate (ItemsToRate: the method's items, with the model's
// texts), the scale's values and the current ratings.
Status ItemsJson(Session* session, const std::string& id, nlohmann::json* out);
// PUT a rating: `body` {instance, item, value, assessor | consolidated,
// strength, weakness, evidence, version}; `version` is the rating version
// the client edits (0: none yet). A newer version than that is a conflict:
// *http_status 409 and *out the current rating, nothing written.
Status RateJson(Session* session, Workspace* writer, const std::string& id, const Body& body, nlohmann::json* out,
                int* http_status);
// "profile": what `assay profile --format json` prints; "checks": what
// `assay check --format json` prints.
Status ResultJson(Session* session, const std::string& id, const std::string& what, std::string* text);
// The log's verification (VerifyLog) as JSON: {"ok", "events", ...}.
nlohmann::json VerifyJson(Workspace* ws);

}  // namespace assay::cli::serve

#endif  // ASSAY_CLI_SERVE_API_JSON_H_
