// Commands as the vendor sends them (ingest's commands endpoint, or straight onto the commands
// topic that dispatch reads), recipe commands included: what is accepted must serialise to JSON
// that reads back equal.
#include "common/command.h"
#include "common/recipe.h"
#include "fuzz_support.h"

namespace switchyard {
namespace {

// Read, written and read again: the same value.
template <typename T, typename Read>
void round_trip(const T& value, Read read) {
  const std::string json = to_json(value);
  FUZZ_CHECK(fuzz::is_valid_json(json), json);
  auto back = read(json);
  FUZZ_CHECK(back.ok(), json + "\n  " + (back.ok() ? "" : back.error().message));
  FUZZ_CHECK(*back == value, json);
}

}  // namespace
}  // namespace switchyard

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace switchyard;
  const std::string_view text = fuzz::as_text(data, size);
  auto command = command_from_json(text);
  if (command) {
    FUZZ_CHECK(!command->id.empty() && !command->tenant.empty(), "accepted without id or tenant");
    (void)command_partition_key(*command);
    round_trip(*command, [](std::string_view json) { return command_from_json(json); });
    return 0;
  }
  FUZZ_CHECK(!command.error().code.empty() && !command.error().message.empty(), "an error without a reason");
  if (command.error().code != "unknown_command_type") return 0;
  // dispatch and ingest read a type no command has as a recipe.
  auto recipe = recipe_from_json(text);
  if (!recipe) {
    FUZZ_CHECK(!recipe.error().code.empty() && !recipe.error().message.empty(), "a recipe error without a reason");
    return 0;
  }
  FUZZ_CHECK(!recipe->id.empty() && !recipe->tenant.empty(), "recipe accepted without id or tenant");
  (void)recipe_partition_key(*recipe);
  round_trip(*recipe, [](std::string_view json) { return recipe_from_json(json); });
  return 0;
}
