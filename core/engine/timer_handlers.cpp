// What happens when a timer of the virtual clock fires.
#include <algorithm>

#include "core/engine/engine.hpp"
#include "core/events/router_events.hpp"

namespace jr {

bool Engine::fireDueTimers(std::size_t& budget) {
  while (timers_.anyDueBy(now_)) {
    if (budget == 0) return false;
    --budget;
    fireTimer(timers_.pop());
  }
  return true;
}

void Engine::closeAssignment(const std::string& jobId, Record<Job>& record, const std::string& assignmentId,
                             const std::optional<std::string>& dispositionCode) {
  Job& job = record.value;
  JobAssignment* assignment = job.assignment(assignmentId);
  if (!assignment) return;
  assignment->closedAt = now_;
  job.status = JobStatus::Closed;
  job.dispositionCode = dispositionCode.value_or("Closed");
  job.pendingClose.reset();
  touchJob(record);
  jobClosed(outbox_, jobId, job, *assignment, now_);
  if (Record<Worker>* worker = workers_.find(assignment->workerId)) {
    auto& assigned = worker->value.assignedJobs;
    assigned.erase(std::remove_if(assigned.begin(), assigned.end(),
                                  [&](const WorkerAssignment& a) { return a.assignmentId == assignmentId; }),
                   assigned.end());
    if (worker->value.state == WorkerState::Draining && assigned.empty() && worker->value.offers.empty()) {
      worker->value.state = WorkerState::Inactive;
    }
    touchWorker(*worker);
    markWorkerQueuesDirty(assignment->workerId, worker->value);
  }
}

void Engine::fireTimer(const Timer& timer) {
  // One handler per timer kind, in TimerKind order.
  using Handler = void (Engine::*)(const Timer&);
  static constexpr Handler kHandlers[kTimerKindCount] = {
      &Engine::fireScheduleAt, &Engine::fireCloseAt,    &Engine::fireSelectorExpiry,
      &Engine::fireOfferExpiry, &Engine::fireRetryOffer, &Engine::fireExceptionWaitTime,
  };
  const auto index = static_cast<std::size_t>(timer.kind);
  if (index < static_cast<std::size_t>(kTimerKindCount)) (this->*kHandlers[index])(timer);
}

void Engine::fireOfferExpiry(const Timer& timer) {
  const Record<Worker>* worker = workers_.find(timer.a);
  if (!worker) return;
  for (const auto& o : worker->value.offers) {
    if (o.offerId == timer.b && o.expiresAt && *o.expiresAt <= now_) {
      endOffer(timer.a, timer.b, EventType::RouterWorkerOfferExpired);
      return;
    }
  }
}

void Engine::fireRetryOffer(const Timer& timer) {
  Record<Job>* job = jobs_.find(timer.a);
  if (!job) return;
  auto d = job->value.declinedBy.find(timer.b);
  if (d == job->value.declinedBy.end() || !d->second.retryAt || *d->second.retryAt != timer.due) return;
  job->value.declinedBy.erase(d);
  if (job->value.queueId) dirtyQueues_.markQueue(*job->value.queueId);
}

void Engine::fireScheduleAt(const Timer& timer) {
  Record<Job>* job = jobs_.find(timer.a);
  if (!job || job->value.status != JobStatus::Scheduled) return;
  const auto& at = job->value.matchingMode.scheduleAt;
  if (!at || *at != timer.due) return;
  job->value.status = JobStatus::WaitingForActivation;
  job->value.scheduledAt = now_;
  touchJob(*job);
  jobWaitingForActivation(outbox_, timer.a, job->value, now_);
}

void Engine::fireCloseAt(const Timer& timer) {
  Record<Job>* job = jobs_.find(timer.a);
  if (!job || !job->value.pendingClose || job->value.pendingClose->assignmentId != timer.b ||
      job->value.pendingClose->closeAt != timer.due) {
    return;
  }
  closeAssignment(timer.a, *job, timer.b, job->value.pendingClose->dispositionCode);
}

void Engine::fireExceptionWaitTime(const Timer& timer) {
  Record<Job>* job = jobs_.find(timer.a);
  if (!job || job->value.status != JobStatus::Queued || !job->value.queueId ||
      std::to_string(job->value.enqueueSequence) != timer.c || job->value.firedExceptionRules.count(timer.b)) {
    return;
  }
  const Record<Queue>* queue = queues_.find(*job->value.queueId);
  if (!queue || !queue->value.exceptionPolicyId) return;
  const Record<Json>* policy = exceptionPolicies_.find(*queue->value.exceptionPolicyId);
  if (!policy) return;
  for (const auto& rule : policy->value["exceptionRules"]) {
    if (rule.value("id", "") == timer.b && rule["trigger"].value("kind", "") == "waitTime") {
      triggerExceptionRule(timer.a, *queue->value.exceptionPolicyId, rule);
      return;
    }
  }
}

// Marks the selectors whose expiresAt has passed as expired; returns them.
static std::vector<WorkerSelector> expireSelectors(std::vector<WorkerSelector>& selectors, Instant now) {
  std::vector<WorkerSelector> expired;
  for (auto& s : selectors) {
    if (!s.expired && s.expiresAt && *s.expiresAt <= now) {
      s.expired = true;
      expired.push_back(s);
    }
  }
  return expired;
}

void Engine::fireSelectorExpiry(const Timer& timer) {
  Record<Job>* job = jobs_.find(timer.a);
  if (!job) return;
  Job& j = job->value;
  const bool queued = j.status == JobStatus::Queued && j.queueId;
  const QueueEntry before = queueEntry(timer.a, j);
  const std::vector<WorkerSelector> requested = expireSelectors(j.requestedWorkerSelectors, now_);
  const std::vector<WorkerSelector> attached = expireSelectors(j.attachedWorkerSelectors, now_);
  if (requested.empty() && attached.empty()) return;
  if (queued) {
    queueIndex_.remove(*j.queueId, before);
    const QueueEntry after = queueEntry(timer.a, j);
    queueIndex_.add(*j.queueId, after);
    dirtyQueues_.markEntry(*j.queueId, after);
  }
  touchJob(*job);
  jobWorkerSelectorsExpired(outbox_, timer.a, j, requested, attached, now_);
}

}  // namespace jr
