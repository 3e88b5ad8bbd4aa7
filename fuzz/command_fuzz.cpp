// Commands as the vendor sends them (ingest's commands endpoint, or straight onto the commands
// topic that dispatch reads): accepted commands must serialise to JSON that reads back equal.
#include "common/command.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace switchyard;
  auto command = command_from_json(fuzz::as_text(data, size));
  if (!command) {
    FUZZ_CHECK(!command.error().code.empty() && !command.error().message.empty(), "an error without a reason");
    return 0;
  }
  FUZZ_CHECK(!command->id.empty() && !command->tenant.empty(), "accepted without id or tenant");
  (void)command_partition_key(*command);
  const std::string json = to_json(*command);
  FUZZ_CHECK(fuzz::is_valid_json(json), json);
  auto back = command_from_json(json);
  FUZZ_CHECK(back.ok(), json + "\n  " + (back.ok() ? "" : back.error().message));
  FUZZ_CHECK(*back == *command, json);
  return 0;
}
