#pragma once
// What a deletion maps to. A deletion carries no record: the canonical record of the deleted
// entity's own type holds only what identifies it, marked as gone the way that type can say it
// (a ticket closed, a company, contact or configuration inactive, an agreement cancelled).
#include <string_view>

#include "common/canonical.h"
#include "common/envelope.h"
#include "common/result.h"

namespace switchyard::connectors {

// The record of `e`'s deleted entity, named as `psa` and `collection` name it (SourceRef);
// unsupported_entity for an entity that has no canonical type.
Result<canonical::Record> deleted_record(const Envelope& e, std::string_view psa, std::string_view collection);

}  // namespace switchyard::connectors
