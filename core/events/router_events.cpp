#include "core/events/router_events.hpp"

#include "core/events/label_text.hpp"

#include <cctype>
#include <string_view>

namespace jr {
namespace {

std::string_view orEmpty(const std::optional<std::string>& value) {
  return value ? std::string_view(*value) : std::string_view();
}

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

void writeSelectors(TapedJsonOut& d, const std::vector<WorkerSelector>& list, bool expiredOnly) {
  d.beginArray();
  for (const auto& s : list) {
    if (expiredOnly && !s.expired) continue;
    d.beginObject().key("key").string(s.key).key("labelOperator").string(eventOperator(s.labelOperator));
    if (s.value) d.key("value").json(*s.value);
    if (s.expiresAfterSeconds) d.key("ttlSeconds").number(*s.expiresAfterSeconds);
    d.key("state");
    if (s.expired) d.literal("expired");
    else d.literal("active");
    if (s.expiresAt) d.key("expirationTime").time(*s.expiresAt);
    d.endObject();
  }
  d.endArray();
}

// Fields every job event carries.
void jobBase(TapedJsonOut& d, const Outbox& out, const std::string& jobId, const Job& job) {
  d.key("jobId").string(jobId);
  if (job.channelReference) d.key("channelReference").string(*job.channelReference);
  d.key("channelId").string(job.channelId);
  if (job.queueId) d.key("queueId").string(*job.queueId);
  writeEventLabels(d.key("labels"), job.labels, out.labelText());
  writeEventLabels(d.key("tags"), job.tags, out.labelText());
}

// An event of a job whose subject is job/{jobId}/channel/{channelId}{suffix}{suffixId}.
TapedJsonOut& beginJobEvent(Outbox& out, EventType type, const std::string& jobId, const Job& job, Instant at,
                       std::string_view suffix = {}, std::string_view suffixId = {}) {
  TapedJsonOut& d = out.beginEvent(type, {"job/", jobId, "/channel/", job.channelId, suffix, suffixId}, at);
  jobBase(d, out, jobId, job);
  return d;
}

void workerDetails(TapedJsonOut& d, const Outbox& out, const std::string& workerId, const Worker& w,
                   const QueueLookup lookup, const void* context) {
  d.key("workerId").string(workerId);
  d.key("queueAssignments").beginArray();
  for (const auto& q : w.queues) {
    d.beginObject().key("id").string(q);
    const Queue* queue = lookup(context, q);
    if (queue && queue->name) d.key("name").string(*queue->name);
    // AcsRouterQueueDetails.labels is not optional in the schema: {} for a queue that no longer exists.
    d.key("labels");
    if (queue) writeEventLabels(d, queue->labels, out.labelText());
    else d.beginObject().endObject();
    d.endObject();
  }
  d.endArray();
  writeChannels(d.key("channelConfigurations"), w.channels);
  d.key("totalCapacity").integer(w.capacity);
  writeEventLabels(d.key("labels"), w.labels, out.labelText());
  writeEventLabels(d.key("tags"), w.tags, out.labelText());
}

}  // namespace

std::string eventStatusName(JobStatus status) {
  std::string name = toString(status);
  if (!name.empty()) name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return name;
}

void jobReceived(Outbox& out, const std::string& jobId, const Job& job, Instant at) {
  TapedJsonOut& d = beginJobEvent(out, EventType::RouterJobReceived, jobId, job, at);
  d.key("jobStatus").string(eventStatusName(job.status));
  if (job.classificationPolicyId) d.key("classificationPolicyId").string(*job.classificationPolicyId);
  d.key("priority").integer(job.priority);
  writeSelectors(d.key("requestedWorkerSelectors"), job.requestedWorkerSelectors, false);
  if (job.matchingMode.scheduleAt) d.key("scheduledOn").time(*job.matchingMode.scheduleAt);
  d.key("unavailableForMatching").boolean(job.matchingMode.kind != MatchingModeKind::QueueAndMatch);
  out.endEvent();
}

void jobQueued(Outbox& out, const std::string& jobId, const Job& job, Instant at) {
  TapedJsonOut& d = beginJobEvent(out, EventType::RouterJobQueued, jobId, job, at, "/queue/", orEmpty(job.queueId));
  d.key("priority").integer(job.priority);
  writeSelectors(d.key("requestedWorkerSelectors"), job.requestedWorkerSelectors, false);
  writeSelectors(d.key("attachedWorkerSelectors"), job.attachedWorkerSelectors, false);
  out.endEvent();
}

void jobCancelled(Outbox& out, const std::string& jobId, const Job& job, const std::optional<std::string>& note,
                  Instant at) {
  const std::string_view code = orEmpty(job.dispositionCode);
  TapedJsonOut& d = beginJobEvent(out, EventType::RouterJobCancelled, jobId, job, at, "/disposition/", code);
  if (note) d.key("note").string(*note);
  d.key("dispositionCode").string(code);
  out.endEvent();
}

void jobCompleted(Outbox& out, const std::string& jobId, const Job& job, const JobAssignment& a, Instant at) {
  TapedJsonOut& d = beginJobEvent(out, EventType::RouterJobCompleted, jobId, job, at, "/assignment/", a.assignmentId);
  d.key("assignmentId").string(a.assignmentId).key("workerId").string(a.workerId);
  out.endEvent();
}

void jobClosed(Outbox& out, const std::string& jobId, const Job& job, const JobAssignment& a, Instant at) {
  TapedJsonOut& d = beginJobEvent(out, EventType::RouterJobClosed, jobId, job, at, "/assignment/", a.assignmentId);
  d.key("assignmentId").string(a.assignmentId).key("workerId").string(a.workerId);
  if (job.dispositionCode) d.key("dispositionCode").string(*job.dispositionCode);
  out.endEvent();
}

void jobUnassigned(Outbox& out, const std::string& jobId, const Job& job, const std::string& assignmentId,
                   const std::string& workerId, Instant at) {
  TapedJsonOut& d = beginJobEvent(out, EventType::RouterJobUnassigned, jobId, job, at, "/assignment/", assignmentId);
  d.key("assignmentId").string(assignmentId).key("workerId").string(workerId);
  out.endEvent();
}

void jobDeleted(Outbox& out, const std::string& jobId, const Job& job, Instant at) {
  beginJobEvent(out, EventType::RouterJobDeleted, jobId, job, at);
  out.endEvent();
}

void jobWaitingForActivation(Outbox& out, const std::string& jobId, const Job& job, Instant at) {
  TapedJsonOut& d = beginJobEvent(out, EventType::RouterJobWaitingForActivation, jobId, job, at);
  d.key("priority").integer(job.priority);
  writeSelectors(d.key("expiredAttachedWorkerSelectors"), job.attachedWorkerSelectors, true);
  writeSelectors(d.key("expiredRequestedWorkerSelectors"), job.requestedWorkerSelectors, true);
  if (job.matchingMode.scheduleAt) d.key("scheduledOn").time(*job.matchingMode.scheduleAt);
  d.key("unavailableForMatching").boolean(true);
  out.endEvent();
}

void jobSchedulingFailed(Outbox& out, const std::string& jobId, const Job& job, const std::string& failureReason,
                         Instant at) {
  TapedJsonOut& d = beginJobEvent(out, EventType::RouterJobSchedulingFailed, jobId, job, at);
  d.key("priority").integer(job.priority);
  writeSelectors(d.key("expiredAttachedWorkerSelectors"), job.attachedWorkerSelectors, true);
  writeSelectors(d.key("expiredRequestedWorkerSelectors"), job.requestedWorkerSelectors, true);
  if (job.matchingMode.scheduleAt) d.key("scheduledOn").time(*job.matchingMode.scheduleAt);
  d.key("failureReason").string(failureReason);
  out.endEvent();
}

void workerRegistered(Outbox& out, const std::string& workerId, const Worker& w, const QueueLookup lookup,
                      const void* context, Instant at) {
  TapedJsonOut& d = out.beginEvent(EventType::RouterWorkerRegistered, {"worker/", workerId}, at);
  workerDetails(d, out, workerId, w, lookup, context);
  out.endEvent();
}

void workerDeregistered(Outbox& out, const std::string& workerId, Instant at) {
  out.beginEvent(EventType::RouterWorkerDeregistered, {"worker/", workerId}, at).key("workerId").string(workerId);
  out.endEvent();
}

void workerUpdated(Outbox& out, const std::string& workerId, const Worker& w, const std::vector<std::string>& changed,
                   const QueueLookup lookup, const void* context, Instant at) {
  TapedJsonOut& d = out.beginEvent(EventType::RouterWorkerUpdated, {"worker/", workerId}, at);
  workerDetails(d, out, workerId, w, lookup, context);
  d.key("updatedWorkerProperties").beginArray();
  for (const auto& property : changed) d.string(property);
  d.endArray();
  out.endEvent();
}

void workerDeleted(Outbox& out, const std::string& workerId, Instant at) {
  out.beginEvent(EventType::RouterWorkerDeleted, {"worker/", workerId}, at).key("workerId").string(workerId);
  out.endEvent();
}

}  // namespace jr

namespace jr {
namespace {

TapedJsonOut& beginOfferEvent(Outbox& out, EventType type, const std::string& workerId, const std::string& jobId,
                         const Job& job, const std::string& offerId, Instant at) {
  TapedJsonOut& d = out.beginEvent(type, {"worker/", workerId, "/job/", jobId}, at);
  d.key("workerId").string(workerId).key("jobId").string(jobId);
  if (job.channelReference) d.key("channelReference").string(*job.channelReference);
  d.key("channelId").string(job.channelId);
  if (job.queueId) d.key("queueId").string(*job.queueId);
  d.key("offerId").string(offerId);
  return d;
}

}  // namespace

void offerIssued(Outbox& out, const std::string& workerId, const Worker& w, const std::string& jobId, const Job& job,
                 const JobOffer& offer, Instant at) {
  TapedJsonOut& d = beginOfferEvent(out, EventType::RouterWorkerOfferIssued, workerId, jobId, job, offer.offerId, at);
  d.key("jobPriority").integer(job.priority);
  writeEventLabels(d.key("workerLabels"), w.labels, out.labelText());
  writeEventLabels(d.key("workerTags"), w.tags, out.labelText());
  d.key("offeredOn").time(offer.offeredAt);
  if (offer.expiresAt) d.key("expiresOn").time(*offer.expiresAt);
  writeEventLabels(d.key("jobLabels"), job.labels, out.labelText());
  writeEventLabels(d.key("jobTags"), job.tags, out.labelText());
  out.endEvent();
}

void offerAccepted(Outbox& out, const std::string& workerId, const Worker& w, const std::string& jobId,
                   const Job& job, const std::string& offerId, const std::string& assignmentId, Instant at) {
  TapedJsonOut& d = beginOfferEvent(out, EventType::RouterWorkerOfferAccepted, workerId, jobId, job, offerId, at);
  d.key("assignmentId").string(assignmentId);
  d.key("jobPriority").integer(job.priority);
  writeEventLabels(d.key("workerLabels"), w.labels, out.labelText());
  writeEventLabels(d.key("workerTags"), w.tags, out.labelText());
  writeEventLabels(d.key("jobLabels"), job.labels, out.labelText());
  writeEventLabels(d.key("jobTags"), job.tags, out.labelText());
  out.endEvent();
}

void offerEnded(Outbox& out, EventType kind, const std::string& workerId, const std::string& jobId, const Job& job,
                const std::string& offerId, Instant at) {
  beginOfferEvent(out, kind, workerId, jobId, job, offerId, at);
  out.endEvent();
}

void jobWorkerSelectorsExpired(Outbox& out, const std::string& jobId, const Job& job,
                               const std::vector<WorkerSelector>& requested,
                               const std::vector<WorkerSelector>& attached, Instant at) {
  TapedJsonOut& d =
      beginJobEvent(out, EventType::RouterJobWorkerSelectorsExpired, jobId, job, at, "/queue/", orEmpty(job.queueId));
  writeSelectors(d.key("expiredRequestedWorkerSelectors"), requested, false);
  writeSelectors(d.key("expiredAttachedWorkerSelectors"), attached, false);
  out.endEvent();
}

}  // namespace jr

namespace jr {

void jobClassified(Outbox& out, const std::string& jobId, const Job& job, const Queue* queue, Instant at) {
  TapedJsonOut& d = beginJobEvent(out, EventType::RouterJobClassified, jobId, job, at, "/queue/", orEmpty(job.queueId));
  d.key("queueDetails").beginObject().key("id").string(orEmpty(job.queueId));
  if (queue && queue->name) d.key("name").string(*queue->name);
  d.key("labels");
  if (queue) writeEventLabels(d, queue->labels, out.labelText());
  else d.beginObject().endObject();
  d.endObject();
  if (job.classificationPolicyId) d.key("classificationPolicyId").string(*job.classificationPolicyId);
  d.key("priority").integer(job.priority);
  writeSelectors(d.key("attachedWorkerSelectors"), job.attachedWorkerSelectors, false);
  out.endEvent();
}

void jobClassificationFailed(Outbox& out, const std::string& jobId, const Job& job, const std::string& code,
                             const std::string& message, Instant at) {
  const std::string_view cp = orEmpty(job.classificationPolicyId);
  TapedJsonOut& d = beginJobEvent(out, EventType::RouterJobClassificationFailed, jobId, job, at, "/classificationpolicy/", cp);
  d.key("classificationPolicyId").string(cp);
  d.key("errors").beginArray().beginObject().key("code").string(code).key("message").string(message);
  d.endObject().endArray();
  out.endEvent();
}

}  // namespace jr

namespace jr {

void jobExceptionTriggered(Outbox& out, const std::string& jobId, const Job& job, const std::string& ruleKey,
                           const std::string& exceptionPolicyId, Instant at) {
  TapedJsonOut& d = beginJobEvent(out, EventType::RouterJobExceptionTriggered, jobId, job, at, "/exceptionrule/", ruleKey);
  d.key("ruleKey").string(ruleKey).key("exceptionRuleId").string(exceptionPolicyId);
  out.endEvent();
}

}  // namespace jr
