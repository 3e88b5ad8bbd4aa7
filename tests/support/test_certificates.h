// A throwaway PKI for TLS tests, made once per test process with the `openssl` CLI
// (scripts/install-deps.sh installs it): a CA, a server certificate for 127.0.0.1 and localhost
// signed by it, a client certificate for mutual TLS, and an unrelated CA to show that a
// server the client does not trust is refused.
#pragma once

#include <string>

namespace switchyard::testing {

struct TestCertificates {
  std::string ca_file;
  std::string server_cert_file, server_key_file;
  std::string client_cert_file, client_key_file;
  std::string other_ca_file;  // signed nothing the servers present
};

// Throws std::runtime_error (with the openssl output's path) when generation fails.
const TestCertificates& test_certificates();

}  // namespace switchyard::testing
