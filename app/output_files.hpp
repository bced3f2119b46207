// The folder of `run --out`, made and checked before the run; the files themselves are written
// whole or not at all by core/files.hpp.
#pragma once
#include <string>

#include "core/result.hpp"

namespace linetwin::cli {

/// Creates `dir` if needed and checks that files can be written there.
Result<bool> prepare_output_dir(const std::string& dir, const std::string& command);

}  // namespace linetwin::cli
