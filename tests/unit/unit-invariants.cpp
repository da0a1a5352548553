// Model-based testing: random sequences of valid and invalid requests over all 33 operations plus clock steps, from
// a seeded generator biased towards a small pool of ids (so requests meet existing resources, offers and
// assignments), with the invariants of the resource checked after every step from what a client can see (list and
// GET responses, queue statistics, the exportState() text):
//   - no 5xx, JSON bodies; a failed request (4xx) leaves exportState() byte-identical;
//   - a job is in at most one queue: queue statistics count exactly the queued jobs of each queue;
//   - offers per job <= maxConcurrentOffers of its queue's distribution policy, at most one per worker;
//   - a worker's used capacity (offers + assignments) is within [0, capacity], per channel within maxNumberOfJobs;
//   - offers go only to eligible workers (available, serving the job's queue and channel, matching its active
//     worker selectors unless the policy bypasses them, not having declined it for good), and only for queued jobs;
//   - job status changes follow the lifecycle (documented transitions, several per step allowed);
//   - every accepted offer has exactly one assignment, on the job and on the worker while it is not closed;
//   - nothing references a deleted resource, and a resource disappears only through its own successful DELETE;
//   - persistence: exportState → importState → exportState is identical, and an imported copy answers the next
//     requests byte for byte like the original.
// The normal suite runs a few seeds; JR_MODEL_SEEDS / JR_MODEL_OPS (operations per seed) / JR_MODEL_FIRST_SEED set
// a longer run (scripts/model-check.sh).
#include "test-support.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>

using namespace jrtest;

namespace {

// splitmix64: the same sequence in every build (std distributions differ between standard libraries).
struct Rng {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
  int range(int lo, int hi) { return lo + below(hi - lo + 1); }
  bool chance(int percent) { return below(100) < percent; }
  template <class T>
  const T& pick(const std::vector<T>& items) { return items[static_cast<std::size_t>(below(static_cast<int>(items.size())))]; }
};

const std::vector<std::string> kDps = {"dp0", "dp1", "dp2"};
const std::vector<std::string> kQueues = {"q0", "q1", "q2", "q3"};
const std::vector<std::string> kCps = {"cp0", "cp1"};
const std::vector<std::string> kEps = {"ep0", "ep1"};
const std::vector<std::string> kWorkers = {"w0", "w1", "w2", "w3", "w4"};
const std::vector<std::string> kJobs = {"j0", "j1", "j2", "j3", "j4", "j5", "j6", "j7"};
const std::vector<std::string> kChannels = {"voice", "chat"};
const std::vector<std::string> kLangs = {"en", "fr", "de"};
const std::vector<std::string> kCollections = {"distributionPolicies", "queues", "classificationPolicies",
                                               "exceptionPolicies", "workers", "jobs"};

std::int64_t envNumber(const char* name, std::int64_t fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return fallback;
  return std::strtoll(text, nullptr, 10);
}

// Documented job lifecycle (research table T1-T22 and the README's behaviour notes), as direct transitions; an
// observed change must be a path in this graph (one request may run several steps).
const std::map<std::string, std::set<std::string>> kLifecycle = {
    {"created", {"queued", "pendingClassification", "cancelled", "waitingForActivation", "pendingSchedule"}},
    {"pendingClassification", {"queued", "classificationFailed", "cancelled", "pendingClassification", "waitingForActivation"}},
    // queued/waitingForActivation -> scheduled: a PATCH to matchingMode scheduleAndSuspend (the emulator's choice).
    {"queued", {"assigned", "pendingClassification", "queued", "cancelled", "waitingForActivation", "scheduled"}},
    {"assigned", {"completed", "queued", "waitingForActivation", "pendingClassification"}},
    {"completed", {"closed"}},
    {"closed", {}},
    {"cancelled", {}},
    {"classificationFailed", {"pendingClassification", "cancelled"}},
    {"pendingSchedule", {"scheduled", "scheduleFailed", "queued", "pendingClassification", "cancelled", "waitingForActivation"}},
    {"scheduled", {"waitingForActivation", "queued", "pendingClassification", "scheduleFailed", "cancelled"}},
    // scheduleFailed (fault injection): cancelled, or restarted by a PATCH of its matchingMode.
    {"scheduleFailed", {"cancelled", "queued", "pendingClassification", "waitingForActivation", "pendingSchedule", "scheduled"}},
    {"waitingForActivation", {"queued", "pendingClassification", "cancelled", "waitingForActivation", "scheduled"}},
};
const std::set<std::string> kDeletableJobStatuses = {"closed", "cancelled", "classificationFailed", "scheduleFailed"};

bool reachable(const std::string& from, const std::string& to) {
  if (from == to) return true;
  std::set<std::string> seen{from};
  std::vector<std::string> work{from};
  while (!work.empty()) {
    const std::string s = work.back();
    work.pop_back();
    const auto it = kLifecycle.find(s);
    if (it == kLifecycle.end()) continue;
    for (const std::string& n : it->second) {
      if (n == to) return true;
      if (seen.insert(n).second) work.push_back(n);
    }
  }
  return false;
}

// Label selector semantics of the public documentation: a missing label satisfies only notEqual; ordering operators
// are checked on numbers only (other types are the engine's choice and not asserted).
bool selectorHolds(const json& selector, const json& labels) {
  const std::string key = selector.value("key", "");
  const std::string op = selector.value("labelOperator", "equal");
  const json value = selector.contains("value") ? selector["value"] : json();
  if (!labels.is_object() || !labels.contains(key)) return op == "notEqual";
  const json& have = labels[key];
  const bool numbers = have.is_number() && value.is_number();
  const bool equal = numbers ? have.get<double>() == value.get<double>() : have == value;
  if (op == "equal") return equal;
  if (op == "notEqual") return !equal;
  if (!numbers) return true;
  const double a = have.get<double>(), b = value.get<double>();
  if (op == "lessThan") return a < b;
  if (op == "lessThanOrEqual") return a <= b;
  if (op == "greaterThan") return a > b;
  if (op == "greaterThanOrEqual") return a >= b;
  return true;
}

struct Observation {
  std::map<std::string, json> jobs, workers, queues, dps, cps, eps;
  std::map<std::string, std::int64_t> queueLength;  // from statistics
};

class ModelRun {
 public:
  ModelRun(std::uint64_t seed, std::int64_t operations) : rng_{seed * 0x2545F4914F6CDD1DULL + 1}, ops_(operations) {
    jr::RouterOptions options;
    options.seed = seed;
    router_ = std::make_unique<jr::Router>(options);
    options_ = options;
    state_ = router_->exportState();
    observed_ = observe();
  }

  std::vector<std::string> violations;
  std::int64_t requests = 0, failedRequests = 0, advances = 0, snapshots = 0, busySteps = 0;

  void run() {
    for (std::int64_t i = 0; i < ops_ && violations.size() < 5; ++i) {
      step_ = i;
      if (i % 40 == 0) checkSnapshot(i % 200 == 0);
      if (rng_.chance(12)) {
        const std::int64_t ms = rng_.chance(10) ? rng_.range(60, 900) * 1000 : rng_.range(0, 45000);
        router_->advance(ms);
        if (twin_) twin_->advance(ms);
        ++advances;
        lastAction_ = "advance " + std::to_string(ms) + " ms";
        compareTwinEvents();
        state_ = router_->exportState();
      } else if (rng_.chance(2)) {
        failScheduling();
      } else {
        request();
      }
      const Observation next = observe();
      // Reads publish events only while capped work (a runaway configuration, see the README) continues: then
      // they may change the state too.
      const json readEvents = json::parse(router_->drainEvents(), nullptr, false);
      busy_ = !readEvents.is_array() || !readEvents.empty();
      if (busy_) ++busySteps;
      if (twin_ && busy_) twin_.reset();
      checkInvariants(observed_, next);
      observed_ = next;
      if (twin_ && --twinSteps_ <= 0) twin_.reset();
    }
    checkSnapshot(false);
  }

 private:
  struct Sent {
    std::string method, target, body;
    jr::HeaderMap headers;
  };

  Rng rng_;
  std::int64_t ops_;
  std::int64_t step_ = 0;
  jr::RouterOptions options_;
  std::unique_ptr<jr::Router> router_;
  std::unique_ptr<jr::Router> twin_;  // imported copy answering the same requests for a while
  int twinSteps_ = 0;
  std::string state_;                 // exportState() after the last step
  Observation observed_;
  std::string lastAction_;
  bool busy_ = false;
  std::set<std::string> grandfathered_;          // offers made before a policy/worker change (eligibility may lapse)
  std::set<std::string> relaxedCapacity_;        // workers changed while loaded (capacity may be below load)
  std::set<std::pair<std::string, std::string>> declined_;  // (job, worker) declined without a retry time
  std::map<std::string, std::pair<std::string, std::string>> accepted_;  // assignmentId -> (job, worker)
  std::map<std::string, std::int64_t> offerBound_;  // queue -> highest maxConcurrentOffers its policy has had
  std::set<std::pair<std::string, std::string>> deletedOk_;  // (collection, id) deleted by the last request

  void violation(const std::string& what) {
    violations.push_back("step " + std::to_string(step_) + " after [" + lastAction_ + "]: " + what);
  }

  // ---- requests ------------------------------------------------------------------------------------------------

  jr::HttpResponse raw(const std::string& method, const std::string& target, const jr::HeaderMap& headers = {},
                       const std::string& body = "") {
    return router_->handle(method, withApiVersion(target), headers, body);
  }

  json getJson(const std::string& target) {
    const jr::HttpResponse r = raw("GET", target);
    if (r.status != 200) {
      violation("GET " + target + " answered " + std::to_string(r.status) + ": " + r.body.substr(0, 200));
      return json::object();
    }
    json parsed = json::parse(r.body, nullptr, false);
    if (parsed.is_discarded()) violation("GET " + target + " is not JSON");
    return parsed.is_discarded() ? json::object() : parsed;
  }

  std::map<std::string, json> listAll(const std::string& collection, const std::string& query) {
    std::map<std::string, json> out;
    std::string next = "/routing/" + collection + "?maxpagesize=" + std::to_string(rng_.range(3, 50)) + query;
    for (int page = 0; page < 100 && !next.empty(); ++page) {
      const json body = getJson(next);
      if (body.contains("value") && body["value"].is_array()) {
        for (const json& item : body["value"]) {
          const std::string id = item.value("id", "");
          if (out.count(id)) violation(collection + " list shows " + id + " twice");
          out[id] = item;
        }
      }
      next = body.contains("nextLink") && body["nextLink"].is_string() ? body["nextLink"].get<std::string>() : "";
      if (!next.empty()) {
        const std::size_t at = next.find("/routing/");
        next = at == std::string::npos ? "" : next.substr(at);
      }
    }
    return out;
  }

  Observation observe() {
    Observation o;
    o.jobs = listAll("jobs", "&status=all");
    o.workers = listAll("workers", "&state=all");
    o.queues = listAll("queues", "");
    o.dps = listAll("distributionPolicies", "");
    o.cps = listAll("classificationPolicies", "");
    o.eps = listAll("exceptionPolicies", "");
    for (const auto& [id, q] : o.queues) {
      (void)q;
      const json stats = getJson("/routing/queues/" + id + "/statistics");
      o.queueLength[id] = stats.value("length", std::int64_t{-1});
    }
    return o;
  }

  void send(const Sent& s) {
    lastAction_ = s.method + " " + s.target + " " + s.body.substr(0, 300);
    ++requests;
    const std::string before = router_->exportState();
    if (before != state_ && !busy_) violation("read-only requests (lists, GETs, statistics) changed the exported state");
    state_ = before;
    const jr::HttpResponse r = router_->handle(s.method, withApiVersion(s.target), s.headers, s.body);
    const std::string after = router_->exportState();
    if (twin_) {
      const jr::HttpResponse t = twin_->handle(s.method, withApiVersion(s.target), s.headers, s.body);
      if (t.status != r.status || t.body != r.body || t.headers != r.headers)
        violation("the imported copy answered differently: " + std::to_string(t.status) + " " + t.body.substr(0, 200) +
                  " vs " + std::to_string(r.status) + " " + r.body.substr(0, 200));
    }
    compareTwinEvents();
    if (r.status >= 500 || r.status < 200) violation("status " + std::to_string(r.status) + ": " + r.body.substr(0, 300));
    if (r.status != 204 && json::parse(r.body, nullptr, false).is_discarded()) violation("body is not JSON");
    if (r.status >= 400) {
      ++failedRequests;
      const json e = json::parse(r.body, nullptr, false);
      if (!e.is_object() || !e.contains("communicationError") || !e["communicationError"].contains("code"))
        violation("error without communicationError: " + r.body.substr(0, 200));
      if (after != state_) {
        std::size_t at = 0;
        while (at < after.size() && at < state_.size() && after[at] == state_[at]) ++at;
        violation("failed request (" + std::to_string(r.status) + ") changed the exported state near: " +
                  state_.substr(at < 80 ? 0 : at - 80, 160) + " => " + after.substr(at < 80 ? 0 : at - 80, 160));
      }
    } else {
      learn(s, r);
    }
    state_ = after;
  }

  // Router::failScheduling (fault injection, no REST operation): 200 for a pendingSchedule/scheduled job, 404 or
  // 409 otherwise with nothing changed; the imported copy must answer alike.
  void failScheduling() {
    const std::string job = id(kJobs);
    lastAction_ = "failScheduling " + job;
    ++requests;
    const jr::HttpResponse r = router_->failScheduling(job, "model");
    const std::string after = router_->exportState();
    if (twin_) {
      const jr::HttpResponse t = twin_->failScheduling(job, "model");
      if (t.status != r.status || t.body != r.body) violation("the imported copy answered failScheduling differently");
    }
    compareTwinEvents();
    if (r.status != 200 && r.status != 404 && r.status != 409) violation("failScheduling status " + std::to_string(r.status));
    if (r.status == 200 && json::parse(r.body, nullptr, false).value("status", "") != "scheduleFailed")
      violation("failScheduling answered 200 without a scheduleFailed job: " + r.body.substr(0, 200));
    if (r.status != 200) {
      ++failedRequests;
      if (after != state_) violation("a refused failScheduling changed the exported state");
    }
    deletedOk_.clear();
    state_ = after;
  }

  void compareTwinEvents() {
    const std::string events = router_->drainEvents();
    if (json::parse(events, nullptr, false).is_discarded()) violation("drainEvents() is not JSON");
    if (twin_ && twin_->drainEvents() != events) violation("the imported copy published different events");
  }

  // What a successful request tells the model.
  void learn(const Sent& s, const jr::HttpResponse& r) {
    deletedOk_.clear();
    const json body = r.status == 204 ? json() : json::parse(r.body, nullptr, false);
    const std::string path = s.target.substr(0, s.target.find('?'));
    if (s.method == "DELETE") {
      const std::size_t slash = path.rfind('/');
      std::string id = path.substr(slash + 1);
      if (const std::size_t colon = id.find("%3A"); colon != std::string::npos) id.replace(colon, 3, ":");
      const std::string collection = path.substr(9, slash - 9);
      deletedOk_.insert({collection, id});
      if (collection == "jobs") {
        for (auto it = declined_.begin(); it != declined_.end();) it = it->first == id ? declined_.erase(it) : std::next(it);
        const auto seen = observed_.jobs.find(id);
        if (seen != observed_.jobs.end() && !kDeletableJobStatuses.count(seen->second.value("status", "")))
          violation("job " + id + " was deleted in status " + seen->second.value("status", ""));
      }
    }
    if (s.method == "PATCH" && (startsWith(path, "/routing/workers/") || startsWith(path, "/routing/distributionPolicies/") ||
                                startsWith(path, "/routing/queues/") || startsWith(path, "/routing/classificationPolicies/"))) {
      // Offers made before this change keep standing even where they would no longer be made (the service revokes
      // only on the changes it documents); capacity lowered under load is allowed.
      for (const auto& [wid, w] : observed_.workers) {
        for (const json& o : w["offers"]) grandfathered_.insert(o.value("offerId", ""));
        if (startsWith(path, "/routing/workers/") && (!w["offers"].empty() || !w["assignedJobs"].empty()))
          relaxedCapacity_.insert(wid);
      }
    }
    if (endsWith(path, ":accept") && body.is_object() && body.contains("assignmentId")) {
      accepted_[body["assignmentId"].get<std::string>()] = {body.value("jobId", ""), body.value("workerId", "")};
    }
    if (endsWith(path, ":decline")) {
      const json b = json::parse(s.body.empty() ? "{}" : s.body, nullptr, false);
      const bool retry = b.is_object() && b.contains("retryOfferAt") && b["retryOfferAt"].is_string() &&
                         b["retryOfferAt"].get<std::string>() > router_->now().substr(0, 19);
      // The job of the declined offer, from the last observation.
      const std::string workerId = path.substr(17, path.find('/', 17) - 17);
      const std::string offerId = path.substr(path.rfind('/') + 1, path.rfind(':') - path.rfind('/') - 1);
      const auto w = observed_.workers.find(workerId);
      if (!retry && w != observed_.workers.end())
        for (const json& o : w->second["offers"])
          if (o.value("offerId", "") == offerId) declined_.insert({o.value("jobId", ""), workerId});
    }
    if (endsWith(path, ":unassign")) {
      const std::string assignmentId = path.substr(path.rfind('/') + 1, path.rfind(':') - path.rfind('/') - 1);
      accepted_.erase(assignmentId);
    }
  }

  static bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
  }

  // ---- generation ----------------------------------------------------------------------------------------------

  std::string id(const std::vector<std::string>& pool) {
    if (rng_.chance(4)) return rng_.pick(std::vector<std::string>{"zz", "x-" + std::to_string(rng_.below(5)), "j%3A1"});
    return rng_.pick(pool);
  }

  // A reference to an existing resource most of the time, else any id of the pool (or a made-up one).
  std::string ref(const std::vector<std::string>& pool, const std::map<std::string, json>& existing) {
    if (!existing.empty() && rng_.chance(85)) {
      std::vector<std::string> ids;
      for (const auto& [k, v] : existing) { (void)v; ids.push_back(k); }
      return rng_.pick(ids);
    }
    return id(pool);
  }

  json selector(const std::string& key) {
    static const std::vector<std::string> ops = {"equal", "notEqual", "lessThan", "lessThanOrEqual", "greaterThan",
                                                 "greaterThanOrEqual"};
    json s = {{"key", key}, {"labelOperator", rng_.pick(ops)}};
    s["value"] = key == "lang" ? json(rng_.pick(kLangs)) : json(rng_.range(0, 9));
    if (rng_.chance(20)) s["expiresAfterSeconds"] = rng_.range(5, 120);
    if (rng_.chance(10)) s["expedite"] = true;
    return s;
  }

  json distributionPolicyBody() {
    static const std::vector<std::string> kinds = {"longestIdle", "roundRobin", "bestWorker"};
    json mode = {{"kind", rng_.pick(kinds)}};
    if (rng_.chance(70)) mode["maxConcurrentOffers"] = rng_.range(1, 3);
    if (rng_.chance(20)) mode["minConcurrentOffers"] = rng_.range(1, 2);
    if (rng_.chance(20)) mode["bypassSelectors"] = rng_.chance(50);
    json b = {{"offerExpiresAfterSeconds", rng_.pick(std::vector<int>{10, 30, 60, 300})}, {"mode", mode}};
    if (rng_.chance(10)) b["name"] = "policy";
    return b;
  }

  json queueBody() {
    json b = {{"distributionPolicyId", ref(kDps, observed_.dps)}};
    if (rng_.chance(40)) b["exceptionPolicyId"] = ref(kEps, observed_.eps);
    if (rng_.chance(30)) b["exceptionPolicyId"] = nullptr;
    if (rng_.chance(60)) b["labels"] = {{"lang", rng_.pick(kLangs)}};
    return b;
  }

  json classificationPolicyBody() {
    json b = json::object();
    if (rng_.chance(60)) b["fallbackQueueId"] = ref(kQueues, observed_.queues);
    if (rng_.chance(50))
      b["queueSelectorAttachments"] = json::array({rng_.chance(50)
          ? json{{"kind", "static"}, {"queueSelector", {{"key", "lang"}, {"labelOperator", "equal"}, {"value", rng_.pick(kLangs)}}}}
          : json{{"kind", "passThrough"}, {"key", "lang"}, {"labelOperator", "equal"}}});
    if (rng_.chance(50))
      b["prioritizationRule"] = rng_.chance(50) ? json{{"kind", "static"}, {"value", rng_.range(-5, 10)}}
                                                : json{{"kind", "expression"}, {"expression", "If(job.vip = true, 10, 1)"}};
    if (rng_.chance(40))
      b["workerSelectorAttachments"] = json::array({{{"kind", "static"}, {"workerSelector", selector("skill")}}});
    return b;
  }

  json exceptionPolicyBody() {
    json rule = {{"id", "r" + std::to_string(rng_.below(3))}};
    rule["trigger"] = rng_.chance(50) ? json{{"kind", "waitTime"}, {"thresholdSeconds", rng_.range(1, 120)}}
                                      : json{{"kind", "queueLength"}, {"threshold", rng_.range(1, 3)}};
    json action;
    switch (rng_.below(3)) {
      case 0: action = {{"kind", "cancel"}, {"note", "too long"}}; break;
      case 1: action = {{"kind", "manualReclassify"}, {"queueId", ref(kQueues, observed_.queues)}, {"priority", rng_.range(1, 5)}}; break;
      default: action = {{"kind", "reclassify"}, {"classificationPolicyId", ref(kCps, observed_.cps)}, {"labelsToUpsert", {{"vip", true}}}}; break;
    }
    rule["actions"] = json::array({action});
    return {{"exceptionRules", rng_.chance(90) ? json::array({rule}) : json::array()}};
  }

  json workerBody() {
    json b = json::object();
    if (rng_.chance(70)) b["availableForOffers"] = rng_.chance(75);
    if (rng_.chance(50)) b["capacity"] = rng_.range(0, 10);
    if (rng_.chance(50)) {
      json qs = json::array();
      for (const std::string& q : kQueues) if (rng_.chance(observed_.queues.count(q) ? 60 : 3)) qs.push_back(q);
      b["queues"] = qs;
    }
    if (rng_.chance(50)) {
      json cs = json::array();
      for (const std::string& c : kChannels) {
        if (!rng_.chance(60)) continue;
        json ch = {{"channelId", c}, {"capacityCostPerJob", rng_.range(0, 5)}};
        if (rng_.chance(30)) ch["maxNumberOfJobs"] = rng_.range(1, 3);
        cs.push_back(ch);
      }
      b["channels"] = cs;
    }
    if (rng_.chance(40)) b["labels"] = {{"skill", rng_.range(0, 9)}, {"lang", rng_.pick(kLangs)}};
    return b;
  }

  json jobBody(bool create) {
    json b = json::object();
    if (rng_.chance(create ? 97 : 20)) b["channelId"] = rng_.pick(kChannels);
    if (rng_.chance(create ? 90 : 20)) b["queueId"] = ref(kQueues, observed_.queues);
    if (rng_.chance(25)) b["classificationPolicyId"] = ref(kCps, observed_.cps);
    if (rng_.chance(40)) b["priority"] = rng_.range(-3, 10);
    if (rng_.chance(30)) b["requestedWorkerSelectors"] = json::array({selector(rng_.chance(50) ? "skill" : "lang")});
    if (rng_.chance(30)) b["labels"] = {{"lang", rng_.pick(kLangs)}, {"vip", rng_.chance(50)}};
    if (rng_.chance(15)) {
      switch (rng_.below(3)) {
        case 0: b["matchingMode"] = {{"kind", "queueAndMatch"}}; break;
        case 1: b["matchingMode"] = {{"kind", "suspend"}}; break;
        default: b["matchingMode"] = {{"kind", "scheduleAndSuspend"}, {"scheduleAt", "2024-01-01T00:0" + std::to_string(rng_.below(10)) + ":00Z"}};
      }
    }
    return b;
  }

  // A body that breaks one rule of its operation, or is not JSON at all.
  std::string breakBody(json body) {
    switch (rng_.below(6)) {
      case 0: return "{\"broken\": ";
      case 1: return "[1, 2]";
      case 2: body["labels"] = {{"nested", {{"not", "allowed"}}}}; break;
      case 3: body["priority"] = "high"; body["capacity"] = -4; body["offerExpiresAfterSeconds"] = -1; break;
      case 4: body["mode"] = {{"kind", "unknownKind"}}; body["channels"] = "voice"; break;
      default: body["queueId"] = "missing-queue"; body["distributionPolicyId"] = "missing-dp"; break;
    }
    return body.dump();
  }

  std::string maybeBroken(const json& body) { return rng_.chance(8) ? breakBody(body) : body.dump(); }

  // An offer (worker, offer id) from the last observation, or a made-up one.
  std::pair<std::string, std::string> someOffer() {
    std::vector<std::pair<std::string, std::string>> offers;
    for (const auto& [wid, w] : observed_.workers)
      for (const json& o : w["offers"]) offers.push_back({wid, o.value("offerId", "")});
    if (offers.empty() || rng_.chance(8)) return {id(kWorkers), "00000000-0000-0000-0000-000000000000"};
    return rng_.pick(offers);
  }

  // A job and one of its assignments from the last observation, or made-up ones.
  std::pair<std::string, std::string> someAssignment() {
    std::vector<std::pair<std::string, std::string>> found;
    for (const auto& [jid, j] : observed_.jobs)
      for (const auto& [aid, a] : j["assignments"].items()) { (void)a; found.push_back({jid, aid}); }
    if (found.empty() || rng_.chance(8)) return {id(kJobs), "not-an-assignment"};
    return rng_.pick(found);
  }

  void request() {
    const jr::HeaderMap merge = {{"content-type", "application/merge-patch+json"}};
    const jr::HeaderMap post = {{"content-type", "application/json"}};
    const jr::HeaderMap empty = {{"content-length", "0"}};
    const int op = rng_.below(100);
    if (op < 6) {  // 6 list operations, with filters
      const std::string c = rng_.pick(kCollections);
      std::string q = "?maxpagesize=" + std::to_string(rng_.range(1, 6));
      if (c == "jobs" && rng_.chance(50)) q += "&status=" + rng_.pick(std::vector<std::string>{"queued", "active", "assigned", "all", "bogus"});
      if (c == "workers" && rng_.chance(50)) q += "&hasCapacity=true&channelId=voice";
      if (rng_.chance(5)) q += "&unknownParameter=1";
      send({"GET", "/routing/" + c + q, "", {}});
    } else if (op < 14) {  // 6 gets, statistics, position
      const int which = rng_.below(8);
      if (which < 6) {
        const std::string c = kCollections[static_cast<std::size_t>(which)];
        const std::vector<std::string>* pool[] = {&kDps, &kQueues, &kCps, &kEps, &kWorkers, &kJobs};
        send({"GET", "/routing/" + c + "/" + id(*pool[which]), "", {}});
      } else if (which == 6) {
        send({"GET", "/routing/queues/" + id(kQueues) + "/statistics", "", {}});
      } else {
        send({"GET", "/routing/jobs/" + id(kJobs) + "/position", "", {}});
      }
    } else if (op < 20) {
      send({"PATCH", "/routing/distributionPolicies/" + id(kDps), maybeBroken(distributionPolicyBody()), merge});
    } else if (op < 27) {
      send({"PATCH", "/routing/queues/" + id(kQueues), maybeBroken(queueBody()), merge});
    } else if (op < 31) {
      send({"PATCH", "/routing/classificationPolicies/" + id(kCps), maybeBroken(classificationPolicyBody()), merge});
    } else if (op < 34) {
      send({"PATCH", "/routing/exceptionPolicies/" + id(kEps), maybeBroken(exceptionPolicyBody()), merge});
    } else if (op < 44) {
      send({"PATCH", "/routing/workers/" + id(kWorkers), maybeBroken(workerBody()), merge});
    } else if (op < 57) {
      const std::string job = id(kJobs);
      send({"PATCH", "/routing/jobs/" + job, maybeBroken(jobBody(!observed_.jobs.count(job))), merge});
    } else if (op < 63) {  // 6 deletes
      const int which = rng_.below(6);
      const std::vector<std::string>* pool[] = {&kDps, &kQueues, &kCps, &kEps, &kWorkers, &kJobs};
      send({"DELETE", "/routing/" + kCollections[static_cast<std::size_t>(which)] + "/" + id(*pool[which]), "", {}});
    } else if (op < 73) {
      const auto [w, o] = someOffer();
      send({"POST", "/routing/workers/" + w + "/offers/" + o + ":accept", "", empty});
    } else if (op < 78) {
      const auto [w, o] = someOffer();
      if (rng_.chance(50)) {
        send({"POST", "/routing/workers/" + w + "/offers/" + o + ":decline", "", empty});
      } else {
        const json b = {{"retryOfferAt", rng_.chance(70) ? "2024-01-01T00:30:00Z" : "0001-01-01T00:00:00Z"}};
        send({"POST", "/routing/workers/" + w + "/offers/" + o + ":decline", maybeBroken(b), post});
      }
    } else if (op < 82) {
      send({"POST", "/routing/jobs/" + id(kJobs) + ":cancel", rng_.chance(50) ? "" : R"({"note":"n","dispositionCode":"c"})",
            rng_.chance(50) ? empty : post});
    } else if (op < 85) {
      send({"POST", "/routing/jobs/" + id(kJobs) + ":reclassify", "", empty});
    } else {
      const auto [j, a] = someAssignment();
      const int which = rng_.below(3);
      if (which == 0) {
        send({"POST", "/routing/jobs/" + j + "/assignments/" + a + ":complete", rng_.chance(50) ? "" : R"({"note":"done"})", post});
      } else if (which == 1) {
        const std::string body = rng_.chance(30) ? R"({"closeAt":"2024-01-01T00:20:00Z","dispositionCode":"ok"})" : "";
        send({"POST", "/routing/jobs/" + j + "/assignments/" + a + ":close", body, body.empty() ? empty : post});
      } else {
        send({"POST", "/routing/jobs/" + j + "/assignments/" + a + ":unassign",
              rng_.chance(30) ? R"({"suspendMatching":true})" : "", post});
      }
    }
  }

  // ---- invariants ----------------------------------------------------------------------------------------------

  template <class Map>
  void checkVanished(const Map& before, const Map& after, const std::string& collection) {
    for (const auto& [id, item] : before) {
      (void)item;
      if (!after.count(id) && !deletedOk_.count({collection, id}))
        violation(collection + " " + id + " disappeared without a successful DELETE");
    }
  }

  void checkInvariants(const Observation& before, const Observation& now) {
    checkVanished(before.jobs, now.jobs, "jobs");
    checkVanished(before.workers, now.workers, "workers");
    checkVanished(before.queues, now.queues, "queues");
    checkVanished(before.dps, now.dps, "distributionPolicies");
    checkVanished(before.cps, now.cps, "classificationPolicies");
    checkVanished(before.eps, now.eps, "exceptionPolicies");
    deletedOk_.clear();

    // Lifecycle.
    for (const auto& [id, job] : now.jobs) {
      const std::string status = job.value("status", "");
      if (!kLifecycle.count(status)) violation("job " + id + " has unknown status " + status);
      const auto prev = before.jobs.find(id);
      if (prev != before.jobs.end()) {
        const std::string was = prev->second.value("status", "");
        if (!reachable(was, status)) violation("job " + id + " went from " + was + " to " + status);
      }
    }

    // References.
    for (const auto& [id, q] : now.queues) {
      if (!now.dps.count(q.value("distributionPolicyId", ""))) violation("queue " + id + " references a missing distribution policy");
      if (q.contains("exceptionPolicyId") && !now.eps.count(q.value("exceptionPolicyId", "")))
        violation("queue " + id + " references a missing exception policy");
      const json& dp = now.dps.count(q.value("distributionPolicyId", "")) ? now.dps.at(q.value("distributionPolicyId", "")) : json();
      const std::int64_t mco = dp.is_object() ? dp["mode"].value("maxConcurrentOffers", std::int64_t{1}) : 1;
      offerBound_[id] = std::max(offerBound_[id], mco);
    }
    for (const auto& [id, cp] : now.cps)
      if (cp.contains("fallbackQueueId") && !now.queues.count(cp.value("fallbackQueueId", "")))
        violation("classification policy " + id + " references a missing fallback queue");
    std::map<std::string, std::int64_t> queuedPerQueue;
    for (const auto& [id, job] : now.jobs) {
      const std::string status = job.value("status", "");
      const bool active = status != "closed" && status != "cancelled";
      if (active && job.contains("queueId") && !now.queues.count(job.value("queueId", "")))
        violation("active job " + id + " (" + status + ") references a missing queue");
      if (active && job.contains("classificationPolicyId") && !now.cps.count(job.value("classificationPolicyId", "")))
        violation("active job " + id + " references a missing classification policy");
      if (status == "queued") {
        if (!job.contains("queueId")) violation("queued job " + id + " has no queue");
        ++queuedPerQueue[job.value("queueId", "")];
      }
    }
    for (const auto& [id, w] : now.workers)
      for (const json& q : w["queues"])
        if (!now.queues.count(q.get<std::string>())) violation("worker " + id + " references a missing queue");

    // A job is in at most one queue: each queue counts exactly its queued jobs.
    for (const auto& [qid, length] : now.queueLength) {
      const std::int64_t expected = queuedPerQueue.count(qid) ? queuedPerQueue[qid] : 0;
      if (length != expected)
        violation("queue " + qid + " statistics length " + std::to_string(length) + " but " + std::to_string(expected) + " queued jobs");
    }

    // Offers and capacity.
    std::map<std::string, std::set<std::string>> offersPerJob;
    for (const auto& [wid, w] : now.workers) {
      const std::int64_t capacity = w.value("capacity", std::int64_t{0});
      std::int64_t used = 0;
      std::map<std::string, std::int64_t> perChannel;
      const double loadRatio = w.value("loadRatio", 0.0);
      if (loadRatio < 0 || loadRatio > 1) violation("worker " + wid + " loadRatio " + std::to_string(loadRatio));
      for (const json& o : w["offers"]) {
        const std::string jobId = o.value("jobId", ""), offerId = o.value("offerId", "");
        used += o.value("capacityCost", std::int64_t{0});
        if (!offersPerJob[jobId].insert(wid).second) violation("worker " + wid + " holds two offers for job " + jobId);
        const auto job = now.jobs.find(jobId);
        if (job == now.jobs.end()) { violation("offer " + offerId + " of worker " + wid + " is for a missing job"); continue; }
        ++perChannel[job->second.value("channelId", "")];
        if (job->second.value("status", "") != "queued")
          violation("offer " + offerId + " to " + wid + " for job " + jobId + " in status " + job->second.value("status", ""));
        if (grandfathered_.count(offerId)) continue;
        checkEligible(now, wid, w, jobId, job->second, offerId);
      }
      for (const json& a : w["assignedJobs"]) {
        used += a.value("capacityCost", std::int64_t{0});
        const std::string jobId = a.value("jobId", ""), aid = a.value("assignmentId", "");
        const auto job = now.jobs.find(jobId);
        if (job == now.jobs.end()) { violation("worker " + wid + " is assigned missing job " + jobId); continue; }
        ++perChannel[job->second.value("channelId", "")];
        const json& assignments = job->second["assignments"];
        if (!assignments.contains(aid) || assignments[aid].value("workerId", "") != wid || assignments[aid].contains("closedAt"))
          violation("worker " + wid + " holds assignment " + aid + " that job " + jobId + " does not show open for it");
      }
      if (used < 0) violation("worker " + wid + " uses negative capacity");
      if (w["assignedJobs"].empty() && w["offers"].empty()) relaxedCapacity_.erase(wid);
      if (relaxedCapacity_.count(wid)) continue;
      if (used > capacity) violation("worker " + wid + " uses " + std::to_string(used) + " of capacity " + std::to_string(capacity));
      for (const json& c : w["channels"]) {
        const std::string channelId = c.value("channelId", "");
        if (c.contains("maxNumberOfJobs") && perChannel[channelId] > c.value("maxNumberOfJobs", std::int64_t{0}))
          violation("worker " + wid + " holds " + std::to_string(perChannel[channelId]) + " jobs on channel " + channelId);
      }
    }
    for (const auto& [jobId, workers] : offersPerJob) {
      const auto job = now.jobs.find(jobId);
      if (job == now.jobs.end()) continue;
      const std::string q = job->second.value("queueId", "");
      const std::int64_t bound = offerBound_.count(q) ? offerBound_[q] : 1;
      if (static_cast<std::int64_t>(workers.size()) > bound)
        violation("job " + jobId + " has " + std::to_string(workers.size()) + " offers, more than " + std::to_string(bound));
    }
    // A worker that is not active, or no longer exists, has ended its registration: its declines are gone.
    for (auto it = declined_.begin(); it != declined_.end();) {
      const auto w = now.workers.find(it->second);
      it = w == now.workers.end() || w->second.value("state", "") != "active" ? declined_.erase(it) : std::next(it);
    }

    // Assignments.
    for (const auto& [id, job] : now.jobs) {
      int open = 0, uncompleted = 0;
      for (const auto& [aid, a] : job["assignments"].items()) {
        if (a.contains("closedAt")) continue;
        ++open;
        if (!a.contains("completedAt")) ++uncompleted;
        const auto w = now.workers.find(a.value("workerId", ""));
        int held = 0;
        if (w != now.workers.end())
          for (const json& x : w->second["assignedJobs"]) held += x.value("assignmentId", "") == aid ? 1 : 0;
        const std::string status = job.value("status", "");
        // A completed job whose close waits for closeAt keeps the worker's capacity; a closed one frees it.
        if (held != 1 && status != "closed")
          violation("job " + id + " assignment " + aid + " is held by " + std::to_string(held) + " worker entries");
      }
      const std::string status = job.value("status", "");
      if (status == "assigned" && uncompleted != 1) violation("assigned job " + id + " has " + std::to_string(uncompleted) + " open assignments");
      if (status == "queued" && uncompleted != 0) violation("queued job " + id + " still has an uncompleted assignment");
      (void)open;
    }
    for (const auto& [aid, jw] : accepted_) {
      const auto job = now.jobs.find(jw.first);
      if (job == now.jobs.end()) continue;
      const json& assignments = job->second["assignments"];
      int count = 0;
      for (const auto& [k, a] : assignments.items()) count += a.value("assignmentId", "") == aid ? 1 : 0;
      if (count != 1) violation("accepted assignment " + aid + " appears " + std::to_string(count) + " times on job " + jw.first);
      else if (assignments[aid].value("workerId", "") != jw.second) violation("assignment " + aid + " names another worker");
    }
    for (auto it = accepted_.begin(); it != accepted_.end();) it = now.jobs.count(it->second.first) ? std::next(it) : accepted_.erase(it);
  }

  void checkEligible(const Observation& now, const std::string& wid, const json& w, const std::string& jobId,
                     const json& job, const std::string& offerId) {
    const std::string what = "offer " + offerId + " to " + wid + " for job " + jobId;
    if (!w.value("availableForOffers", false)) violation(what + ": worker not available");
    const std::string q = job.value("queueId", "");
    bool servesQueue = false, servesChannel = false;
    for (const json& x : w["queues"]) servesQueue |= x == q;
    for (const json& c : w["channels"]) servesChannel |= c.value("channelId", "") == job.value("channelId", "");
    if (!servesQueue) violation(what + ": worker does not serve queue " + q);
    if (!servesChannel) violation(what + ": worker does not serve channel " + job.value("channelId", ""));
    if (declined_.count({jobId, wid})) violation(what + ": the worker declined this job without a retry time");
    bool bypass = false;
    if (now.queues.count(q)) {
      const auto dp = now.dps.find(now.queues.at(q).value("distributionPolicyId", ""));
      if (dp != now.dps.end()) bypass = dp->second["mode"].value("bypassSelectors", false);
    }
    if (bypass) return;
    for (const char* field : {"requestedWorkerSelectors", "attachedWorkerSelectors"}) {
      if (!job.contains(field)) continue;
      for (const json& s : job[field]) {
        if (s.value("status", "active") == "expired") continue;
        if (!selectorHolds(s, w["labels"])) violation(what + ": worker labels fail selector " + s.dump());
      }
    }
  }

  // ---- persistence ---------------------------------------------------------------------------------------------

  void checkSnapshot(bool startTwin) {
    ++snapshots;
    const std::string state = router_->exportState();
    auto copy = std::make_unique<jr::Router>(options_);
    if (!copy->importState(state)) {
      violation("importState() rejected the exported state");
      return;
    }
    if (copy->exportState() != state) violation("exportState() after importState() differs");
    if (startTwin && !twin_) {
      twin_ = std::move(copy);
      twinSteps_ = 20;
    }
  }
};

struct Totals {
  std::int64_t seeds = 0, operations = 0, requests = 0, failed = 0, advances = 0, snapshots = 0, busy = 0;
  std::vector<std::string> violations;
};

Totals runModel(std::int64_t firstSeed, std::int64_t seeds, std::int64_t opsPerSeed) {
  Totals t;
  for (std::int64_t s = firstSeed; s < firstSeed + seeds; ++s) {
    ModelRun run(static_cast<std::uint64_t>(s), opsPerSeed);
    run.run();
    ++t.seeds;
    t.requests += run.requests;
    t.failed += run.failedRequests;
    t.advances += run.advances;
    t.operations += run.requests + run.advances;
    t.snapshots += run.snapshots;
    t.busy += run.busySteps;
    for (const std::string& v : run.violations) t.violations.push_back("seed " + std::to_string(s) + ", " + v);
    if (t.violations.size() >= 20) break;
  }
  return t;
}

}  // namespace

TEST_CASE("model-based: random operation sequences keep the resource's invariants", "[model][robustness]") {
  const std::int64_t seeds = envNumber("JR_MODEL_SEEDS", 20);
  const std::int64_t ops = envNumber("JR_MODEL_OPS", 200);
  const std::int64_t first = envNumber("JR_MODEL_FIRST_SEED", 1);
  const Totals t = runModel(first, seeds, ops);
  // One line a script can read (scripts/model-check.sh prints it).
  std::printf("model-check: seeds %lld, operations %lld (requests %lld, of which failed %lld; clock steps %lld), "
              "snapshot round trips %lld, steps with capped work %lld, violations %zu\n",
              static_cast<long long>(t.seeds), static_cast<long long>(t.operations), static_cast<long long>(t.requests),
              static_cast<long long>(t.failed), static_cast<long long>(t.advances), static_cast<long long>(t.snapshots),
              static_cast<long long>(t.busy), t.violations.size());
  for (const std::string& v : t.violations) FAIL_CHECK(v);
  CHECK(t.violations.empty());
  CHECK(t.seeds == seeds);
  // The generator must reach the interesting states, or the invariants check nothing.
  CHECK(t.requests > t.failed);
}

// ---- regressions of the model-based test's findings ------------------------------------------------------------

TEST_CASE("model finding: an exception action naming a deleted classification policy or queue leaves no dangling reference",
          "[model][robustness]") {
  Api api;
  api.queue("q1");
  api.queue("q2");
  api.classificationPolicy("cp-gone", R"({"fallbackQueueId": "q1"})"_json);
  api.exceptionPolicy("ep-reclassify", R"({"exceptionRules": [{"id": "r", "trigger": {"kind": "waitTime", "thresholdSeconds": 10},
      "actions": [{"kind": "reclassify", "classificationPolicyId": "cp-gone"}]}]})"_json);
  api.exceptionPolicy("ep-move", R"({"exceptionRules": [{"id": "r", "trigger": {"kind": "waitTime", "thresholdSeconds": 10},
      "actions": [{"kind": "manualReclassify", "queueId": "q2"}]}]})"_json);
  api.queue("qa", "dp1", R"({"exceptionPolicyId": "ep-reclassify"})"_json);
  api.queue("qb", "dp1", R"({"exceptionPolicyId": "ep-move"})"_json);
  CHECK_STATUS(api.del("/routing/classificationPolicies/cp-gone"), 204);
  CHECK_STATUS(api.del("/routing/queues/q2"), 204);
  api.job("ja", "qa");
  api.job("jb", "qb");
  api.router.drainEvents();
  api.router.advance(11'000);
  const json a = api.fetch("/routing/jobs/ja");
  CHECK(a["status"] == "classificationFailed");
  CHECK_FALSE(a.contains("classificationPolicyId"));
  const json b = api.fetch("/routing/jobs/jb");
  CHECK(b["status"] == "classificationFailed");
  CHECK(b["queueId"] == "qb");
  const json types = drainEventTypes(api);
  CHECK(std::count(types.begin(), types.end(), "RouterJobClassificationFailed") >= 1);
}

TEST_CASE("model finding: changing a queued job's classification policy revokes its offers", "[model][robustness]") {
  Api api;
  api.queue("q1");
  api.classificationPolicy("cp-bad", R"({"queueSelectorAttachments": [{"kind": "passThrough", "key": "missing", "labelOperator": "equal"}]})"_json);
  api.upsert("/routing/workers/w1", R"({"capacity": 1, "queues": ["q1"], "availableForOffers": true,
                                       "channels": [{"channelId": "voice", "capacityCostPerJob": 1}]})"_json);
  api.job("j1", "q1");
  REQUIRE(api.fetch("/routing/workers/w1")["offers"].size() == 1);
  api.router.drainEvents();
  CHECK_STATUS(api.patch("/routing/jobs/j1", R"({"classificationPolicyId": "cp-bad"})"_json), 200);
  CHECK(api.fetch("/routing/jobs/j1")["status"] == "classificationFailed");
  CHECK(api.fetch("/routing/workers/w1")["offers"].empty());
  const json types = drainEventTypes(api);
  CHECK(std::count(types.begin(), types.end(), "RouterWorkerOfferRevoked") == 1);
}
