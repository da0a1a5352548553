// Runs classification for a job in pendingClassification and applies the result: queue, priority, attached
// worker selectors, then enqueue — or classificationFailed.
#include "core/engine/classification.hpp"
#include "core/engine/engine.hpp"
#include "core/events/router_events.hpp"

namespace jr {

std::optional<ExternalAnswer> Engine::hostAnswer(const std::string& jobId, const Json& rule, const Json& payload) {
  const std::string key = rule.dump() + "\n" + payload.dump();
  if (auto job = ruleAnswers_.find(jobId); job != ruleAnswers_.end()) {
    if (auto it = job->second.find(key); it != job->second.end()) return it->second;
  }
  for (const auto& [id, request] : ruleRequests_) {
    if (request.jobId == jobId && request.key == key) return std::nullopt;  // already asked
  }
  const std::string requestId = "rule-request-" + std::to_string(++ruleRequestCounter_);
  ruleRequests_[requestId] = RuleRequest{jobId, key, rule, payload};
  unpublishedRuleRequests_.push_back(requestId);
  return std::nullopt;
}

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
  for (const auto& [id, queue] : queues_.byId()) queues.push_back({id, &queue.value.labels});
  // Function and webhook rules are answered by the host: the first time a rule is needed a request is raised and
  // the job waits in pendingClassification; the answer re-runs classification.
  const ExternalRuleResolver external = [&](const Json& rule, const Json& payload) {
    return hostAnswer(jobId, rule, payload);
  };
  ClassificationResult result = classify(job, policy->value, queues, prng_, now_, external);
  if (result.outcome == ClassificationResult::Outcome::Pending) {
    if (ruleAnswers_[jobId].empty()) ruleAnswers_.erase(jobId);
    return;  // stays pendingClassification until the host answers
  }
  ruleAnswers_.erase(jobId);
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

Json Engine::drainRuleRequests() {
  Json out = Json::array();
  for (const auto& id : unpublishedRuleRequests_) {
    const auto it = ruleRequests_.find(id);
    if (it == ruleRequests_.end()) continue;
    const RuleRequest& r = it->second;
    const std::string kind = r.rule.value("kind", "");
    const std::string uri = kind == "webhook" ? r.rule.value("webhookUri", "") : r.rule.value("functionUri", "");
    out.push_back({{"requestId", id}, {"jobId", r.jobId}, {"kind", kind}, {"uri", uri}, {"rule", r.rule},
                   {"payload", r.payload}});
  }
  unpublishedRuleRequests_.clear();
  return out;
}

bool Engine::answerRuleRequest(const std::string& requestId, const Json& result, const std::string& error) {
  const auto it = ruleRequests_.find(requestId);
  if (it == ruleRequests_.end()) return false;
  const RuleRequest request = it->second;
  ruleRequests_.erase(it);
  ExternalAnswer answer;
  answer.failed = !error.empty();
  answer.error = error;
  answer.value = result;
  ruleAnswers_[request.jobId][request.key] = answer;
  Record<Job>* job = jobs_.find(request.jobId);
  if (job && job->value.status == JobStatus::PendingClassification) pendingJobs_.insert(request.jobId);
  if (job && job->value.status == JobStatus::Queued && job->value.queueId) markQueueDirty(*job->value.queueId);
  settle();
  outbox_.commit();
  return true;
}

}  // namespace jr
