#include "core/engine/engine.hpp"

#include <algorithm>

#include "core/model/policies.hpp"
#include "core/store/etag.hpp"

namespace jr {

Reply jobReply(Outcome outcome, const std::string& id, const Record<Job>& record) {
  return writtenReply(outcome, [&](JsonOut& out) { writeJob(out, id, record.value, record.etag); }, record.etag,
                      record.lastModified);
}

Reply workerReply(Outcome outcome, const std::string& id, const Record<Worker>& record) {
  return writtenReply(outcome, [&](JsonOut& out) { writeWorker(out, id, record.value, record.etag); }, record.etag,
                      record.lastModified);
}

Reply queueReply(Outcome outcome, const std::string& id, const Record<Queue>& record) {
  return writtenReply(outcome, [&](JsonOut& out) { writeQueue(out, id, record.value, record.etag); }, record.etag,
                      record.lastModified);
}

Reply policyReply(Outcome outcome, const std::string& id, const Record<Json>& record) {
  return writtenReply(outcome, [&](JsonOut& out) { writePolicy(out, id, record.value, record.etag); }, record.etag,
                      record.lastModified);
}

Engine::Engine(const RouterOptions& options)
    : options_(options),
      now_(parseIsoTime(options.startTime).value_or(parseIsoTime("2024-01-01T00:00:00Z").value())),
      prng_(options.seed),
      outbox_(options.seed, options.eventLabelText) {}

bool Engine::exists(ResourceKind kind, const std::string& id) const {
  switch (kind) {
    case ResourceKind::DistributionPolicy: return distributionPolicies_.contains(id);
    case ResourceKind::ClassificationPolicy: return classificationPolicies_.contains(id);
    case ResourceKind::ExceptionPolicy: return exceptionPolicies_.contains(id);
    case ResourceKind::Queue: return queues_.contains(id);
    case ResourceKind::Worker: return workers_.contains(id);
    case ResourceKind::Job: return jobs_.contains(id);
  }
  return false;
}

std::size_t Engine::count(ResourceKind kind) const {
  switch (kind) {
    case ResourceKind::DistributionPolicy: return distributionPolicies_.size();
    case ResourceKind::ClassificationPolicy: return classificationPolicies_.size();
    case ResourceKind::ExceptionPolicy: return exceptionPolicies_.size();
    case ResourceKind::Queue: return queues_.size();
    case ResourceKind::Worker: return workers_.size();
    case ResourceKind::Job: return jobs_.size();
  }
  return 0;
}

std::uint64_t* Engine::accountedBytes(ResourceKind kind, const std::string& id) {
  auto slot = [&id](auto& table) -> std::uint64_t* {
    auto* record = table.find(id);
    return record ? &record->accountedBytes : nullptr;
  };
  switch (kind) {
    case ResourceKind::DistributionPolicy: return slot(distributionPolicies_);
    case ResourceKind::ClassificationPolicy: return slot(classificationPolicies_);
    case ResourceKind::ExceptionPolicy: return slot(exceptionPolicies_);
    case ResourceKind::Queue: return slot(queues_);
    case ResourceKind::Worker: return slot(workers_);
    case ResourceKind::Job: return slot(jobs_);
  }
  return nullptr;
}

ExistsFn Engine::existsFn() const {
  return [this](ResourceKind kind, const std::string& id) { return exists(kind, id); };
}

void Engine::checkPreconditions(const Preconditions& pre, const std::string* etag, const Instant* lastModified) {
  if (pre.ifMatch) {
    if (!etag) throwPreconditionFailed();
    const auto& tags = *pre.ifMatch;
    const auto matches = [etag](const std::string& tag) { return tag == "*" || tag == *etag; };
    if (std::none_of(tags.begin(), tags.end(), matches)) throwPreconditionFailed();
  }
  if (pre.ifUnmodifiedSince && lastModified) {
    // Compared at second precision, as HTTP dates are.
    if (*lastModified / kTicksPerSecond > *pre.ifUnmodifiedSince / kTicksPerSecond) throwPreconditionFailed();
  }
}

template <class T>
void Engine::stampVersioned(Record<T>& record) {
  if (record.seq != 0 || !record.etag.empty()) ++record.version;
  record.lastModified = now_;
  record.etag = versionedEtag(record.version, now_);
}

template <class T>
void Engine::stampTimestamped(Record<T>& record) {
  ++record.version;
  record.lastModified = now_;
  record.etag = timestampEtag(++writeCounter_, now_);
}

template void Engine::stampVersioned(Record<Job>&);
template void Engine::stampVersioned(Record<Worker>&);
template void Engine::stampTimestamped(Record<Json>&);
template void Engine::stampTimestamped(Record<Queue>&);

void Engine::advanceTo(Instant t) {
  // Every due timer fires at its own instant, in order, with the work it causes done before the next one.
  for (;;) {
    const std::optional<Instant> due = timers_.nextDue();
    if (!due || *due > t) break;
    if (*due <= now_) {
      // Work left at this instant by a capped settle: do not spin on it; move on to `t`.
      if (!settle()) break;
    } else {
      now_ = *due;
      settle();
    }
    outbox_.commit();
  }
  if (t > now_) now_ = t;
  settle();
  outbox_.commit();
}

bool Engine::hasPendingWork() const {
  return timers_.anyDueBy(now_) || !followUps_.empty() || !dirtyQueues_.empty();
}

std::optional<Instant> Engine::nextTimerDue() const { return timers_.nextDue(); }

bool Engine::settle() {
  // Follow-ups first (they may enqueue jobs), then matching of the queues that changed; each step may make more
  // work due, so loop until nothing is left. The cap stops configurations that would loop at one instant (e.g.
  // two queues whose 0-second exception rules move jobs to each other); leftover work resumes at the next settle.
  std::size_t budget = kMaxSettleSteps;
  for (;;) {
    if (!fireDueTimers(budget) || budget == 0) return false;  // capped: work remains
    --budget;
    if (const std::optional<std::string> jobId = followUps_.takeLengthCheck()) {
      checkQueueLengthRules(*jobId);
      continue;
    }
    const std::optional<std::string> stepped = followUps_.takeStep();
    if (!stepped) {
      const std::optional<std::string> queueId = dirtyQueues_.takeQueue();
      if (!queueId) return true;
      matchQueue(*queueId);
      continue;
    }
    const std::string& id = *stepped;
    Record<Job>* record = jobs_.find(id);
    if (!record) continue;
    Job& job = record->value;
    switch (job.status) {
      case JobStatus::Created:
        if (job.queueId && queues_.contains(*job.queueId)) {
          enqueue(id, *record);
          touchJob(*record);
        }
        break;
      case JobStatus::PendingClassification:
        classifyJob(id, *record);
        break;
      case JobStatus::PendingSchedule:
        job.status = JobStatus::Scheduled;
        touchJob(*record);
        if (job.matchingMode.scheduleAt) timers_.add({*job.matchingMode.scheduleAt, TimerKind::ScheduleAt, id, "", ""});
        break;
      default:
        break;
    }
  }
}

Reply Engine::execute(const CommandInput& in) {
  using O = Command;
  const auto& p = in.params;
  switch (in.command) {
    case O::GetClassificationPolicy: return getPolicy(ResourceKind::ClassificationPolicy, p[0]);
    case O::GetDistributionPolicy: return getPolicy(ResourceKind::DistributionPolicy, p[0]);
    case O::GetExceptionPolicy: return getPolicy(ResourceKind::ExceptionPolicy, p[0]);
    case O::UpsertClassificationPolicy: return upsertPolicy(ResourceKind::ClassificationPolicy, p[0], in);
    case O::UpsertDistributionPolicy: return upsertPolicy(ResourceKind::DistributionPolicy, p[0], in);
    case O::UpsertExceptionPolicy: return upsertPolicy(ResourceKind::ExceptionPolicy, p[0], in);
    case O::DeleteClassificationPolicy: return deletePolicy(ResourceKind::ClassificationPolicy, p[0]);
    case O::DeleteDistributionPolicy: return deletePolicy(ResourceKind::DistributionPolicy, p[0]);
    case O::DeleteExceptionPolicy: return deletePolicy(ResourceKind::ExceptionPolicy, p[0]);
    case O::GetQueue: return getQueue(p[0]);
    case O::UpsertQueue: return upsertQueue(p[0], in);
    case O::DeleteQueue: return deleteQueue(p[0]);
    case O::GetQueueStatistics: return queueStatistics(p[0]);
    case O::GetWorker: return getWorker(p[0]);
    case O::UpsertWorker: return upsertWorker(p[0], in);
    case O::DeleteWorker: return deleteWorker(p[0]);
    case O::AcceptJobOffer: return acceptOffer(p[0], p[1]);
    case O::DeclineJobOffer: return declineOffer(p[0], p[1], actionBody<DeclineJobOfferBody>(in));
    case O::GetJob: return getJob(p[0]);
    case O::UpsertJob: return upsertJob(p[0], in);
    case O::DeleteJob: return deleteJob(p[0]);
    case O::ReclassifyJob: return reclassifyJob(p[0]);
    case O::CancelJob: return cancelJob(p[0], actionBody<CancelJobBody>(in));
    case O::CompleteJob: return completeJob(p[0], p[1], actionBody<CompleteJobBody>(in));
    case O::CloseJob: return closeJob(p[0], p[1], actionBody<CloseJobBody>(in));
    case O::UnassignJob: return unassignJob(p[0], p[1], actionBody<UnassignJobBody>(in));
    case O::GetInQueuePosition: return jobPosition(p[0]);
  }
  throwNotFound();
}

}  // namespace jr
