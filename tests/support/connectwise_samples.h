// ConnectWise payloads as the API sends them, for the connector's tests: the callback body
// (the record travels as an escaped JSON string in "Entity").
#pragma once

#include <string>

#include "common/envelope.h"

namespace switchyard::testing {

// Agreement 31 of company 250 as GET /finance/agreements/31 answers it (the pipeline tests'
// agreement callbacks).
inline constexpr const char* kConnectWiseAgreement31 =
    R"({"id":31,"name":"Managed Services - Gold","type":{"id":4,"name":"Managed Services"},)"
    R"("company":{"id":250,"identifier":"AcmeCorp","name":"Acme Corp"},"agreementStatus":"Active",)"
    R"("startDate":"2026-01-01T00:00:00Z","noEndingDateFlag":true,"billAmount":900.0,)"
    R"("billingCycle":{"id":1,"name":"Monthly"},"cancelledFlag":false,"oneTimeFlag":false,)"
    R"("currency":{"id":1,"currencyCode":"USD"},"_info":{"lastUpdated":"2026-11-25T09:00:00Z"}})";

// The text as a JSON string literal.
inline std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

// The callback body ConnectWise POSTs: MessageId, FromUrl, CompanyId, MemberId, Action, Type,
// ID, ProductInstanceId, PartnerId, Entity (escaped), Metadata.key_url, CallbackObjectRecId.
inline std::string callback_json(const std::string& action, const std::string& type, const std::string& id,
                                 const std::string& entity) {
  return R"({"MessageId":"3c6b5a8e-1f2d-4e5f-9a0b-1c2d3e4f5a6b","FromUrl":"api-na.myconnectwise.net",)"
         R"("CompanyId":"acme","MemberId":"jroe","Action":")" + action + R"(","Type":")" + type +
         R"(","ID":)" + id + R"(,"ProductInstanceId":"8a1b2c3d-0000-0000-0000-000000000000",)"
         R"("PartnerId":"acme","Entity":)" + json_string(entity) +
         R"(,"Metadata":{"key_url":"https://api-na.myconnectwise.net/v4_6_release/apis/3.0/system/callbackentries/key/42"},)"
         R"("CallbackObjectRecId":42})";
}

// An envelope of tenant "acme" as ingest would have made it from a ConnectWise change.
inline Envelope cw_envelope(const std::string& source, const std::string& action, const std::string& entity,
                            const std::string& id, const std::string& body) {
  Envelope e;
  e.tenant = "acme";
  e.psa = "connectwise";
  e.entity = entity;
  e.entity_id = id;
  e.action = action;
  e.source = source;
  e.received_at = "2026-11-25T10:00:02.500Z";
  e.idempotency_key = std::string(64, '0');
  e.body = body;
  return e;
}

}  // namespace switchyard::testing
