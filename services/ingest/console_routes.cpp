#include "ingest/console_routes.h"

#include "ingest/console_assets.h"

namespace switchyard::ingest {
namespace {

constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

http::Response asset_response(std::string_view name) {
  for (const ConsoleAsset& asset : console_assets()) {
    if (asset.name != name) continue;
    http::Response response;
    response.content_type = std::string(asset.content_type);
    response.body = std::string(asset.body);
    response.headers = {{"Content-Security-Policy", std::string(kContentSecurityPolicy)},
                        {"X-Content-Type-Options", "nosniff"},
                        {"Referrer-Policy", "no-referrer"},
                        {"Cache-Control", "no-store"}};
    return response;
  }
  return http::error_response(404, "not_found", "the console has no such file");
}

}  // namespace

void add_console_routes(http::HttpServer& server) {
  server.route("GET", "/console", [](http::Request&&, http::Responder respond) { respond(asset_response("index.html")); });
  server.route("GET", "/console/{file}", [](http::Request&& request, http::Responder respond) {
    respond(asset_response(request.params["file"]));
  });
}

}  // namespace switchyard::ingest
