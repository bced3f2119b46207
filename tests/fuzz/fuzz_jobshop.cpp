// Fuzzes the OR-Library job-shop reader (optimize::parse_jobshop, what load_jobshop calls): any
// text is a JobShop or an Error, never a crash, a leak or undefined behaviour. An instance that
// reads is also scheduled by a dispatch rule, and the schedule must pass check_schedule and end no
// earlier than the lower bound: what the reader lets through, the solvers must cope with.
#include <cstddef>
#include <cstdint>
#include <string>

#include "optimize/dispatch.hpp"
#include "optimize/jobshop.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace opt = linetwin::optimize;
using linetwin::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto shop = opt::parse_jobshop(text, "fuzz.txt");
  if (!shop) {
    check(!shop.error().what.empty(), "an Error without words");
    return 0;
  }
  check(!shop->jobs.empty() && shop->machines > 0, "an instance without jobs or machines was read");
  // A dispatch schedule costs operations x jobs; the inputs the fuzzer makes stay far below this.
  if (shop->operation_count() > 20000) return 0;
  const auto sequences = opt::dispatch(*shop, opt::Rule::kSpt);
  const opt::Schedule s = opt::schedule_from_sequences(*shop, sequences);
  const std::string why = opt::check_schedule(*shop, s);
  check(why.empty(), "the SPT schedule is invalid: " + why);
  check(opt::lower_bound(*shop) <= s.makespan, "the lower bound exceeds a schedule's makespan");
  return 0;
}
