// Fuzzes the surrogate model file reader (surrogates::SurrogateModel::from_bytes, what load calls
// on a file's bytes): any bytes are a model or an Error, never a crash, a leak or undefined
// behaviour. Each input is read twice: as it is, and with its "weights BYTES CHECKSUM" line made
// to fit what follows it, since random bytes almost never carry the right checksum and the
// fuzzer would otherwise never get past it to the network's weights. A model that reads must
// predict at its scenario's point (if that point is one it accepts) and write itself back
// (to_bytes) to bytes that read again the same.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "surrogates/model.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace sg = linetwin::surrogates;
using linetwin::fuzz::check;

namespace {

// The model file's checksum (64-bit FNV-1a, in surrogates/model_file.cpp), in 16 hex digits.
std::string checksum(const std::string& s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// `bytes` with its first "weights" line rewritten to the size and checksum of what follows it.
std::string fix_weights_line(const std::string& bytes) {
  const size_t at = bytes.find("\nweights ");
  if (at == std::string::npos) return {};
  const size_t eol = bytes.find('\n', at + 1);
  if (eol == std::string::npos) return {};
  const std::string head = bytes.substr(0, at + 1), weights = bytes.substr(eol + 1);
  return head + "weights " + std::to_string(weights.size()) + ' ' + checksum(head + weights) + '\n' + weights;
}

void exercise(const std::string& bytes) {
  auto model = sg::SurrogateModel::from_bytes(bytes, "fuzz.model");
  if (!model) {
    check(!model.error().what.empty(), "an Error without words");
    return;
  }
  const sg::ModelInfo& info = model->info();
  std::vector<double> x;
  for (const auto& f : info.factors) x.push_back(f.base);
  if (!model->check_point(x.data(), false, "fuzz")) {
    const std::vector<double> y = model->predict(x);
    check(y.size() == info.kpis.size(), "a prediction without one value per KPI");
  }
  const std::string written = model->to_bytes();
  auto again = sg::SurrogateModel::from_bytes(written, "written.model");
  check(again.ok(), "to_bytes wrote a model that does not read back: " + (again ? std::string() : again.error().message()));
  check(again->to_bytes() == written, "a model read back from to_bytes writes other bytes");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  exercise(bytes);
  if (const std::string fixed = fix_weights_line(bytes); !fixed.empty() && fixed != bytes) exercise(fixed);
  return 0;
}
