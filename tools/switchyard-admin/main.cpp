#include <cstdlib>
#include <iostream>

#include "switchyard-admin/admin_cli.h"

int main(int argc, char** argv) {
  using namespace switchyard;
  http::HttpClient client;
  const std::vector<std::string> args(argv + 1, argv + argc);
  return admin::run(
      args, [&client](const http::ClientRequest& request) { return client.send(request); },
      [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        return value ? std::optional<std::string>(value) : std::nullopt;
      },
      std::cout, std::cerr, &std::cin);
}
