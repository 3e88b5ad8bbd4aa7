#include "common/idempotency.h"

#include "common/crypto.h"

namespace switchyard {

std::string derive_idempotency_key(const ChangeIdentity& c) {
  // Length prefixes keep ("ab","c") and ("a","bc") apart.
  std::string material = "switchyard-change-v1";
  for (std::string_view part : {c.tenant, c.psa, c.entity, c.entity_id, c.version}) {
    material += '|';
    material += std::to_string(part.size());
    material += ':';
    material += part;
  }
  return crypto::sha256_hex(material);
}

}  // namespace switchyard
