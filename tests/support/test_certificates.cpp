#include "support/test_certificates.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace switchyard::testing {
namespace {

void openssl(const std::string& args, const std::string& log) {
  const std::string command = "openssl " + args + " >>'" + log + "' 2>&1";
  if (std::system(command.c_str()) != 0) {
    throw std::runtime_error("openssl failed (is it installed? scripts/install-deps.sh): " + args + "; see " + log);
  }
}

// EC keys: generated in milliseconds, unlike RSA.
constexpr const char* kNewKey = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";

void make_ca(const std::filesystem::path& dir, const std::string& name, const std::string& log) {
  openssl("req -x509 " + std::string(kNewKey) + " -days 2 -subj /CN=" + name + " -keyout '" +
              (dir / (name + ".key")).string() + "' -out '" + (dir / (name + ".crt")).string() + "'",
          log);
}

void make_signed(const std::filesystem::path& dir, const std::string& name, const std::string& extensions,
                 const std::string& log) {
  const auto ext = dir / (name + ".ext");
  std::ofstream(ext) << extensions << "\n";
  const auto key = dir / (name + ".key"), csr = dir / (name + ".csr"), crt = dir / (name + ".crt");
  openssl("req " + std::string(kNewKey) + " -subj /CN=" + name + " -keyout '" + key.string() + "' -out '" +
              csr.string() + "'",
          log);
  openssl("x509 -req -days 2 -in '" + csr.string() + "' -CA '" + (dir / "ca.crt").string() + "' -CAkey '" +
              (dir / "ca.key").string() + "' -CAcreateserial -extfile '" + ext.string() + "' -out '" + crt.string() +
              "'",
          log);
}

TestCertificates generate() {
  const auto dir = std::filesystem::path(SWITCHYARD_BINARY_DIR) / "test-logs" / ("certs-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string log = (dir / "openssl.log").string();
  make_ca(dir, "ca", log);
  make_ca(dir, "other-ca", log);
  make_signed(dir, "server", "subjectAltName=IP:127.0.0.1,DNS:localhost", log);
  make_signed(dir, "client", "extendedKeyUsage=clientAuth", log);
  TestCertificates c;
  c.ca_file = (dir / "ca.crt").string();
  c.other_ca_file = (dir / "other-ca.crt").string();
  c.server_cert_file = (dir / "server.crt").string();
  c.server_key_file = (dir / "server.key").string();
  c.client_cert_file = (dir / "client.crt").string();
  c.client_key_file = (dir / "client.key").string();
  return c;
}

}  // namespace

const TestCertificates& test_certificates() {
  static const TestCertificates certificates = generate();
  return certificates;
}

}  // namespace switchyard::testing
