// configuration.upsert → a HaloPSA asset (POST /Asset with a JSON array; schema Device). An asset
// made for a command carries "sy-ref:<external_ref>" in third_party_id_string. The asset list
// has no filter on that field (docs/psa/halopsa.md), so a redelivered command whose write memo
// was lost reads the client's assets (GET /Asset?client_id=, paged) for it: bounded, and a
// client with more assets than that is reported rather than risking a second asset.
#include <simdjson.h>

#include "common/json_writer.h"
#include "connectors/halopsa/write_calls.h"
#include "connectors/halopsa/writers.h"
#include "connectors/write_values.h"

namespace switchyard::connectors::halopsa {
namespace {

constexpr std::string_view kAssetsEdit = "Assets (edit)";
constexpr int kPageSize = 100;
constexpr int kMaxPages = 50;  // 5,000 assets of one client
constexpr size_t kMaxPageAnswer = 16 * 1024 * 1024;

struct Found {
  std::optional<std::string> id;
  std::optional<WriteOutcome> failure;
};

// The client's asset stamped with `reference`, page by page.
Found find_asset(PsaHttp& psa, const Tenant& t, int64_t client_id, std::string_view reference) {
  for (int page = 1; page <= kMaxPages; ++page) {
    std::string path = "Asset?client_id=";
    path.append(std::to_string(client_id)).append("&includeinactive=true&pageinate=true&page_size=")
        .append(std::to_string(kPageSize)).append("&page_no=").append(std::to_string(page));
    auto call = send(psa, t, "GET", path, "", "looking the asset up by its reference", "Assets (read)");
    if (call.failure) return {std::nullopt, std::move(call.failure)};
    simdjson::dom::parser parser;
    simdjson::dom::array assets;
    if (call.response->body.size() > kMaxPageAnswer ||
        parser.parse(call.response->body)["assets"].get(assets) != simdjson::SUCCESS) {
      return {std::nullopt, WriteOutcome::retryable("HaloPSA's asset list answered without an assets list")};
    }
    for (simdjson::dom::element asset : assets) {
      std::string_view stamped;
      int64_t id = 0;
      if (asset["third_party_id_string"].get(stamped) == simdjson::SUCCESS && stamped == reference &&
          asset["id"].get(id) == simdjson::SUCCESS && id > 0) {
        return {std::to_string(id), std::nullopt};
      }
    }
    if (assets.size() < static_cast<size_t>(kPageSize)) return {};
  }
  std::string detail = "the HaloPSA client ";
  detail.append(std::to_string(client_id)).append(" has more than ").append(std::to_string(kPageSize * kMaxPages))
      .append(" assets, too many to look this one up by its reference; it was not written");
  return {std::nullopt, WriteOutcome::rejected(std::move(detail))};
}

// The fields a create and an update both send. Halo keeps serial numbers and similar in each
// instance's own asset fields, so only the Device schema's fixed fields are written.
void write_common(JsonWriter& w, const ConfigurationUpsert& cmd, std::optional<int64_t> type_id) {
  w.field("inventory_number", cmd.name);
  if (type_id) w.field("assettype_id", *type_id);
  if (cmd.warranty_expiry_date) {
    std::string end = *cmd.warranty_expiry_date;
    end.append("T00:00:00Z");
    w.field("warranty_end", end);
  }
}

}  // namespace

WriteOutcome upsert_configuration(const Tenant& t, const ConfigurationUpsert& cmd, PsaHttp& psa, WriteMemo& memo,
                                  const MappingLookup& mappings) {
  std::optional<WriteOutcome> failure;
  auto type_id = choice_id(cmd.type, "configuration_type", mappings, failure);
  if (failure) return *failure;
  if (!type_id) type_id = halo_id(option_or(t, "default_asset_type_id"));
  const auto client_id = halo_id(cmd.company_id.value_or(option_or(t, "default_client_id")));
  if (!client_id) {
    return WriteOutcome::rejected("a HaloPSA asset needs a client: send company_id (a HaloPSA client id), or set "
                                  "options.default_client_id for the tenant");
  }
  const std::string reference = reference_of(cmd.external_ref);
  std::optional<std::string> existing = memo.lookup(t, "configuration", cmd.external_ref);
  if (!existing) {
    Found found = find_asset(psa, t, *client_id, reference);
    if (found.failure) return *found.failure;
    existing = found.id;
    if (existing) memo.remember(t, "configuration", cmd.external_ref, *existing);
  }
  JsonWriter w;
  w.begin_array().begin_object();
  if (existing) {
    const auto id = halo_id(*existing);
    if (!id) return WriteOutcome::rejected("the write memo holds an asset id HaloPSA cannot take");
    w.field("id", *id);
    write_common(w, cmd, type_id);
    w.end_object().end_array();
    auto call = send(psa, t, "POST", "Asset", w.take(), "updating the asset", kAssetsEdit);
    if (call.failure) return *call.failure;
    return WriteOutcome::done(*existing, false);
  }
  if (!type_id) {
    return WriteOutcome::rejected("a HaloPSA asset needs an asset type: send payload.type ({\"id\": N} or a value of the "
                                  "tenant's \"configuration_type\" mappings), or set options.default_asset_type_id");
  }
  w.field("client_id", *client_id).field("third_party_id_string", reference);
  if (auto site = halo_id(option_or(t, "default_site_id"))) w.field("site_id", *site);
  write_common(w, cmd, type_id);
  w.end_object().end_array();
  auto call = send(psa, t, "POST", "Asset", w.take(), "creating the asset", kAssetsEdit);
  if (call.failure) return *call.failure;
  const auto id = written_id(*call.response);
  if (!id) return WriteOutcome::retryable("HaloPSA created an asset but its answer has no id");
  memo.remember(t, "configuration", cmd.external_ref, *id);
  return WriteOutcome::done(*id, true);
}

}  // namespace switchyard::connectors::halopsa
