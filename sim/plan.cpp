// The kernel following a plan (LineSim::follow_plan): jobs enter at their release times and each
// machine takes only the next job of its planned sequence, waiting for it even when other items
// are at hand. Buffers and transports keep their capacities, so a plan that ignores them can
// deadlock: the run then ends with plan_finished() short of the jobs. A run without a plan pays
// nothing for this: its kernel is compiled without the tests (LineKernel::run_events<false>).
#include <algorithm>
#include <cassert>

#include "sim/detail/line_kernel.hpp"

namespace linetwin::sim::detail {

void LineKernel::follow_plan(const PlanDef& plan) {
  assert(!started_);
  assert(plan.sequences.size() == machines_.size());
  plan_ = &plan;
  plan_pos_.assign(machines_.size(), 0);
  run_.warmup = 0;  // a plan is measured from its start to its end
  end_time_ = kInf;
}

uint32_t LineKernel::planned_next(uint32_t mi) const {
  const auto& seq = plan_->sequences[mi];
  return plan_pos_[mi] < seq.size() ? seq[plan_pos_[mi]] : kNoItem;
}

// An idle machine of the station whose next job is `item`, or kNoMachine.
uint32_t LineKernel::idle_wanting(uint32_t station, uint32_t item) const {
  const uint64_t job = item_life_[item].serial - 1;
  const Station& st = stations_[station];
  for (uint32_t k = 0; k < st.idle_count; ++k)
    if (const uint32_t mi = idle_[st.first_machine + k]; planned_next(mi) == job) return mi;
  return kNoMachine;
}

bool LineKernel::can_accept_planned(uint32_t station, uint32_t item) const {
  const Station& st = stations_[station];
  return st.queue.size() < st.buffer || idle_wanting(station, item) != kNoMachine;
}

void LineKernel::start_planned(uint32_t mi, uint32_t item) {
  ++plan_pos_[mi];
  start(mi, item);
}

void LineKernel::accept_planned(uint32_t station, uint32_t item) {
  Station& st = stations_[station];
  emit<EventKind::kArrive>(station, LineEvent::kNone, item);
  const uint32_t mi = idle_wanting(station, item);
  if (mi != kNoMachine) {
    uint32_t* idle = &idle_[st.first_machine];
    std::remove(idle, idle + st.idle_count--, mi);  // the others keep their order
    start_planned(mi, item);
  } else {
    st.queue.push_back(item);
    emit<EventKind::kEnqueue>(station, LineEvent::kNone, item);
  }
}

void LineKernel::on_plan_release(uint32_t job) {
  const uint32_t item = alloc_item(static_cast<uint32_t>(idx(plan_->jobs[job].product)));
  item_life_[item].serial = job + 1;
  const uint32_t station = steps_[items_[item].at].station;
  emit<EventKind::kRelease>(LineEvent::kNone, LineEvent::kNone, item);
  if (can_accept_planned(station, item)) accept_planned(station, item);
  else stations_[station].waiters.push_back(Waiter{WaiterKind::kRelease, 0, item});  // waits at the door
}

void LineKernel::machine_freed_planned(uint32_t first) {
  // Freeing a machine can free a buffer place, which lets an item in from upstream, which frees
  // a machine there: a work list, since one change can free several.
  plan_work_.push_back(first);
  while (!plan_work_.empty()) {
    const uint32_t mi = plan_work_.back();
    plan_work_.pop_back();
    if (mi == kNoMachine) continue;
    const uint32_t station = machines_[mi].station;
    Station& st = stations_[station];
    const uint32_t want = planned_next(mi);
    bool started = false;
    for (size_t k = 0; want != kNoItem && k < st.queue.size(); ++k) {
      if (item_life_[st.queue[k]].serial - 1 != want) continue;
      const uint32_t item = st.queue.remove_at(k);
      emit<EventKind::kDequeue>(station, LineEvent::kNone, item);
      start_planned(mi, item);
      started = true;
      break;
    }
    for (size_t k = 0; !started && want != kNoItem && k < st.waiters.size(); ++k) {
      if (item_life_[st.waiters[k].item].serial - 1 != want) continue;
      // Held upstream for want of a buffer place: it goes straight to its machine.
      const Waiter w = st.waiters.remove_at(k);
      if (w.kind == WaiterKind::kTransport) {
        plan_work_.push_back(release_slot(w.who));
      } else if (w.kind == WaiterKind::kMachine || w.kind == WaiterKind::kRework) {
        if (w.kind == WaiterKind::kRework) items_[w.item].at = rework_step_[items_[w.item].at];
        else ++items_[w.item].at;
        vacate(w.who);
        plan_work_.push_back(w.who);
      }
      emit<EventKind::kArrive>(station, LineEvent::kNone, w.item);
      start_planned(mi, w.item);
      started = true;
    }
    if (!started) idle_[st.first_machine + st.idle_count++] = mi;
    // Free places go to those waiting, first come first served.
    while (!st.waiters.empty() && st.queue.size() < st.buffer) {
      uint32_t moved;
      plan_work_.push_back(take_from_waiter(station, moved));
      accept_planned(station, moved);
    }
  }
}

}  // namespace linetwin::sim::detail
