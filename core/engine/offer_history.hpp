// What matching and accepting remember of offers after they end: per roundRobin distribution policy, the worker it
// offered a job to last (the next job's offers start after it), and the offers revoked because another worker
// accepted their job (accepting one answers 409, not 404). Both are part of the router's state.
#pragma once

#include <map>
#include <string>

namespace jr {

class OfferHistory {
 public:
  using Map = std::map<std::string, std::string>;

  // The worker a roundRobin policy offered a job to last; nullptr before its first offer.
  const std::string* lastOffered(const std::string& policyId) const {
    const auto it = lastOffered_.find(policyId);
    return it == lastOffered_.end() ? nullptr : &it->second;
  }
  void offered(const std::string& policyId, const std::string& workerId) { lastOffered_[policyId] = workerId; }

  // The offer of `workerId` was revoked because another worker accepted its job.
  void acceptedElsewhere(const std::string& offerId, const std::string& workerId) {
    acceptedElsewhere_[offerId] = workerId;
  }
  bool wasAcceptedElsewhere(const std::string& offerId, const std::string& workerId) const {
    const auto it = acceptedElsewhere_.find(offerId);
    return it != acceptedElsewhere_.end() && it->second == workerId;
  }

  // For the state codec: policy id → worker id, and offer id → worker id, in id order.
  const Map& lastOfferedByPolicy() const { return lastOffered_; }
  const Map& acceptedElsewhereByOffer() const { return acceptedElsewhere_; }
  Map& lastOfferedByPolicy() { return lastOffered_; }
  Map& acceptedElsewhereByOffer() { return acceptedElsewhere_; }

 private:
  Map lastOffered_;
  Map acceptedElsewhere_;
};

}  // namespace jr
