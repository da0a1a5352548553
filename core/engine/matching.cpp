// Matching: which workers may be offered a queued job, in which order (longestIdle, roundRobin, bestWorker), and
// the offers' life on both sides (issue, end by accept/decline/expiry/revocation).
#include <algorithm>
#include <cmath>

#include "core/engine/engine.hpp"
#include "core/events/router_events.hpp"
#include "core/rules/rule_evaluator.hpp"

namespace jr {
namespace {

bool isActiveSelector(const WorkerSelector& s) { return !s.expired; }

std::string describe(const WorkerSelector& s) {
  return s.key + " " + toString(s.labelOperator) + (s.value ? " " + s.value->dump() : std::string());
}

double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

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
        if (!isActiveSelector(s)) continue;
        if (!labelMatches(worker.labels, s.key, s.labelOperator, s.value)) {
          return {"SelectorNotMatched", "The worker's labels do not satisfy the selector '" + describe(s) + "'."};
        }
      }
    }
  }
  return {};
}

double Engine::defaultScore(const Job& job, const Worker& worker, const DistributionSettings& settings) const {
  // With worker selectors: each selector scores 1 when an equal/notEqual one is satisfied, and a logistic of the
  // relative difference for ordering operators; the score is their mean. Otherwise: the share of the job's labels
  // the worker has with the same value.
  std::vector<const WorkerSelector*> selectors;
  if (settings.scoreWorkerSelectors) {
    for (const auto* list : {&job.requestedWorkerSelectors, &job.attachedWorkerSelectors}) {
      for (const auto& s : *list) {
        if (isActiveSelector(s)) selectors.push_back(&s);
      }
    }
  }
  if (!selectors.empty()) {
    double sum = 0;
    for (const WorkerSelector* s : selectors) {
      const auto label = worker.labels.find(s->key);
      const bool numeric = s->value && s->value->is_number() && label != worker.labels.end() &&
                           label->second.is_number() && s->value->get<double>() != 0.0;
      if (numeric && (s->labelOperator == LabelOperator::GreaterThan ||
                      s->labelOperator == LabelOperator::GreaterThanOrEqual)) {
        const double v = s->value->get<double>();
        sum += logistic((label->second.get<double>() - v) / v);
      } else if (numeric && (s->labelOperator == LabelOperator::LessThan ||
                             s->labelOperator == LabelOperator::LessThanOrEqual)) {
        const double v = s->value->get<double>();
        sum += logistic((v - label->second.get<double>()) / v);
      } else {
        sum += labelMatches(worker.labels, s->key, s->labelOperator, s->value) ? 1.0 : 0.0;
      }
    }
    return sum / static_cast<double>(selectors.size());
  }
  if (settings.scoreJobLabels && !job.labels.empty()) {
    int same = 0;
    for (const auto& [key, value] : job.labels) {
      const auto it = worker.labels.find(key);
      if (it != worker.labels.end() && labelMatches(worker.labels, key, LabelOperator::Equal, value)) ++same;
    }
    return static_cast<double>(same) / static_cast<double>(job.labels.size());
  }
  return 0.0;
}

std::optional<std::map<std::string, double>> Engine::hostScores(const DistributionSettings& settings,
                                                               const std::string& jobId, const Job& job,
                                                               const std::vector<std::string>& candidates) {
  // The payload the service sends a scoring function: job labels as "job", the job's worker selectors as
  // "selectors", and one worker's labels as "worker" (or, with batch scoring, up to batchSize as "workers").
  Json base = Json::object();
  if (settings.scoreJobLabels) base["job"] = labelsToJson(job.labels);
  if (settings.scoreWorkerSelectors) {
    Json selectors = Json::array();
    for (const auto* list : {&job.requestedWorkerSelectors, &job.attachedWorkerSelectors}) {
      for (const auto& s : *list) {
        if (isActiveSelector(s)) selectors.push_back(toJson(s));
      }
    }
    base["selectors"] = selectors;
  }
  auto scoreOf = [](const Json& v) {
    return v.is_number() ? v.get<double>() : 0.0;  // a failed or non-numeric answer scores 0
  };
  std::map<std::string, double> scores;
  bool waiting = false;
  if (!settings.batchScoring) {
    for (const auto& id : candidates) {
      Json payload = base;
      payload["worker"] = labelsToJson(workers_.find(id)->value.labels);
      const auto answer = hostRules_.answer(jobId, settings.scoringRule, payload);
      if (!answer) waiting = true;
      else scores[id] = answer->failed ? 0.0 : scoreOf(answer->value);
    }
  } else {
    const auto size = static_cast<std::size_t>(settings.batchSize);
    for (std::size_t start = 0; start < candidates.size(); start += size) {
      const std::size_t end = std::min(candidates.size(), start + size);
      Json payload = base;
      Json list = Json::array();
      for (std::size_t i = start; i < end; ++i) list.push_back(labelsToJson(workers_.find(candidates[i])->value.labels));
      payload["workers"] = list;
      const auto answer = hostRules_.answer(jobId, settings.scoringRule, payload);
      if (!answer) {
        waiting = true;
        continue;
      }
      // A batch answer maps worker Id → score (an array of scores in payload order is accepted too).
      for (std::size_t i = start; i < end; ++i) {
        double score = 0.0;
        if (!answer->failed && answer->value.is_object() && answer->value.contains(candidates[i])) {
          score = scoreOf(answer->value[candidates[i]]);
        } else if (!answer->failed && answer->value.is_array() && i - start < answer->value.size()) {
          score = scoreOf(answer->value[i - start]);
        }
        scores[candidates[i]] = score;
      }
    }
  }
  if (waiting) return std::nullopt;
  return scores;
}

std::vector<std::string> Engine::orderWorkers(const DistributionSettings& settings, const std::string& policyId,
                                              const std::string& jobId, const Job& job,
                                              std::vector<std::string> candidates, std::size_t needed) {
  auto worker = [this](const std::string& id) -> const Worker& { return workers_.find(id)->value; };
  auto longestIdleLess = [&](const std::string& a, const std::string& b) {
    const Worker& wa = worker(a);
    const Worker& wb = worker(b);
    const double la = wa.loadRatio(), lb = wb.loadRatio();
    if (la != lb) return la < lb;
    if (wa.idleSince != wb.idleSince) return wa.idleSince < wb.idleSince;
    return a < b;
  };
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
      const auto cursor = roundRobinCursor_.find(policyId);
      if (cursor != roundRobinCursor_.end()) {
        auto first = std::upper_bound(candidates.begin(), candidates.end(), cursor->second);
        std::rotate(candidates.begin(), first, candidates.end());
      }
      break;
    }
    case DistributionKind::BestWorker: {
      std::map<std::string, double> scores;
      const std::string ruleKind = settings.scoringRule.is_object() ? settings.scoringRule.value("kind", "") : "";
      if (ruleKind == "function" || ruleKind == "webhook") {
        auto host = hostScores(settings, jobId, job, candidates);
        if (!host) return {};  // no offer until the host has scored every candidate
        scores = std::move(*host);
      }
      for (const auto& id : candidates) {
        if (scores.count(id)) continue;
        const Worker& w = worker(id);
        double score = 0;
        if (settings.scoringRule.is_object()) {
          const RuleOutcome outcome = evaluateRule(settings.scoringRule, RuleInput{&job.labels, &w.labels});
          if (outcome.kind == RuleOutcome::Kind::Value && outcome.value.is_number()) score = outcome.value.get<double>();
        } else {
          score = defaultScore(job, w, settings);
        }
        scores[id] = score;
      }
      std::sort(candidates.begin(), candidates.end(), [&](const std::string& a, const std::string& b) {
        const double sa = scores[a], sb = scores[b];
        if (sa != sb) return settings.descendingOrder ? sa > sb : sa < sb;
        return longestIdleLess(a, b);
      });
      break;
    }
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
      if (settings.kind == DistributionKind::RoundRobin) roundRobinCursor_[policyId] = ranked[k];
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

void Engine::endOffer(const std::string& workerId, const std::string& offerId, const char* eventKind) {
  Record<Worker>* worker = workers_.find(workerId);
  if (!worker) return;
  auto& offers = worker->value.offers;
  auto it = std::find_if(offers.begin(), offers.end(), [&](const JobOffer& o) { return o.offerId == offerId; });
  if (it == offers.end()) return;
  const std::string jobId = it->jobId;
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
    if (eventKind) offerEnded(outbox_, eventKind, workerId, jobId, job->value, offerId, now_);
  }
}

void Engine::revokeJobOffers(const std::string& jobId) {
  Record<Job>* job = jobs_.find(jobId);
  if (!job) return;
  const std::vector<JobOfferRef> refs = job->value.activeOffers;
  for (const auto& ref : refs) endOffer(ref.workerId, ref.offerId, "RouterWorkerOfferRevoked");
}

void Engine::revokeWorkerOffers(const std::string& workerId) {
  Record<Worker>* worker = workers_.find(workerId);
  if (!worker) return;
  std::vector<std::string> ids;
  for (const auto& o : worker->value.offers) ids.push_back(o.offerId);
  for (const auto& id : ids) endOffer(workerId, id, "RouterWorkerOfferRevoked");
}

void Engine::addSelectorTimers(const std::string& jobId, const Job& job) {
  for (const auto* list : {&job.requestedWorkerSelectors, &job.attachedWorkerSelectors}) {
    for (const auto& s : *list) {
      if (s.expiresAt && !s.expired) timers_.add({*s.expiresAt, TimerKind::SelectorExpiry, jobId, "", ""});
    }
  }
}

Json Engine::explain(const std::string& jobId) {
  const Record<Job>* job = jobs_.find(jobId);
  if (!job) throw notFound();
  bool bypass = false;
  if (job->value.queueId) {
    if (const Record<Queue>* q = queues_.find(*job->value.queueId)) {
      if (const Record<Json>* p = distributionPolicies_.find(q->value.distributionPolicyId)) {
        bypass = readDistribution(p->value).bypassSelectors;
      }
    }
  }
  Json workers = Json::array();
  for (const auto& [seq, id] : workers_.bySeq()) {
    const Worker& w = workers_.find(id)->value;
    Json item = {{"workerId", id}};
    bool holds = false;
    for (const auto& ref : job->value.activeOffers) holds = holds || ref.workerId == id;
    for (const auto& a : w.assignedJobs) holds = holds || a.jobId == jobId;
    const Eligibility e = eligibility(jobId, job->value, id, w, bypass);
    if (holds) {
      item["eligible"] = false;
      item["code"] = "AlreadyOffered";
      item["reason"] = "The worker holds an offer or an assignment for this job.";
    } else if (e.code.empty()) {
      item["eligible"] = job->value.status == JobStatus::Queued;
      if (job->value.status != JobStatus::Queued) {
        item["code"] = "JobNotQueued";
        item["reason"] = std::string("The job is ") + toString(job->value.status) + ", not queued.";
      }
    } else {
      item["eligible"] = false;
      item["code"] = e.code;
      item["reason"] = e.message;
    }
    workers.push_back(item);
  }
  Json out = Json::object();
  out["jobId"] = jobId;
  out["status"] = toString(job->value.status);
  if (job->value.queueId) out["queueId"] = *job->value.queueId;
  out["workers"] = workers;
  return out;
}

}  // namespace jr
