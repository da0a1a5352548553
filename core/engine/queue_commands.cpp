// Upsert, get, delete and statistics of queues.
#include <cmath>
#include <string_view>

#include "core/engine/engine.hpp"
#include "core/engine/job_lifecycle.hpp"
#include "core/engine/upsert.hpp"

namespace jr {

Reply Engine::upsertQueue(const std::string& id, const CommandInput& in) {
  return upsertResource(queues_, id, in, UpsertSteps{
      [](const Queue& stored) { return writableJson(stored); },
      [&](const Json& merged, const Queue*) {
        Issues issues;
        Queue queue = readQueue(id, merged, existsFn(), issues);
        issues.raiseIfAny();
        return queue;
      },
      [&](Queue queue) {
        dirtyQueues_.markQueue(id);
        return createTimestamped(queues_, id, std::move(queue), queueReply);
      },
      [&](Record<Queue>& stored, Queue queue) {
        dirtyQueues_.markQueue(id);
        return updateTimestamped(stored, id, std::move(queue), queueReply);
      }});
}

Reply Engine::getQueue(const std::string& id) {
  const Record<Queue>* record = queues_.find(id);
  if (!record) throwNotFound();
  return queueReply(Outcome::Done, id, *record);
}

Reply Engine::deleteQueue(const std::string& id) {
  if (!queues_.contains(id)) throwNotFound();
  std::vector<std::string_view> reasons;  // literals
  for (const auto& [seq, row] : jobs_.rows()) {
    const Record<Job>& job = row.record;
    if (job.value.queueId == id && isActiveForReferences(job.value.status)) {
      reasons.push_back("There is active job with this queue");
      break;
    }
  }
  for (const auto& [seq, row] : classificationPolicies_.rows()) {
    const Json& cp = row.record.value;
    const auto it = cp.find("fallbackQueueId");
    if (it != cp.end() && *it == id) {
      reasons.push_back("There is classification policy with this queue as fallback queue");
      break;
    }
  }
  for (const auto& [seq, row] : workers_.rows()) {
    const auto& qs = row.record.value.queues;
    if (std::find(qs.begin(), qs.end(), id) != qs.end()) {
      reasons.push_back("There is an assigned worker to this queue");
      break;
    }
  }
  if (!reasons.empty()) throwConflict(reasons);
  queues_.erase(id);
  return noContentReply();
}

// The estimate (documented in the README): the mean wait-until-assignment of the last 10 jobs assigned from
// this queue (1 minute before any), times the position, shared among the workers available to the queue.
std::int64_t Engine::estimatedWaitMinutes(const std::string& queueId, std::size_t position) const {
  const double meanMinutes = waitStats_.meanMinutes(queueId);
  std::int64_t workers = 0;
  if (const auto* serving = queueWorkers_.serving(queueId)) {
    for (const auto& id : *serving) {
      if (workers_.find(id)->value.state == WorkerState::Active) ++workers;
    }
  }
  const double minutes = meanMinutes * static_cast<double>(position) / static_cast<double>(std::max<std::int64_t>(workers, 1));
  return static_cast<std::int64_t>(std::ceil(minutes - 1e-9));
}

Reply Engine::queueStatistics(const std::string& id) {
  if (!queues_.contains(id)) throwNotFound();
  const auto* entries = queueIndex_.entries(id);
  return writtenReply(Outcome::Done, [&](JsonOut& out) {
    out.beginObject().key("queueId").string(id).key("length").unsignedInteger(entries ? entries->size() : 0);
    if (entries && !entries->empty()) writeQueueEstimates(out, id, *entries);
    out.endObject();
  });
}

// The statistics of a non-empty queue: wait estimates per priority and the longest wait so far.
void Engine::writeQueueEstimates(JsonOut& out, const std::string& id, const std::set<QueueEntry>& entries) const {
  Instant oldest = now_;
  for (const auto& entry : entries) {
    const Record<Job>* job = jobs_.find(entry.jobId);
    if (job && job->value.enqueuedAt && *job->value.enqueuedAt < oldest) oldest = *job->value.enqueuedAt;
  }
  // Per priority: the estimate for the last job of that priority in queue order (highest priority first).
  std::map<std::int64_t, std::size_t, std::greater<>> lastPosition;
  std::size_t position = 0;
  for (const auto& entry : entries) lastPosition[entry.priority] = ++position;
  out.key("estimatedWaitTimeMinutes").beginObject();
  for (const auto& [priority, pos] : lastPosition) {
    out.key(std::to_string(priority)).integer(estimatedWaitMinutes(id, pos));
  }
  out.endObject();
  const double minutes = static_cast<double>(now_ - oldest) / static_cast<double>(kTicksPerMinute);
  out.key("longestJobWaitTimeMinutes").number(std::round(minutes * 1000.0) / 1000.0);
}

}  // namespace jr
