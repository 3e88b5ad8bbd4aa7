#include "conformance/fixtures.h"

#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/command.h"

namespace switchyard::conformance {
namespace {

namespace fs = std::filesystem;
using simdjson::dom::element;
using simdjson::dom::object;

Result<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("missing_fixture", path.string() + ": cannot be read");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Files of `dir` ending in `suffix`, by name, so failures come in a stable order.
std::vector<fs::path> files_in(const fs::path& dir, std::string_view suffix) {
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().filename().string().ends_with(suffix)) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

Error bad(const fs::path& file, const std::string& what) {
  return make_error("invalid_fixture", file.string() + ": " + what);
}

Result<std::string> string_of(object o, std::string_view key, const fs::path& file) {
  std::string_view s;
  if (o[key].get(s) != simdjson::SUCCESS) return bad(file, std::string(key) + ": a string is required");
  return std::string(s);
}

// A member that must be a JSON object, returned minified.
Result<std::string> object_text(object o, std::string_view key, const fs::path& file) {
  object value;
  if (o[key].get(value) != simdjson::SUCCESS) return bad(file, std::string(key) + ": an object is required");
  return std::string(simdjson::minify(value));
}

std::string optional_object_text(object o, std::string_view key) {
  object value;
  return o[key].get(value) == simdjson::SUCCESS ? std::string(simdjson::minify(value)) : "";
}

Result<object> parse_object(simdjson::dom::parser& parser, const std::string& text, const fs::path& file) {
  object o;
  if (parser.parse(text).get(o) != simdjson::SUCCESS) return bad(file, "not a JSON object");
  return o;
}

Result<WebhookSample> load_webhook(const fs::path& json_path) {
  WebhookSample s;
  s.name = json_path.stem().string();
  fs::path body_path = json_path;
  body_path.replace_extension(".body");
  auto body = read_file(body_path);
  if (!body) return body.error();
  s.body = std::move(*body);
  auto text = read_file(json_path);
  if (!text) return text.error();
  simdjson::dom::parser parser;
  auto o = parse_object(parser, *text, json_path);
  if (!o) return o.error();
  object headers;
  if ((*o)["headers"].get(headers) != simdjson::SUCCESS) return bad(json_path, "headers: an object is required");
  for (auto [name, value] : headers) {
    std::string_view v;
    if (value.get(v) != simdjson::SUCCESS) return bad(json_path, "headers." + std::string(name) + ": a string is required");
    s.headers.emplace_back(std::string(name), std::string(v));
  }
  simdjson::dom::array changes;
  if ((*o)["changes"].get(changes) != simdjson::SUCCESS || changes.size() == 0) {
    return bad(json_path, "changes: a non-empty array is required");
  }
  for (element item : changes) {
    object c;
    if (item.get(c) != simdjson::SUCCESS) return bad(json_path, "changes[]: objects are required");
    ExpectedChange e;
    for (auto [key, out] : {std::pair{"entity", &e.entity}, {"entity_id", &e.entity_id}, {"action", &e.action},
                            {"version", &e.version}}) {
      auto v = string_of(c, key, json_path);
      if (!v) return v.error();
      *out = std::move(*v);
    }
    bool needs_fetch = false;
    if (c["needs_fetch"].get(needs_fetch) == simdjson::SUCCESS) e.needs_fetch = needs_fetch;
    s.changes.push_back(std::move(e));
    s.canonical.push_back(optional_object_text(c, "canonical"));
  }
  return s;
}

Result<RecordSample> load_record(const fs::path& path) {
  auto text = read_file(path);
  if (!text) return text.error();
  simdjson::dom::parser parser;
  auto o = parse_object(parser, *text, path);
  if (!o) return o.error();
  RecordSample s;
  s.name = path.stem().string();
  auto entity = string_of(*o, "entity", path);
  auto id = string_of(*o, "entity_id", path);
  auto record = object_text(*o, "record", path);
  auto canonical = object_text(*o, "canonical", path);
  for (const Result<std::string>* r : {&entity, &id, &record, &canonical}) {
    if (!*r) return r->error();
  }
  s.entity = *entity, s.entity_id = *id, s.body = *record, s.canonical = *canonical;
  return s;
}

Status load_polls(const fs::path& path, Fixtures& f) {
  auto text = read_file(path);
  if (!text) return text.error();
  simdjson::dom::parser parser;
  auto o = parse_object(parser, *text, path);
  if (!o) return o.error();
  int64_t page_size = 0;
  if ((*o)["page_size"].get(page_size) != simdjson::SUCCESS || page_size < 1) {
    return bad(path, "page_size: a positive integer is required");
  }
  f.page_size = static_cast<int>(page_size);
  object entities;
  if ((*o)["entities"].get(entities) != simdjson::SUCCESS) return bad(path, "entities: an object is required");
  for (auto [entity, value] : entities) {
    object e;
    const std::string at = "entities." + std::string(entity);
    if (value.get(e) != simdjson::SUCCESS) return bad(path, at + ": an object is required");
    PollSeed seed;
    seed.entity = std::string(entity);
    auto sandbox_entity = string_of(e, "sandbox_entity", path);
    if (!sandbox_entity) return sandbox_entity.error();
    seed.sandbox_entity = *sandbox_entity;
    auto record = object_text(e, "record", path);
    if (!record) return record.error();
    seed.record = *record;
    int64_t count = 0;
    if (e["count"].get(count) != simdjson::SUCCESS || count < 1) return bad(path, at + ".count: a positive integer is required");
    seed.count = static_cast<int>(count);
    simdjson::dom::element extra;
    if (e["extra_calls"].get(extra) == simdjson::SUCCESS) {
      int64_t n = 0;
      if (extra.get(n) != simdjson::SUCCESS || n < 0 || n > 1000) {
        return bad(path, at + ".extra_calls: an integer from 0 to 1000 is required");
      }
      seed.extra_calls = static_cast<int>(n);
    }
    f.polls.push_back(std::move(seed));
  }
  return ok_status();
}

Result<CommandSample> load_command(const fs::path& path) {
  auto text = read_file(path);
  if (!text) return text.error();
  simdjson::dom::parser parser;
  auto o = parse_object(parser, *text, path);
  if (!o) return o.error();
  CommandSample s;
  s.name = path.stem().string();
  auto command = object_text(*o, "command", path);
  if (!command) return command.error();
  s.command = *command;
  auto parsed = command_from_json(s.command);
  if (!parsed) return bad(path, "command: " + parsed.error().message);
  s.type = std::string(command_type(*parsed));
  auto entity = string_of(*o, "sandbox_entity", path);
  if (!entity) return entity.error();
  s.sandbox_entity = *entity;
  if ((*o)["creates"].get(s.creates) != simdjson::SUCCESS) return bad(path, "creates: true or false is required");
  auto record = object_text(*o, "record", path);
  if (!record) return record.error();
  s.record = *record;
  simdjson::dom::array setup;
  if ((*o)["setup"].get(setup) == simdjson::SUCCESS) {
    for (element item : setup) {
      object r;
      if (item.get(r) != simdjson::SUCCESS) return bad(path, "setup[]: objects are required");
      auto setup_entity = string_of(r, "sandbox_entity", path);
      auto setup_record = object_text(r, "record", path);
      if (!setup_entity) return setup_entity.error();
      if (!setup_record) return setup_record.error();
      s.setup.push_back({*setup_entity, *setup_record});
    }
  }
  return s;
}

Result<std::optional<ServedKeySample>> load_served_key(const fs::path& path) {
  if (!fs::exists(path)) return std::optional<ServedKeySample>{};
  auto text = read_file(path);
  if (!text) return text.error();
  simdjson::dom::parser parser;
  auto o = parse_object(parser, *text, path);
  if (!o) return o.error();
  ServedKeySample s;
  auto entity = string_of(*o, "sandbox_entity", path);
  auto record = object_text(*o, "record", path);
  auto webhook_entity = string_of(*o, "webhook_entity", path);
  auto action = string_of(*o, "action", path);
  for (const Result<std::string>* r : {&entity, &record, &webhook_entity, &action}) {
    if (!*r) return r->error();
  }
  s.sandbox_entity = *entity, s.record = *record, s.webhook_entity = *webhook_entity, s.action = *action;
  return std::optional<ServedKeySample>{std::move(s)};
}

Result<std::optional<RegistrationSample>> load_registration(const fs::path& path) {
  if (!fs::exists(path)) return std::optional<RegistrationSample>{};
  auto text = read_file(path);
  if (!text) return text.error();
  simdjson::dom::parser parser;
  auto o = parse_object(parser, *text, path);
  if (!o) return o.error();
  RegistrationSample s;
  simdjson::dom::array entities;
  if ((*o)["sandbox_entities"].get(entities) != simdjson::SUCCESS || entities.size() == 0) {
    return bad(path, "sandbox_entities: a non-empty array of strings is required");
  }
  for (simdjson::dom::element e : entities) {
    std::string_view name;
    if (e.get(name) != simdjson::SUCCESS || name.empty()) return bad(path, "sandbox_entities: strings are required");
    s.sandbox_entities.emplace_back(name);
  }
  auto url_field = string_of(*o, "url_field", path);
  if (!url_field) return url_field.error();
  s.url_field = *url_field;
  simdjson::dom::object foreign;
  if ((*o)["foreign"].get(foreign) != simdjson::SUCCESS) {
    return bad(path, "foreign: an object {sandbox_entity, record} is required (an entry of the MSP's own)");
  }
  auto foreign_entity = string_of(foreign, "sandbox_entity", path);
  if (!foreign_entity) return foreign_entity.error();
  auto foreign_record = object_text(foreign, "record", path);
  if (!foreign_record) return foreign_record.error();
  s.foreign = {*foreign_entity, *foreign_record};
  return std::optional<RegistrationSample>{std::move(s)};
}

}  // namespace

std::string fixtures_dir(std::string_view connector) {
  return std::string(SWITCHYARD_SOURCE_DIR) + "/libs/connectors/" + std::string(connector) + "/conformance";
}

Result<Fixtures> load_fixtures(std::string_view connector) {
  Fixtures f;
  f.dir = fixtures_dir(connector);
  if (!fs::is_directory(f.dir)) {
    return make_error("missing_fixture", f.dir + ": no conformance fixtures (docs/conformance.md says what to add)");
  }
  const fs::path dir(f.dir);
  auto tenant = read_file(dir / "tenant.json");
  if (!tenant) return tenant.error();
  if (tenant->find(kBaseUrlPlaceholder) == std::string::npos) {
    return bad(dir / "tenant.json", "base_url must be \"" + std::string(kBaseUrlPlaceholder) + "\"");
  }
  f.tenant = std::move(*tenant);
  for (const auto& path : files_in(dir / "webhooks", ".json")) {
    auto s = load_webhook(path);
    if (!s) return s.error();
    f.webhooks.push_back(std::move(*s));
  }
  for (const auto& path : files_in(dir / "records", ".json")) {
    auto s = load_record(path);
    if (!s) return s.error();
    f.records.push_back(std::move(*s));
  }
  if (auto st = load_polls(dir / "poll.json", f); !st) return st.error();
  for (const auto& path : files_in(dir / "commands", ".json")) {
    auto s = load_command(path);
    if (!s) return s.error();
    f.commands.push_back(std::move(*s));
  }
  auto served_key = load_served_key(dir / "served_key.json");
  if (!served_key) return served_key.error();
  f.served_key = std::move(*served_key);
  auto registration = load_registration(dir / "registration.json");
  if (!registration) return registration.error();
  f.registration = std::move(*registration);
  return f;
}

const PollSeed* find_poll_seed(const Fixtures& fixtures, std::string_view entity) {
  for (const auto& seed : fixtures.polls) {
    if (seed.entity == entity) return &seed;
  }
  return nullptr;
}

}  // namespace switchyard::conformance
