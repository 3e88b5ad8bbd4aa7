// Prints docs/troubleshooting.md, generated from the reason catalogue and every connector's
// steps (connectors/troubleshooting.h). `make docs` runs it.
#include <iostream>

#include "connectors/registry.h"
#include "connectors/troubleshooting.h"

int main() {
  std::cout << switchyard::connectors::troubleshooting_markdown(switchyard::connectors::builtin_registry());
  return 0;
}
