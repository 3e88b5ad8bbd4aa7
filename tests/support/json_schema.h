// A small JSON Schema (2020-12) validator covering the keywords docs/schemas/v1/ uses ($ref,
// type, const, enum, string lengths and patterns, minimum, required, properties,
// additionalProperties, items, oneOf), so tests can check what Switchyard emits against the
// schema files consumers read.
#pragma once

#include <simdjson.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace switchyard::testing {

class JsonSchemaSet {
 public:
  // Reads `files` (names relative to `dir`, which ends in '/'); a file that is missing or not
  // JSON is reported by parsed().
  JsonSchemaSet(std::string dir, const std::vector<std::string>& files);

  bool parsed(const std::string& file) const { return files_.at(file).ok; }
  simdjson::dom::element root(const std::string& file) const { return files_.at(file).root; }

  // Resolves "other.schema.json#/$defs/x", "other.schema.json" or "#/$defs/x" relative to
  // `file`; sets `file` to the target's file. False when it does not resolve.
  bool resolve(std::string ref, std::string& file, simdjson::dom::element& out) const;

  // Appends one message per violation, each naming the instance path.
  void validate(simdjson::dom::element value, simdjson::dom::element schema, std::string file,
                const std::string& path, std::vector<std::string>& errors) const;
  // Violations of `json` (at JSON pointer `pointer`) against schema file `file`; empty when valid.
  std::vector<std::string> validate_text(const std::string& json, const std::string& file,
                                         const char* pointer = "") const;

 private:
  struct File {
    std::unique_ptr<simdjson::dom::parser> parser;
    std::string text;
    simdjson::dom::element root;
    bool ok = false;
  };
  std::map<std::string, File> files_;
};

// The schema files of docs/schemas/v1/ (every *.schema.json there), and that directory.
const std::vector<std::string>& canonical_schema_files();
std::string canonical_schema_dir();

}  // namespace switchyard::testing
