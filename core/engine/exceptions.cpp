// Exception policies: triggers (waitTime on the clock, queueLength when a job enters its queue) and actions
// (cancel, manualReclassify, reclassify). Each rule fires at most once per queue entry of a job.
#include <algorithm>

#include "core/engine/classification.hpp"
#include "core/engine/engine.hpp"
#include "core/events/router_events.hpp"
#include "core/model/labels.hpp"
#include "core/model/selectors.hpp"

namespace jr {
namespace {

const Json* exceptionRules(const Table<Json>& policies, const std::string& policyId) {
  const Record<Json>* policy = policies.find(policyId);
  if (!policy) return nullptr;
  const auto it = policy->value.find("exceptionRules");
  return it == policy->value.end() || !it->is_array() ? nullptr : &*it;
}

}  // namespace

void Engine::armExceptionRules(const std::string& jobId, const Job& job) {
  if (!job.queueId) return;
  const Record<Queue>* queue = queues_.find(*job.queueId);
  if (!queue || !queue->value.exceptionPolicyId) return;
  const Json* rules = exceptionRules(exceptionPolicies_, *queue->value.exceptionPolicyId);
  if (!rules) return;
  bool lengthRule = false;
  for (const auto& rule : *rules) {
    const Json& trigger = rule["trigger"];
    if (trigger.value("kind", "") == "waitTime") {
      const Instant due = *job.enqueuedAt + secondsToTicks(trigger.value("thresholdSeconds", 0.0));
      timers_.add({due, TimerKind::ExceptionWaitTime, jobId, rule.value("id", ""), std::to_string(job.enqueueSequence)});
    } else if (trigger.value("kind", "") == "queueLength") {
      lengthRule = true;
    }
  }
  if (lengthRule) followUps_.checkQueueLength(jobId);
}

void Engine::checkQueueLengthRules(const std::string& jobId) {
  const Record<Job>* job = jobs_.find(jobId);
  if (!job || job->value.status != JobStatus::Queued || !job->value.queueId) return;
  const std::string queueId = *job->value.queueId;
  const Record<Queue>* queue = queues_.find(queueId);
  if (!queue || !queue->value.exceptionPolicyId) return;
  const std::string policyId = *queue->value.exceptionPolicyId;
  const Json* rules = exceptionRules(exceptionPolicies_, policyId);
  if (!rules) return;
  const Json rulesCopy = *rules;  // actions may change the policy table's neighbours, not the policy itself
  for (const auto& rule : rulesCopy) {
    const Json& trigger = rule["trigger"];
    if (trigger.value("kind", "") != "queueLength") continue;
    const Record<Job>* current = jobs_.find(jobId);
    if (!current || current->value.status != JobStatus::Queued || current->value.queueId != queueId) return;
    // The queue is longer than the threshold with this job in it.
    const auto length = static_cast<std::int64_t>(queueIndex_.length(queueId));
    if (length > trigger.value("threshold", std::int64_t{0})) triggerExceptionRule(jobId, policyId, rule);
  }
}

void Engine::triggerExceptionRule(const std::string& jobId, const std::string& policyId, const Json& rule) {
  Record<Job>* record = jobs_.find(jobId);
  if (!record) return;
  const std::string ruleId = rule.value("id", "");
  if (!record->value.firedExceptionRules.insert(ruleId).second) return;
  jobExceptionTriggered(outbox_, jobId, record->value, ruleId, policyId, now_);
  for (const auto& action : rule["actions"]) {
    record = jobs_.find(jobId);
    if (!record || record->value.status != JobStatus::Queued) break;  // an earlier action ended the queue entry
    Job& job = record->value;
    const std::string kind = action.value("kind", "");
    if (kind == "manualReclassify" || kind == "reclassify") job.exceptionSourceQueue = job.queueId;
    revokeJobOffers(jobId);
    dequeue(jobId, *record);
    if (kind == "cancel") {
      job.status = JobStatus::Cancelled;
      job.dispositionCode = action.value("dispositionCode", std::string("Cancelled"));
      std::optional<std::string> note;
      if (action.contains("note")) {
        note = action["note"].get<std::string>();
        addNote(job, *note, now_);
      }
      touchJob(*record);
      jobCancelled(outbox_, jobId, job, note, now_);
    } else if (kind == "manualReclassify") {
      // A queue deleted since the exception policy was written is not adopted: the job fails classification and
      // keeps referring to its own queue.
      bool missingQueue = false;
      if (action.contains("queueId")) {
        const std::string queueId = action["queueId"].get<std::string>();
        if (queues_.contains(queueId)) job.queueId = queueId;
        else missingQueue = true;
      }
      if (action.contains("priority")) job.priority = action["priority"].get<std::int64_t>();
      if (action.contains("workerSelectors")) {
        Issues ignored;
        job.requestedWorkerSelectors = readWorkerSelectors(&action["workerSelectors"], "", ignored);
        for (auto& s : job.requestedWorkerSelectors) {
          if (s.expiresAfterSeconds) s.expiresAt = now_ + secondsToTicks(*s.expiresAfterSeconds);
        }
        addSelectorTimers(jobId, job);
      }
      if (!missingQueue && job.queueId && queues_.contains(*job.queueId)) {
        enqueue(jobId, *record);
      } else {
        job.status = JobStatus::ClassificationFailed;
      }
      touchJob(*record);
    } else if (kind == "reclassify") {
      if (action.contains("labelsToUpsert")) {
        for (auto it = action["labelsToUpsert"].begin(); it != action["labelsToUpsert"].end(); ++it) {
          job.labels[it.key()] = *it;
        }
      }
      if (action.contains("classificationPolicyId")) {
        const std::string policyId = action["classificationPolicyId"].get<std::string>();
        if (!classificationPolicies_.contains(policyId)) {
          // Deleted since the exception policy was written: classification fails, the job keeps its own policy.
          job.status = JobStatus::ClassificationFailed;
          touchJob(*record);
          jobClassificationFailed(outbox_, jobId, job, kClassificationFailedCode,
                                  "Classification policy '" + policyId + "' does not exist.", now_);
          continue;
        }
        job.classificationPolicyId = policyId;
      }
      job.status = JobStatus::PendingClassification;
      followUps_.stepJob(jobId);
      touchJob(*record);
    }
  }
}

}  // namespace jr
