// Job-shop benchmark (README: "Benchmarks"): linetwin's tabu search and MiniZinc with Gecode on
// the instances of assets/jobshop at the same time per instance, side by side, with the
// gap of each to the best known lower bound (bounds.csv). Not part of the test suite.
//   bench_jobshop [--time S] [--threads N] [--instances ft10,la21,...] [--no-minizinc] [--dir DIR]
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "optimize/solve.hpp"

using namespace linetwin::optimize;

namespace {

struct Known {
  std::string name;
  int64_t lb = 0, ub = 0;
};

std::vector<Known> read_bounds(const std::string& path) {
  std::vector<Known> out;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string f[5];
    for (auto& x : f) std::getline(ss, x, ',');
    if (!f[0].empty()) out.push_back({f[0], std::atoll(f[3].c_str()), std::atoll(f[4].c_str())});
  }
  return out;
}

// Gecode's best makespan within the time limit (and whether it proved it optimal), or -1.
std::pair<int64_t, bool> run_gecode(const JobShop& shop, const std::string& model, double seconds, unsigned threads) {
  const size_t ops = shop.jobs[0].size();
  for (const auto& j : shop.jobs)
    if (j.size() != ops) return {-1, false};
  char tmpl[] = "/tmp/linetwin_jobshop_XXXXXX.dzn";
  const int fd = mkstemps(tmpl, 4);
  if (fd < 0) return {-1, false};
  std::ostringstream d;
  d << "jobs = " << shop.jobs.size() << "; machines = " << shop.machines << "; ops = " << ops << ";\nmach = [|";
  for (const auto& j : shop.jobs) {
    for (size_t k = 0; k < ops; ++k) d << (k ? "," : " ") << j[k].machine;
    d << " |";
  }
  d << "];\ndur = [|";
  for (const auto& j : shop.jobs) {
    for (size_t k = 0; k < ops; ++k) d << (k ? "," : " ") << j[k].duration;
    d << " |";
  }
  d << "];\n";
  const std::string text = d.str();
  if (write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) return {-1, false};
  close(fd);
  const std::string cmd = "minizinc --solver gecode -a -p " + std::to_string(threads) + " --time-limit " +
                          std::to_string(static_cast<long long>(seconds * 1000)) + " '" + model + "' '" + tmpl + "' 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  int64_t best = -1;
  bool proved = false;
  char buf[256];
  while (p && std::fgets(buf, sizeof buf, p)) {
    if (std::strncmp(buf, "makespan=", 9) == 0) best = std::atoll(buf + 9);
    if (std::strncmp(buf, "==========", 10) == 0) proved = true;
  }
  if (p) pclose(p);
  std::remove(tmpl);
  return {best, proved};
}

double gap(int64_t c, int64_t lb) { return c > 0 && lb > 0 ? 100.0 * double(c - lb) / double(lb) : NAN; }

}  // namespace

int main(int argc, char** argv) {
  double seconds = 30;
  unsigned threads = 2;
  bool minizinc = true;
  std::string dir = LINETWIN_JOBSHOP_DIR, only;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--time" && i + 1 < argc) seconds = std::atof(argv[++i]);
    else if (a == "--threads" && i + 1 < argc) threads = static_cast<unsigned>(std::atoi(argv[++i]));
    else if (a == "--instances" && i + 1 < argc) only = "," + std::string(argv[++i]) + ",";
    else if (a == "--dir" && i + 1 < argc) dir = argv[++i];
    else if (a == "--no-minizinc") minizinc = false;
    else {
      std::fprintf(stderr, "usage: bench_jobshop [--time S] [--threads N] [--instances a,b] [--no-minizinc] [--dir DIR]\n");
      return 2;
    }
  }
  const auto known = read_bounds(dir + "/bounds.csv");
  if (known.empty()) {
    std::fprintf(stderr, "bench_jobshop: no instances: cannot read %s/bounds.csv\n", dir.c_str());
    return 2;
  }
  if (minizinc && std::system("minizinc --version >/dev/null 2>&1") != 0) {
    std::fprintf(stderr, "bench_jobshop: minizinc is not installed (apt-get install minizinc), or pass --no-minizinc\n");
    return 2;
  }
  std::printf("job-shop benchmark: %.0f s and %u threads per instance for each solver; gaps to the best known lower bound\n\n",
              seconds, threads);
  std::printf("%-8s %7s %6s %6s | %9s %7s | %9s %7s %s\n", "instance", "size", "LB", "UB", "linetwin", "gap%",
              "Gecode", "gap%", "");
  struct Group { const char* name; double sum = 0, sum_gecode = 0; int n = 0, n_gecode = 0; };
  Group groups[3] = {{"ft"}, {"la01-la40"}, {"abz, orb"}};
  int worse = 0, compared = 0, failed = 0;
  for (const auto& k : known) {
    if (!only.empty() && only.find("," + k.name + ",") == std::string::npos) continue;
    auto shop = load_jobshop(dir + "/" + k.name + ".txt");
    if (!shop) {
      std::fprintf(stderr, "bench_jobshop: %s\n", shop.error().message().c_str());
      continue;
    }
    SolveOptions opt;
    opt.time_limit_s = seconds;
    opt.threads = threads;
    auto r = solve(*shop, opt);
    if (!r) {
      std::printf("%-8s FAILED: %s\n", k.name.c_str(), r.error().what.c_str());
      ++failed;
      continue;
    }
    const int64_t c = r->schedule.makespan;
    auto [g, proved] = minizinc ? run_gecode(*shop, LINETWIN_BENCH_DIR "/jobshop.mzn", seconds, threads) : std::pair<int64_t, bool>{-1, false};
    const std::string size = std::to_string(shop->jobs.size()) + "x" + std::to_string(shop->machines);
    std::printf("%-8s %7s %6lld %6lld | %9lld %7.2f | %9lld %7.2f %s\n", k.name.c_str(), size.c_str(),
                static_cast<long long>(k.lb), static_cast<long long>(k.ub), static_cast<long long>(c), gap(c, k.lb),
                static_cast<long long>(g), gap(g, k.lb), proved ? "(Gecode proved it)" : "");
    std::fflush(stdout);
    Group& grp = k.name.rfind("ft", 0) == 0 ? groups[0] : k.name.rfind("la", 0) == 0 ? groups[1] : groups[2];
    grp.sum += gap(c, k.lb);
    ++grp.n;
    if (g > 0) {
      grp.sum_gecode += gap(g, k.lb);
      ++grp.n_gecode;
      ++compared;
      worse += c > g;
    }
  }
  std::printf("\n%-12s %10s %14s %14s\n", "group", "instances", "linetwin gap%", "Gecode gap%");
  for (const auto& g : groups)
    if (g.n)
      std::printf("%-12s %10d %14.2f %14.2f\n", g.name, g.n, g.sum / g.n, g.n_gecode ? g.sum_gecode / g.n_gecode : NAN);
  if (minizinc) std::printf("\nlinetwin worse than Gecode on %d of %d instances\n", worse, compared);
  if (failed) std::printf("linetwin FAILED on %d instances\n", failed);
  return failed ? 1 : 0;
}
