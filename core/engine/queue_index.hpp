// Queued jobs per queue in service order: expedited first, then higher priority, then earlier enqueue.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>

namespace jr {

struct QueueEntry {
  bool expedite = false;
  std::int64_t priority = 0;
  std::uint64_t enqueueSequence = 0;
  std::string jobId;

  bool operator<(const QueueEntry& o) const {
    // expedite true first, priority descending, sequence ascending, id as a final tie-break
    return std::make_tuple(!expedite, -priority, enqueueSequence, std::cref(jobId)) <
           std::make_tuple(!o.expedite, -o.priority, o.enqueueSequence, std::cref(o.jobId));
  }
};

class QueueIndex {
 public:
  void add(const std::string& queueId, const QueueEntry& entry) { queues_[queueId].insert(entry); }
  void remove(const std::string& queueId, const QueueEntry& entry) {
    auto it = queues_.find(queueId);
    if (it == queues_.end()) return;
    it->second.erase(entry);
    if (it->second.empty()) queues_.erase(it);
  }
  const std::set<QueueEntry>* entries(const std::string& queueId) const {
    auto it = queues_.find(queueId);
    return it == queues_.end() ? nullptr : &it->second;
  }
  std::size_t length(const std::string& queueId) const {
    const auto* e = entries(queueId);
    return e ? e->size() : 0;
  }
  // 1-based position, 0 when absent.
  std::size_t position(const std::string& queueId, const QueueEntry& entry) const {
    const auto* e = entries(queueId);
    if (!e) return 0;
    auto it = e->find(entry);
    if (it == e->end()) return 0;
    return static_cast<std::size_t>(std::distance(e->begin(), it)) + 1;
  }
  void clear() { queues_.clear(); }

 private:
  std::map<std::string, std::set<QueueEntry>> queues_;
};

}  // namespace jr
