// The command line's JSON output: numbers in shortest round-trip form, NaN and infinities as null,
// strings escaped. The writer is the live twin's (twin/live/json.hpp), shared rather than copied.
#pragma once
#include "twin/live/json.hpp"

namespace linetwin::cli {

using live::json_number;
using live::json_string;

}  // namespace linetwin::cli
