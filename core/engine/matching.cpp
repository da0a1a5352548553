// Matching: which workers may be offered a queued job, in which order (longestIdle, roundRobin, bestWorker), and
// the offers' life on both sides (issue, end by accept/decline/expiry/revocation).
#include <algorithm>

#include "core/engine/engine.hpp"
#include "core/events/router_events.hpp"
#include "core/rules/rule_evaluator.hpp"

namespace jr {
namespace {

std::string describe(const WorkerSelector& s) {
  // Appended piece by piece: GCC 12 warns (a false -Wstringop-overflow) on `" " + s.value->dump()` here.
  std::string text = s.key;
  text += ' ';
  text += toString(s.labelOperator);
  if (s.value) {
    text += ' ';
    text += s.value->dump();
  }
  return text;
}

}  // namespace

void Engine::markWorkerQueuesDirty(const std::string& workerId, const Worker& worker) {
  for (const auto& q : worker.queues) {
    dirtyQueues_.markQueue(q);
    queueWorkers_.markAvailable(q, workerId);
  }
}

bool Engine::mayTakeOffer(const Worker& worker) {
  if (worker.state != WorkerState::Active) return false;
  if (worker.usedCapacity() < worker.capacity) return true;
  for (const auto& c : worker.channels) {
    if (c.capacityCostPerJob == 0) return true;
  }
  return false;
}

Engine::Eligibility Engine::eligibility(const std::string& jobId, const Job& job, const std::string& workerId,
                                        const Worker& worker, bool bypassSelectors) const {
  (void)jobId;
  if (worker.state != WorkerState::Active) {
    return {"WorkerNotAvailable", std::string("The worker is ") + toString(worker.state) + " (availableForOffers is false)."};
  }
  if (!job.queueId || std::find(worker.queues.begin(), worker.queues.end(), *job.queueId) == worker.queues.end()) {
    return {"QueueNotServed", "The worker does not serve queue '" + job.queueId.value_or("") + "'."};
  }
  const Channel* channel = worker.channel(job.channelId);
  if (!channel) return {"ChannelNotServed", "The worker has no channel configuration for '" + job.channelId + "'."};
  for (const auto& ref : job.activeOffers) {
    if (ref.workerId == workerId) return {"AlreadyOffered", "The worker already holds an offer for this job."};
  }
  if (auto d = job.declinedBy.find(workerId); d != job.declinedBy.end() && d->second.workerEpoch == worker.registrationEpoch) {
    if (!d->second.retryAt) {
      return {"Declined", "The worker declined this job (it is offered again only after the worker re-registers)."};
    }
    if (*d->second.retryAt > now_) {
      return {"Declined", "The worker declined this job; it may be offered again at " + formatIsoTime(*d->second.retryAt) + "."};
    }
  }
  if (!hasCapacityFor(worker, *channel)) {
    return {"NoCapacity", "The worker has no spare capacity for channel '" + job.channelId + "' (capacity " +
                              std::to_string(worker.capacity) + ", in use " + std::to_string(worker.usedCapacity()) +
                              ", cost " + std::to_string(channel->capacityCostPerJob) + ")."};
  }
  if (!bypassSelectors) {
    for (const auto* list : {&job.requestedWorkerSelectors, &job.attachedWorkerSelectors}) {
      for (const auto& s : *list) {
        if (!s.active()) continue;
        if (!labelMatches(worker.labels, s.key, s.labelOperator, s.value)) {
          return {"SelectorNotMatched", "The worker's labels do not satisfy the selector '" + describe(s) + "'."};
        }
      }
    }
  }
  return {};
}

bool Engine::longestIdleBefore(const std::string& a, const std::string& b) const {
  const Worker& wa = workers_.find(a)->value;
  const Worker& wb = workers_.find(b)->value;
  const double la = wa.loadRatio(), lb = wb.loadRatio();
  if (la != lb) return la < lb;
  if (wa.idleSince != wb.idleSince) return wa.idleSince < wb.idleSince;
  return a < b;
}

std::vector<std::string> Engine::orderWorkers(const DistributionSettings& settings, const std::string& policyId,
                                              const std::string& jobId, const Job& job,
                                              std::vector<std::string> candidates, std::size_t needed) {
  auto longestIdleLess = [this](const std::string& a, const std::string& b) { return longestIdleBefore(a, b); };
  switch (settings.kind) {
    case DistributionKind::LongestIdle:
      // Only the first `needed` are offered: a partial sort gives them in the same order as a full sort.
      needed = std::min(needed, candidates.size());
      std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(needed), candidates.end(),
                        longestIdleLess);
      candidates.resize(needed);
      break;
    case DistributionKind::RoundRobin: {
      std::sort(candidates.begin(), candidates.end());
      if (const std::string* last = offerHistory_.lastOffered(policyId)) {
        auto first = std::upper_bound(candidates.begin(), candidates.end(), *last);
        std::rotate(candidates.begin(), first, candidates.end());
      }
      break;
    }
    case DistributionKind::BestWorker:
      return bestWorkerOrder(settings, jobId, job, std::move(candidates));
  }
  return candidates;
}

void Engine::issueOffer(const std::string& workerId, Record<Worker>& worker, const std::string& jobId,
                        Record<Job>& job, const DistributionSettings& settings) {
  const Channel* channel = worker.value.channel(job.value.channelId);
  JobOffer offer;
  offer.offerId = prng_.guid();
  offer.jobId = jobId;
  offer.capacityCost = channel ? channel->capacityCostPerJob : 0;
  offer.offeredAt = now_;
  if (settings.offerExpiresAfterSeconds) offer.expiresAt = now_ + secondsToTicks(*settings.offerExpiresAfterSeconds);
  worker.value.offers.push_back(offer);
  worker.value.idleSince = now_;
  touchWorker(worker);
  job.value.activeOffers.push_back({workerId, offer.offerId});
  touchJob(job);
  if (offer.expiresAt) timers_.add({*offer.expiresAt, TimerKind::OfferExpiry, workerId, offer.offerId, ""});
  offerIssued(outbox_, workerId, worker.value, jobId, job.value, offer, now_);
}

void Engine::matchQueue(const std::string& queueId) {
  const DirtyQueues::Work work = dirtyQueues_.takeWork(queueId);
  const Record<Queue>* queue = queues_.find(queueId);
  if (!queue) return;
  const Record<Json>* policy = distributionPolicies_.find(queue->value.distributionPolicyId);
  if (!policy) return;
  const auto* entries = queueIndex_.entries(queueId);
  if (!queueWorkers_.anyAvailable(queueId) || !entries || entries->empty()) return;

  // Candidates in worker id order; workers found unable to take an offer leave the available set.
  std::vector<std::string> candidates = queueWorkers_.candidates(queueId, [&](const std::string& workerId) {
    const Record<Worker>* w = workers_.find(workerId);
    const bool serves = w && std::find(w->value.queues.begin(), w->value.queues.end(), queueId) != w->value.queues.end();
    return serves && mayTakeOffer(w->value);
  });
  if (candidates.empty()) return;
  const DistributionSettings settings = readDistribution(policy->value);
  const std::string& policyId = queue->value.distributionPolicyId;

  // Jobs in queue order; matching stops once no candidate can take another offer.
  auto matchJob = [&](const std::string& jobId) {
    Record<Job>* job = jobs_.find(jobId);
    if (!job || job->value.status != JobStatus::Queued) return;
    const std::int64_t want = settings.maxConcurrentOffers - static_cast<std::int64_t>(job->value.activeOffers.size());
    if (want <= 0) return;
    std::vector<std::string> eligible;
    for (const auto& id : candidates) {
      if (eligibility(jobId, job->value, id, workers_.find(id)->value, settings.bypassSelectors).code.empty()) {
        eligible.push_back(id);
      }
    }
    if (eligible.empty()) return;
    const std::size_t wanted = static_cast<std::size_t>(want);
    const std::vector<std::string> ranked =
        orderWorkers(settings, policyId, jobId, job->value, std::move(eligible), wanted);
    const std::size_t count = std::min<std::size_t>(wanted, ranked.size());
    bool exhausted = false;
    for (std::size_t k = 0; k < count; ++k) {
      Record<Worker>& worker = *workers_.find(ranked[k]);
      issueOffer(ranked[k], worker, jobId, *job, settings);
      if (settings.kind == DistributionKind::RoundRobin) offerHistory_.offered(policyId, ranked[k]);
      exhausted = exhausted || !mayTakeOffer(worker.value);
    }
    if (exhausted) {
      candidates.erase(std::remove_if(candidates.begin(), candidates.end(),
                                      [&](const std::string& id) { return !mayTakeOffer(workers_.find(id)->value); }),
                       candidates.end());
    }
  };
  if (work.full) {
    for (const auto& entry : *entries) {
      matchJob(entry.jobId);
      if (candidates.empty()) break;
    }
  } else {
    for (const auto& entry : work.entries) {
      if (!entries->count(entry)) continue;  // left the queue or moved in it since
      matchJob(entry.jobId);
      if (candidates.empty()) break;
    }
  }
}

void Engine::endOffer(const std::string& workerId, const std::string& offerId, EventType event) {
  Record<Worker>* worker = workers_.find(workerId);
  if (!worker) return;
  auto& offers = worker->value.offers;
  auto it = std::find_if(offers.begin(), offers.end(), [&](const JobOffer& o) { return o.offerId == offerId; });
  if (it == offers.end()) return;
  const std::string jobId = it->jobId;
  dropOfferTimer(workerId, *it);
  offers.erase(it);
  if (worker->value.state == WorkerState::Draining && offers.empty() && worker->value.assignedJobs.empty()) {
    worker->value.state = WorkerState::Inactive;
  }
  touchWorker(*worker);
  markWorkerQueuesDirty(workerId, worker->value);
  if (Record<Job>* job = jobs_.find(jobId)) {
    auto& refs = job->value.activeOffers;
    refs.erase(std::remove_if(refs.begin(), refs.end(), [&](const JobOfferRef& r) { return r.offerId == offerId; }),
               refs.end());
    touchJob(*job);
    if (job->value.queueId) dirtyQueues_.markEntry(*job->value.queueId, queueEntry(jobId, job->value));
    offerEnded(outbox_, event, workerId, jobId, job->value, offerId, now_);
  }
}

void Engine::revokeJobOffers(const std::string& jobId) {
  Record<Job>* job = jobs_.find(jobId);
  if (!job) return;
  const std::vector<JobOfferRef> refs = job->value.activeOffers;
  for (const auto& ref : refs) endOffer(ref.workerId, ref.offerId, EventType::RouterWorkerOfferRevoked);
}

void Engine::revokeWorkerOffers(const std::string& workerId) {
  Record<Worker>* worker = workers_.find(workerId);
  if (!worker) return;
  std::vector<std::string> ids;
  for (const auto& o : worker->value.offers) ids.push_back(o.offerId);
  for (const auto& id : ids) endOffer(workerId, id, EventType::RouterWorkerOfferRevoked);
}

void Engine::addSelectorTimers(const std::string& jobId, const Job& job) {
  for (const auto* list : {&job.requestedWorkerSelectors, &job.attachedWorkerSelectors}) {
    for (const auto& s : *list) {
      if (s.expiresAt && !s.expired) timers_.add({*s.expiresAt, TimerKind::SelectorExpiry, jobId, "", ""});
    }
  }
}

}  // namespace jr
