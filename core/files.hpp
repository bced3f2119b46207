// Files written whole or not at all, and files read with a size limit checked while reading.
// Standard library and POSIX only. Not a general file API: just the two promises every output
// and input of linetwin keeps (CONTRACT.md: no half-written file under a final name; bad input
// never makes the program grow without bound).
#pragma once
#include <cstddef>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace linetwin {

/// Writes `content` to `path` whole or not at all: into a temporary beside it, renamed into place
/// once written and closed without error. A path that names a device or pipe (/dev/stdout) is
/// written directly. The folder must exist.
Result<bool> write_file_whole(const std::string& path, const std::string& content);

/// Writes (name, content) pairs into folder `dir`, all or none: every file is written to its
/// temporary first, and only then are they renamed into place.
Result<bool> write_files_whole(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& files);

/// Checks early, before long work, that `path` could be written: its folder exists and is
/// writable, and it is not a folder itself. Creates nothing.
Result<bool> check_writable_file(const std::string& path);

/// A file written as a stream (a trace recorded while the simulator runs) that appears under its
/// name only when commit() succeeds; destroyed uncommitted, it leaves nothing behind.
class WholeFileWriter {
 public:
  /// Opens the temporary beside `path`; an Error when the folder cannot be written.
  static Result<WholeFileWriter> open(const std::string& path);
  WholeFileWriter(WholeFileWriter&& other) noexcept;
  WholeFileWriter& operator=(WholeFileWriter&&) = delete;
  ~WholeFileWriter();
  /// Where to write.
  std::ostream& stream() { return out_; }
  /// Closes the temporary and renames it into place; an Error if any write failed.
  Result<bool> commit();

 private:
  WholeFileWriter(std::string path, std::string temp);
  std::string path_, temp_;
  std::ofstream out_;
  bool done_ = false;
};

/// The whole content of `path`, refused once it passes `max_bytes` (checked while reading, so
/// that /dev/zero or a huge file fails at the limit instead of filling the memory). `what` names
/// the kind of file in the message ("scenario file", "model file").
Result<std::string> read_file_limited(const std::string& path, std::size_t max_bytes, const std::string& what);

/// Makes SIGINT, SIGTERM and SIGHUP remove the temporaries of unfinished writes before the
/// program ends as the signal would end it. Called once by main().
void remove_temporaries_on_signals();

}  // namespace linetwin
