// This folder is the v2 imitation Kaseya BMS and Pulseway PSA share, not a PSA of its own: the
// sandbox's CMake registers every folder, so its registration adds nothing. The PSAs are
// registered by the kaseya_bms/ and pulseway/ folders.
#include "psa-sandbox/psa_registry.h"

namespace switchyard::sandbox {

void register_kaseya_v2(PsaRegistry&) {}

}  // namespace switchyard::sandbox
