// The operator console's files (services/ingest/console/), compiled into ingest by CMake
// (console_assets.cpp.in), so the image needs no static-file directory and the console never
// loads anything from elsewhere: no CDN, no fonts, no external script.
#pragma once

#include <span>
#include <string_view>

namespace switchyard::ingest {

struct ConsoleAsset {
  std::string_view name;  // "index.html", "console.js", "console.css", "icon.svg"
  std::string_view content_type;
  std::string_view body;
};

std::span<const ConsoleAsset> console_assets();

}  // namespace switchyard::ingest
