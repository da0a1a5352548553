// The virtual clock's timer queue. Timers are plain data ordered by (due, kind, ids), so timers due at the same
// instant fire in a fixed order whatever order they were set in. A timer that no longer applies (its job cancelled,
// …) is checked and ignored when it fires, so little needs cancelling; an offer's expiry timer is removed when the
// offer ends (accepted, declined, revoked), as most offers end before they expire.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <tuple>

#include "core/util/time.hpp"

namespace jr {

enum class TimerKind {
  ScheduleAt = 0,      // a = jobId: scheduled job reaches scheduleAt
  CloseAt = 1,         // a = jobId, b = assignmentId: deferred close
  SelectorExpiry = 2,  // a = jobId: some worker selector expires
  OfferExpiry = 3,     // a = workerId, b = offerId
  RetryOffer = 4,      // a = jobId, b = workerId: a decline's retryOfferAt
  ExceptionWaitTime = 5,  // a = jobId, b = exception rule id, c = the job's enqueue sequence (its queue entry)
};
constexpr int kTimerKindCount = 6;

struct Timer {
  Instant due = 0;
  TimerKind kind = TimerKind::ScheduleAt;
  std::string a;
  std::string b;
  std::string c;

  bool operator<(const Timer& o) const {
    return std::tie(due, kind, a, b, c) < std::tie(o.due, o.kind, o.a, o.b, o.c);
  }
};

class TimerQueue {
 public:
  void add(Timer timer) { timers_.insert(std::move(timer)); }
  bool empty() const { return timers_.empty(); }
  // When the next timer is due (nullopt: none is set).
  std::optional<Instant> nextDue() const {
    if (timers_.empty()) return std::nullopt;
    return timers_.begin()->due;
  }
  // Whether a timer is due at `now` or earlier.
  bool anyDueBy(Instant now) const { return !timers_.empty() && timers_.begin()->due <= now; }
  Timer pop() {
    Timer t = *timers_.begin();
    timers_.erase(timers_.begin());
    return t;
  }
  bool remove(const Timer& timer) { return timers_.erase(timer) > 0; }
  const std::set<Timer>& all() const { return timers_; }
  void clear() { timers_.clear(); }

 private:
  std::set<Timer> timers_;
};

}  // namespace jr
