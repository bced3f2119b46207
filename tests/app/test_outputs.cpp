// What the program writes survives a hostile machine: a full disk, a closed stdout, a missing
// folder, a signal in the middle of a write. Each case failed before core/files.hpp (issue 17).
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <string>
#include <thread>

#include "tests/app/cli_test_util.hpp"

namespace fs = std::filesystem;
using namespace linetwin::test;  // the helpers of cli_test_util.hpp

namespace {
const std::string kTandem = "tests/sim/scenarios/tandem.yaml";
}

TEST_CASE("output that cannot be written whole exits 1 with the reason, never 0 with a cut file") {
  // stdout on a full disk: the JSON cannot arrive, so the run has failed.
  const auto full = run_shell("linetwin run " + kTandem + " --reps 2 --horizon 500 --json >/dev/full");
  CHECK(full.status == 1);
  CHECK(contains(full.err, "No space left on device"));
  // stdout closed.
  const auto closed = run_shell("linetwin run " + kTandem + " --reps 2 --horizon 500 --json >&-");
  CHECK(closed.status == 1);
  CHECK(contains(closed.err, "writing the output failed"));
  // A file output onto a full device.
  const auto sweep = run("sweep tests/optimize/scenarios/tiny_line.yaml --samples 2 --reps 2 --out /dev/full");
  CHECK(sweep.status == 1);
  CHECK(contains(sweep.err, "No space left on device"));
}

TEST_CASE("--gantt into a folder that does not exist is refused before the search and creates nothing") {
  const fs::path dir = scratch() / "no_such_folder";
  fs::remove_all(dir);
  const auto r = run("schedule tests/optimize/instances/ft06.txt --iterations 10 --gantt '" + (dir / "g.svg").string() + "'");
  CHECK(r.status == 2);
  CHECK(contains(r.err, "does not exist"));
  CHECK_FALSE(fs::exists(dir));
}

TEST_CASE("a trace being written when SIGTERM or SIGHUP arrives leaves no file behind") {
  for (int sig : {SIGTERM, SIGHUP, SIGINT}) {
    CAPTURE(sig);
    const fs::path dir = scratch() / ("trace_signal_" + std::to_string(sig));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      // A replication long enough to be interrupted: the trace grows for many seconds.
      const std::string trace = (dir / "run.trace").string();
      ::execl(LINETWIN_EXE, LINETWIN_EXE, "run", LINETWIN_SOURCE_DIR "/" "tests/sim/scenarios/tandem.yaml", "--reps", "1",
              "--horizon", "2e7", "--trace", trace.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    // Wait until the temporary exists, then interrupt.
    bool started = false;
    for (int i = 0; i < 400 && !started; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
      for (const auto& e : fs::directory_iterator(dir)) started = started || e.path().filename().string().rfind(".run.trace.tmp", 0) == 0;
    }
    CHECK(started);
    ::kill(pid, sig);
    int status = 0;
    ::waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status));
    CHECK(fs::is_empty(dir));
  }
}
