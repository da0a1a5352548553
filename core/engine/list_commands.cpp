// The six list operations: which resources match the filters, one page at a time after a creation sequence.
// Reading the request (page size, filters, continuation token) and writing the nextLink are the HTTP layer's
// (core/http/paging.cpp).
#include <algorithm>

#include "core/engine/engine.hpp"
#include "core/model/policies.hpp"

namespace jr {
namespace {

bool jobMatches(const ListFilters& f, const Job& job) {
  if (f.status && *f.status != "all") {
    if (*f.status == "active") {
      if (job.status == JobStatus::Closed || job.status == JobStatus::Cancelled || job.status == JobStatus::Created)
        return false;
    } else if (*f.status != toString(job.status)) {
      return false;
    }
  }
  if (f.queueId && job.queueId != *f.queueId) return false;
  if (f.channelId && job.channelId != *f.channelId) return false;
  if (f.classificationPolicyId && job.classificationPolicyId != *f.classificationPolicyId) return false;
  if (f.scheduledBefore || f.scheduledAfter) {
    const auto& at = job.matchingMode.scheduleAt;
    if (job.matchingMode.kind != MatchingModeKind::ScheduleAndSuspend || !at) return false;
    if (f.scheduledBefore && *at > *f.scheduledBefore) return false;
    if (f.scheduledAfter && *at < *f.scheduledAfter) return false;
  }
  return true;
}

template <class HasCapacityFor>
bool workerMatches(const ListFilters& f, const Worker& w, HasCapacityFor&& hasCapacityFor) {
  if (f.state && *f.state != "all" && *f.state != toString(w.state)) return false;
  if (f.queueId && std::find(w.queues.begin(), w.queues.end(), *f.queueId) == w.queues.end()) return false;
  if (f.channelId && !w.channel(*f.channelId)) return false;
  if (f.hasCapacity && *f.hasCapacity) {
    bool any = false;
    for (const auto& c : w.channels) {
      if ((!f.channelId || c.channelId == *f.channelId) && hasCapacityFor(w, c)) any = true;
    }
    if (!any) return false;
  }
  return true;
}

// The page being written: its items, and whether one more match exists after them.
class PageWriter {
 public:
  explicit PageWriter(std::int64_t pageSize) : pageSize_(pageSize), out_(page_.items) { out_.beginArray(); }
  JsonOut& out() { return out_; }
  // True once the page is full: the match at hand is one more, so more follow the page.
  bool full() {
    if (items_ != pageSize_) return false;
    more_ = true;
    return true;
  }
  void added(std::uint64_t seq) {
    ++items_;
    lastSeq_ = seq;
  }
  Page finish() {
    out_.endArray();
    out_.finish();
    if (more_ && lastSeq_) page_.moreAfter = *lastSeq_;
    return std::move(page_);
  }

 private:
  std::int64_t pageSize_;
  Page page_;
  JsonOut out_;
  std::int64_t items_ = 0;
  std::optional<std::uint64_t> lastSeq_;
  bool more_ = false;
};

// Visits the items after the cursor in list order until `take` returns false. Jobs are listed newest first, as
// the service lists them; everything else in creation order.
template <class Rows, class Take>
void walkList(const Rows& order, bool newestFirst,
              const std::optional<std::uint64_t>& cursor, Take&& take) {
  if (newestFirst) {
    auto it = cursor ? std::make_reverse_iterator(order.lower_bound(*cursor)) : order.rbegin();
    for (; it != order.rend(); ++it) {
      if (!take(it->first, it->second)) break;
    }
  } else {
    auto it = cursor ? order.upper_bound(*cursor) : order.begin();
    for (; it != order.end(); ++it) {
      if (!take(it->first, it->second)) break;
    }
  }
}

// One page of `table`: the items after the request's cursor, in list order, that `matches` keeps, each written by
// `write(out, id, value, etag)`.
template <class T, class Matches, class Write>
Page listTable(const Table<T>& table, const PageRequest& request, bool newestFirst, Matches&& matches, Write&& write) {
  PageWriter page(request.pageSize);
  walkList(table.rows(), newestFirst, request.after, [&](std::uint64_t seq, const typename Table<T>::Row& row) {
    // false once the page is full and one more match exists
    const Record<T>& record = row.record;
    if (!matches(record.value)) return true;
    if (page.full()) return false;
    write(page.out(), row.id, record.value, record.etag);
    page.added(seq);
    return true;
  });
  return page.finish();
}

constexpr auto kEvery = [](const auto&) { return true; };

}  // namespace

Page Engine::list(const PageRequest& request) {
  const ListFilters& filters = request.filters;
  switch (request.kind) {
    case ResourceKind::Job:  // newest first, as the service lists them; everything else in creation order
      return listTable(jobs_, request, true, [&](const Job& job) { return jobMatches(filters, job); },
                       [](JsonOut& out, const std::string& id, const Job& job, const std::string& etag) {
                         writeJob(out, id, job, etag);
                       });
    case ResourceKind::Worker: {
      const auto capacity = [this](const Worker& w, const Channel& c) { return hasCapacityFor(w, c); };
      return listTable(workers_, request, false,
                       [&](const Worker& worker) { return workerMatches(filters, worker, capacity); },
                       [](JsonOut& out, const std::string& id, const Worker& worker, const std::string& etag) {
                         writeWorker(out, id, worker, etag);
                       });
    }
    case ResourceKind::Queue:
      return listTable(queues_, request, false, kEvery,
                       [](JsonOut& out, const std::string& id, const Queue& queue, const std::string& etag) {
                         writeQueue(out, id, queue, etag);
                       });
    default:
      return listTable(policyTable(request.kind), request, false, kEvery,
                       [](JsonOut& out, const std::string& id, const Json& policy, const std::string& etag) {
                         writePolicy(out, id, policy, etag);
                       });
  }
}

}  // namespace jr
