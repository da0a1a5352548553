// The queues to match again before the next request, and how much of each. After a match no queued job that wants
// more offers has an eligible worker, so only what changed needs matching: a whole queue after a worker-side or
// policy change, only some entries when jobs entered the queue or moved in it.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>

#include "core/engine/queue_index.hpp"

namespace jr {

class DirtyQueues {
 public:
  // What to match of one queue: every entry (full), or only `entries`.
  struct Work {
    bool full = false;
    std::set<QueueEntry> entries;
  };

  // Every job of the queue is matched again.
  void markQueue(const std::string& queueId) {
    queues_.insert(queueId);
    full_.insert(queueId);
    entries_.erase(queueId);
  }
  // Only this entry of the queue needs matching (unless the whole queue does).
  void markEntry(const std::string& queueId, const QueueEntry& entry) {
    queues_.insert(queueId);
    if (!full_.count(queueId)) entries_[queueId].insert(entry);
  }
  bool empty() const { return queues_.empty(); }
  // The first queue to match (in id order), no longer dirty; nullopt when none is.
  std::optional<std::string> takeQueue() {
    if (queues_.empty()) return std::nullopt;
    std::string queueId = *queues_.begin();
    queues_.erase(queues_.begin());
    return queueId;
  }
  // What to match of a queue taken by takeQueue.
  Work takeWork(const std::string& queueId) {
    Work work;
    work.full = full_.erase(queueId) > 0;
    if (auto it = entries_.find(queueId); it != entries_.end()) {
      work.entries = std::move(it->second);
      entries_.erase(it);
    }
    return work;
  }

 private:
  std::set<std::string> queues_;
  std::set<std::string> full_;  // of queues_, those whose every entry must be matched
  std::map<std::string, std::set<QueueEntry>> entries_;  // of the others, the entries to match
};

}  // namespace jr
