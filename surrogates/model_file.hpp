// Private to surrogates/: the model file's format. A text header (magic and version, the
// scenario's factors and values, KPI names, output scalers, network shape, holdout scores), then
// a line "weights BYTES CHECKSUM" and the weights (each layer's matrix and bias, float32
// little-endian); the checksum (64-bit FNV-1a) covers the header and the weights. Torch-free.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "surrogates/model.hpp"

namespace linetwin::surrogates::detail {

inline constexpr const char* kModelMagic = "linetwin-surrogate";
inline constexpr int kModelVersion = 1;

/// Everything in a model file but the weights.
struct ModelHeader {
  ModelInfo info;
  int hidden_layers = 0, width = 0;
  std::vector<OutputScaling> outputs;  // per KPI
  std::vector<KpiScore> holdout;       // per KPI, as measured at training
};

/// The bytes check_model_start needs to see: the magic and the version's line.
inline constexpr size_t kModelHeadBytes = 64;

/// Checks the first bytes of a model file (all of it, or its first kModelHeadBytes at least): the
/// magic, and that its lines end in LF, not CRLF. An Error naming `file` otherwise.
Result<bool> check_model_start(std::string_view head, const std::string& file);

/// The whole file: header, then `weights` (mlp.hpp's bytes).
std::string model_file_bytes(const ModelHeader& header, const std::string& weights);

/// Splits and checks a model file; the archive goes to `weights`. Anything malformed is an
/// Error naming the file and line.
Result<ModelHeader> parse_model_file(const std::string& bytes, const std::string& file, std::string& weights);

}  // namespace linetwin::surrogates::detail
