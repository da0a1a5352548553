// Runs classification for a job in pendingClassification and applies the result: queue, priority, attached
// worker selectors, then enqueue — or classificationFailed.
#include "core/engine/classification.hpp"
#include "core/engine/engine.hpp"
#include "core/events/router_events.hpp"

namespace jr {

void Engine::classifyJob(const std::string& jobId, Record<Job>& record) {
  Job& job = record.value;
  const Record<Json>* policy = job.classificationPolicyId ? classificationPolicies_.find(*job.classificationPolicyId)
                                                          : nullptr;
  auto fail = [&](const std::string& code, const std::string& message) {
    job.status = JobStatus::ClassificationFailed;
    touchJob(record);
    jobClassificationFailed(outbox_, jobId, job, code, message, now_);
  };
  if (!policy) {
    fail(kClassificationFailedCode, "Classification policy '" + job.classificationPolicyId.value_or("") +
                                        "' does not exist.");
    return;
  }
  std::vector<QueueView> queues;
  queues.reserve(queues_.size());
  for (const auto& [seq, row] : queues_.rows()) queues.push_back({row.id, &row.record.value.labels});
  // Function and webhook rules are answered by the host: the first time a rule is needed a request is raised and
  // the job waits in pendingClassification; the answer re-runs classification.
  const ExternalRuleResolver external = [&](const Json& rule, const Json& payload) {
    return hostRules_.answer(jobId, rule, payload);
  };
  ClassificationResult result = classify(job, policy->value, queues, prng_, now_, external);
  if (result.outcome == ClassificationResult::Outcome::Pending) {
    return;  // stays pendingClassification until the host answers
  }
  hostRules_.forgetAnswers(jobId);
  if (result.outcome != ClassificationResult::Outcome::Classified) {
    fail(result.errorCode.empty() ? kClassificationFailedCode : result.errorCode, result.errorMessage);
    return;
  }
  job.queueId = result.queueId;
  if (result.priority) job.priority = *result.priority;
  job.attachedWorkerSelectors = std::move(result.attachedWorkerSelectors);
  const Record<Queue>* queue = job.queueId ? queues_.find(*job.queueId) : nullptr;
  jobClassified(outbox_, jobId, job, queue ? &queue->value : nullptr, now_);
  addSelectorTimers(jobId, job);
  if (job.matchingMode.kind == MatchingModeKind::QueueAndMatch) {
    enqueue(jobId, record);
  } else {
    job.status = JobStatus::WaitingForActivation;
  }
  touchJob(record);
}

Json Engine::drainRuleRequests() { return hostRules_.drain(); }

bool Engine::answerRuleRequest(const std::string& requestId, const Json& result, const std::string& error) {
  const std::optional<std::string> jobId = hostRules_.answerRequest(requestId, result, error);
  if (!jobId) return false;
  Record<Job>* job = jobs_.find(*jobId);
  if (job && job->value.status == JobStatus::PendingClassification) followUps_.stepJob(*jobId);
  if (job && job->value.status == JobStatus::Queued && job->value.queueId) dirtyQueues_.markQueue(*job->value.queueId);
  settle();
  outbox_.commit();
  return true;
}

}  // namespace jr
