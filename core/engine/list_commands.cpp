// The six list operations: filters, page size and continuation tokens.
//
// A continuation token is base64 of a query string that carries the cursor (creation sequence of the last item
// returned), the page size and every filter, so following nextLink needs nothing but the token.
#include <algorithm>
#include <cctype>

#include "core/engine/engine.hpp"
#include "core/model/policies.hpp"

namespace jr {
namespace {

constexpr std::int64_t kDefaultPageSize = 100;

const std::vector<std::string>& jobFilterNames() {
  static const std::vector<std::string> names = {"status", "queueId", "channelId", "classificationPolicyId",
                                                 "scheduledBefore", "scheduledAfter"};
  return names;
}

const std::vector<std::string>& workerFilterNames() {
  static const std::vector<std::string> names = {"state", "channelId", "queueId", "hasCapacity"};
  return names;
}

const char* collectionName(Operation op) {
  switch (op) {
    case Operation::ListClassificationPolicies: return "classificationPolicies";
    case Operation::ListDistributionPolicies: return "distributionPolicies";
    case Operation::ListExceptionPolicies: return "exceptionPolicies";
    case Operation::ListQueues: return "queues";
    case Operation::ListWorkers: return "workers";
    default: return "jobs";
  }
}

std::int64_t readPageSize(const QueryString& query) {
  const std::string* text = query.find("maxpagesize");
  if (!text) return kDefaultPageSize;
  std::int64_t value = 0;
  bool ok = !text->empty() && text->size() <= 10;
  for (char c : *text) ok = ok && std::isdigit(static_cast<unsigned char>(c));
  if (ok) value = std::stoll(*text);
  if (!ok || value < 1 || value > 2147483647) {
    throw badRequest("InvalidValue", "maxpagesize must be a whole number of at least 1.", "maxpagesize");
  }
  return value;
}

struct ListWindow {
  QueryString filters;  // the filters in force (from the request or the token)
  std::int64_t pageSize = kDefaultPageSize;
  std::optional<std::uint64_t> cursor;
};

ListWindow readWindow(const QueryString& query, const std::vector<std::string>& filterNames) {
  ListWindow window;
  if (const std::string* token = query.find("continuationToken")) {
    const auto decoded = base64Decode(*token);
    const QueryString inner = decoded ? parseQuery(*decoded) : QueryString{};
    const std::string* cursor = inner.find("cursor");
    bool ok = decoded && !inner.malformed && cursor && !cursor->empty() && cursor->size() < 20;
    if (ok) {
      for (char c : *cursor) ok = ok && std::isdigit(static_cast<unsigned char>(c));
    }
    if (!ok) throw badRequest("InvalidContinuationToken", "The continuation token is not valid.", "continuationToken");
    window.cursor = std::stoull(*cursor);
    window.pageSize = readPageSize(inner);
    for (const auto& [k, v] : inner.items) {
      if (std::find(filterNames.begin(), filterNames.end(), k) != filterNames.end()) window.filters.items.emplace_back(k, v);
    }
    return window;
  }
  window.pageSize = readPageSize(query);
  for (const auto& [k, v] : query.items) {
    if (std::find(filterNames.begin(), filterNames.end(), k) != filterNames.end()) window.filters.items.emplace_back(k, v);
  }
  return window;
}

std::string nextLink(Operation op, const ListWindow& window, std::uint64_t lastSeq) {
  std::string inner = "cursor=" + std::to_string(lastSeq) + "&maxpagesize=" + std::to_string(window.pageSize);
  for (const auto& [k, v] : window.filters.items) inner += "&" + percentEncode(k) + "=" + percentEncode(v);
  return std::string("/routing/") + collectionName(op) + "?continuationToken=" + percentEncode(base64Encode(inner));
}

std::optional<bool> parseBool(const std::string& text) {
  std::string lower;
  for (char c : text) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "true") return true;
  if (lower == "false") return false;
  return std::nullopt;
}

// The filters of a list request, validated before anything is read.
struct ListFilters {
  std::optional<std::string> status;
  std::optional<Instant> scheduledBefore, scheduledAfter;
  std::optional<std::string> state;
  std::optional<bool> hasCapacity;
  const std::string* queueId = nullptr;
  const std::string* channelId = nullptr;
  const std::string* classificationPolicyId = nullptr;
};

void readJobFilters(const QueryString& f, ListFilters& filters) {
  if (const std::string* s = f.find("status")) {
    std::vector<std::string> allowed = {"all", "active"};
    for (int i = 0; i < kJobStatusCount; ++i) allowed.push_back(toString(static_cast<JobStatus>(i)));
    filters.status = canonicalEnum(*s, allowed);
    if (!filters.status) throw badRequest("InvalidValue", "'" + *s + "' is not a valid job status filter.", "status");
  }
  for (const char* name : {"scheduledBefore", "scheduledAfter"}) {
    if (const std::string* s = f.find(name)) {
      auto t = parseIsoTime(*s);
      if (!t) throw badRequest("InvalidValue", std::string(name) + " must be an ISO-8601 date-time.", name);
      (std::string(name) == "scheduledBefore" ? filters.scheduledBefore : filters.scheduledAfter) = t;
    }
  }
}

void readWorkerFilters(const QueryString& f, ListFilters& filters) {
  if (const std::string* s = f.find("state")) {
    filters.state = canonicalEnum(*s, {"all", "active", "draining", "inactive"});
    if (!filters.state) throw badRequest("InvalidValue", "'" + *s + "' is not a valid worker state filter.", "state");
  }
  if (const std::string* s = f.find("hasCapacity")) {
    filters.hasCapacity = parseBool(*s);
    if (!filters.hasCapacity) throw badRequest("InvalidValue", "hasCapacity must be true or false.", "hasCapacity");
  }
}

// `f` must outlive the filters (they point into it).
ListFilters readFilters(Operation op, const QueryString& f) {
  ListFilters filters;
  if (op == Operation::ListJobs) readJobFilters(f, filters);
  if (op == Operation::ListWorkers) readWorkerFilters(f, filters);
  filters.queueId = f.find("queueId");
  filters.channelId = f.find("channelId");
  filters.classificationPolicyId = f.find("classificationPolicyId");
  return filters;
}

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

// The page being written: its items, whether one more match exists, and its nextLink.
class ListPage {
 public:
  explicit ListPage(const ListWindow& window) : window_(window), out_(reply_.body) {
    out_.beginObject().key("value").beginArray();
  }
  JsonOut& out() { return out_; }
  // True once the page is full: the match at hand is one more, so the page has a nextLink.
  bool full() {
    if (items_ != window_.pageSize) return false;
    more_ = true;
    return true;
  }
  void added(std::uint64_t seq) {
    ++items_;
    lastSeq_ = seq;
  }
  Reply finish(Operation op) {
    out_.endArray();
    if (more_ && lastSeq_) out_.key("nextLink").string(nextLink(op, window_, *lastSeq_));
    out_.endObject();
    out_.finish();
    return std::move(reply_);
  }

 private:
  const ListWindow& window_;
  Reply reply_{200, std::string(), std::nullopt, std::nullopt};
  JsonOut out_;
  std::int64_t items_ = 0;
  std::optional<std::uint64_t> lastSeq_;
  bool more_ = false;
};

// Visits the items after the cursor in list order until `take` returns false. Jobs are listed newest first, as
// the service lists them; everything else in creation order.
template <class Take>
void walkList(const std::map<std::uint64_t, std::string>& order, bool newestFirst,
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

}  // namespace

Reply Engine::list(Operation op, const QueryString& query) {
  const bool isJobs = op == Operation::ListJobs;
  const bool isWorkers = op == Operation::ListWorkers;
  static const std::vector<std::string> none;
  const ListWindow window = readWindow(query, isJobs ? jobFilterNames() : isWorkers ? workerFilterNames() : none);
  const ListFilters filters = readFilters(op, window.filters);
  const auto capacity = [this](const Worker& w, const Channel& c) { return hasCapacityFor(w, c); };

  ListPage page(window);
  auto take = [&](std::uint64_t seq, const std::string& id) {
    // Returns false once the page is full and one more match exists.
    switch (op) {
      case Operation::ListJobs: {
        const auto& r = *jobs_.find(id);
        if (!jobMatches(filters, r.value)) return true;
        if (page.full()) return false;
        writeJob(page.out(), id, r.value, r.etag);
        break;
      }
      case Operation::ListWorkers: {
        const auto& r = *workers_.find(id);
        if (!workerMatches(filters, r.value, capacity)) return true;
        if (page.full()) return false;
        writeWorker(page.out(), id, r.value, r.etag);
        break;
      }
      case Operation::ListQueues: {
        if (page.full()) return false;
        const auto& r = *queues_.find(id);
        writeQueue(page.out(), id, r.value, r.etag);
        break;
      }
      default: {
        if (page.full()) return false;
        const ResourceKind kind = op == Operation::ListClassificationPolicies ? ResourceKind::ClassificationPolicy
                                  : op == Operation::ListDistributionPolicies ? ResourceKind::DistributionPolicy
                                                                              : ResourceKind::ExceptionPolicy;
        const auto& r = *policyTable(kind).find(id);
        writePolicy(page.out(), id, r.value, r.etag);
        break;
      }
    }
    page.added(seq);
    return true;
  };

  const std::map<std::uint64_t, std::string>* order = nullptr;
  switch (op) {
    case Operation::ListJobs: order = &jobs_.bySeq(); break;
    case Operation::ListWorkers: order = &workers_.bySeq(); break;
    case Operation::ListQueues: order = &queues_.bySeq(); break;
    case Operation::ListClassificationPolicies: order = &classificationPolicies_.bySeq(); break;
    case Operation::ListDistributionPolicies: order = &distributionPolicies_.bySeq(); break;
    default: order = &exceptionPolicies_.bySeq(); break;
  }
  walkList(*order, isJobs, window.cursor, take);
  return page.finish(op);
}

}  // namespace jr
