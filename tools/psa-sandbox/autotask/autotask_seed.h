// The autotask records every fresh tenant instance starts with (docs/psa-sandbox.md).
#pragma once

#include "psa-sandbox/store.h"

namespace switchyard::sandbox {

void seed_autotask(Store& store);

}  // namespace switchyard::sandbox
