// Per queue, how long its last jobs waited until assignment: the basis of the estimated wait times that queue
// statistics and job positions show.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "core/util/time.hpp"

namespace jr {

class QueueWaitStats {
 public:
  static constexpr std::size_t kSamples = 10;  // the waits kept per queue, latest last

  void record(const std::string& queueId, Instant waited) {
    auto& samples = waits_[queueId];
    samples.push_back(waited < 0 ? 0 : waited);
    while (samples.size() > kSamples) samples.pop_front();
  }
  // The mean of the kept waits in minutes; 1 before any.
  double meanMinutes(const std::string& queueId) const {
    const auto it = waits_.find(queueId);
    if (it == waits_.end() || it->second.empty()) return 1.0;
    Instant total = 0;
    for (Instant w : it->second) total += w;
    return static_cast<double>(total) / static_cast<double>(it->second.size()) / static_cast<double>(kTicksPerMinute);
  }

  // For the snapshot (state codec): the samples as kept, and imported ones appended as they were exported.
  const std::map<std::string, std::deque<Instant>>& samples() const { return waits_; }
  void restore(const std::string& queueId, const std::vector<Instant>& waits) {
    auto& samples = waits_[queueId];
    samples.insert(samples.end(), waits.begin(), waits.end());
  }

 private:
  std::map<std::string, std::deque<Instant>> waits_;
};

}  // namespace jr
