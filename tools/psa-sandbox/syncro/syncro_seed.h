// Syncro seed data: a small fixed world, change times in 2024 so "changed since" filters can
// tell seeds from writes.
#pragma once

#include "psa-sandbox/store.h"

namespace switchyard::sandbox::syncro {

void seed_syncro(Store& store);

}  // namespace switchyard::sandbox::syncro
