// The web app embedded in the executable (web/, generated into
// web_assets.cc at build time): served with its Content-Type; "/" is
// index.html.
#include <string>

#include "serve.h"

namespace assay::cli::serve {

const WebAsset* FindWebAsset(const std::string& path) {
  const std::string want = path == "/" ? "/index.html" : path;
  for (size_t n = 0; n < kWebAssetCount; ++n)
    if (want == kWebAssets[n].path) return &kWebAssets[n];
  return nullptr;
}

void InstallAssets(httplib::Server* server) {
  server->Get(R"(/([A-Za-z0-9_.-]*))", [](const httplib::Request& req, httplib::Response& res) {
    const WebAsset* asset = FindWebAsset(req.path);
    if (asset == nullptr) {
      SendError(res, Status::NotFound("no such page: " + req.path));
      return;
    }
    res.set_content(reinterpret_cast<const char*>(asset->data), asset->size, asset->type);
  });
}

}  // namespace assay::cli::serve
