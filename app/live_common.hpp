// What `twin`, `replay`, `calibrate` and `run --trace` share: flags in seconds, the MQTT topic
// prefix, SIGINT/SIGTERM as a stop request, and traces written whole or not at all.
#pragma once
#include <atomic>
#include <string>

#include "scenarios/scenario.hpp"
#include "core/result.hpp"
#include "app/args.hpp"

namespace linetwin::cli {

/// A number in [lo, hi] from flag `name`, or `fallback` when absent.
Result<double> number_flag(const Args& args, const std::string& name, double lo, double hi, double fallback);

/// The --prefix of the topics (default "line"), checked: no MQTT wildcards, no empty levels.
Result<std::string> prefix_flag(const Args& args);

/// Makes SIGINT and SIGTERM set the returned flag instead of killing the process. (They replace
/// main()'s handlers that remove unfinished temporaries: twin and replay write no files.)
const std::atomic<bool>& stop_on_signals();

/// The signal that set the stop flag (SIGINT, SIGTERM), 0 while none has.
int stop_signal();

/// "SIGINT", "SIGTERM", ...
std::string signal_name(int sig);

/// The MQTT client id of `verb` ("twin", "replay") when --client-id is not given: one per process
/// (prefix, host name and process id), so that two of them never take the id from each other.
std::string default_client_id(const std::string& verb, const std::string& prefix);

/// Records replication 0 of `sc` as a trace at `path` (a temporary renamed into place); returns
/// the number of events written.
Result<uint64_t> record_trace(const scenarios::Scenario& sc, const std::string& path);

}  // namespace linetwin::cli
