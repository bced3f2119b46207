// A calendar's arithmetic: how much working time a pattern of shifts and breaks holds up to a
// moment, the moment a given working time is reached, and where work starts and stops. The
// kernel stretches every activity of a machine on a calendar over its working time with these
// (an operation of 10 minutes begun 4 minutes before a break ends 6 minutes after it), so that
// pausing and resuming needs no event of its own. Standard library only.
#pragma once
#include <string>
#include <vector>

#include "sim/line_def.hpp"

namespace linetwin::sim {

/// What is wrong with a calendar (period not above 0, an interval outside the period or empty, a
/// break outside the working time, no working time left), or an empty string.
std::string check_calendar(const CalendarDef& def);

class Calendar {
 public:
  /// A point where work starts (on) or stops within a period, at t in [0, period).
  struct Flip {
    double t;
    bool on;
  };
  Calendar() = default;
  /// `def` must pass check_calendar.
  explicit Calendar(const CalendarDef& def);
  double period() const { return period_; }
  /// Working time per period.
  double per_period() const { return per_period_; }
  /// Working time in [0, t] (t >= 0).
  double working(double t) const;
  /// The earliest time at which the working time since 0 reaches w (w >= 0); infinity for an
  /// infinite w.
  double when(double w) const;
  /// Whether t lies in the working time (its intervals are closed at the start, open at the end).
  bool works(double t) const;
  /// Where work starts and stops within a period, in time order; a period ending at work that
  /// the next begins with has no flip there.
  const std::vector<Flip>& flips() const { return flips_; }
  /// The working intervals of one period, sorted, disjoint, with the breaks taken out.
  std::vector<Interval> intervals() const;

 private:
  double period_ = 0, per_period_ = 0;
  std::vector<double> from_, to_, before_;  // per working interval: its ends, and the working
                                            // time in the period before it
  std::vector<double> after_;               // before_ + the interval's length
  std::vector<Flip> flips_;
};

}  // namespace linetwin::sim
