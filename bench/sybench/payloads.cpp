#include "payloads.h"

#include <cstdlib>

#include <chrono>
#include <stdexcept>

#include "common/crypto.h"
#include "common/json_writer.h"
#include "common/time_format.h"

namespace switchyard::bench {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::system_clock;

// 2026-11-25T00:00:00Z: versions count up from here, one second (or millisecond) per seq.
const system_clock::time_point kEpoch{seconds(1795564800)};

const char* const kSummaries[] = {
    "Printer offline on 3rd floor", "VPN drops every 10 minutes", "New starter laptop setup",
    "Outlook cannot connect to Exchange", "Backup job failed on SRV-FS01", "Disk almost full on SRV01",
};

// A ConnectWise service ticket as GET /service/tickets/{id} returns it (pyconnectwise's field
// names, docs/psa/connectwise.md), about 1.2 KB; escaped into the callback's Entity string it makes a
// callback of about 1.5 KB.
std::string connectwise_ticket(uint64_t id, uint64_t seq) {
  const std::string updated = format_rfc3339_utc_seconds(kEpoch + seconds(seq));
  const std::string entered = format_rfc3339_utc_seconds(kEpoch - seconds(3600));
  const std::string site = "https://api-na.myconnectwise.net/v4_6_release/apis/3.0";
  JsonWriter w;
  w.reserve(1400);
  w.begin_object()
      .field("id", static_cast<int64_t>(id))
      .field("summary", std::string(kSummaries[seq % 6]) + " (#" + std::to_string(id) + ")")
      .field("recordType", "ServiceTicket");
  w.key("board").begin_object().field("id", 1).field("name", "Service Board").end_object();
  w.key("status").begin_object().field("id", 16).field("name", seq % 5 == 0 ? "In Progress" : "New").end_object();
  w.key("company").begin_object().field("id", 250).field("identifier", "AcmeCorp").field("name", "Acme Corp");
  w.key("_info").begin_object().field("company_href", site + "/company/companies/250").end_object().end_object();
  w.key("contact").begin_object().field("id", 12).field("name", "Jane Doe").end_object();
  w.field("contactName", "Jane Doe").field("contactPhoneNumber", "5551234567")
      .field("contactEmailAddress", "jane.doe@acme.example");
  w.key("type").begin_object().field("id", 3).field("name", "Hardware").end_object();
  w.key("subType").begin_object().field("id", 7).field("name", "Printer").end_object();
  w.key("priority").begin_object().field("id", 8).field("name", "Priority 3 - Normal").field("sort", 6).end_object();
  w.key("owner").begin_object().field("id", 42).field("identifier", "jsmith").field("name", "John Smith").end_object();
  w.field("severity", "Medium").field("impact", "Medium").field("closedFlag", false)
      .field("allowAllClientsPortalView", false).field("customerUpdatedFlag", true)
      .field("approved", true).field("actualHours", 0.5);
  w.field("initialDescription",
          "User reports the device is offline since this morning. Power cycled; still offline.");
  w.key("_info").begin_object()
      .field("lastUpdated", updated).field("updatedBy", "jsmith")
      .field("dateEntered", entered).field("enteredBy", "Portal")
      .end_object();
  w.end_object();
  return w.take();
}

// An Autotask ticket webhook (docs/psa/autotask.md): the changed fields plus "display always" ones,
// about 2 KB.
std::string autotask_webhook(uint64_t id, uint64_t seq) {
  const std::string activity = format_rfc3339_utc(kEpoch + milliseconds(seq));
  const std::string created = format_rfc3339_utc(kEpoch - seconds(7200));
  JsonWriter w;
  w.reserve(2200);
  w.begin_object().field("Action", "Update")
      .field("Guid", "3f1c2d8e-6b7a-4c5d-9e8f-" + crypto::hex_encode(std::to_string(100000 + seq % 100000)).substr(0, 12))
      .field("EntityType", "Ticket").field("Id", static_cast<int64_t>(id));
  w.key("Fields").begin_object()
      .field("id", static_cast<int64_t>(id))
      .field("title", std::string(kSummaries[seq % 6]) + " (#" + std::to_string(id) + ")")
      .field("description",
             "Monitoring alert raised by the RMM agent. The service stopped responding to health checks at "
             "the time shown and did not recover after the automatic restart. Event log excerpt: "
             "The service terminated unexpectedly. It has done this 3 time(s). The following corrective "
             "action will be taken in 60000 milliseconds: Restart the service. Please investigate and "
             "update the ticket with the root cause.")
      .field("status", seq % 5 == 0 ? 8 : 1).field("priority", 2).field("queueID", 8)
      .field("companyID", 100).field("companyLocationID", 10).field("contactID", 30682)
      .field("assignedResourceID", 29682833).field("assignedResourceRoleID", 29683401)
      .field("ticketNumber", "T20261125." + std::to_string(10000 + seq % 90000))
      .field("ticketType", 1).field("ticketCategory", 3).field("issueType", 12).field("subIssueType", 204)
      .field("source", 8).field("serviceLevelAgreementID", 1).field("monitorTypeID", 2)
      .field("createDate", created).field("dueDateTime", format_rfc3339_utc(kEpoch + seconds(86400)))
      .field("lastActivityDate", activity).field("lastActivityPersonType", 1)
      .field("lastActivityResourceID", 29682833).field("externalID", "alert-" + std::to_string(id))
      .field("estimatedHours", 1.5).field("hoursToBeScheduled", 0.0)
      .field("contractID", 29684110).field("billingCodeID", 29682801).field("serviceLevelAgreementHasBeenMet", false)
      .field("firstResponseDateTime", created).field("firstResponseDueDateTime", format_rfc3339_utc(kEpoch + seconds(3600)))
      .field("resolutionPlanDueDateTime", format_rfc3339_utc(kEpoch + seconds(14400)))
      .field("resolvedDueDateTime", format_rfc3339_utc(kEpoch + seconds(28800)))
      .field("purchaseOrderNumber", "PO-2026-0042").field("opportunityID", 29683995)
      .field("resolution", "").field("lastCustomerVisibleActivityDateTime", activity)
      .field("changeInfoField1", "Restart attempted by the agent at 09:14; no effect.")
      .field("changeInfoField2", "Service account password unchanged since 2026-09-01.");
  w.key("userDefinedFields").begin_array();
  w.begin_object().field("name", "Region").field("value", "EU-West").end_object();
  w.begin_object().field("name", "Asset Tag").field("value", "SRV-" + std::to_string(1000 + id % 9000)).end_object();
  w.begin_object().field("name", "Monitoring Policy").field("value", "Servers - Critical Services").end_object();
  w.end_array();
  w.end_object();
  w.field("EventTime", activity).field("SequenceNumber", static_cast<int64_t>(seq + 1))
      .field("PersonID", 29682833);
  w.end_object();
  return w.take();
}

}  // namespace

Psa parse_psa(std::string_view name) {
  if (name == "connectwise") return Psa::ConnectWise;
  if (name == "autotask") return Psa::Autotask;
  throw std::invalid_argument("unknown psa \"" + std::string(name) + "\" (connectwise, autotask)");
}

namespace {

// Where the callback says its signing key is served. Ingest trusts only a URL on the tenant's
// own ConnectWise host (and rejects the callback otherwise), so run.sh sets
// SYBENCH_CONNECTWISE_KEY_URL on the sandbox the tenant points at. The configured secret
// verifies the signature first, so the key is never fetched.
const std::string& connectwise_key_url() {
  static const std::string url = [] {
    const char* set = std::getenv("SYBENCH_CONNECTWISE_KEY_URL");
    return std::string(set != nullptr && *set != '\0'
                           ? set
                           : "https://api-na.myconnectwise.net/v4_6_release/apis/3.0/system/callbackKeys/7");
  }();
  return url;
}

}  // namespace

Webhook make_webhook(Psa psa, uint64_t seq, uint64_t id_base) {
  const uint64_t id = webhook_record_id(seq, id_base);
  Webhook hook;
  if (psa == Psa::ConnectWise) {
    JsonWriter w;
    w.reserve(1700);
    w.begin_object()
        .field("MessageId", "6a0c9b9e-3f4c-4b2a-9d7e-" + crypto::hex_encode(std::to_string(100000 + seq % 100000)).substr(0, 12))
        .field("FromUrl", "api-na.myconnectwise.net").field("CompanyId", "switchyard_demo")
        .field("MemberId", "jsmith").field("Action", "updated").field("Type", "ticket")
        .field("ID", static_cast<int64_t>(id))
        .field("Entity", connectwise_ticket(id, seq));
    w.key("Metadata").begin_object().field("key_url", connectwise_key_url()).end_object();
    w.field("CallbackObjectRecId", 7).field("ProductInstanceId", "").field("PartnerId", "");
    w.end_object();
    hook.body = w.take();
    hook.path = "/v1/webhooks/connectwise/" + std::string(kConnectWiseTenant);
    hook.signature_header = "x-content-signature";
    hook.signature = crypto::base64_encode(crypto::hmac_sha256(crypto::sha256(kConnectWiseSigningKey), hook.body));
  } else {
    hook.body = autotask_webhook(id, seq);
    hook.path = "/v1/webhooks/autotask/" + std::string(kAutotaskTenant);
    hook.signature_header = "X-Hook-Signature";
    hook.signature = "sha1=" + crypto::base64_encode(crypto::hmac_sha1(kAutotaskWebhookSecret, hook.body));
  }
  return hook;
}

std::string make_command(std::string_view command_id, std::string_view external_ref) {
  return make_command(command_id, external_ref, kAutotaskTenant);
}

std::string make_command(std::string_view command_id, std::string_view external_ref, std::string_view tenant) {
  JsonWriter w;
  w.begin_object().field("command_version", 1).field("id", command_id).field("tenant", tenant)
      .field("type", "ticket.upsert");
  w.key("payload").begin_object()
      .field("external_ref", external_ref)
      .field("title", "Disk almost full on SRV01 (" + std::string(external_ref) + ")")
      .field("description", "C: has 4% free space left (12.1 GB of 300 GB). Raised by monitoring policy "
                            "Servers - Critical Services.")
      .field("priority", "high")
      .end_object();
  w.end_object();
  return w.take();
}

}  // namespace switchyard::bench
