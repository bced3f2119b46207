// Fuzzes the scenario reader (scenarios::parse_scenario, what load_scenario calls on a file's
// text): any text is a Scenario or an Error, never a crash, a leak, a hang or undefined behaviour.
// Lines "#set PATH=VALUE" at the top of the input become --set overrides (YAML reads them as
// comments, so the seeds stay scenarios), which takes the fuzzer into overrides.cpp too.
// A scenario that reads must write back (write_scenario) to YAML that reads again and writes the
// same text: the writer's promise that the file reads back to the same scenario.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "scenarios/scenario.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace sc = linetwin::scenarios;
using linetwin::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<sc::Override> overrides;
  for (size_t pos = 0; text.compare(pos, 5, "#set ") == 0 && overrides.size() < 4;) {
    const size_t eol = text.find('\n', pos);
    const std::string line = text.substr(pos + 5, eol == std::string::npos ? std::string::npos : eol - pos - 5);
    if (auto o = sc::parse_override(line)) overrides.push_back(*o);
    if (eol == std::string::npos) break;
    pos = eol + 1;
  }
  auto scenario = sc::parse_scenario(text, "fuzz.yaml", overrides);
  if (!scenario) {
    check(!scenario.error().what.empty(), "an Error without words");
    return 0;
  }
  const std::string written = sc::write_scenario(*scenario);
  auto again = sc::parse_scenario(written, "written.yaml");
  check(again.ok(), "write_scenario wrote what does not read back: " +
                        (again ? std::string() : again.error().message()) + "\n--- written:\n" + written);
  check(sc::write_scenario(*again) == written, "a scenario read back from write_scenario writes other text\n--- first:\n" +
                                                   written + "\n--- second:\n" + sc::write_scenario(*again));
  return 0;
}
