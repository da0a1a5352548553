// Upsert, get and delete of jobs, their actions (cancel, reclassify, complete, close, unassign) and position.
#include <algorithm>
#include <cmath>

#include "core/engine/engine.hpp"
#include "core/engine/job_lifecycle.hpp"
#include "core/engine/upsert.hpp"
#include "core/events/router_events.hpp"

namespace jr {
namespace {

JobStatus initialStatus(const JobSpec& job) {
  if (job.matchingMode.kind == MatchingModeKind::Suspend) return JobStatus::WaitingForActivation;
  if (job.matchingMode.kind == MatchingModeKind::ScheduleAndSuspend) return JobStatus::PendingSchedule;
  if (job.classificationPolicyId) return JobStatus::PendingClassification;
  return JobStatus::Created;
}

bool isWaiting(JobStatus s) {
  return s == JobStatus::WaitingForActivation || s == JobStatus::PendingSchedule || s == JobStatus::Scheduled ||
         s == JobStatus::ScheduleFailed;
}

// Statuses of the scheduling flow, before scheduleAt is reached (or after scheduling failed).
bool isScheduling(JobStatus s) {
  return s == JobStatus::PendingSchedule || s == JobStatus::Scheduled || s == JobStatus::ScheduleFailed;
}


}  // namespace

QueueEntry Engine::queueEntry(const std::string& id, const Job& job) const {
  QueueEntry entry;
  auto expedites = [](const std::vector<WorkerSelector>& list) {
    return std::any_of(list.begin(), list.end(), [](const WorkerSelector& s) { return s.expedite && !s.expired; });
  };
  entry.expedite = expedites(job.requestedWorkerSelectors) || expedites(job.attachedWorkerSelectors);
  entry.priority = job.priority;
  entry.enqueueSequence = job.enqueueSequence;
  entry.jobId = id;
  return entry;
}

void Engine::enqueue(const std::string& id, Record<Job>& record) {
  Job& job = record.value;
  job.status = JobStatus::Queued;
  job.enqueuedAt = now_;
  job.enqueueSequence = ++enqueueCounter_;
  // A new queue entry re-arms the queue's exception rules — unless an exception action sent the job back to the
  // queue it took it from: then the rules that fired stay fired.
  const bool backToSameQueue = job.exceptionSourceQueue && job.exceptionSourceQueue == job.queueId;
  job.exceptionSourceQueue.reset();
  if (!backToSameQueue) job.firedExceptionRules.clear();
  if (job.queueId) {
    const QueueEntry entry = queueEntry(id, job);
    queueIndex_.add(*job.queueId, entry);
    dirtyQueues_.markEntry(*job.queueId, entry);
  }
  jobQueued(outbox_, id, job, now_);
  armExceptionRules(id, job);
}

void Engine::dequeue(const std::string& id, Record<Job>& record) {
  const Job& job = record.value;
  if (job.status == JobStatus::Queued) hostRules_.forgetAnswers(id);  // scoring answers belong to this queue entry
  if (job.status == JobStatus::Queued && job.queueId) queueIndex_.remove(*job.queueId, queueEntry(id, job));
}

Record<Job>& Engine::requireJob(const std::string& id) {
  Record<Job>* record = jobs_.find(id);
  if (!record) throwNotFound();
  return *record;
}

void Engine::requireTransition(const Job& job, JobCommand command) const {
  if (jobTransition(job.status, command).allowed) return;
  if (command == JobCommand::Delete) {
    throwBadRequest("JobNotInTerminalState",
                     std::string("The job must be closed, cancelled, classificationFailed or scheduleFailed before "
                                 "it can be deleted; it is ") + toString(job.status) + ".");
  }
  throwConflict({std::string("Cannot ") + toString(command) + " a job in status '" + toString(job.status) +
                  "'; allowed only in: " + allowedStatuses(command)});
}

// Selector expiry runs from when the selector was (re)requested; unchanged selectors keep theirs.
static void keepSelectorExpiry(JobSpec& job, const JobSpec* existing, Instant now) {
  for (std::size_t i = 0; i < job.requestedWorkerSelectors.size(); ++i) {
    WorkerSelector& s = job.requestedWorkerSelectors[i];
    const WorkerSelector* before = nullptr;
    if (existing && i < existing->requestedWorkerSelectors.size() &&
        existing->requestedWorkerSelectors[i].sameRequest(s)) {
      before = &existing->requestedWorkerSelectors[i];
    }
    if (before) {
      s.expired = before->expired;
      s.expiresAt = before->expiresAt;
    } else if (s.expiresAfterSeconds) {
      s.expiresAt = now + secondsToTicks(*s.expiresAfterSeconds);
    }
  }
}

// What an update changed, read before the stored job is replaced.
struct Engine::JobChange {
  bool activation = false;
  bool wasQueued = false;
  bool wasScheduling = false;
  bool modeChanged = false;
  bool reclassify = false;
  bool rematch = false;
};

Reply Engine::upsertJob(const std::string& id, const CommandInput& in) {
  const bool sentMatchingMode = in.mergePatch.is_object() && in.mergePatch.contains("matchingMode");
  return upsertResource(jobs_, id, in, UpsertSteps{
      [](const Job& stored) { return writableJson(stored); },
      [&](const Json& merged, const Job* stored) {
        Issues issues;
        JobSpec spec = readJob(merged, existsFn(), now_, issues);
        issues.raiseIfAny();
        keepSelectorExpiry(spec, stored ? &stored->spec() : nullptr, now_);
        return spec;
      },
      [&](JobSpec spec) { return createJob(id, std::move(spec)); },
      [&](Record<Job>& stored, JobSpec spec) { return updateJob(id, stored, std::move(spec), sentMatchingMode); }});
}

Reply Engine::createJob(const std::string& id, JobSpec spec) {
  Job job{std::move(spec), JobRouterState{}};
  job.status = initialStatus(job);
  Record<Job> record;
  record.value = std::move(job);
  touchJob(record);
  Record<Job>& stored = jobs_.insert(id, std::move(record));
  followUps_.stepJob(id);
  addSelectorTimers(id, stored.value);
  jobReceived(outbox_, id, stored.value, now_);
  return jobReply(Outcome::Created, id, stored);
}

Reply Engine::updateJob(const std::string& id, Record<Job>& existing, JobSpec spec, bool sentMatchingMode) {
  const Job& old = existing.value;
  JobChange change;
  // PATCHing matchingMode queueAndMatch activates a waiting job even when the mode itself is unchanged
  // (e.g. after an unassign with suspendMatching); any matchingMode sent to a scheduleFailed job restarts it.
  change.activation = sentMatchingMode &&
                      ((isWaiting(old.status) && spec.matchingMode.kind == MatchingModeKind::QueueAndMatch) ||
                       old.status == JobStatus::ScheduleFailed);
  if (spec == old.spec() && !change.activation) {
    return jobReply(Outcome::Done, id, existing);
  }

  change.wasQueued = old.status == JobStatus::Queued;
  change.wasScheduling = isScheduling(old.status);
  change.modeChanged = old.matchingMode != spec.matchingMode;
  // A job with a classification policy is classified again when its labels or its policy change.
  change.reclassify = spec.classificationPolicyId &&
                      (old.labels != spec.labels || old.classificationPolicyId != spec.classificationPolicyId) &&
                      (old.status == JobStatus::Queued || old.status == JobStatus::ClassificationFailed ||
                       old.status == JobStatus::PendingClassification || old.status == JobStatus::Created);
  // Changes that invalidate outstanding offers (the service revokes them and re-queues the job).
  change.rematch = old.labels != spec.labels || old.queueId != spec.queueId || old.channelId != spec.channelId ||
                   old.requestedWorkerSelectors != spec.requestedWorkerSelectors ||
                   old.matchingMode != spec.matchingMode;
  if (change.wasQueued && (change.rematch || change.reclassify)) revokeJobOffers(id);  // reclassified: offers revoked
  if (change.wasQueued && old.queueId) queueIndex_.remove(*old.queueId, queueEntry(id, existing.value));
  existing.value.spec() = std::move(spec);  // the router-owned state stays
  settleUpdatedJob(id, existing, change);
  addSelectorTimers(id, existing.value);
  touchJob(existing);
  return jobReply(Outcome::Done, id, existing);
}

void Engine::settleUpdatedJob(const std::string& id, Record<Job>& record, const JobChange& change) {
  Job& updated = record.value;
  const MatchingModeKind mode = updated.matchingMode.kind;
  if (change.reclassify && mode == MatchingModeKind::QueueAndMatch) {
    // The response already shows pendingClassification (the service answers the same way).
    updated.status = JobStatus::PendingClassification;
    followUps_.stepJob(id);
  } else if (isWaiting(updated.status) && mode == MatchingModeKind::QueueAndMatch) {
    // Activation: the PATCH response already shows the job queued.
    if (updated.classificationPolicyId && !updated.queueId) {
      updated.status = JobStatus::PendingClassification;
      followUps_.stepJob(id);
    } else {
      enqueue(id, record);
    }
  } else if (change.wasScheduling && mode == MatchingModeKind::ScheduleAndSuspend &&
             (change.modeChanged || change.activation)) {
    // A new scheduleAt (or a scheduleFailed job sent its schedule again): scheduled afresh, as on create.
    updated.status = JobStatus::PendingSchedule;
    followUps_.stepJob(id);
  } else if ((change.wasQueued || change.wasScheduling) && mode == MatchingModeKind::Suspend) {
    updated.status = JobStatus::WaitingForActivation;
  } else if (change.wasQueued && mode == MatchingModeKind::ScheduleAndSuspend && change.modeChanged) {
    // Newly scheduled. (A queued job keeps an earlier scheduleAndSuspend mode after its activation: a PATCH of
    // other fields leaves it queued.)
    updated.status = JobStatus::PendingSchedule;
    followUps_.stepJob(id);
  } else if (change.wasQueued && updated.queueId) {
    const QueueEntry entry = queueEntry(id, updated);
    queueIndex_.add(*updated.queueId, entry);
    dirtyQueues_.markEntry(*updated.queueId, entry);
    if (change.rematch) jobQueued(outbox_, id, updated, now_);
  }
}

Reply Engine::getJob(const std::string& id) {
  return jobReply(Outcome::Done, id, requireJob(id));
}

Reply Engine::deleteJob(const std::string& id) {
  Record<Job>& record = requireJob(id);
  requireTransition(record.value, JobCommand::Delete);
  jobDeleted(outbox_, id, record.value, now_);
  followUps_.dropStep(id);
  hostRules_.forgetAnswers(id);
  jobs_.erase(id);
  return noContentReply();
}

Reply Engine::cancelJob(const std::string& id, const CancelJobBody& body) {
  const auto& [note, dispositionCode] = body;
  Record<Job>& record = requireJob(id);
  requireTransition(record.value, JobCommand::Cancel);
  revokeJobOffers(id);
  dequeue(id, record);
  Job& job = record.value;
  job.status = JobStatus::Cancelled;
  job.dispositionCode = dispositionCode.value_or("Cancelled");
  if (note) addNote(job, *note, now_);
  followUps_.dropStep(id);
  touchJob(record);
  jobCancelled(outbox_, id, job, note, now_);
  return emptyObjectReply();
}

Reply Engine::reclassifyJob(const std::string& id) {
  Record<Job>& record = requireJob(id);
  requireTransition(record.value, JobCommand::Reclassify);
  if (!record.value.classificationPolicyId) {
    throwBadRequest("MissingClassificationPolicy",
                     "The job has no classificationPolicyId; set one before reclassifying.",
                     "classificationPolicyId");
  }
  revokeJobOffers(id);
  dequeue(id, record);
  record.value.status = JobStatus::PendingClassification;
  followUps_.stepJob(id);
  touchJob(record);
  return emptyObjectReply();
}

Reply Engine::completeJob(const std::string& id, const std::string& assignmentId, const CompleteJobBody& body) {
  const auto& note = body.note;
  Record<Job>& record = requireJob(id);
  JobAssignment* assignment = record.value.assignment(assignmentId);
  if (!assignment) throwNotFound();
  requireTransition(record.value, JobCommand::Complete);
  assignment->completedAt = now_;
  record.value.status = JobStatus::Completed;
  if (note) addNote(record.value, *note, now_);
  touchJob(record);
  jobCompleted(outbox_, id, record.value, *assignment, now_);
  return emptyObjectReply();
}

Reply Engine::closeJob(const std::string& id, const std::string& assignmentId, const CloseJobBody& body) {
  const auto& [note, dispositionCode, closeAt] = body;
  Record<Job>& record = requireJob(id);
  JobAssignment* assignment = record.value.assignment(assignmentId);
  if (!assignment) throwNotFound();
  requireTransition(record.value, JobCommand::Close);
  if (record.value.pendingClose) throwConflict({"The job is already scheduled to close at " + formatIsoTime(record.value.pendingClose->closeAt)});
  if (note) addNote(record.value, *note, now_);
  if (closeAt && *closeAt > now_) {
    // Deferred: the job stays completed and the worker keeps the capacity until closeAt.
    record.value.pendingClose = PendingClose{assignmentId, dispositionCode, *closeAt};
    timers_.add({*closeAt, TimerKind::CloseAt, id, assignmentId, ""});
    touchJob(record);
    return emptyObjectReply();
  }
  closeAssignment(id, record, assignmentId, dispositionCode);
  return emptyObjectReply();
}

Reply Engine::unassignJob(const std::string& id, const std::string& assignmentId, const UnassignJobBody& body) {
  const bool suspendMatching = body.suspendMatching;
  Record<Job>& record = requireJob(id);
  JobAssignment* assignment = record.value.assignment(assignmentId);
  if (!assignment) throwNotFound();
  requireTransition(record.value, JobCommand::Unassign);
  if (record.value.unassignmentCount >= 3) {
    throwConflict({"A job can be unassigned at most 3 times"});
  }
  const std::string workerId = assignment->workerId;
  Job& job = record.value;
  job.assignments.erase(std::remove_if(job.assignments.begin(), job.assignments.end(),
                                       [&](const JobAssignment& a) { return a.assignmentId == assignmentId; }),
                        job.assignments.end());
  ++job.unassignmentCount;
  jobUnassigned(outbox_, id, job, assignmentId, workerId, now_);
  if (Record<Worker>* worker = workers_.find(workerId)) {
    auto& assigned = worker->value.assignedJobs;
    assigned.erase(std::remove_if(assigned.begin(), assigned.end(),
                                  [&](const WorkerAssignment& a) { return a.assignmentId == assignmentId; }),
                   assigned.end());
    touchWorker(*worker);
    markWorkerQueuesDirty(workerId, worker->value);
  }
  if (suspendMatching) {
    job.status = JobStatus::WaitingForActivation;
  } else {
    enqueue(id, record);
  }
  touchJob(record);
  return writtenReply(Outcome::Done, [&](JsonOut& out) {
    out.beginObject().key("jobId").string(id).key("unassignmentCount").integer(job.unassignmentCount).endObject();
  });
}

Reply Engine::failScheduling(const std::string& id, const std::string& reason) {
  Record<Job>& record = requireJob(id);
  Job& job = record.value;
  if (!jobTransition(job.status, JobCommand::FailScheduling).allowed) {
    throwConflict({std::string("Cannot fail the scheduling of a job in status '") + toString(job.status) +
                    "'; allowed only in: " + allowedStatuses(JobCommand::FailScheduling)});
  }
  if (job.status == JobStatus::Scheduled && job.matchingMode.scheduleAt) {
    timers_.remove({*job.matchingMode.scheduleAt, TimerKind::ScheduleAt, id, "", ""});
  }
  followUps_.dropStep(id);
  job.status = *jobTransition(job.status, JobCommand::FailScheduling).next;
  touchJob(record);
  jobSchedulingFailed(outbox_, id, job, reason.empty() ? "The job could not be scheduled." : reason, now_);
  return jobReply(Outcome::Done, id, record);
}

Reply Engine::jobPosition(const std::string& id) {
  Record<Job>& record = requireJob(id);
  const Job& job = record.value;
  if (job.status != JobStatus::Queued || !job.queueId) {
    throwBadRequest("JobNotQueued",
                     std::string("The job is not in a queue; its status is ") + toString(job.status) + ".");
  }
  const std::size_t position = queueIndex_.position(*job.queueId, queueEntry(id, job));
  return writtenReply(Outcome::Done, [&](JsonOut& out) {
    out.beginObject().key("jobId").string(id).key("position").unsignedInteger(position);
    out.key("queueId").string(*job.queueId).key("queueLength").unsignedInteger(queueIndex_.length(*job.queueId));
    out.key("estimatedWaitTimeMinutes").integer(estimatedWaitMinutes(*job.queueId, position)).endObject();
  });
}

}  // namespace jr
