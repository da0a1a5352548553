// A job: a unit of work to route, with what the client wrote and what the router owns.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/model/labels.hpp"
#include "core/model/references.hpp"
#include "core/model/selectors.hpp"

namespace jr {

enum class JobStatus {
  PendingClassification,
  Queued,
  Assigned,
  Completed,
  Closed,
  Cancelled,
  ClassificationFailed,
  Created,
  PendingSchedule,
  Scheduled,
  ScheduleFailed,
  WaitingForActivation,
};
constexpr int kJobStatusCount = 12;
const char* toString(JobStatus status);
std::optional<JobStatus> jobStatusFromName(const std::string& name);

enum class MatchingModeKind { QueueAndMatch, ScheduleAndSuspend, Suspend };

struct MatchingMode {
  MatchingModeKind kind = MatchingModeKind::QueueAndMatch;
  std::optional<Instant> scheduleAt;
  bool operator==(const MatchingMode&) const = default;
};

struct JobNote {
  std::string message;
  Instant addedAt = 0;
  bool operator==(const JobNote&) const = default;
};

struct JobAssignment {
  std::string assignmentId;
  std::string workerId;
  Instant assignedAt = 0;
  std::optional<Instant> completedAt;
  std::optional<Instant> closedAt;
  bool operator==(const JobAssignment&) const = default;
};

// An offer of this job that a worker holds (the worker side holds the offer itself).
struct JobOfferRef {
  std::string workerId;
  std::string offerId;
  bool operator==(const JobOfferRef&) const = default;
};

// A worker that declined this job: excluded until it re-registers (epoch changes) or until retryAt.
struct Decline {
  std::uint64_t workerEpoch = 0;
  std::optional<Instant> retryAt;
  bool operator==(const Decline&) const = default;
};

// A close with a future closeAt: the job stays completed and the worker keeps the capacity until then.
struct PendingClose {
  std::string assignmentId;
  std::optional<std::string> dispositionCode;
  Instant closeAt = 0;
  bool operator==(const PendingClose&) const = default;
};

// What the client writes: the members a PUT/PATCH body sets (requested selectors carry their expiry, which the
// router stamps when the selector is first requested).
struct JobSpec {
  std::optional<std::string> channelReference;
  std::string channelId;
  std::optional<std::string> classificationPolicyId;
  std::optional<std::string> queueId;
  std::int64_t priority = 1;
  std::optional<std::string> dispositionCode;
  std::vector<WorkerSelector> requestedWorkerSelectors;
  LabelMap labels;
  LabelMap tags;
  std::vector<JobNote> notes;  // kept sorted by addedAt
  MatchingMode matchingMode;
  bool operator==(const JobSpec&) const = default;
};

// What the router owns: no body writes it, and an update keeps it.
struct JobRouterState {
  JobStatus status = JobStatus::Created;
  std::optional<Instant> enqueuedAt;
  std::vector<WorkerSelector> attachedWorkerSelectors;
  std::vector<JobAssignment> assignments;  // in assignment order
  std::optional<Instant> scheduledAt;
  std::int64_t unassignmentCount = 0;
  std::uint64_t enqueueSequence = 0;  // tie-break for equal priority: earlier enqueue first
  std::vector<JobOfferRef> activeOffers;
  std::map<std::string, Decline> declinedBy;
  std::optional<PendingClose> pendingClose;
  std::set<std::string> firedExceptionRules;  // rule ids fired during the current queue entry
  // The queue an exception action (manualReclassify, reclassify) took the job out of: when the job comes back to
  // that same queue, the rules that already fired there stay fired (no endless self-escalation).
  std::optional<std::string> exceptionSourceQueue;
  bool operator==(const JobRouterState&) const = default;
};

struct Job : JobSpec, JobRouterState {
  JobSpec& spec() { return *this; }
  const JobSpec& spec() const { return *this; }
  JobRouterState& routerState() { return *this; }
  const JobRouterState& routerState() const { return *this; }

  JobAssignment* assignment(const std::string& assignmentId);
  bool operator==(const Job&) const = default;
};

// Reads the writable members of a merged body; `now` stamps notes that come without addedAt.
JobSpec readJob(const Json& merged, const ExistsFn& exists, Instant now, Issues& issues);
Json writableJson(const JobSpec& job);
// The job as GET answers it, written directly (tests/unit/unit-json-out.cpp holds it against a tree built apart).
void writeJob(JsonOut& out, const std::string& id, const Job& job, const std::string& etag);
void addNote(Job& job, std::string message, Instant at);

}  // namespace jr
