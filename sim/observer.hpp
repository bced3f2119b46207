// The simulator's events as observers see them. The trace writer, the viewer and the twin are
// observers; the kernel never knows who listens. (The statistics are kept by the kernel itself,
// per event kind and beside the state they measure, for speed: see sim/detail/line_stats.hpp.)
// Standard library only.
#pragma once
#include <cstdint>

namespace linetwin::sim {

enum class EventKind : uint8_t {
  kRelease,          // an item enters the line (source)
  kLost,             // an arrival found the first station full and is lost
  kArrive,           // an item reaches a station
  kEnqueue,          // it takes a buffer place
  kDequeue,          // it leaves its buffer place for a machine
  kStart,            // a machine starts processing it
  kFinish,           // processing done; the machine holds it until there is a place downstream
  kLeave,            // it leaves the machine (the machine is free)
  kBlock,            // a finished item has no place downstream: the machine is blocked
  kFail,             // the machine breaks down (it keeps its item)
  kRepair,           // repaired; processing resumes
  kTransportDepart,  // it enters a transport
  kTransportArrive,  // it reaches the transport's end (it may still wait there)
  kComplete,         // it leaves the line finished; value = its lead time
  kMeasureStart,     // the warm-up is over: statistics start now
  kMeasureEnd,       // the run is over
  kScrap,            // it is scrapped as it leaves the machine (it leaves the line)
  kRework,           // it is sent back to an earlier station of its route as it leaves the machine
  kSetup,            // a machine starts a changeover for the item it now holds; kStart follows
  kWait,             // a machine holding an item waits for the workers its setup or operation needs
  kMaintain,         // an empty machine's preventive maintenance begins (its worker may come later)
  kMaintained,       // the maintenance is over: the machine is free
  kConsume,          // an assembly takes the item, a component, from its place (it leaves the
                     // line); the item it makes is released next, on `machine`
  kOff,              // the machine's calendar stops work: it starts nothing, what it does pauses
  kOn,               // work resumes
};

/// One event. Fields that do not apply to a kind are kNone.
struct LineEvent {
  static constexpr uint32_t kNone = 0xffffffffu;
  double t = 0;
  EventKind kind{};
  uint32_t station = kNone;   // station index
  uint32_t machine = kNone;   // machine index within the station
  uint32_t product = kNone;   // product index
  uint32_t transport = kNone; // transport index
  uint64_t item = 0;          // the item's serial number in this replication (from 1)
  double value = 0;           // kComplete: lead time
};

/// Something that listens to a simulation.
class Observer {
 public:
  virtual ~Observer() = default;
  /// Called for every event, in the order of the simulation.
  virtual void on_event(const LineEvent& e) = 0;
};

}  // namespace linetwin::sim
