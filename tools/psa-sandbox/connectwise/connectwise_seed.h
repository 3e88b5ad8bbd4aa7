// The connectwise records every fresh tenant instance starts with (docs/psa-sandbox.md).
#pragma once

#include "psa-sandbox/store.h"

namespace switchyard::sandbox {

void seed_connectwise(Store& store);

}  // namespace switchyard::sandbox
