#include "ingest/sync_request.h"

#include <simdjson.h>

#include <algorithm>

#include "ingest/fetch_job.h"

namespace switchyard::ingest {
namespace {

constexpr size_t kMaxEntityName = 64;

bool blank(std::string_view body) {
  return std::all_of(body.begin(), body.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

Error invalid(std::string message) { return make_error("invalid_request", std::move(message)); }

// "records[3]" for messages.
std::string item_name(size_t i) {
  std::string name = "records[";
  name.append(std::to_string(i)).append("]");
  return name;
}

Status read_entities(simdjson::dom::element value, SyncRequest& out) {
  simdjson::dom::array list;
  if (value.get(list) != simdjson::SUCCESS) return invalid("entities: must be an array of entity names");
  for (simdjson::dom::element e : list) {
    std::string_view name;
    if (e.get(name) != simdjson::SUCCESS || name.empty() || name.size() > kMaxEntityName) {
      return invalid("entities: must be an array of entity names");
    }
    if (std::find(out.entities.begin(), out.entities.end(), name) == out.entities.end()) out.entities.emplace_back(name);
  }
  return ok_status();
}

// One {"entity": "company", "id": "123"}; an id may also be a non-negative integer.
Result<RecordRef> read_record(simdjson::dom::element value, size_t i) {
  const std::string name = item_name(i);
  simdjson::dom::object obj;
  if (value.get(obj) != simdjson::SUCCESS) {
    return invalid(name + ": must be an object {\"entity\": \"company\", \"id\": \"123\"}");
  }
  RecordRef ref;
  bool has_entity = false, has_id = false;
  for (auto [key, member] : obj) {
    if (key == "entity") {
      std::string_view entity;
      if (member.get(entity) != simdjson::SUCCESS || entity.empty() || entity.size() > kMaxEntityName) {
        return invalid(name + ".entity: must be an entity name (company, contact, ...)");
      }
      ref.entity = entity;
      has_entity = true;
    } else if (key == "id") {
      std::string_view text;
      uint64_t number = 0;
      if (member.get(text) == simdjson::SUCCESS) {
        ref.id = text;
      } else if (member.get(number) == simdjson::SUCCESS) {
        ref.id = std::to_string(number);
      } else {
        return invalid(name + ".id: must be a string (the record's id in the PSA)");
      }
      if (!is_importable_record_id(ref.id)) {
        return invalid(name + ".id: must be 1 to 64 characters of A-Z a-z 0-9 . _ : -");
      }
      has_id = true;
    } else {
      std::string message = name;
      message.append(": unknown field \"").append(key.substr(0, 64)).append("\" (only \"entity\" and \"id\")");
      return invalid(std::move(message));
    }
  }
  if (!has_entity) return invalid(name + ".entity: missing");
  if (!has_id) return invalid(name + ".id: missing");
  return ref;
}

Status read_records(simdjson::dom::element value, SyncRequest& out) {
  simdjson::dom::array list;
  if (value.get(list) != simdjson::SUCCESS || list.size() == 0 || list.size() > kMaxImportRecords) {
    return invalid("records: must be an array of 1 to " + std::to_string(kMaxImportRecords) +
                   " records {\"entity\": \"company\", \"id\": \"123\"}");
  }
  size_t i = 0;
  for (simdjson::dom::element item : list) {
    auto ref = read_record(item, i++);
    if (!ref) return ref.error();
    if (std::find(out.records.begin(), out.records.end(), *ref) == out.records.end()) out.records.push_back(std::move(*ref));
  }
  return ok_status();
}

}  // namespace

Result<SyncRequest> parse_sync_request(std::string_view body) {
  SyncRequest request;
  if (blank(body)) return request;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) {
    return make_error("invalid_json", "the body is not valid JSON");
  }
  simdjson::dom::object obj;
  if (root.get(obj) != simdjson::SUCCESS) {
    return invalid("the body must be a JSON object: {\"entities\": [...], \"resync\": true, \"records\": [...]}");
  }
  for (auto [key, value] : obj) {
    Status read = ok_status();
    if (key == "resync") {
      if (value.get(request.resync) != simdjson::SUCCESS) return invalid("resync: must be true or false");
    } else if (key == "entities") {
      read = read_entities(value, request);
    } else if (key == "records") {
      read = read_records(value, request);
    } else {
      std::string message = "unknown field \"";
      message.append(key.substr(0, 64)).append("\" (only \"entities\", \"resync\" and \"records\")");
      return invalid(std::move(message));
    }
    if (!read) return read.error();
  }
  return request;
}

}  // namespace switchyard::ingest
