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

}  // namespace

Reply Engine::list(Operation op, const QueryString& query) {
  const bool isJobs = op == Operation::ListJobs;
  const bool isWorkers = op == Operation::ListWorkers;
  static const std::vector<std::string> none;
  const ListWindow window = readWindow(query, isJobs ? jobFilterNames() : isWorkers ? workerFilterNames() : none);
  const QueryString& f = window.filters;

  // Filters, validated before anything is read.
  std::optional<std::string> statusFilter;
  std::optional<Instant> scheduledBefore, scheduledAfter;
  std::optional<std::string> stateFilter;
  std::optional<bool> hasCapacity;
  if (isJobs) {
    if (const std::string* s = f.find("status")) {
      std::vector<std::string> allowed = {"all", "active"};
      for (int i = 0; i < kJobStatusCount; ++i) allowed.push_back(toString(static_cast<JobStatus>(i)));
      statusFilter = canonicalEnum(*s, allowed);
      if (!statusFilter) throw badRequest("InvalidValue", "'" + *s + "' is not a valid job status filter.", "status");
    }
    for (const char* name : {"scheduledBefore", "scheduledAfter"}) {
      if (const std::string* s = f.find(name)) {
        auto t = parseIsoTime(*s);
        if (!t) throw badRequest("InvalidValue", std::string(name) + " must be an ISO-8601 date-time.", name);
        (std::string(name) == "scheduledBefore" ? scheduledBefore : scheduledAfter) = t;
      }
    }
  }
  if (isWorkers) {
    if (const std::string* s = f.find("state")) {
      stateFilter = canonicalEnum(*s, {"all", "active", "draining", "inactive"});
      if (!stateFilter) throw badRequest("InvalidValue", "'" + *s + "' is not a valid worker state filter.", "state");
    }
    if (const std::string* s = f.find("hasCapacity")) {
      hasCapacity = parseBool(*s);
      if (!hasCapacity) throw badRequest("InvalidValue", "hasCapacity must be true or false.", "hasCapacity");
    }
  }
  const std::string* queueFilter = f.find("queueId");
  const std::string* channelFilter = f.find("channelId");
  const std::string* cpFilter = f.find("classificationPolicyId");

  auto jobMatches = [&](const Job& job) {
    if (statusFilter && *statusFilter != "all") {
      if (*statusFilter == "active") {
        if (job.status == JobStatus::Closed || job.status == JobStatus::Cancelled || job.status == JobStatus::Created)
          return false;
      } else if (*statusFilter != toString(job.status)) {
        return false;
      }
    }
    if (queueFilter && job.queueId != *queueFilter) return false;
    if (channelFilter && job.channelId != *channelFilter) return false;
    if (cpFilter && job.classificationPolicyId != *cpFilter) return false;
    if (scheduledBefore || scheduledAfter) {
      const auto& at = job.matchingMode.scheduleAt;
      if (job.matchingMode.kind != MatchingModeKind::ScheduleAndSuspend || !at) return false;
      if (scheduledBefore && *at > *scheduledBefore) return false;
      if (scheduledAfter && *at < *scheduledAfter) return false;
    }
    return true;
  };
  auto workerMatches = [&](const Worker& w) {
    if (stateFilter && *stateFilter != "all" && *stateFilter != toString(w.state)) return false;
    if (queueFilter && std::find(w.queues.begin(), w.queues.end(), *queueFilter) == w.queues.end()) return false;
    if (channelFilter && !w.channel(*channelFilter)) return false;
    if (hasCapacity && *hasCapacity) {
      bool any = false;
      for (const auto& c : w.channels) {
        if ((!channelFilter || c.channelId == *channelFilter) && hasCapacityFor(w, c)) any = true;
      }
      if (!any) return false;
    }
    return true;
  };

  Reply reply{200, std::string(), std::nullopt, std::nullopt};
  JsonOut out(reply.body);
  out.beginObject().key("value").beginArray();
  std::int64_t items = 0;
  std::optional<std::uint64_t> lastSeq;
  bool more = false;
  auto take = [&](std::uint64_t seq, const std::string& id) {
    // Returns false once the page is full and one more match exists.
    switch (op) {
      case Operation::ListJobs: {
        const auto& r = *jobs_.find(id);
        if (!jobMatches(r.value)) return true;
        if (items == window.pageSize) { more = true; return false; }
        writeJob(out, id, r.value, r.etag);
        break;
      }
      case Operation::ListWorkers: {
        const auto& r = *workers_.find(id);
        if (!workerMatches(r.value)) return true;
        if (items == window.pageSize) { more = true; return false; }
        writeWorker(out, id, r.value, r.etag);
        break;
      }
      case Operation::ListQueues: {
        if (items == window.pageSize) { more = true; return false; }
        const auto& r = *queues_.find(id);
        writeQueue(out, id, r.value, r.etag);
        break;
      }
      default: {
        if (items == window.pageSize) { more = true; return false; }
        const ResourceKind kind = op == Operation::ListClassificationPolicies ? ResourceKind::ClassificationPolicy
                                  : op == Operation::ListDistributionPolicies ? ResourceKind::DistributionPolicy
                                                                              : ResourceKind::ExceptionPolicy;
        const auto& r = *policyTable(kind).find(id);
        writePolicy(out, id, r.value, r.etag);
        break;
      }
    }
    ++items;
    lastSeq = seq;
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
  if (isJobs) {
    // Newest job first, as the service lists them.
    auto it = window.cursor ? std::make_reverse_iterator(order->lower_bound(*window.cursor)) : order->rbegin();
    for (; it != order->rend(); ++it) {
      if (!take(it->first, it->second)) break;
    }
  } else {
    auto it = window.cursor ? order->upper_bound(*window.cursor) : order->begin();
    for (; it != order->end(); ++it) {
      if (!take(it->first, it->second)) break;
    }
  }
  out.endArray();
  if (more && lastSeq) out.key("nextLink").string(nextLink(op, window, *lastSeq));
  out.endObject();
  out.finish();
  return reply;
}

}  // namespace jr
