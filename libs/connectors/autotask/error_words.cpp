#include "connectors/autotask/error_words.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace switchyard::connectors::autotask {
namespace {

// Lower case, sorted (checked by the unit test through is_error_message_word).
constexpr std::array kWords = std::to_array<std::string_view>({
    "a", "above", "access", "active", "allowed", "already", "an", "and", "api", "are", "assigned",
    "assignedresourceid", "assignedresourceroleid", "associated", "be", "before", "belong", "belongs", "below",
    "billingcodeid", "by", "can", "cannot", "characters", "closed", "companies", "company", "companyid",
    "completed", "configurationitem", "configurationitemid", "configurationitems", "contact", "contactid",
    "contacts", "contract", "contractcharge", "contractcharges", "contractid", "contracts", "could", "create",
    "date", "datetime", "denied", "description", "does", "duedatetime", "duplicate", "email", "empty", "entity",
    "equal", "exceeds", "exist", "exists", "externalid", "field", "fields", "for", "found", "greater", "has",
    "have", "id", "if", "in", "inactive", "installdate", "invalid", "is", "issuetype", "it", "length", "less",
    "limit", "match", "maximum", "may", "minimum", "missing", "more", "must", "no", "not", "note", "notetype",
    "null", "of", "on", "one", "only", "or", "permission", "picklist", "priority", "productid", "provided",
    "publish", "queue", "queueid", "record", "reference", "referencetitle", "required", "resource", "role",
    "selected", "serialnumber", "set", "should", "specified", "status", "subissuetype", "taken", "than", "that",
    "the", "this", "ticket", "ticketid", "ticketnote", "ticketnotes", "tickets", "tickettype", "title", "to",
    "too", "type", "unable", "update", "user", "valid", "value", "warrantyexpirationdate", "was", "when",
    "with", "without", "zero",
});

}  // namespace

bool is_error_message_word(std::string_view word) {
  if (word.empty() || word.size() > 32) return false;
  std::string lower(word);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return std::binary_search(kWords.begin(), kWords.end(), std::string_view(lower));
}

}  // namespace switchyard::connectors::autotask
