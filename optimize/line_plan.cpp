// Line plans by simulated annealing over an operation-based sequence (each job appears once per
// operation; the k-th appearance is its k-th operation), decoded into an active schedule: each
// operation in turn goes to the machine of its station where it can start first, into the earliest
// idle gap that holds it. Every decoded schedule is semi-active (an operation starts when both its
// job and its machine are ready), which is what a line following the plan does.
// On a line with changeovers or calendars the decoder appends instead: each operation goes after
// the last one on the machine of its station where it ends first. Put into a gap, an operation
// would change the setup of the one after it, and on a calendar its length depends on where it
// starts; appending still reaches every semi-active schedule (the sequence orders each machine's
// operations), and times each one as the simulator does: its setup and operation begin when the
// machine and the job are both ready and the machine's calendar works, and stretch over the
// calendar's working time.
//
// Sections: the problem; decoding; objectives and bound; the search; checks and output. The
// plan's Gantt chart is drawn in app/schedule_charts.cpp.
#include "optimize/line_plan.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <thread>

#include "sim/calendar.hpp"
#include "sim/random.hpp"

namespace linetwin::optimize {
namespace {

// ---- The problem -------------------------------------------------------------------------------

struct Op {
  uint32_t station;
  double p;    // process time: the station's mean for the product
  double lag;  // after it: the mean travel time to the next station (0 without a transport)
};

struct Problem {
  std::vector<std::vector<Op>> ops;                     // per job
  std::vector<double> release;                          // per job
  std::vector<uint32_t> order;                          // per job
  std::vector<uint32_t> product;                        // per job
  std::vector<std::vector<uint32_t>> station_machines;  // global machine indices per station
  uint32_t machines = 0;
  size_t total_ops = 0;
  uint32_t products = 0;
  // Changeovers: per station, the mean setup from product a to b at [a * products + b] (empty:
  // none at the station; 0 on the diagonal, as a machine set up for a product needs none).
  std::vector<std::vector<double>> setup;
  // Calendars: per station, an index into `calendars` or -1 (always working).
  std::vector<int> calendar;
  std::vector<sim::Calendar> calendars;
  bool appending = false;  // changeovers or calendars: the decoder appends

  double setup_time(uint32_t station, uint32_t from, uint32_t to) const {
    if (setup[station].empty() || from == kNone || from == to) return 0;
    return setup[station][from * products + to];
  }
  static constexpr uint32_t kNone = 0xffffffffu;
};

// The first instant at or after t at which `c` works.
double next_working(const sim::Calendar& c, double t) {
  if (c.works(t)) return t;
  double base = std::floor(t / c.period()) * c.period();
  for (int k = 0; k < 3; ++k, base += c.period())
    for (const auto& f : c.flips())
      if (f.on && base + f.t >= t) return base + f.t;
  return t;  // unreachable: check_calendar leaves every calendar some working time
}

// When a setup of `s` and then an operation of `p` begun at `begin` end, over the station's
// working time (calendar index `cal`, -1 for none); `op_start` is where the operation begins.
double timed_end(const Problem& pb, int cal, double begin, double s, double p, double& op_start) {
  if (cal < 0) {
    op_start = begin + s;
    return op_start + p;
  }
  const sim::Calendar& c = pb.calendars[static_cast<size_t>(cal)];
  const double w = c.working(begin);
  op_start = s > 0 ? c.when(w + s) : begin;
  return s + p > 0 ? c.when(w + s + p) : begin;
}

Problem make_problem(const sim::LineDef& line, const std::vector<sim::OrderDef>& orders) {
  Problem pb;
  pb.products = static_cast<uint32_t>(line.products.size());
  for (const auto& c : line.calendars) pb.calendars.emplace_back(c);
  for (const auto& st : line.stations) {
    std::vector<uint32_t> ms(st.machines);
    std::iota(ms.begin(), ms.end(), pb.machines);
    pb.machines += st.machines;
    pb.station_machines.push_back(std::move(ms));
    std::vector<double> setup;
    if (st.has_setups()) {
      setup.resize(st.setups.size());
      for (size_t k = 0; k < st.setups.size(); ++k)
        setup[k] = k / pb.products == k % pb.products ? 0.0 : st.setups[k].mean();
    }
    pb.setup.push_back(std::move(setup));
    const uint32_t cal = line.calendar_of(st);
    pb.calendar.push_back(cal == sim::kNoCalendar ? -1 : static_cast<int>(cal));
    pb.appending = pb.appending || st.has_setups() || cal != sim::kNoCalendar;
  }
  for (size_t o = 0; o < orders.size(); ++o) {
    const uint32_t product = sim::idx(orders[o].product);
    const auto& route = line.products[product].route;
    std::vector<Op> ops;
    for (size_t k = 0; k < route.size(); ++k) {
      Op op{sim::idx(route[k]), line.stations[sim::idx(route[k])].process[product].mean(), 0};
      if (k + 1 < route.size())
        for (const auto& t : line.transports)
          if (t.from == route[k] && t.to == route[k + 1]) op.lag = t.time.mean();
      ops.push_back(op);
    }
    for (uint32_t q = 0; q < orders[o].quantity; ++q) {
      pb.ops.push_back(ops);
      pb.release.push_back(orders[o].release);
      pb.order.push_back(static_cast<uint32_t>(o));
      pb.product.push_back(product);
      pb.total_ops += ops.size();
    }
  }
  return pb;
}

// ---- Decoding ----------------------------------------------------------------------------------

struct Decoded {
  std::vector<std::vector<double>> start;     // per job and operation: the operation's start
  std::vector<std::vector<double>> end;       // per job and operation
  std::vector<std::vector<double>> setup;     // per job and operation: the setup before it
  std::vector<std::vector<uint32_t>> machine; // per job and operation
  std::vector<double> job_end;
};

// Each machine's idle time is kept as a list of gaps in time order; an operation looks for the
// first gap after its job is ready (a binary search, then a walk over the gaps too short for it)
// instead of walking every operation already on the machine, which made one decode of a large
// order book take seconds. Gaps shorter than the shortest operation of the station are dropped:
// gaps only shrink, so none could ever hold one. The placement is the one the walk over the
// operations made: the earliest start at or after the job is ready in a gap that holds it.
class Decoder {
 public:
  explicit Decoder(const Problem& pb) : pb_(pb), gaps_(pb.machines), shortest_(pb.machines, kInf) {
    out_.start.resize(pb.ops.size());
    out_.end.resize(pb.ops.size());
    out_.setup.resize(pb.ops.size());
    out_.machine.resize(pb.ops.size());
    free_.resize(pb.machines);
    last_.resize(pb.machines);
    for (size_t j = 0; j < pb.ops.size(); ++j) {
      out_.start[j].resize(pb.ops[j].size());
      out_.end[j].resize(pb.ops[j].size());
      out_.setup[j].resize(pb.ops[j].size(), 0.0);
      out_.machine[j].resize(pb.ops[j].size());
      for (const Op& op : pb.ops[j])
        for (uint32_t m : pb.station_machines[op.station]) shortest_[m] = std::min(shortest_[m], op.p);
    }
    out_.job_end.resize(pb.ops.size());
    step_.resize(pb.ops.size());
    ready_.resize(pb.ops.size());
  }

  const Decoded& decode(const std::vector<uint32_t>& seq) {
    if (pb_.appending) return append(seq);
    for (auto& g : gaps_) g.assign(1, {-kInf, kInf});
    std::fill(step_.begin(), step_.end(), 0);
    for (size_t j = 0; j < ready_.size(); ++j) ready_[j] = pb_.release[j];
    for (uint32_t j : seq) {
      const uint32_t k = step_[j]++;
      const Op& op = pb_.ops[j][k];
      double best_start = kInf;
      uint32_t best_m = 0;
      size_t best_gap = 0;
      for (uint32_t m : pb_.station_machines[op.station]) {
        const auto [t, gap] = earliest(gaps_[m], ready_[j], op.p);
        if (t < best_start) best_start = t, best_m = m, best_gap = gap;
      }
      occupy(best_m, best_gap, best_start, best_start + op.p);
      out_.start[j][k] = best_start;
      out_.end[j][k] = best_start + op.p;
      out_.machine[j][k] = best_m;
      ready_[j] = best_start + op.p + (k + 1 < pb_.ops[j].size() ? op.lag : 0.0);
      if (k + 1 == pb_.ops[j].size()) out_.job_end[j] = best_start + op.p;
    }
    return out_;
  }

 private:
  static constexpr double kInf = std::numeric_limits<double>::infinity();

  // Appending: each operation after the last on the machine of its station where it ends first.
  const Decoded& append(const std::vector<uint32_t>& seq) {
    std::fill(free_.begin(), free_.end(), -kInf);
    std::fill(last_.begin(), last_.end(), Problem::kNone);
    std::fill(step_.begin(), step_.end(), 0);
    for (size_t j = 0; j < ready_.size(); ++j) ready_[j] = pb_.release[j];
    for (uint32_t j : seq) {
      const uint32_t k = step_[j]++;
      const Op& op = pb_.ops[j][k];
      const uint32_t product = pb_.product[j];
      const int cal = pb_.calendar[op.station];
      double best_end = kInf, best_start = 0, best_setup = 0;
      uint32_t best_m = 0;
      for (uint32_t m : pb_.station_machines[op.station]) {
        double begin = std::max(ready_[j], free_[m]);
        if (cal >= 0) begin = next_working(pb_.calendars[static_cast<size_t>(cal)], begin);
        const double s = pb_.setup_time(op.station, last_[m], product);
        double start = 0;
        const double end = timed_end(pb_, cal, begin, s, op.p, start);
        if (end < best_end) best_end = end, best_start = start, best_setup = s, best_m = m;
      }
      free_[best_m] = best_end;
      last_[best_m] = product;
      out_.start[j][k] = best_start;
      out_.end[j][k] = best_end;
      out_.setup[j][k] = best_setup;
      out_.machine[j][k] = best_m;
      ready_[j] = best_end + (k + 1 < pb_.ops[j].size() ? op.lag : 0.0);
      if (k + 1 == pb_.ops[j].size()) out_.job_end[j] = best_end;
    }
    return out_;
  }

  // Idle from lo (the latest end of the operations before it) to hi (the next one's start).
  struct Gap {
    double lo, hi;
  };

  // The earliest start at or after `ready` of an operation of length p, and the gap it falls in.
  static std::pair<double, size_t> earliest(const std::vector<Gap>& g, double ready, double p) {
    size_t i = static_cast<size_t>(
        std::partition_point(g.begin(), g.end(), [&](const Gap& x) { return x.hi <= ready; }) - g.begin());
    for (;; ++i) {  // the last gap ends at infinity, so the walk ends there at the latest
      const double t = std::max(ready, g[i].lo);
      if (g[i].hi - t >= p && g[i].hi > t) return {t, i};
    }
  }

  // The operation [start, end] goes into gap i of machine m: what is left of the gap before and
  // after it stays a gap if an operation of the station could still fit there.
  void occupy(uint32_t m, size_t i, double start, double end) {
    auto& g = gaps_[m];
    const Gap gap = g[i];
    auto keep = [&](double lo, double hi) { return hi > lo && hi - lo >= shortest_[m]; };
    const bool before = keep(gap.lo, start), after = keep(end, gap.hi);
    const auto at = g.begin() + static_cast<std::ptrdiff_t>(i);
    if (before && after) {
      at->hi = start;
      g.insert(at + 1, {end, gap.hi});
    } else if (before) {
      at->hi = start;
    } else if (after) {
      at->lo = end;
    } else {
      g.erase(at);
    }
    // The end may pass the next operation's start by a rounding; later gaps start after it then.
    for (size_t k = i + (before ? 1 : 0) + (after ? 1 : 0); k < g.size() && g[k].lo < end;) {
      g[k].lo = end;
      if (keep(g[k].lo, g[k].hi)) break;
      g.erase(g.begin() + static_cast<std::ptrdiff_t>(k));
    }
  }

  const Problem& pb_;
  std::vector<std::vector<Gap>> gaps_;  // per machine, in time order; the last one open
  std::vector<double> shortest_;        // per machine: the shortest operation it may get
  std::vector<uint32_t> step_;
  std::vector<double> ready_;
  std::vector<double> free_;            // appending: when each machine's last operation ends
  std::vector<uint32_t> last_;          // appending: the product it is set up for
  Decoded out_;
};

// ---- Objectives and bound ------------------------------------------------------------------------

double bound(const Problem& pb) {
  double lb = 0;
  for (size_t j = 0; j < pb.ops.size(); ++j) {
    double t = pb.release[j];
    for (size_t k = 0; k < pb.ops[j].size(); ++k) t += pb.ops[j][k].p + (k + 1 < pb.ops[j].size() ? pb.ops[j][k].lag : 0);
    lb = std::max(lb, t);
  }
  // A station cannot finish its work before the first job reaches it, plus its work shared over
  // its machines, plus the shortest remainder of a route after it.
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> work(pb.station_machines.size(), 0), head(work.size(), inf), tail(work.size(), inf);
  for (size_t j = 0; j < pb.ops.size(); ++j) {
    const auto& ops = pb.ops[j];
    double h = pb.release[j];
    std::vector<double> after(ops.size() + 1, 0);
    for (size_t k = ops.size(); k-- > 0;) after[k] = after[k + 1] + ops[k].p + (k + 1 < ops.size() ? ops[k].lag : 0);
    for (size_t k = 0; k < ops.size(); ++k) {
      const uint32_t s = ops[k].station;
      work[s] += ops[k].p;
      head[s] = std::min(head[s], h);
      tail[s] = std::min(tail[s], after[k] - ops[k].p);
      h += ops[k].p + ops[k].lag;
    }
  }
  for (size_t s = 0; s < work.size(); ++s)
    if (work[s] > 0) lb = std::max(lb, head[s] + work[s] / double(pb.station_machines[s].size()) + tail[s]);
  return lb;
}

// What the search minimizes: the objective first, then the other figure to break ties.
struct Value {
  double primary = 0, secondary = 0;
  bool operator<(const Value& o) const { return primary < o.primary || (primary == o.primary && secondary < o.secondary); }
};

Value value_of(const std::vector<sim::OrderDef>& orders, const std::vector<PlannedJob>& jobs, const Decoded& d,
               PlanObjective objective, std::vector<double>& completion) {
  double makespan = 0, wt = 0;
  plan_objectives(orders, jobs, d.job_end, completion, makespan, wt);
  if (objective == PlanObjective::kMakespan) {
    double sum = 0;  // the sum of completions separates schedules of one makespan
    for (double c : d.job_end) sum += c;
    return {makespan, sum};
  }
  return {wt, makespan};
}

// ---- The search ----------------------------------------------------------------------------------

struct SearchOut {
  std::vector<uint32_t> seq;
  Value value;
  int64_t iterations = 0;
};

// The time limit, counted from the start of plan_orders and read before every step that decodes
// a plan: the first plans of a large order book take long enough to overrun it on their own.
class Deadline {
 public:
  explicit Deadline(const PlanOptions& opt)
      : clock_(opt.clock ? opt.clock : steady_seconds), start_(clock_()), limit_(opt.time_limit_s),
        timed_(opt.iterations <= 0) {}
  /// Seconds since plan_orders began.
  double elapsed() const { return clock_() - start_; }
  /// Whether a search bounded by time that has used `elapsed` seconds must stop, `ahead` seconds
  /// of work before the limit (never when iterations bound it).
  bool over(double elapsed, double ahead) const { return timed_ && elapsed + ahead >= limit_; }
  bool passed(double ahead) const { return over(elapsed(), ahead); }
  /// The fraction of the time limit that `elapsed` seconds are.
  double fraction(double elapsed) const { return elapsed / std::max(1e-9, limit_); }

 private:
  static double steady_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  }
  std::function<double()> clock_;
  double start_, limit_;
  bool timed_;
};

// The start: jobs by release, then due date (thread 0), or in random order (the others); their
// operations interleaved step by step, so that the line fills as a flow.
std::vector<uint32_t> start_sequence(const Problem& pb, const std::vector<sim::OrderDef>& orders, uint32_t thread,
                                     sim::Rng& rng) {
  const size_t jobs = pb.ops.size();
  std::vector<uint32_t> prio(jobs);
  std::iota(prio.begin(), prio.end(), 0u);
  if (thread == 0) {
    std::stable_sort(prio.begin(), prio.end(), [&](uint32_t a, uint32_t b) {
      const auto &oa = orders[pb.order[a]], &ob = orders[pb.order[b]];
      return pb.release[a] < pb.release[b] || (pb.release[a] == pb.release[b] && oa.due < ob.due);
    });
  } else {
    for (size_t i = jobs; i > 1; --i) std::swap(prio[i - 1], prio[static_cast<size_t>(rng.uniform() * double(i))]);
  }
  std::vector<uint32_t> seq;
  seq.reserve(pb.total_ops);
  for (size_t k = 0; seq.size() < pb.total_ops; ++k)
    for (uint32_t j : prio)
      if (k < pb.ops[j].size()) seq.push_back(j);
  return seq;
}

// A neighbour: two random positions swapped, or the job at one moved to the other.
void random_move(std::vector<uint32_t>& s, sim::Rng& rng) {
  const size_t n = s.size();
  const size_t i = static_cast<size_t>(rng.uniform() * double(n)), j = static_cast<size_t>(rng.uniform() * double(n));
  if (rng.uniform() < 0.5) {
    std::swap(s[i], s[j]);
  } else if (i < j) {
    std::rotate(s.begin() + static_cast<std::ptrdiff_t>(i), s.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                s.begin() + static_cast<std::ptrdiff_t>(j) + 1);
  } else {
    std::rotate(s.begin() + static_cast<std::ptrdiff_t>(j), s.begin() + static_cast<std::ptrdiff_t>(i),
                s.begin() + static_cast<std::ptrdiff_t>(i) + 1);
  }
}

// One thread's annealing: what it searches, its random numbers, its decoder, its current plan.
struct Annealer {
  Annealer(const Problem& problem, const std::vector<sim::OrderDef>& orders_, const std::vector<PlannedJob>& shells_,
           const PlanOptions& options, uint64_t seed)
      : pb(problem), orders(orders_), shells(shells_), opt(options), rng(seed) {}

  const Problem& pb;
  const std::vector<sim::OrderDef>& orders;
  const std::vector<PlannedJob>& shells;
  const PlanOptions& opt;
  sim::Rng rng;
  Decoder dec{pb};
  std::vector<double> completion;  // scratch for value_of

  Value value(const std::vector<uint32_t>& seq) { return value_of(orders, shells, dec.decode(seq), opt.objective, completion); }

  // The starting temperature: half the mean worsening of a few random moves from `seq`.
  double start_temperature(const std::vector<uint32_t>& seq, const Value& cur, const Deadline& deadline, double ahead) {
    double t_start = 0;
    int worse = 0;
    for (int k = 0; k < 50 && !deadline.passed(ahead); ++k) {
      std::vector<uint32_t> s = seq;
      random_move(s, rng);
      const Value v = value(s);
      if (v.primary > cur.primary) t_start += v.primary - cur.primary, ++worse;
    }
    return worse ? 0.5 * t_start / worse : 1.0;
  }

  // Whether the search may stop: the best plan meets the lower bound (makespan) or is on time.
  bool provably_optimal(const Value& best, double lb) const {
    return opt.objective == PlanObjective::kMakespan ? best.primary <= lb * (1 + 1e-12) : best.primary <= 0;
  }
};

SearchOut anneal(const Problem& pb, const std::vector<sim::OrderDef>& orders, const std::vector<PlannedJob>& shells,
                 const PlanOptions& opt, uint32_t thread, const std::atomic<bool>* stop, double lb,
                 const Deadline& deadline) {
  Annealer a(pb, orders, shells, opt, opt.seed * 1000003ULL + thread);
  std::vector<uint32_t> seq = start_sequence(pb, orders, thread, a.rng);
  const double before = deadline.elapsed();
  Value cur = a.value(seq);
  // A step starts only if it, and then the final decode and check of plan_orders, end in time.
  const double ahead = 3 * (deadline.elapsed() - before);
  SearchOut best{seq, cur, 0};
  if (seq.size() < 2 || deadline.passed(ahead)) return best;
  const double t_start = a.start_temperature(seq, cur, deadline, ahead);
  const double t_end = t_start * 1e-3;

  std::vector<uint32_t> cand;
  const int64_t max_it = opt.iterations > 0 ? opt.iterations : std::numeric_limits<int64_t>::max();
  int64_t it = 0;
  double frac = 0;
  for (; it < max_it; ++it) {
    // Under a time limit the clock is read at every iteration: one decode of a large order book
    // takes milliseconds, and 128 of them would overrun a short limit.
    if (opt.iterations <= 0) {
      const double elapsed = deadline.elapsed();
      if (deadline.over(elapsed, ahead)) break;
      frac = deadline.fraction(elapsed);
    }
    if ((it & 127) == 0) {
      if (opt.iterations > 0) frac = double(it) / double(opt.iterations);
      if (stop && stop->load(std::memory_order_relaxed)) break;
      if (a.provably_optimal(best.value, lb)) break;
    }
    const double temp = t_start * std::pow(t_end / t_start, std::min(1.0, frac));
    cand = seq;
    random_move(cand, a.rng);
    const Value v = a.value(cand);
    const double delta = v.primary - cur.primary;
    if (!(cur < v) || (delta > 0 && a.rng.uniform() < std::exp(-delta / temp)) ||
        (delta == 0 && a.rng.uniform() < 0.5)) {
      seq.swap(cand);
      cur = v;
      if (cur < best.value) best.seq = seq, best.value = cur;
    }
  }
  best.iterations = it;
  return best;
}

}  // namespace

void plan_objectives(const std::vector<sim::OrderDef>& orders, const std::vector<PlannedJob>& jobs,
                     const std::vector<double>& job_end, std::vector<double>& order_completion,
                     double& makespan, double& weighted_tardiness) {
  order_completion.assign(orders.size(), 0);
  makespan = 0;
  for (size_t j = 0; j < jobs.size(); ++j) {
    order_completion[jobs[j].order] = std::max(order_completion[jobs[j].order], job_end[j]);
    makespan = std::max(makespan, job_end[j]);
  }
  weighted_tardiness = 0;
  for (size_t o = 0; o < orders.size(); ++o)
    if (orders[o].due != sim::kInf && order_completion[o] > orders[o].due)
      weighted_tardiness += orders[o].weight * (order_completion[o] - orders[o].due);
}

Result<LinePlan> plan_orders(const sim::LineDef& line, const std::vector<sim::OrderDef>& orders,
                             const PlanOptions& opt) {
  const Deadline deadline(opt);
  if (orders.empty()) return Error::at_key("", "orders", "the scenario has no orders to plan; add orders: (see the README)");
  for (const auto& o : orders) {
    if (sim::idx(o.product) >= line.products.size())
      return Error::at_key("", "orders", "order '" + o.name + "' names a product the line does not make");
    if (o.quantity == 0) return Error::at_key("", "orders", "order '" + o.name + "' has no units");
  }
  const Problem pb = make_problem(line, orders);
  LinePlan plan;
  for (size_t j = 0; j < pb.ops.size(); ++j)
    plan.jobs.push_back({pb.order[j], sim::idx(orders[pb.order[j]].product), pb.release[j], {}});
  plan.lower_bound = bound(pb);

  const uint32_t threads = opt.threads ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
  plan.threads = threads;
  std::vector<SearchOut> outs(threads);
  std::atomic<bool> stop{false};
  // With an iteration bound no thread cuts another short, so that the result is reproducible.
  const std::atomic<bool>* stop_flag = opt.iterations > 0 ? nullptr : &stop;
  auto worker = [&](uint32_t t) {
    outs[t] = anneal(pb, orders, plan.jobs, opt, t, stop_flag, plan.lower_bound, deadline);
    if (opt.objective == PlanObjective::kMakespan ? outs[t].value.primary <= plan.lower_bound : outs[t].value.primary <= 0)
      stop = true;
  };
  std::vector<std::thread> pool;
  for (uint32_t t = 1; t < threads; ++t) pool.emplace_back(worker, t);
  worker(0);
  for (auto& th : pool) th.join();
  size_t best = 0;
  for (size_t t = 0; t < outs.size(); ++t) {
    plan.iterations += outs[t].iterations;
    if (outs[t].value < outs[best].value) best = t;
  }
  Decoder dec(pb);
  const Decoded& d = dec.decode(outs[best].seq);
  for (size_t j = 0; j < pb.ops.size(); ++j)
    for (size_t k = 0; k < pb.ops[j].size(); ++k)
      plan.jobs[j].ops.push_back({pb.ops[j][k].station, d.machine[j][k], d.start[j][k], d.end[j][k], d.setup[j][k]});
  plan_objectives(orders, plan.jobs, d.job_end, plan.order_completion, plan.makespan, plan.weighted_tardiness);
  if (std::string bad = check_plan(line, orders, plan); !bad.empty())
    return Error::in("", "internal error: the planner made an invalid plan: " + bad);
  return plan;
}

// ---- Checks and output ---------------------------------------------------------------------------

sim::PlanDef plan_for_sim(const sim::LineDef& line, const LinePlan& plan) {
  sim::PlanDef def;
  uint32_t machines = 0;
  for (const auto& s : line.stations) machines += s.machines;
  def.sequences.resize(machines);
  struct Entry { double start, end; uint32_t job; };
  std::vector<std::vector<Entry>> on(machines);
  for (size_t j = 0; j < plan.jobs.size(); ++j) {
    def.jobs.push_back({static_cast<sim::ProductId>(plan.jobs[j].product), plan.jobs[j].release});
    for (const auto& op : plan.jobs[j].ops) on[op.machine].push_back({op.start, op.end, static_cast<uint32_t>(j)});
  }
  for (uint32_t m = 0; m < machines; ++m) {
    std::stable_sort(on[m].begin(), on[m].end(), [](const Entry& a, const Entry& b) {
      return a.start < b.start || (a.start == b.start && a.end < b.end);
    });
    for (const auto& e : on[m]) def.sequences[m].push_back(e.job);
  }
  return def;
}

std::string check_plan(const sim::LineDef& line, const std::vector<sim::OrderDef>& orders, const LinePlan& plan) {
  const Problem pb = make_problem(line, orders);
  if (plan.jobs.size() != pb.ops.size()) return "it has " + std::to_string(plan.jobs.size()) + " jobs, not " + std::to_string(pb.ops.size());
  auto close = [](double a, double b) { return std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)}); };
  // Times in a station's working time: the clock itself where it has no calendar.
  auto worked = [&](uint32_t station, double t) {
    const int cal = pb.calendar[station];
    return cal < 0 ? t : pb.calendars[static_cast<size_t>(cal)].working(t);
  };
  struct On {
    double start, end, setup;
    uint32_t product;
  };
  std::vector<std::vector<On>> on(pb.machines);
  std::vector<uint32_t> station_of(pb.machines, 0);
  std::vector<double> job_end(pb.ops.size(), 0);
  for (size_t j = 0; j < pb.ops.size(); ++j) {
    const auto& ops = plan.jobs[j].ops;
    const std::string job = "job " + std::to_string(j);
    if (ops.size() != pb.ops[j].size()) return job + " lacks operations";
    double ready = pb.release[j];
    for (size_t k = 0; k < ops.size(); ++k) {
      const uint32_t st = pb.ops[j][k].station;
      const auto& ms = pb.station_machines[st];
      if (ops[k].station != st || std::find(ms.begin(), ms.end(), ops[k].machine) == ms.end())
        return job + " leaves its route or its station's machines at operation " + std::to_string(k);
      // The end against start + duration, not end - start against the duration: at a start of 1e8
      // the difference carries the start's rounding, far beyond a tolerance scaled by the duration.
      if (pb.calendar[st] < 0 ? !close(ops[k].end, ops[k].start + pb.ops[j][k].p)
                              : !close(worked(st, ops[k].end), worked(st, ops[k].start) + pb.ops[j][k].p))
        return job + " has a wrong duration at operation " + std::to_string(k);
      if (ops[k].start < ready && !close(ops[k].start, ready)) return job + " starts operation " + std::to_string(k) + " too early";
      ready = ops[k].end + pb.ops[j][k].lag;
      on[ops[k].machine].push_back({ops[k].start, ops[k].end, ops[k].setup, pb.product[j]});
      station_of[ops[k].machine] = st;
    }
    job_end[j] = ops.back().end;
  }
  for (uint32_t m = 0; m < pb.machines; ++m) {
    auto& v = on[m];
    std::sort(v.begin(), v.end(), [](const On& a, const On& b) { return a.start < b.start || (a.start == b.start && a.end < b.end); });
    const uint32_t st = station_of[m];
    for (size_t i = 0; i < v.size(); ++i) {
      // Its changeover: the mean from the product before it on the machine (none for the first).
      const double setup = pb.setup_time(st, i ? v[i - 1].product : Problem::kNone, v[i].product);
      if (!close(v[i].setup, setup)) return "an operation on machine " + std::to_string(m) + " has a wrong changeover";
      if (i == 0) continue;
      // Setup and operation after the one before, in working time.
      const double begins = worked(st, v[i].start) - v[i].setup, prev_end = worked(st, v[i - 1].end);
      if (begins < prev_end && !close(begins, prev_end)) return "two operations overlap on machine " + std::to_string(m);
    }
  }
  std::vector<double> completion;
  double makespan = 0, wt = 0;
  plan_objectives(orders, plan.jobs, job_end, completion, makespan, wt);
  if (!close(makespan, plan.makespan) || !close(wt, plan.weighted_tardiness)) return "its claimed makespan or tardiness is not its own";
  return {};
}

}  // namespace linetwin::optimize
