// Event Grid payloads of the router events (Microsoft.Communication.Router*), built from the resources.
// Field names follow the Event Grid schema for Azure Communication Services, which keeps the pre-GA worker
// vocabulary (totalCapacity, queueAssignments, channelConfigurations) and PascalCase enum spellings.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/events/outbox.hpp"
#include "core/model/job.hpp"
#include "core/model/queue.hpp"
#include "core/model/worker.hpp"

namespace jr {

void jobReceived(Outbox& out, const std::string& jobId, const Job& job, Instant at);
void jobQueued(Outbox& out, const std::string& jobId, const Job& job, Instant at);
void jobCancelled(Outbox& out, const std::string& jobId, const Job& job, const std::optional<std::string>& note,
                  Instant at);
void jobCompleted(Outbox& out, const std::string& jobId, const Job& job, const JobAssignment& a, Instant at);
void jobClosed(Outbox& out, const std::string& jobId, const Job& job, const JobAssignment& a, Instant at);
void jobUnassigned(Outbox& out, const std::string& jobId, const Job& job, const std::string& assignmentId,
                   const std::string& workerId, Instant at);
void jobDeleted(Outbox& out, const std::string& jobId, const Job& job, Instant at);
void jobWaitingForActivation(Outbox& out, const std::string& jobId, const Job& job, Instant at);
void jobSchedulingFailed(Outbox& out, const std::string& jobId, const Job& job, const std::string& failureReason,
                         Instant at);

// `queueOf` resolves a queue id for queueAssignments (null when it no longer exists).
using QueueLookup = const Queue* (*)(const void* context, const std::string& queueId);
void workerRegistered(Outbox& out, const std::string& workerId, const Worker& w, const QueueLookup lookup,
                      const void* context, Instant at);
void workerDeregistered(Outbox& out, const std::string& workerId, Instant at);
void workerUpdated(Outbox& out, const std::string& workerId, const Worker& w, const std::vector<std::string>& changed,
                   const QueueLookup lookup, const void* context, Instant at);
void workerDeleted(Outbox& out, const std::string& workerId, Instant at);

// PascalCase status as events spell it ("PendingClassification").
std::string eventStatusName(JobStatus status);

}  // namespace jr

namespace jr {

// Offer events: subject worker/{workerId}/job/{jobId}.
void offerIssued(Outbox& out, const std::string& workerId, const Worker& w, const std::string& jobId, const Job& job,
                 const JobOffer& offer, Instant at);
void offerAccepted(Outbox& out, const std::string& workerId, const Worker& w, const std::string& jobId,
                   const Job& job, const std::string& offerId, const std::string& assignmentId, Instant at);
// kind: RouterWorkerOfferDeclined, RouterWorkerOfferRevoked or RouterWorkerOfferExpired.
void offerEnded(Outbox& out, EventType kind, const std::string& workerId, const std::string& jobId, const Job& job,
                const std::string& offerId, Instant at);
void jobWorkerSelectorsExpired(Outbox& out, const std::string& jobId, const Job& job,
                               const std::vector<WorkerSelector>& requested,
                               const std::vector<WorkerSelector>& attached, Instant at);

}  // namespace jr

namespace jr {

void jobClassified(Outbox& out, const std::string& jobId, const Job& job, const Queue* queue, Instant at);
void jobClassificationFailed(Outbox& out, const std::string& jobId, const Job& job, const std::string& code,
                             const std::string& message, Instant at);

}  // namespace jr

namespace jr {

// subject job/{jobId}/channel/{channelId}/exceptionrule/{ruleKey}; exceptionRuleId names the exception policy.
void jobExceptionTriggered(Outbox& out, const std::string& jobId, const Job& job, const std::string& ruleKey,
                           const std::string& exceptionPolicyId, Instant at);

}  // namespace jr
