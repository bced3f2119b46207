#include "optimize/jobshop.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <queue>
#include <sstream>

namespace linetwin::optimize {

int JobShop::operation_count() const {
  int n = 0;
  for (const auto& j : jobs) n += static_cast<int>(j.size());
  return n;
}

OpIndex::OpIndex(const JobShop& shop) {
  for (size_t j = 0; j < shop.jobs.size(); ++j) {
    first_op.push_back(static_cast<int>(job.size()));
    for (size_t k = 0; k < shop.jobs[j].size(); ++k) {
      job.push_back(static_cast<int>(j));
      step.push_back(static_cast<int>(k));
      machine.push_back(shop.jobs[j][k].machine);
      duration.push_back(shop.jobs[j][k].duration);
    }
  }
}

namespace {

bool parse_int(const std::string& word, int64_t& out) {
  auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), out);
  return ec == std::errc() && end == word.data() + word.size();
}

}  // namespace

Result<JobShop> parse_jobshop(const std::string& text, const std::string& file) {
  JobShop shop;
  shop.name = file;
  if (auto slash = shop.name.find_last_of('/'); slash != std::string::npos) shop.name = shop.name.substr(slash + 1);
  if (auto dot = shop.name.rfind('.'); dot != std::string::npos && dot > 0) shop.name = shop.name.substr(0, dot);
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  int64_t jobs = -1;
  auto fail = [&](const std::string& what) { return Error::at(file, line_no, 0, "", what); };
  while (std::getline(in, line)) {
    ++line_no;
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string x; words >> x;) w.push_back(x);
    if (w.empty()) continue;
    std::vector<int64_t> v(w.size());
    for (size_t i = 0; i < w.size(); ++i)
      if (!parse_int(w[i], v[i])) return fail("expected whole numbers, got '" + w[i] + "'");
    if (jobs < 0) {
      if (v.size() != 2) return fail("expected the header 'jobs machines', got " + std::to_string(v.size()) + " numbers");
      if (v[0] < 1 || v[0] > 10000) return fail("expected between 1 and 10000 jobs, got " + w[0]);
      if (v[1] < 1 || v[1] > 1000) return fail("expected between 1 and 1000 machines, got " + w[1]);
      jobs = v[0];
      shop.machines = static_cast<int>(v[1]);
      continue;
    }
    if (static_cast<int64_t>(shop.jobs.size()) == jobs)
      return fail("expected " + std::to_string(jobs) + " job lines as the header says, got more");
    if (v.size() % 2 != 0 || v.empty())
      return fail("expected 'machine time' pairs, got an odd count of numbers");
    if (v.size() / 2 > 10000) return fail("expected at most 10000 operations in a job");
    std::vector<Operation> ops;
    for (size_t i = 0; i < v.size(); i += 2) {
      if (v[i] < 0 || v[i] >= shop.machines)
        return fail("expected a machine from 0 to " + std::to_string(shop.machines - 1) + ", got " + w[i]);
      if (v[i + 1] < 0 || v[i + 1] > 1000000000)
        return fail("expected a processing time from 0 to 1e9, got " + w[i + 1]);
      ops.push_back({static_cast<int>(v[i]), v[i + 1]});
    }
    shop.jobs.push_back(std::move(ops));
  }
  if (jobs < 0) return Error::in(file, "expected the header 'jobs machines', found no numbers");
  if (static_cast<int64_t>(shop.jobs.size()) != jobs)
    return Error::at(file, line_no, 0, "", "expected " + std::to_string(jobs) + " job lines as the header says, got " +
                                           std::to_string(shop.jobs.size()));
  if (shop.operation_count() > 1000000) return Error::in(file, "expected at most a million operations");
  return shop;
}

Result<JobShop> load_jobshop(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::in(path, "cannot read file");
  std::string text;
  text.resize(64u << 20);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() >= (64u << 20)) return Error::in(path, "the file is larger than 64 MiB");
  return parse_jobshop(text, path);
}

std::string check_schedule(const JobShop& shop, const Schedule& s) {
  if (s.start.size() != shop.jobs.size()) return "the schedule does not list every job";
  int64_t end = 0;
  std::vector<std::vector<std::pair<int64_t, int64_t>>> on_machine(shop.machines);
  for (size_t j = 0; j < shop.jobs.size(); ++j) {
    if (s.start[j].size() != shop.jobs[j].size()) return "job " + std::to_string(j) + " lacks operations";
    int64_t ready = 0;
    for (size_t k = 0; k < shop.jobs[j].size(); ++k) {
      const int64_t st = s.start[j][k], d = shop.jobs[j][k].duration;
      if (st < ready) return "job " + std::to_string(j) + " operation " + std::to_string(k) + " starts before its predecessor ends";
      ready = st + d;
      end = std::max(end, ready);
      on_machine[shop.jobs[j][k].machine].push_back({st, st + d});
    }
  }
  for (int m = 0; m < shop.machines; ++m) {
    auto& iv = on_machine[m];
    std::sort(iv.begin(), iv.end());
    // Operations of zero duration overlap nothing; every other one must start after the latest
    // end of those before it.
    int64_t latest_end = INT64_MIN;
    for (const auto& [s0, e0] : iv) {
      if (e0 == s0) continue;
      if (s0 < latest_end) return "two operations overlap on machine " + std::to_string(m);
      latest_end = std::max(latest_end, e0);
    }
  }
  if (end != s.makespan) return "the claimed makespan " + std::to_string(s.makespan) + " is not the schedule's end " + std::to_string(end);
  return {};
}

namespace {

struct Task {
  int64_t head, duration, tail;
};

// The optimum of one machine's preemptive relaxation (1|r_j, pmtn|max C_j + q_j), by Jackson's
// preemptive schedule: at every moment run the released task with the longest tail.
int64_t jackson_preemptive(std::vector<Task> tasks) {
  std::sort(tasks.begin(), tasks.end(), [](const Task& a, const Task& b) { return a.head < b.head; });
  std::priority_queue<std::pair<int64_t, int64_t>> ready;  // (tail, remaining)
  int64_t t = 0, bound = 0;
  size_t next = 0;
  while (next < tasks.size() || !ready.empty()) {
    if (ready.empty()) t = std::max(t, tasks[next].head);
    while (next < tasks.size() && tasks[next].head <= t) {
      ready.push({tasks[next].tail, tasks[next].duration});
      ++next;
    }
    auto [tail, left] = ready.top();
    ready.pop();
    // Run it until it ends or the next task is released, whichever comes first.
    const int64_t until = next < tasks.size() ? std::min(t + left, tasks[next].head) : t + left;
    left -= until - t;
    t = until;
    if (left > 0) ready.push({tail, left});
    else bound = std::max(bound, t + tail);
  }
  return bound;
}

}  // namespace

int64_t lower_bound(const JobShop& shop) {
  int64_t lb = 0;
  std::vector<std::vector<Task>> per_machine(shop.machines);
  for (const auto& job : shop.jobs) {
    int64_t total = 0;
    for (const auto& op : job) total += op.duration;
    lb = std::max(lb, total);
    int64_t head = 0;
    for (const auto& op : job) {
      per_machine[op.machine].push_back({head, op.duration, total - head - op.duration});
      head += op.duration;
    }
  }
  for (auto& tasks : per_machine)
    if (!tasks.empty()) lb = std::max(lb, jackson_preemptive(std::move(tasks)));
  return lb;
}

Schedule schedule_from_sequences(const JobShop& shop, const std::vector<std::vector<int>>& sequences) {
  const OpIndex ix(shop);
  const int n = ix.size();
  std::vector<int> mach_next(n, -1), indeg(n, 0);
  for (const auto& seq : sequences)
    for (size_t i = 0; i + 1 < seq.size(); ++i) mach_next[seq[i]] = seq[i + 1], ++indeg[seq[i + 1]];
  for (int o = 0; o < n; ++o)
    if (ix.step[o] > 0) ++indeg[o];
  std::vector<int64_t> r(n, 0);
  std::vector<int> ready;
  for (int o = 0; o < n; ++o)
    if (indeg[o] == 0) ready.push_back(o);
  int done = 0;
  Schedule s;
  while (!ready.empty()) {
    const int o = ready.back();
    ready.pop_back();
    ++done;
    const int64_t end = r[o] + ix.duration[o];
    s.makespan = std::max(s.makespan, end);
    const int jn = (ix.step[o] + 1 < static_cast<int>(shop.jobs[ix.job[o]].size())) ? o + 1 : -1;
    for (int nx : {jn, mach_next[o]}) {
      if (nx < 0) continue;
      r[nx] = std::max(r[nx], end);
      if (--indeg[nx] == 0) ready.push_back(nx);
    }
  }
  if (done != n) return {};
  s.start.resize(shop.jobs.size());
  for (int o = 0; o < n; ++o) s.start[ix.job[o]].push_back(r[o]);
  return s;
}

}  // namespace linetwin::optimize
