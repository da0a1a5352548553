// The emulated Job Router resource: its tables, clock and id generator, and one command per operation.
// Commands run against a consistent state and either complete or throw ApiError having changed nothing.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/events/outbox.hpp"
#include "core/model/job.hpp"
#include "core/model/queue.hpp"
#include "core/model/references.hpp"
#include "core/model/worker.hpp"
#include "core/engine/job_lifecycle.hpp"
#include "core/engine/classification.hpp"
#include "core/engine/commands.hpp"
#include "core/engine/dirty_queues.hpp"
#include "core/engine/follow_ups.hpp"
#include "core/engine/distribution.hpp"
#include "core/engine/host_rule_requests.hpp"
#include "core/engine/offer_history.hpp"
#include "core/engine/queue_index.hpp"
#include "core/engine/queue_wait_stats.hpp"
#include "core/engine/queue_workers.hpp"
#include "core/util/text_buffers.hpp"
#include "core/engine/timers.hpp"
#include "core/router_types.hpp"
#include "core/store/table.hpp"
#include "core/util/prng.hpp"

namespace jr {

// A command's result: what it did, and the resource (or action result) as the service shows it.
struct Reply {
  Outcome outcome = Outcome::Done;
  std::string body;  // JSON text; empty when Deleted
  std::optional<std::string> etag;
  std::optional<Instant> lastModified;
};

// A reply whose body `write(JsonOut&)` writes.
template <class Write>
Reply writtenReply(Outcome outcome, Write&& write, std::optional<std::string> etag = std::nullopt,
                   std::optional<Instant> lastModified = std::nullopt) {
  Reply reply{outcome, takeTextBuffer(1024), std::move(etag), lastModified};
  JsonOut out(reply.body);
  write(out);
  out.finish();
  return reply;
}
// A resource's reply: its JSON as GET answers it, with its ETag and Last-Modified.
Reply jobReply(Outcome outcome, const std::string& id, const Record<Job>& record);
Reply workerReply(Outcome outcome, const std::string& id, const Record<Worker>& record);
Reply queueReply(Outcome outcome, const std::string& id, const Record<Queue>& record);
Reply policyReply(Outcome outcome, const std::string& id, const Record<Json>& record);
inline Reply emptyObjectReply() { return {Outcome::Done, "{}", std::nullopt, std::nullopt}; }
inline Reply noContentReply() { return {Outcome::Deleted, std::string(), std::nullopt, std::nullopt}; }

class Engine {
 public:
  static constexpr std::size_t kMaxSettleSteps = 10'000;

  explicit Engine(const RouterOptions& options);

  Reply execute(const CommandInput& input);
  // One page of a list (list_commands.cpp).
  Page list(const PageRequest& request);
  // Follow-up processing the real service does asynchronously right after a request (created → queued, …).
  // Returns false when it stopped at the step cap with work left (resumed at the next settle).
  bool settle();
  // True while follow-up work is left over (a capped settle, a timer due at the current instant): the next
  // settle — which every request runs, reads included — would change state.
  bool hasPendingWork() const;

  Instant now() const { return now_; }
  void advanceTo(Instant t);

  // Events of the last command: published after it succeeded, dropped when it failed.
  void commitEvents() { outbox_.commit(); }
  void discardEvents() { outbox_.discard(); }
  std::string drainEvents() { return outbox_.drain(); }  // JSON array text
  // the same text, appended to `out`, and its structure to `tape` (Outbox::drainInto)
  void drainEventsInto(std::string& out, JsonTape* tape = nullptr) { outbox_.drainInto(out, tape); }
  void recordEventTape(bool on) { outbox_.recordTape(on); }
  bool anyRuleRequestsToDrain() const { return hostRules_.anyToDrain(); }

  // Why a worker would not be offered a job now (empty code: it would be). For explain().
  struct Eligibility {
    std::string code;     // e.g. "WorkerInactive", "QueueNotServed", "SelectorNotMatched"
    std::string message;  // human-readable
  };
  Json explain(const std::string& jobId);  // throws a NotFound ApiError for an unknown job
  // Fault injection (no REST operation): a pendingSchedule or scheduled job → scheduleFailed, its scheduling timer
  // cancelled, RouterJobSchedulingFailed with `reason`. Throws NotFound (unknown job) or Conflict (other status).
  Reply failScheduling(const std::string& jobId, const std::string& reason);
  std::optional<Instant> nextTimerDue() const;

  // Host-answered rules (classify_job.cpp).
  Json drainRuleRequests();
  bool answerRuleRequest(const std::string& requestId, const Json& result, const std::string& error);

  Json exportState() const;
  void importState(const Json& state);  // throws ApiError on bad input (caller keeps the old engine)

  // For the Router's limits (RouterLimits): how many resources of a kind exist, and where a resource keeps the
  // size counted for it against the storedBytes limit (nullptr: no such resource).
  std::size_t count(ResourceKind kind) const;
  std::uint64_t* accountedBytes(ResourceKind kind, const std::string& id);

 private:
  // Policies (policy_commands.cpp)
  Reply upsertPolicy(ResourceKind kind, const std::string& id, const CommandInput& in);
  Reply getPolicy(ResourceKind kind, const std::string& id);
  Reply deletePolicy(ResourceKind kind, const std::string& id);
  Table<Json>& policyTable(ResourceKind kind);
  Json readPolicy(ResourceKind kind, const Json& merged);  // canonical; commits the ids it generated
  void rematchPolicyQueues(ResourceKind kind, const std::string& id);  // a distribution policy's queues
  // Queues (queue_commands.cpp)
  Reply upsertQueue(const std::string& id, const CommandInput& in);
  Reply getQueue(const std::string& id);
  Reply deleteQueue(const std::string& id);
  Reply queueStatistics(const std::string& id);
  void writeQueueEstimates(JsonOut& out, const std::string& id, const std::set<QueueEntry>& entries) const;
  // Estimated wait, in whole minutes rounded up, of the job at 1-based `position` of a queue.
  std::int64_t estimatedWaitMinutes(const std::string& queueId, std::size_t position) const;
  // Workers (worker_commands.cpp)
  Reply upsertWorker(const std::string& id, const CommandInput& in);
  Reply createWorker(const std::string& id, WorkerSpec spec);
  Reply updateWorker(const std::string& id, Record<Worker>& existing, WorkerSpec spec);
  Reply getWorker(const std::string& id);
  Reply deleteWorker(const std::string& id);
  Reply acceptOffer(const std::string& workerId, const std::string& offerId);
  Reply declineOffer(const std::string& workerId, const std::string& offerId, const DeclineJobOfferBody& body);
  bool hasCapacityFor(const Worker& worker, const Channel& channel) const;
  // Jobs (job_commands.cpp)
  Reply upsertJob(const std::string& id, const CommandInput& in);
  struct JobChange;  // what an update changed (job_commands.cpp)
  Reply createJob(const std::string& id, JobSpec spec);
  Reply updateJob(const std::string& id, Record<Job>& existing, JobSpec spec, bool sentMatchingMode);
  void settleUpdatedJob(const std::string& id, Record<Job>& record, const JobChange& change);
  Reply getJob(const std::string& id);
  Reply deleteJob(const std::string& id);
  Reply cancelJob(const std::string& id, const CancelJobBody& body);
  Reply reclassifyJob(const std::string& id);
  Reply completeJob(const std::string& id, const std::string& assignmentId, const CompleteJobBody& body);
  Reply closeJob(const std::string& id, const std::string& assignmentId, const CloseJobBody& body);
  Reply unassignJob(const std::string& id, const std::string& assignmentId, const UnassignJobBody& body);
  Reply jobPosition(const std::string& id);
  Record<Job>& requireJob(const std::string& id);
  void requireTransition(const Job& job, JobCommand command) const;
  void enqueue(const std::string& id, Record<Job>& record);
  void dequeue(const std::string& id, Record<Job>& record);
  QueueEntry queueEntry(const std::string& id, const Job& job) const;
  // Matching, distribution and offers (matching.cpp; bestWorker scoring in best_worker.cpp)
  Eligibility eligibility(const std::string& jobId, const Job& job, const std::string& workerId, const Worker& worker,
                          bool bypassSelectors) const;
  void matchQueue(const std::string& queueId);
  std::vector<std::string> orderWorkers(const DistributionSettings& settings, const std::string& policyId,
                                        const std::string& jobId, const Job& job, std::vector<std::string> candidates,
                                        std::size_t needed);
  // true when worker `a` comes before `b` in longestIdle order (lower load, then idle longer, then Id).
  bool longestIdleBefore(const std::string& a, const std::string& b) const;
  // bestWorker distribution (best_worker.cpp): candidates by score; empty while a host scoring rule is unanswered.
  std::vector<std::string> bestWorkerOrder(const DistributionSettings& settings, const std::string& jobId,
                                           const Job& job, std::vector<std::string> candidates);
  // Scores from a function/webhook scoring rule; nullopt while the host has not answered every request.
  std::optional<std::map<std::string, double>> hostScores(const DistributionSettings& settings, const std::string& jobId,
                                                          const Job& job, const std::vector<std::string>& candidates);
  double defaultScore(const Job& job, const Worker& worker, const DistributionSettings& settings) const;
  void issueOffer(const std::string& workerId, Record<Worker>& worker, const std::string& jobId, Record<Job>& job,
                  const DistributionSettings& settings);
  // Removes an offer from both sides and publishes `event` (declined, revoked or expired).
  void endOffer(const std::string& workerId, const std::string& offerId, EventType event);
  // An ended offer's expiry timer goes with it (it would only be skipped when due; many would slow the queue).
  void dropOfferTimer(const std::string& workerId, const JobOffer& offer) {
    if (offer.expiresAt) timers_.remove({*offer.expiresAt, TimerKind::OfferExpiry, workerId, offer.offerId, ""});
  }
  void revokeJobOffers(const std::string& jobId);
  void revokeWorkerOffers(const std::string& workerId);
  // The worker may have become available (capacity freed, registered, changed): its queues are matched again.
  void markWorkerQueuesDirty(const std::string& workerId, const Worker& worker);
  // Whether a worker may take another offer at all (the first filter of matching).
  static bool mayTakeOffer(const Worker& worker);
  void addSelectorTimers(const std::string& jobId, const Job& job);
  // Classification (classify_job.cpp)
  void classifyJob(const std::string& jobId, Record<Job>& record);
  // Exception policies (exceptions.cpp)
  void armExceptionRules(const std::string& jobId, const Job& job);
  void checkQueueLengthRules(const std::string& jobId);
  void triggerExceptionRule(const std::string& jobId, const std::string& policyId, const Json& rule);
  // Timers (timer_handlers.cpp)
  // Fires the timers due now, one budget unit each; false when the budget ran out first.
  bool fireDueTimers(std::size_t& budget);
  void fireTimer(const Timer& timer);
  // One handler per TimerKind (fireTimer dispatches through a table).
  void fireScheduleAt(const Timer& timer);
  void fireCloseAt(const Timer& timer);
  void fireSelectorExpiry(const Timer& timer);
  void fireOfferExpiry(const Timer& timer);
  void fireRetryOffer(const Timer& timer);
  void fireExceptionWaitTime(const Timer& timer);
  void closeAssignment(const std::string& jobId, Record<Job>& record, const std::string& assignmentId,
                       const std::optional<std::string>& dispositionCode);
  // The one upsert of every resource kind, and the create and update of policies and queues (upsert.hpp).
  template <class T, class Steps>
  Reply upsertResource(Table<T>& table, const std::string& id, const CommandInput& in, Steps steps);
  template <class T, class MakeReply>
  Reply createTimestamped(Table<T>& table, const std::string& id, T value, MakeReply reply);
  template <class T, class MakeReply>
  Reply updateTimestamped(Record<T>& stored, const std::string& id, T value, MakeReply reply);

  // Shared helpers (engine.cpp)
  ExistsFn existsFn() const;
  bool exists(ResourceKind kind, const std::string& id) const;
  static void checkPreconditions(const Preconditions& pre, const std::string* etag, const Instant* lastModified);
  template <class T>
  void stampVersioned(Record<T>& record);  // jobs and workers
  template <class T>
  void stampTimestamped(Record<T>& record);  // policies and queues
  void touchJob(Record<Job>& record) { stampVersioned(record); }
  void touchWorker(Record<Worker>& record) { stampVersioned(record); }

  RouterOptions options_;
  Instant now_;
  Prng prng_;
  std::uint64_t writeCounter_ = 0;
  std::uint64_t enqueueCounter_ = 0;
  Table<Json> distributionPolicies_;
  Table<Json> classificationPolicies_;
  Table<Json> exceptionPolicies_;
  Table<Queue> queues_;
  Table<Worker> workers_;
  Table<Job> jobs_;
  QueueIndex queueIndex_;
  FollowUps followUps_;  // jobs with a status step or a queueLength check due at the next settle
  DirtyQueues dirtyQueues_;  // queues to re-match before the next request
  QueueWorkers queueWorkers_;  // per queue, the workers serving it and those that may take an offer
  TimerQueue timers_;
  QueueWaitStats waitStats_;
  HostRuleRequests hostRules_;  // function and webhook rules the host answers
  OfferHistory offerHistory_;  // roundRobin cursors, offers revoked because another worker accepted their job
  Outbox outbox_;

  friend struct StateCodec;
};

}  // namespace jr
