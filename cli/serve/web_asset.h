// One file of the embedded web app (web/), as cmake/EmbedWeb.cmake writes
// them into the generated web_assets.cc.
#ifndef ASSAY_CLI_SERVE_WEB_ASSET_H_
#define ASSAY_CLI_SERVE_WEB_ASSET_H_

#include <cstddef>

namespace assay::cli::serve {

struct WebAsset {
  const char* path;  // "/index.html", "/app.js", ...
  const char* type;  // its Content-Type
  const unsigned char* data;
  size_t size;
};
// Every file, then one entry of nullptr paths.
extern const WebAsset kWebAssets[];
extern const size_t kWebAssetCount;

}  // namespace assay::cli::serve

#endif  // ASSAY_CLI_SERVE_WEB_ASSET_H_
