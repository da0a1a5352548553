// Upsert, get and delete of workers, and the offer actions (accept, decline).
#include <algorithm>

#include "core/engine/engine.hpp"
#include "core/engine/upsert.hpp"
#include "core/events/router_events.hpp"

namespace jr {
namespace {

WorkerState stateFor(const Worker& w) {
  if (w.availableForOffers) return WorkerState::Active;
  // De-registration: draining while offers or assignments remain, then inactive.
  return w.offers.empty() && w.assignedJobs.empty() ? WorkerState::Inactive : WorkerState::Draining;
}

const Queue* lookupQueue(const void* context, const std::string& queueId) {
  const Record<Queue>* r = static_cast<const Table<Queue>*>(context)->find(queueId);
  return r ? &r->value : nullptr;
}

// Properties whose change the RouterWorkerUpdated event names (Event Grid vocabulary).
std::vector<std::string> changedProperties(const Worker& before, const Worker& after) {
  std::vector<std::string> changed;
  if (before.availableForOffers != after.availableForOffers) changed.push_back("AvailableForOffers");
  if (before.capacity != after.capacity) changed.push_back("TotalCapacity");
  if (before.queues != after.queues) changed.push_back("QueueAssignments");
  if (before.labels != after.labels) changed.push_back("Labels");
  if (before.tags != after.tags) changed.push_back("Tags");
  if (before.channels != after.channels) changed.push_back("ChannelConfigurations");
  return changed;
}

// The worker `spec` makes of the stored one (nullptr: a new worker), its router-owned state kept. Becoming available
// for offers is a new registration: it clears earlier declines and starts the idle time.
Worker specifiedWorker(WorkerSpec spec, const Worker* existing, Instant now) {
  Worker worker{std::move(spec), existing ? existing->routerState() : WorkerRouterState{}};
  if (worker.availableForOffers && (!existing || !existing->availableForOffers)) {
    ++worker.registrationEpoch;
    worker.idleSince = now;
  }
  worker.state = stateFor(worker);
  return worker;
}

}  // namespace

bool Engine::hasCapacityFor(const Worker& worker, const Channel& channel) const {
  if (worker.usedCapacity() + channel.capacityCostPerJob > worker.capacity) return false;
  if (channel.maxNumberOfJobs) {
    std::int64_t onChannel = 0;
    auto count = [&](const std::string& jobId) {
      const Record<Job>* job = jobs_.find(jobId);
      if (job && job->value.channelId == channel.channelId) ++onChannel;
    };
    for (const auto& o : worker.offers) count(o.jobId);
    for (const auto& a : worker.assignedJobs) count(a.jobId);
    if (onChannel >= *channel.maxNumberOfJobs) return false;
  }
  return true;
}

Reply Engine::upsertWorker(const std::string& id, const CommandInput& in) {
  return upsertResource(workers_, id, in, UpsertSteps{
      [](const Worker& stored) { return writableJson(stored); },
      [&](const Json& merged, const Worker*) {
        Issues issues;
        WorkerSpec spec = readWorker(id, merged, existsFn(), issues);
        issues.raiseIfAny();
        return spec;
      },
      [&](WorkerSpec spec) { return createWorker(id, std::move(spec)); },
      [&](Record<Worker>& stored, WorkerSpec spec) { return updateWorker(id, stored, std::move(spec)); }});
}

Reply Engine::createWorker(const std::string& id, WorkerSpec spec) {
  Record<Worker> record;
  record.value = specifiedWorker(std::move(spec), nullptr, now_);
  touchWorker(record);
  Record<Worker>& stored = workers_.insert(id, std::move(record));
  queueWorkers_.index(id, nullptr, &stored.value);
  markWorkerQueuesDirty(id, stored.value);
  if (stored.value.availableForOffers) workerRegistered(outbox_, id, stored.value, lookupQueue, &queues_, now_);
  return workerReply(Outcome::Created, id, stored);
}

Reply Engine::updateWorker(const std::string& id, Record<Worker>& existing, WorkerSpec spec) {
  Worker worker = specifiedWorker(std::move(spec), &existing.value, now_);
  if (worker == existing.value) return workerReply(Outcome::Done, id, existing);
  const std::vector<std::string> changed = changedProperties(existing.value, worker);
  const bool registered = !existing.value.availableForOffers && worker.availableForOffers;
  const bool deregistered = existing.value.availableForOffers && !worker.availableForOffers;
  // Offers are revoked when the worker leaves, loses capacity, or changes its queues or channels.
  const bool revoke = deregistered || worker.capacity < existing.value.capacity ||
                      worker.queues != existing.value.queues || worker.channels != existing.value.channels;
  if (revoke) {
    revokeWorkerOffers(id);
    worker.offers.clear();  // revoked on the stored worker too
    worker.state = stateFor(worker);
  }
  markWorkerQueuesDirty(id, existing.value);
  queueWorkers_.index(id, &existing.value, &worker);
  existing.value = std::move(worker);
  markWorkerQueuesDirty(id, existing.value);
  touchWorker(existing);
  if (registered) workerRegistered(outbox_, id, existing.value, lookupQueue, &queues_, now_);
  if (deregistered) workerDeregistered(outbox_, id, now_);
  if (changed.size() > (registered || deregistered ? 1u : 0u)) {
    workerUpdated(outbox_, id, existing.value, changed, lookupQueue, &queues_, now_);
  }
  return workerReply(Outcome::Done, id, existing);
}

Reply Engine::getWorker(const std::string& id) {
  const Record<Worker>* record = workers_.find(id);
  if (!record) throwNotFound();
  return workerReply(Outcome::Done, id, *record);
}

Reply Engine::deleteWorker(const std::string& id) {
  Record<Worker>* record = workers_.find(id);
  if (!record) throwNotFound();
  if (!record->value.assignedJobs.empty()) throwConflict({"There is an active assignment for this worker"});
  revokeWorkerOffers(id);
  queueWorkers_.index(id, &workers_.find(id)->value, nullptr);
  workers_.erase(id);
  // Deletion ends the registration: a worker created later under the same id starts with no declines (its
  // registration counter starts again, so a decline kept here could match it by accident).
  for (auto& [seq, row] : jobs_.rows()) row.record.value.declinedBy.erase(id);
  workerDeleted(outbox_, id, now_);
  return noContentReply();
}

Reply Engine::acceptOffer(const std::string& workerId, const std::string& offerId) {
  Record<Worker>* worker = workers_.find(workerId);
  if (!worker) throwNotFound();
  auto& offers = worker->value.offers;
  auto offer = std::find_if(offers.begin(), offers.end(), [&](const JobOffer& o) { return o.offerId == offerId; });
  if (offer == offers.end()) {
    if (offerHistory_.wasAcceptedElsewhere(offerId, workerId)) {
      throwConflict({"The job of offer " + offerId + " has already been accepted by another worker"});
    }
    throwNotFound("AcceptOfferCommandHandler: Offer not found. OfferId: " + offerId + ", WorkerId: " + workerId);
  }
  Record<Job>* job = jobs_.find(offer->jobId);
  if (!job || job->value.status != JobStatus::Queued) {
    throwConflict({"The job has already been accepted by another worker or is no longer queued"});
  }
  const std::string assignmentId = prng_.guid();
  const JobOffer accepted = *offer;
  // The offer becomes the assignment (same capacity), then the job's other offers are revoked.
  dropOfferTimer(workerId, accepted);
  offers.erase(offer);
  auto& refs = job->value.activeOffers;
  refs.erase(std::remove_if(refs.begin(), refs.end(), [&](const JobOfferRef& r) { return r.offerId == offerId; }),
             refs.end());
  worker->value.assignedJobs.push_back({assignmentId, accepted.jobId, accepted.capacityCost, now_});
  touchWorker(*worker);
  if (job->value.queueId && job->value.enqueuedAt) {
    waitStats_.record(*job->value.queueId, now_ - *job->value.enqueuedAt);
  }
  dequeue(accepted.jobId, *job);
  job->value.status = JobStatus::Assigned;
  job->value.assignments.push_back({assignmentId, workerId, now_, std::nullopt, std::nullopt});
  touchJob(*job);
  offerAccepted(outbox_, workerId, worker->value, accepted.jobId, job->value, offerId, assignmentId, now_);
  for (const auto& ref : job->value.activeOffers) offerHistory_.acceptedElsewhere(ref.offerId, ref.workerId);
  revokeJobOffers(accepted.jobId);
  return writtenReply(Outcome::Done, [&](JsonOut& out) {
    out.beginObject().key("assignmentId").string(assignmentId).key("jobId").string(accepted.jobId);
    out.key("workerId").string(workerId).endObject();
  });
}

Reply Engine::declineOffer(const std::string& workerId, const std::string& offerId, const DeclineJobOfferBody& body) {
  const auto& retryOfferAt = body.retryOfferAt;
  Record<Worker>* worker = workers_.find(workerId);
  if (!worker) throwNotFound();
  const auto& offers = worker->value.offers;
  auto offer = std::find_if(offers.begin(), offers.end(), [&](const JobOffer& o) { return o.offerId == offerId; });
  if (offer == offers.end()) {
    throwNotFound("DeclineOfferCommandHandler: Offer not found. OfferId: " + offerId + ", WorkerId: " + workerId);
  }
  const std::string jobId = offer->jobId;
  if (Record<Job>* job = jobs_.find(jobId)) {
    // A retryOfferAt at or before now (SDKs send 0001-01-01 by default) counts as no retry time.
    Decline decline{worker->value.registrationEpoch, std::nullopt};
    if (retryOfferAt && *retryOfferAt > now_) {
      decline.retryAt = *retryOfferAt;
      timers_.add({*retryOfferAt, TimerKind::RetryOffer, jobId, workerId, ""});
    }
    job->value.declinedBy[workerId] = decline;
  }
  endOffer(workerId, offerId, EventType::RouterWorkerOfferDeclined);
  return emptyObjectReply();
}

}  // namespace jr
