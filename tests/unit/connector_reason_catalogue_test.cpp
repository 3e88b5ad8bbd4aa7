// The reason catalogue (common/reason_catalogue.h): every code a connector or a service can
// report is in it, every PSA's steps belong to a shared code, and docs/troubleshooting.md is
// exactly what the catalogue generates.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "common/reason_catalogue.h"
#include "connectors/registry.h"
#include "connectors/troubleshooting.h"

namespace switchyard {
namespace {

namespace fs = std::filesystem;
const fs::path kSource = SWITCHYARD_SOURCE_DIR;

std::string read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

const std::regex kMakeError(R"re(make_error\("([a-z_]+)")re");
const std::regex kDeadLetter(R"re(dead_letter\(e, "([a-z_]+)")re");
const std::regex kCodeConstant(R"re(inline constexpr std::string_view k[A-Za-z]+ = "([a-z_]+)";)re");

// The codes the sources at `path` (a file, or every .cpp and .h below a folder) report through
// `patterns`: make_error("<code>", ...), a code constant (k... = "<code>"), dispatch's
// dead_letter(e, "<code>", ...).
std::set<std::string> codes_reported_under(const fs::path& path, const std::vector<const std::regex*>& patterns) {
  std::vector<fs::path> files;
  if (fs::is_regular_file(path)) files.push_back(path);
  for (const auto& entry : fs::is_directory(path) ? fs::recursive_directory_iterator(path) : fs::recursive_directory_iterator()) {
    const auto extension = entry.path().extension();
    if (entry.is_regular_file() && (extension == ".cpp" || extension == ".h")) files.push_back(entry.path());
  }
  std::set<std::string> codes;
  for (const auto& file : files) {
    const std::string text = read(file);
    for (const std::regex* pattern : patterns) {
      for (auto it = std::sregex_iterator(text.begin(), text.end(), *pattern); it != std::sregex_iterator(); ++it) {
        codes.insert((*it)[1].str());
      }
    }
  }
  return codes;
}

TEST(ReasonCatalogueTest, CodesAreUniqueAndEveryEntryIsFilledIn) {
  std::set<std::string_view> seen;
  for (const Reason& r : shared_reasons()) {
    EXPECT_TRUE(seen.insert(r.code).second) << "twice: " << r.code;
    EXPECT_FALSE(r.message.empty()) << r.code;
    EXPECT_FALSE(r.cause.empty()) << r.code;
    EXPECT_FALSE(r.fix.empty()) << r.code;
    EXPECT_EQ(find_reason(r.code), &r);
  }
  EXPECT_EQ(find_reason("no_such_code"), nullptr);
}

TEST(ReasonCatalogueTest, EveryCodeAConnectorCanReportIsInTheCatalogue) {
  auto codes = codes_reported_under(kSource / "libs/connectors", {&kMakeError});
  // The interface's own codes (kNotSupported, kRecordNotFound, kBadCredentials, ...).
  codes.merge(codes_reported_under(kSource / "libs/connectors/connector.h", {&kCodeConstant}));
  codes.merge(codes_reported_under(kSource / "libs/connectors/auth/token_source.h", {&kCodeConstant}));
  ASSERT_GT(codes.size(), 10u) << "the scan found too little: has the source moved?";
  for (const auto& code : codes) EXPECT_NE(find_reason(code), nullptr) << "not in the catalogue: " << code;
}

TEST(ReasonCatalogueTest, EveryCodeDispatchDeadLettersOrParksWithIsInTheCatalogue) {
  // Its own codes, and a command's parse errors (a command produced straight to the topic).
  auto codes = codes_reported_under(kSource / "services/dispatch", {&kDeadLetter, &kCodeConstant});
  codes.merge(codes_reported_under(kSource / "libs/common/command.cpp", {&kMakeError}));
  codes.merge(codes_reported_under(kSource / "libs/common/json_read.h", {&kCodeConstant}));
  ASSERT_GE(codes.size(), 8u) << "the scan found too little: has the source moved?";
  for (const auto& code : codes) EXPECT_NE(find_reason(code), nullptr) << "not in the catalogue: " << code;
  // The reasons the rate limiter parks a tenant with (connectors/rate_limited_psa_http.cpp).
  for (const char* code : {"rate_limit", "endpoint_budget", "egress_budget", "limiter_unavailable", "psa_throttled",
                           "psa_failing", "kafka_unavailable", "auth_suspended", "tenant_paused"}) {
    EXPECT_NE(find_reason(code), nullptr) << code;
  }
}

TEST(ReasonCatalogueTest, EveryPsasStepsBelongToASharedCode) {
  const auto& registry = connectors::builtin_registry();
  for (const auto& name : registry.names()) {
    for (const auto& steps : registry.find(name)->reason_steps()) {
      EXPECT_NE(find_reason(steps.code), nullptr) << name << " has steps for an unknown code " << steps.code;
      EXPECT_FALSE(steps.steps.empty()) << name << " " << steps.code;
    }
  }
}

TEST(ReasonCatalogueTest, TroubleshootingDocIsWhatTheCatalogueGenerates) {
  const std::string generated = connectors::troubleshooting_markdown(connectors::builtin_registry());
  EXPECT_EQ(read(kSource / "docs/troubleshooting.md"), generated)
      << "docs/troubleshooting.md is out of date: run `make docs`";
  for (const Reason& r : shared_reasons()) {
    EXPECT_NE(generated.find("\n### " + std::string(r.code) + "\n"), std::string::npos) << r.code;
  }
}

}  // namespace
}  // namespace switchyard
