#include "core/events/router_events.hpp"

#include "core/events/label_text.hpp"

#include <cctype>
#include <utility>

namespace jr {
namespace {

const char* eventOperator(LabelOperator op) {
  switch (op) {
    case LabelOperator::Equal: return "Equal";
    case LabelOperator::NotEqual: return "NotEqual";
    case LabelOperator::LessThan: return "Less";
    case LabelOperator::LessThanOrEqual: return "LessThanOrEqual";
    case LabelOperator::GreaterThan: return "Greater";
    case LabelOperator::GreaterThanOrEqual: return "GreaterThanOrEqual";
  }
  return "Equal";
}

Json selectorsJson(const std::vector<WorkerSelector>& list, bool expiredOnly) {
  Json out = Json::array();
  for (const auto& s : list) {
    if (expiredOnly && !s.expired) continue;
    Json item = Json::object();
    item["key"] = s.key;
    item["labelOperator"] = eventOperator(s.labelOperator);
    if (s.value) item["value"] = *s.value;
    if (s.expiresAfterSeconds) item["ttlSeconds"] = numberJson(*s.expiresAfterSeconds);
    item["state"] = s.expired ? "expired" : "active";
    if (s.expiresAt) item["expirationTime"] = formatIsoTime(*s.expiresAt);
    out.push_back(std::move(item));
  }
  return out;
}

// Fields every job event carries.
Json jobBase(const Outbox& out, const std::string& jobId, const Job& job) {
  Json d = Json::object();
  d["jobId"] = jobId;
  if (job.channelReference) d["channelReference"] = *job.channelReference;
  d["channelId"] = job.channelId;
  if (job.queueId) d["queueId"] = *job.queueId;
  d["labels"] = eventLabels(job.labels, out.labelText());
  d["tags"] = eventLabels(job.tags, out.labelText());
  return d;
}

std::string jobSubject(const std::string& jobId, const Job& job) { return "job/" + jobId + "/channel/" + job.channelId; }

Json workerDetails(const Outbox& out, const std::string& workerId, const Worker& w, const QueueLookup lookup,
                   const void* context) {
  Json d = Json::object();
  d["workerId"] = workerId;
  Json queues = Json::array();
  for (const auto& q : w.queues) {
    Json item = {{"id", q}};
    const Queue* queue = lookup(context, q);
    if (queue && queue->name) item["name"] = *queue->name;
    // AcsRouterQueueDetails.labels is not optional in the schema: {} for a queue that no longer exists.
    item["labels"] = queue ? eventLabels(queue->labels, out.labelText()) : Json::object();
    queues.push_back(std::move(item));
  }
  d["queueAssignments"] = std::move(queues);
  d["channelConfigurations"] = writableJson(w)["channels"];
  d["totalCapacity"] = w.capacity;
  d["labels"] = eventLabels(w.labels, out.labelText());
  d["tags"] = eventLabels(w.tags, out.labelText());
  return d;
}

}  // namespace

std::string eventStatusName(JobStatus status) {
  std::string name = toString(status);
  if (!name.empty()) name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return name;
}

void jobReceived(Outbox& out, const std::string& jobId, const Job& job, Instant at) {
  Json d = jobBase(out, jobId, job);
  d["jobStatus"] = eventStatusName(job.status);
  if (job.classificationPolicyId) d["classificationPolicyId"] = *job.classificationPolicyId;
  d["priority"] = job.priority;
  d["requestedWorkerSelectors"] = selectorsJson(job.requestedWorkerSelectors, false);
  if (job.matchingMode.scheduleAt) d["scheduledOn"] = formatIsoTime(*job.matchingMode.scheduleAt);
  d["unavailableForMatching"] = job.matchingMode.kind != MatchingModeKind::QueueAndMatch;
  out.collect("RouterJobReceived", jobSubject(jobId, job), std::move(d), at);
}

void jobQueued(Outbox& out, const std::string& jobId, const Job& job, Instant at) {
  Json d = jobBase(out, jobId, job);
  d["priority"] = job.priority;
  d["requestedWorkerSelectors"] = selectorsJson(job.requestedWorkerSelectors, false);
  d["attachedWorkerSelectors"] = selectorsJson(job.attachedWorkerSelectors, false);
  out.collect("RouterJobQueued", jobSubject(jobId, job) + "/queue/" + job.queueId.value_or(""), std::move(d), at);
}

void jobCancelled(Outbox& out, const std::string& jobId, const Job& job, const std::optional<std::string>& note,
                  Instant at) {
  Json d = jobBase(out, jobId, job);
  if (note) d["note"] = *note;
  const std::string code = job.dispositionCode.value_or("");
  d["dispositionCode"] = code;
  out.collect("RouterJobCancelled", jobSubject(jobId, job) + "/disposition/" + code, std::move(d), at);
}

void jobCompleted(Outbox& out, const std::string& jobId, const Job& job, const JobAssignment& a, Instant at) {
  Json d = jobBase(out, jobId, job);
  d["assignmentId"] = a.assignmentId;
  d["workerId"] = a.workerId;
  out.collect("RouterJobCompleted", jobSubject(jobId, job) + "/assignment/" + a.assignmentId, std::move(d), at);
}

void jobClosed(Outbox& out, const std::string& jobId, const Job& job, const JobAssignment& a, Instant at) {
  Json d = jobBase(out, jobId, job);
  d["assignmentId"] = a.assignmentId;
  d["workerId"] = a.workerId;
  if (job.dispositionCode) d["dispositionCode"] = *job.dispositionCode;
  out.collect("RouterJobClosed", jobSubject(jobId, job) + "/assignment/" + a.assignmentId, std::move(d), at);
}

void jobUnassigned(Outbox& out, const std::string& jobId, const Job& job, const std::string& assignmentId,
                   const std::string& workerId, Instant at) {
  Json d = jobBase(out, jobId, job);
  d["assignmentId"] = assignmentId;
  d["workerId"] = workerId;
  out.collect("RouterJobUnassigned", jobSubject(jobId, job) + "/assignment/" + assignmentId, std::move(d), at);
}

void jobDeleted(Outbox& out, const std::string& jobId, const Job& job, Instant at) {
  out.collect("RouterJobDeleted", jobSubject(jobId, job), jobBase(out, jobId, job), at);
}

void jobWaitingForActivation(Outbox& out, const std::string& jobId, const Job& job, Instant at) {
  Json d = jobBase(out, jobId, job);
  d["priority"] = job.priority;
  d["expiredAttachedWorkerSelectors"] = selectorsJson(job.attachedWorkerSelectors, true);
  d["expiredRequestedWorkerSelectors"] = selectorsJson(job.requestedWorkerSelectors, true);
  if (job.matchingMode.scheduleAt) d["scheduledOn"] = formatIsoTime(*job.matchingMode.scheduleAt);
  d["unavailableForMatching"] = true;
  out.collect("RouterJobWaitingForActivation", jobSubject(jobId, job), std::move(d), at);
}

void jobSchedulingFailed(Outbox& out, const std::string& jobId, const Job& job, const std::string& failureReason,
                         Instant at) {
  Json d = jobBase(out, jobId, job);
  d["priority"] = job.priority;
  d["expiredAttachedWorkerSelectors"] = selectorsJson(job.attachedWorkerSelectors, true);
  d["expiredRequestedWorkerSelectors"] = selectorsJson(job.requestedWorkerSelectors, true);
  if (job.matchingMode.scheduleAt) d["scheduledOn"] = formatIsoTime(*job.matchingMode.scheduleAt);
  d["failureReason"] = failureReason;
  out.collect("RouterJobSchedulingFailed", jobSubject(jobId, job), std::move(d), at);
}

void workerRegistered(Outbox& out, const std::string& workerId, const Worker& w, const QueueLookup lookup,
                      const void* context, Instant at) {
  out.collect("RouterWorkerRegistered", "worker/" + workerId, workerDetails(out, workerId, w, lookup, context), at);
}

void workerDeregistered(Outbox& out, const std::string& workerId, Instant at) {
  out.collect("RouterWorkerDeregistered", "worker/" + workerId, Json{{"workerId", workerId}}, at);
}

void workerUpdated(Outbox& out, const std::string& workerId, const Worker& w, const std::vector<std::string>& changed,
                   const QueueLookup lookup, const void* context, Instant at) {
  Json d = workerDetails(out, workerId, w, lookup, context);
  d["updatedWorkerProperties"] = changed;
  out.collect("RouterWorkerUpdated", "worker/" + workerId, std::move(d), at);
}

void workerDeleted(Outbox& out, const std::string& workerId, Instant at) {
  out.collect("RouterWorkerDeleted", "worker/" + workerId, Json{{"workerId", workerId}}, at);
}

}  // namespace jr

namespace jr {
namespace {

Json offerBase(const std::string& workerId, const std::string& jobId, const Job& job, const std::string& offerId) {
  Json d = Json::object();
  d["workerId"] = workerId;
  d["jobId"] = jobId;
  if (job.channelReference) d["channelReference"] = *job.channelReference;
  d["channelId"] = job.channelId;
  if (job.queueId) d["queueId"] = *job.queueId;
  d["offerId"] = offerId;
  return d;
}

}  // namespace

void offerIssued(Outbox& out, const std::string& workerId, const Worker& w, const std::string& jobId, const Job& job,
                 const JobOffer& offer, Instant at) {
  Json d = offerBase(workerId, jobId, job, offer.offerId);
  d["jobPriority"] = job.priority;
  d["workerLabels"] = eventLabels(w.labels, out.labelText());
  d["workerTags"] = eventLabels(w.tags, out.labelText());
  d["offeredOn"] = formatIsoTime(offer.offeredAt);
  if (offer.expiresAt) d["expiresOn"] = formatIsoTime(*offer.expiresAt);
  d["jobLabels"] = eventLabels(job.labels, out.labelText());
  d["jobTags"] = eventLabels(job.tags, out.labelText());
  out.collect("RouterWorkerOfferIssued", "worker/" + workerId + "/job/" + jobId, std::move(d), at);
}

void offerAccepted(Outbox& out, const std::string& workerId, const Worker& w, const std::string& jobId,
                   const Job& job, const std::string& offerId, const std::string& assignmentId, Instant at) {
  Json d = offerBase(workerId, jobId, job, offerId);
  d["assignmentId"] = assignmentId;
  d["jobPriority"] = job.priority;
  d["workerLabels"] = eventLabels(w.labels, out.labelText());
  d["workerTags"] = eventLabels(w.tags, out.labelText());
  d["jobLabels"] = eventLabels(job.labels, out.labelText());
  d["jobTags"] = eventLabels(job.tags, out.labelText());
  out.collect("RouterWorkerOfferAccepted", "worker/" + workerId + "/job/" + jobId, std::move(d), at);
}

void offerEnded(Outbox& out, const char* kind, const std::string& workerId, const std::string& jobId, const Job& job,
                const std::string& offerId, Instant at) {
  out.collect(kind, "worker/" + workerId + "/job/" + jobId, offerBase(workerId, jobId, job, offerId), at);
}

void jobWorkerSelectorsExpired(Outbox& out, const std::string& jobId, const Job& job,
                               const std::vector<WorkerSelector>& requested,
                               const std::vector<WorkerSelector>& attached, Instant at) {
  Json d = jobBase(out, jobId, job);
  d["expiredRequestedWorkerSelectors"] = selectorsJson(requested, false);
  d["expiredAttachedWorkerSelectors"] = selectorsJson(attached, false);
  out.collect("RouterJobWorkerSelectorsExpired",
              "job/" + jobId + "/channel/" + job.channelId + "/queue/" + job.queueId.value_or(""), std::move(d), at);
}

}  // namespace jr

namespace jr {

void jobClassified(Outbox& out, const std::string& jobId, const Job& job, const Queue* queue, Instant at) {
  Json d = jobBase(out, jobId, job);
  Json details = {{"id", job.queueId.value_or("")}};
  if (queue && queue->name) details["name"] = *queue->name;
  details["labels"] = queue ? eventLabels(queue->labels, out.labelText()) : Json::object();
  d["queueDetails"] = details;
  if (job.classificationPolicyId) d["classificationPolicyId"] = *job.classificationPolicyId;
  d["priority"] = job.priority;
  d["attachedWorkerSelectors"] = selectorsJson(job.attachedWorkerSelectors, false);
  out.collect("RouterJobClassified", jobSubject(jobId, job) + "/queue/" + job.queueId.value_or(""), std::move(d), at);
}

void jobClassificationFailed(Outbox& out, const std::string& jobId, const Job& job, const std::string& code,
                             const std::string& message, Instant at) {
  Json d = jobBase(out, jobId, job);
  const std::string cp = job.classificationPolicyId.value_or("");
  d["classificationPolicyId"] = cp;
  d["errors"] = Json::array({Json{{"code", code}, {"message", message}}});
  out.collect("RouterJobClassificationFailed", jobSubject(jobId, job) + "/classificationpolicy/" + cp, std::move(d), at);
}

}  // namespace jr

namespace jr {

void jobExceptionTriggered(Outbox& out, const std::string& jobId, const Job& job, const std::string& ruleKey,
                           const std::string& exceptionPolicyId, Instant at) {
  Json d = jobBase(out, jobId, job);
  d["ruleKey"] = ruleKey;
  d["exceptionRuleId"] = exceptionPolicyId;
  out.collect("RouterJobExceptionTriggered", jobSubject(jobId, job) + "/exceptionrule/" + ruleKey, std::move(d), at);
}

}  // namespace jr
