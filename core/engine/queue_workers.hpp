// Per queue, the workers that serve it, and a superset of those that may take an offer now: a worker is added
// whenever it may have become available and pruned when matching finds it unavailable, so matching does not visit
// every busy worker of the queue.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/model/worker.hpp"

namespace jr {

class QueueWorkers {
 public:
  // A worker was created (before null), changed or deleted (after null): it serves after's queues only.
  void index(const std::string& workerId, const Worker* before, const Worker* after) {
    if (before) {
      for (const auto& q : before->queues) unindex(q, workerId);
    }
    if (after) {
      for (const auto& q : after->queues) {
        serving_[q].insert(workerId);
        available_[q].insert(workerId);
      }
    }
  }
  // The worker may have become available to its queues (capacity freed, registered, changed).
  void markAvailable(const std::string& queueId, const std::string& workerId) { available_[queueId].insert(workerId); }
  // The workers that serve a queue (nullptr: none).
  const std::set<std::string>* serving(const std::string& queueId) const {
    const auto it = serving_.find(queueId);
    return it == serving_.end() ? nullptr : &it->second;
  }
  bool anyAvailable(const std::string& queueId) const { return available_.count(queueId) > 0; }
  // The queue's possibly available workers for which `mayTakeOffer(workerId)` holds, in id order; the others are
  // pruned.
  template <class MayTakeOffer>
  std::vector<std::string> candidates(const std::string& queueId, MayTakeOffer mayTakeOffer) {
    std::vector<std::string> out;
    const auto available = available_.find(queueId);
    if (available == available_.end()) return out;
    for (auto it = available->second.begin(); it != available->second.end();) {
      if (mayTakeOffer(*it)) {
        out.push_back(*it);
        ++it;
      } else {
        it = available->second.erase(it);
      }
    }
    if (available->second.empty()) available_.erase(available);
    return out;
  }

 private:
  void unindex(const std::string& queueId, const std::string& workerId) {
    auto it = serving_.find(queueId);
    if (it == serving_.end()) return;
    it->second.erase(workerId);
    if (it->second.empty()) serving_.erase(it);
    if (auto a = available_.find(queueId); a != available_.end()) {
      a->second.erase(workerId);
      if (a->second.empty()) available_.erase(a);
    }
  }

  std::map<std::string, std::set<std::string>> serving_;
  std::map<std::string, std::set<std::string>> available_;
};

}  // namespace jr
