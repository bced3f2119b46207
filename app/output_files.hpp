// Output files written whole or not at all: each goes to a temporary name beside its target and
// is renamed into place only once every file of the set is written.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "sim/result.hpp"

namespace linetwin::cli {

/// Creates `dir` if needed and checks that files can be written there.
Result<bool> prepare_output_dir(const std::string& dir, const std::string& command);

/// Writes (name, content) pairs into `dir`, all or none.
Result<bool> write_files_atomically(const std::string& dir,
                                    const std::vector<std::pair<std::string, std::string>>& files,
                                    const std::string& command);

/// Writes one file whole or not at all (a temporary beside it, renamed into place); the folder
/// must exist.
Result<bool> write_file_atomically(const std::string& path, const std::string& content,
                                   const std::string& command);

}  // namespace linetwin::cli
