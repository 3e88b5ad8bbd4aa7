// HaloPSA seed data: a small fixed world, change times in 2024 so "changed since" filters can
// tell seeds from writes.
#pragma once

#include "psa-sandbox/store.h"

namespace switchyard::sandbox::halopsa {

void seed_halopsa(Store& store);

}  // namespace switchyard::sandbox::halopsa
