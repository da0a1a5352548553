// Bad-input matrix over all 33 operations: malformed JSON, wrong types, out-of-range numbers, unknown
// discriminators, missing required fields, huge strings and arrays, deep nesting, odd ids (not UTF-8, NUL and other
// control characters, too long), unknown query parameters, missing or other api-versions and wrong content types.
// Every rejected request must answer 4xx in the service's error shape ({"communicationError": {"code", "message",
// ...}}), never 5xx, and leave exportState() byte-identical. Well-formed odd ids (emoji, right-to-left marks) are
// valid and round-trip.
#include "test-support.hpp"

using namespace jrtest;

namespace {

struct Op {
  std::string name;
  std::string method;
  std::string target;  // with the ids of the world below; "{id}" marks where an id parameter goes
  std::string ids;     // the ids at the {id} marks, "|"-separated, in order
};

// A resource with one of everything: policies, a queue, an available worker holding an assignment (job ja) and an
// offer (job jo), and a scheduled job.
struct World {
  Api api;
  std::string offerId, assignmentId;

  World() {
    api.distributionPolicy("dp1", R"({"offerExpiresAfterSeconds": 60, "mode": {"kind": "longestIdle", "maxConcurrentOffers": 1}})"_json);
    api.distributionPolicy("dp-free");
    api.queue("q1", "dp1");
    api.queue("q-free", "dp1");
    api.classificationPolicy("cp1", R"({"fallbackQueueId": "q1"})"_json);
    api.exceptionPolicy("ep1");
    api.upsert("/routing/workers/w1", R"({"capacity": 10, "queues": ["q1"], "availableForOffers": true,
                                         "channels": [{"channelId": "voice", "capacityCostPerJob": 1}]})"_json);
    api.upsert("/routing/workers/w-idle", R"({"capacity": 1})"_json);
    api.job("ja", "q1");
    json w = api.fetch("/routing/workers/w1");
    REQUIRE(w["offers"].size() == 1);
    Reply accepted = api.post("/routing/workers/w1/offers/" + w["offers"][0]["offerId"].get<std::string>() + ":accept");
    REQUIRE_STATUS(accepted, 200);
    assignmentId = accepted.body()["assignmentId"];
    api.job("jo", "q1");
    w = api.fetch("/routing/workers/w1");
    REQUIRE(w["offers"].size() == 1);
    offerId = w["offers"][0]["offerId"];
    api.job("js", "q1", R"({"matchingMode": {"kind": "scheduleAndSuspend", "scheduleAt": "2024-01-02T00:00:00Z"}})"_json);
    api.router.drainEvents();
  }

  // All 33 operations, on existing resources (so that a request gets past the 404 and its input is judged).
  std::vector<Op> operations() const {
    const std::string a = assignmentId, o = offerId;
    return {
        {"ListClassificationPolicies", "GET", "/routing/classificationPolicies", ""},
        {"GetClassificationPolicy", "GET", "/routing/classificationPolicies/{id}", "cp1"},
        {"UpsertClassificationPolicy", "PATCH", "/routing/classificationPolicies/{id}", "cp1"},
        {"DeleteClassificationPolicy", "DELETE", "/routing/classificationPolicies/{id}", "cp1"},
        {"ListDistributionPolicies", "GET", "/routing/distributionPolicies", ""},
        {"GetDistributionPolicy", "GET", "/routing/distributionPolicies/{id}", "dp1"},
        {"UpsertDistributionPolicy", "PATCH", "/routing/distributionPolicies/{id}", "dp1"},
        {"DeleteDistributionPolicy", "DELETE", "/routing/distributionPolicies/{id}", "dp-free"},
        {"ListExceptionPolicies", "GET", "/routing/exceptionPolicies", ""},
        {"GetExceptionPolicy", "GET", "/routing/exceptionPolicies/{id}", "ep1"},
        {"UpsertExceptionPolicy", "PATCH", "/routing/exceptionPolicies/{id}", "ep1"},
        {"DeleteExceptionPolicy", "DELETE", "/routing/exceptionPolicies/{id}", "ep1"},
        {"ListQueues", "GET", "/routing/queues", ""},
        {"GetQueue", "GET", "/routing/queues/{id}", "q1"},
        {"UpsertQueue", "PATCH", "/routing/queues/{id}", "q1"},
        {"DeleteQueue", "DELETE", "/routing/queues/{id}", "q-free"},
        {"GetQueueStatistics", "GET", "/routing/queues/{id}/statistics", "q1"},
        {"ListWorkers", "GET", "/routing/workers", ""},
        {"GetWorker", "GET", "/routing/workers/{id}", "w1"},
        {"UpsertWorker", "PATCH", "/routing/workers/{id}", "w1"},
        {"DeleteWorker", "DELETE", "/routing/workers/{id}", "w-idle"},
        {"AcceptJobOffer", "POST", "/routing/workers/{id}/offers/{id}:accept", "w1|" + o},
        {"DeclineJobOffer", "POST", "/routing/workers/{id}/offers/{id}:decline", "w1|" + o},
        {"ListJobs", "GET", "/routing/jobs", ""},
        {"GetJob", "GET", "/routing/jobs/{id}", "jo"},
        {"UpsertJob", "PATCH", "/routing/jobs/{id}", "jo"},
        {"DeleteJob", "DELETE", "/routing/jobs/{id}", "jo"},
        {"ReclassifyJob", "POST", "/routing/jobs/{id}:reclassify", "jo"},
        {"CancelJob", "POST", "/routing/jobs/{id}:cancel", "jo"},
        {"CompleteJob", "POST", "/routing/jobs/{id}/assignments/{id}:complete", "ja|" + a},
        {"CloseJob", "POST", "/routing/jobs/{id}/assignments/{id}:close", "ja|" + a},
        {"UnassignJob", "POST", "/routing/jobs/{id}/assignments/{id}:unassign", "ja|" + a},
        {"GetInQueuePosition", "GET", "/routing/jobs/{id}/position", "jo"},
    };
  }
};

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t bar = text.find('|', start);
    out.push_back(text.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  return out;
}

// The operation's target with its ids (percent-encoded); `replace` >= 0 puts `rawId` (sent as is) at that mark.
std::string targetOf(const Op& op, int replace = -1, const std::string& rawId = "") {
  const std::vector<std::string> ids = split(op.ids);
  std::string out;
  std::size_t start = 0;
  for (int i = 0;; ++i) {
    const std::size_t mark = op.target.find("{id}", start);
    if (mark == std::string::npos) {
      out += op.target.substr(start);
      break;
    }
    out += op.target.substr(start, mark - start);
    out += i == replace ? rawId : encode(ids.at(static_cast<std::size_t>(i)));
    start = mark + 4;
  }
  return out;
}

int idCount(const Op& op) { return static_cast<int>(split(op.ids).size()); }

// Sends a request that must be rejected: a 4xx status (one of `statuses` when given) in the real error shape, and
// no change of the exported state.
Reply rejected(World& w, const std::string& what, const std::string& method, const std::string& target,
               const Headers& headers, const std::string& body, std::vector<int> statuses = {}) {
  const std::string before = w.api.state();
  const Reply r = w.api.send(method, target, headers, body);
  INFO(what << ": " << method << " " << target.substr(0, 200) << " [" << body.size() << " bytes: "
            << body.substr(0, 120) << "] -> " << r.status << " " << r.text.substr(0, 300));
  CHECK(r.status >= 400);
  CHECK(r.status < 500);
  if (!statuses.empty()) CHECK(std::find(statuses.begin(), statuses.end(), r.status) != statuses.end());
  CHECK(r.header("content-type") == kJsonContentType);
  const json e = errorOf(r);
  CHECK(e.contains("code"));
  CHECK(e.contains("message"));
  CHECK(w.api.state() == before);
  CHECK(json::parse(w.api.router.drainEvents()).empty());
  return r;
}

Headers bodyHeaders(const Op& op) {
  return {{"content-type", op.method == "PATCH" ? kMergePatchContentType : std::string("application/json")}};
}

}  // namespace

TEST_CASE("bad input: odd ids in every path parameter of every operation answer 400 and change nothing",
          "[bad-input][robustness]") {
  World w;
  const std::string longId(257, 'x');
  const std::vector<std::pair<std::string, std::string>> oddIds = {
      {"not UTF-8 (percent-encoded)", "a%FFb"},
      {"not UTF-8 (raw byte)", "a\xC3("},
      {"overlong UTF-8", "%C0%AF"},
      {"UTF-16 surrogate", "%ED%A0%80"},
      {"NUL", "a%00b"},
      {"line feed", "a%0Ab"},
      {"DEL", "a%7Fb"},
      {"257 characters", longId},
      {"1 MB", std::string(1 << 20, 'y')},
      {"broken escape", "a%4"},
  };
  for (const Op& op : w.operations()) {
    for (int i = 0; i < idCount(op); ++i) {
      for (const auto& [what, id] : oddIds) {
        const Reply r = rejected(w, op.name + " / " + what, op.method, withApiVersion(targetOf(op, i, id)),
                                 op.method == "PATCH" ? bodyHeaders(op) : Headers{}, op.method == "PATCH" ? "{}" : "", {400});
        CHECK((hasDetailCode(r, "InvalidId") || hasDetailCode(r, "InvalidPath")));
      }
    }
  }
}

TEST_CASE("bad input: well-formed unusual ids (emoji, right-to-left mark, 256 characters) are valid ids",
          "[bad-input][robustness]") {
  Api api;
  for (const std::string& id : {std::string("\xF0\x9F\x98\x80"), std::string("\xE2\x80\x8Fq-rtl"),
                                std::string("\xD9\x82\xD8\xA7\xD8\xA6\xD9\x85\xD8\xA9"), std::string(256, 'z'),
                                std::string("a b:c/d?e#f%g")}) {
    INFO(id);
    api.distributionPolicy(id);
    CHECK(api.fetch("/routing/distributionPolicies/" + encode(id))["id"] == id);
    CHECK_STATUS(api.del("/routing/distributionPolicies/" + encode(id)), 204);
  }
}

TEST_CASE("bad input: missing or other api-version on every operation answers 400 and changes nothing",
          "[bad-input][robustness]") {
  World w;
  for (const Op& op : w.operations()) {
    const Headers h = op.method == "PATCH" ? bodyHeaders(op) : Headers{};
    const std::string body = op.method == "PATCH" ? "{}" : "";
    const Reply missing = rejected(w, op.name, op.method, targetOf(op) + "?foo=bar", h, body, {400});
    CHECK(errorOf(missing)["code"] == "MissingApiVersionParameter");
    const Reply other = rejected(w, op.name, op.method, targetOf(op) + "?api-version=2021-10-20", h, body, {400});
    CHECK(errorOf(other)["code"] == "UnsupportedApiVersionValue");
  }
}

TEST_CASE("bad input: unknown query parameters are ignored on every operation", "[bad-input][robustness]") {
  // The service ignores query parameters it does not know (README, "Ignored input"): each operation answers as it
  // would without them. Sent on unknown ids so that nothing changes either way.
  World w;
  for (const Op& op : w.operations()) {
    std::string target = op.ids.empty() ? op.target : targetOf(op, 0, "does-not-exist");
    for (std::size_t m = target.find("{id}"); m != std::string::npos; m = target.find("{id}")) target.replace(m, 4, "nope");
    const Headers h = op.method == "PATCH" ? bodyHeaders(op) : Headers{{"content-length", "0"}};
    const std::string body = op.method == "PATCH" ? R"({"name": 5, "capacity": "x", "exceptionRules": 5})" : "";
    const std::string before = w.api.state();
    const Reply plain = w.api.send(op.method, withApiVersion(target), h, body);
    const Reply extra = w.api.send(op.method, withApiVersion(target) + "&unknown=1&%24filter=x&api-version=2099-01-01&expand=all", h, body);
    INFO(op.name << " " << target << " -> " << plain.status << " / " << extra.status << " " << extra.text.substr(0, 200));
    CHECK(plain.status < 500);
    CHECK(extra.status == plain.status);
    CHECK(extra.text == plain.text);
    CHECK(w.api.state() == before);
  }
}

TEST_CASE("bad input: malformed JSON and too deep nesting on every operation answer 400 InvalidJson",
          "[bad-input][robustness]") {
  World w;
  const std::vector<std::string> malformed = {
      "{", "{\"name\":}", "nul", "[1,", "\"unterminated", "{\"a\":1}}", "{\"a\":1} x", "{'a': 1}", "{\"a\":01}",
      "{\"a\":\"\xFF\"}", "{\"a\":\"\\ud800\"}", "{\"a\":NaN}", "{\"a\":1e400}",
      std::string(1000, '[') + std::string(1000, ']'),
      std::string(33, '[') + std::string(33, ']'),
      "{\"labels\":" + std::string(40, '[') + std::string(40, ']') + "}",
  };
  for (const Op& op : w.operations()) {
    for (const std::string& body : malformed) {
      const Reply r = rejected(w, op.name, op.method, withApiVersion(targetOf(op)), bodyHeaders(op), body, {400});
      CHECK(hasDetailCode(r, "InvalidJson"));
    }
  }
}

TEST_CASE("bad input: wrong content types on every operation with a body answer 415", "[bad-input][robustness]") {
  World w;
  for (const Op& op : w.operations()) {
    for (const char* type : {"text/plain", "application/xml", "multipart/form-data; boundary=x",
                                    "application/json-patch+json", "application/x-www-form-urlencoded"}) {
      const Reply r = rejected(w, op.name + " " + type, op.method, withApiVersion(targetOf(op)),
                               {{"content-type", type}}, R"({"name": "x"})", {415});
      CHECK(errorOf(r)["code"] == "UnsupportedMediaType");
    }
  }
}

TEST_CASE("bad input: huge strings and arrays on every operation answer 413", "[bad-input][robustness]") {
  World w;
  const std::string huge(1 << 20, 'h');
  std::string array = "[";
  for (int i = 0; i < 60000; ++i) array += i ? ",\"q1\"" : "\"q1\"";
  array += "]";
  for (const Op& op : w.operations()) {
    for (const std::string& body : {R"({"name": ")" + huge + R"(", "note": "x"})", R"({"note": ")" + huge + R"("})",
                                    R"({"queues": )" + array + "}", R"({"labels": {")" + huge + R"(": 1}})"}) {
      const Reply r = rejected(w, op.name, op.method, withApiVersion(targetOf(op)), bodyHeaders(op), body, {413});
      CHECK(errorOf(r)["code"] == "RequestEntityTooLarge");
    }
  }
}

namespace {

struct BadBody {
  std::string operation;  // Op::name
  std::string body;
  std::string detailCode;  // expected detail code ("" = any)
  std::string target;      // expected detail target ("" = any)
};

// Per kind of problem, bodies that break exactly one rule of an operation.
const std::vector<BadBody> kWrongTypes = {
    {"UpsertDistributionPolicy", R"({"offerExpiresAfterSeconds": "60"})", "InvalidType", "offerExpiresAfterSeconds"},
    {"UpsertDistributionPolicy", R"({"mode": "longestIdle"})", "InvalidType", "mode"},
    {"UpsertDistributionPolicy", R"({"mode": {"kind": "longestIdle", "bypassSelectors": "yes"}})", "InvalidType", "mode.bypassSelectors"},
    {"UpsertDistributionPolicy", R"({"name": 7})", "InvalidType", "name"},
    {"UpsertQueue", R"({"distributionPolicyId": 1})", "InvalidType", "distributionPolicyId"},
    {"UpsertQueue", R"({"labels": ["a"]})", "InvalidType", "labels"},
    {"UpsertQueue", R"({"labels": {"a": {"b": 1}}})", "", "labels.a"},
    {"UpsertClassificationPolicy", R"({"queueSelectorAttachments": {}})", "InvalidType", "queueSelectorAttachments"},
    {"UpsertClassificationPolicy", R"({"fallbackQueueId": false})", "InvalidType", "fallbackQueueId"},
    {"UpsertExceptionPolicy", R"({"exceptionRules": {"id": "r"}})", "InvalidType", "exceptionRules"},
    {"UpsertWorker", R"({"capacity": "ten"})", "InvalidType", "capacity"},
    {"UpsertWorker", R"({"queues": "q1"})", "InvalidType", "queues"},
    {"UpsertWorker", R"({"queues": [1]})", "", "queues[0]"},
    {"UpsertWorker", R"({"availableForOffers": "true"})", "InvalidType", "availableForOffers"},
    {"UpsertWorker", R"({"channels": [{"channelId": "voice", "capacityCostPerJob": "1"}]})", "InvalidType", "channels[0].capacityCostPerJob"},
    {"UpsertJob", R"({"priority": "high"})", "InvalidType", "priority"},
    {"UpsertJob", R"({"channelId": 5})", "InvalidType", "channelId"},
    {"UpsertJob", R"({"requestedWorkerSelectors": {"key": "a"}})", "InvalidType", "requestedWorkerSelectors"},
    {"UpsertJob", R"({"notes": "hello"})", "InvalidType", "notes"},
    {"UpsertJob", R"({"matchingMode": {"kind": "scheduleAndSuspend", "scheduleAt": 5}})", "", "matchingMode.scheduleAt"},
    {"CancelJob", R"({"note": 5})", "InvalidType", "note"},
    {"CancelJob", R"({"dispositionCode": []})", "InvalidType", "dispositionCode"},
    {"ReclassifyJob", R"([])", "", ""},
    {"CompleteJob", R"({"note": {"text": "x"}})", "InvalidType", "note"},
    {"CloseJob", R"({"closeAt": 5})", "", "closeAt"},
    {"CloseJob", R"({"dispositionCode": 1})", "InvalidType", "dispositionCode"},
    {"UnassignJob", R"({"suspendMatching": "yes"})", "InvalidType", "suspendMatching"},
    {"DeclineJobOffer", R"({"retryOfferAt": true})", "", "retryOfferAt"},
    {"DeclineJobOffer", R"("tomorrow")", "", ""},
};

const std::vector<BadBody> kOutOfRange = {
    {"UpsertDistributionPolicy", R"({"offerExpiresAfterSeconds": -1})", "InvalidValue", "offerExpiresAfterSeconds"},
    {"UpsertDistributionPolicy", R"({"mode": {"kind": "longestIdle", "maxConcurrentOffers": 0}})", "InvalidValue", "mode.maxConcurrentOffers"},
    {"UpsertDistributionPolicy", R"({"mode": {"kind": "roundRobin", "minConcurrentOffers": 3, "maxConcurrentOffers": 2}})", "InvalidValue", ""},
    {"UpsertDistributionPolicy", R"({"mode": {"kind": "bestWorker", "scoringRuleOptions": {"batchSize": 0}}})", "InvalidValue", "mode.scoringRuleOptions.batchSize"},
    {"UpsertDistributionPolicy", R"({"mode": {"kind": "longestIdle", "maxConcurrentOffers": 2147483648}})", "InvalidValue", "mode.maxConcurrentOffers"},
    {"UpsertExceptionPolicy", R"({"exceptionRules": [{"id": "r", "trigger": {"kind": "waitTime", "thresholdSeconds": -5}, "actions": [{"kind": "cancel"}]}]})", "InvalidValue", ""},
    {"UpsertExceptionPolicy", R"({"exceptionRules": [{"id": "r", "trigger": {"kind": "queueLength", "threshold": -1}, "actions": [{"kind": "cancel"}]}]})", "InvalidValue", ""},
    {"UpsertClassificationPolicy", R"({"queueSelectorAttachments": [{"kind": "weightedAllocation", "allocations": [{"weight": 1.5, "queueSelectors": []}]}]})", "", ""},
    {"UpsertWorker", R"({"capacity": -1})", "InvalidValue", "capacity"},
    {"UpsertWorker", R"({"capacity": 2147483648})", "InvalidValue", "capacity"},
    {"UpsertWorker", R"({"channels": [{"channelId": "voice", "capacityCostPerJob": -1}]})", "InvalidValue", "channels[0].capacityCostPerJob"},
    {"UpsertWorker", R"({"channels": [{"channelId": "voice", "capacityCostPerJob": 1, "maxNumberOfJobs": 0}]})", "InvalidValue", "channels[0].maxNumberOfJobs"},
    {"UpsertJob", R"({"priority": 101})", "InvalidValue", "priority"},
    {"UpsertJob", R"({"priority": -101})", "InvalidValue", "priority"},
    {"UpsertJob", R"({"priority": 1.5})", "InvalidValue", "priority"},
    {"UpsertJob", R"({"priority": 1e20})", "InvalidValue", "priority"},
    {"UpsertJob", R"({"requestedWorkerSelectors": [{"key": "a", "labelOperator": "equal", "value": 1, "expiresAfterSeconds": -1}]})", "", ""},
    {"UpsertJob", R"({"matchingMode": {"kind": "scheduleAndSuspend", "scheduleAt": "2024-13-45T99:00:00Z"}})", "", ""},
    {"DeclineJobOffer", R"({"retryOfferAt": "not a date"})", "InvalidValue", "retryOfferAt"},
    {"CloseJob", R"({"closeAt": "31/12/2024"})", "", "closeAt"},
};

const std::vector<BadBody> kUnknownKinds = {
    {"UpsertDistributionPolicy", R"({"mode": {"kind": "fastest"}})", "UnknownKind", ""},
    {"UpsertDistributionPolicy", R"({"mode": {"kind": "bestWorker", "scoringRule": {"kind": "magic"}}})", "UnknownKind", ""},
    {"UpsertClassificationPolicy", R"({"prioritizationRule": {"kind": "nope"}})", "UnknownKind", ""},
    {"UpsertClassificationPolicy", R"({"queueSelectorAttachments": [{"kind": "teleport"}]})", "UnknownKind", ""},
    {"UpsertClassificationPolicy", R"({"workerSelectorAttachments": [{"kind": "static", "workerSelector": {"key": "a", "labelOperator": "approximately", "value": 1}}]})", "", ""},
    {"UpsertExceptionPolicy", R"({"exceptionRules": [{"id": "r", "trigger": {"kind": "moonPhase"}, "actions": [{"kind": "cancel"}]}]})", "UnknownKind", ""},
    {"UpsertExceptionPolicy", R"({"exceptionRules": [{"id": "r", "trigger": {"kind": "queueLength", "threshold": 1}, "actions": [{"kind": "explode"}]}]})", "UnknownKind", ""},
    {"UpsertJob", R"({"matchingMode": {"kind": "whenever"}})", "", ""},
    {"UpsertJob", R"({"requestedWorkerSelectors": [{"key": "a", "labelOperator": "like", "value": 1}]})", "", ""},
};

const std::vector<BadBody> kMissingRequired = {
    {"UpsertQueue", R"({"distributionPolicyId": null})", "", "distributionPolicyId"},
    {"UpsertDistributionPolicy", R"({"mode": {"kind": null, "maxConcurrentOffers": 2}})", "", "mode.kind"},
    {"UpsertExceptionPolicy", R"({"exceptionRules": [{"id": "r"}]})", "MissingRequiredField", ""},
    {"UpsertExceptionPolicy", R"({"exceptionRules": [{"trigger": {"kind": "queueLength", "threshold": 1}, "actions": []}]})", "", ""},
    {"UpsertClassificationPolicy", R"({"queueSelectorAttachments": [{"kind": "static"}]})", "", ""},
    {"UpsertClassificationPolicy", R"({"queueSelectorAttachments": [{"kind": "weightedAllocation", "allocations": [{"queueSelectors": []}]}]})", "", ""},
    {"UpsertClassificationPolicy", R"({"prioritizationRule": {"kind": "expression"}})", "", ""},
    {"UpsertWorker", R"({"channels": [{"capacityCostPerJob": 1}]})", "", "channels[0].channelId"},
    {"UpsertJob", R"({"channelId": null})", "", "channelId"},
    {"UpsertJob", R"({"requestedWorkerSelectors": [{"labelOperator": "equal", "value": 1}]})", "", ""},
    {"UpsertJob", R"({"matchingMode": {"kind": "scheduleAndSuspend"}})", "", ""},
};

void runBadBodies(const std::string& kind, const std::vector<BadBody>& table) {
  World w;
  const std::vector<Op> ops = w.operations();
  for (const BadBody& bad : table) {
    const auto op = std::find_if(ops.begin(), ops.end(), [&](const Op& o) { return o.name == bad.operation; });
    REQUIRE(op != ops.end());
    const Reply r = rejected(w, kind + " " + bad.operation, op->method, withApiVersion(targetOf(*op)), bodyHeaders(*op),
                             bad.body, {400});
    INFO(kind << " " << bad.operation << " " << bad.body << " -> " << r.text.substr(0, 400));
    CHECK(errorOf(r)["code"] == "BadRequest");
    CHECK_FALSE(detailsOf(r).empty());
    if (!bad.detailCode.empty()) CHECK(hasDetailCode(r, bad.detailCode));
    if (!bad.target.empty()) CHECK(hasDetailTargetStartingWith(r, bad.target));
  }
}

}  // namespace

TEST_CASE("bad input: wrong types answer 400 InvalidType at the field and change nothing", "[bad-input][robustness]") {
  runBadBodies("wrong type", kWrongTypes);
}

TEST_CASE("bad input: out-of-range numbers and unparsable dates answer 400 and change nothing", "[bad-input][robustness]") {
  runBadBodies("out of range", kOutOfRange);
  World w;
  for (const std::string collection : {"classificationPolicies", "distributionPolicies", "exceptionPolicies", "queues",
                                        "workers", "jobs"}) {
    for (const std::string size : {"0", "-1", "abc", "1.5", "99999999999999999999", ""}) {
      const Reply r = rejected(w, "maxpagesize " + size, "GET", withApiVersion("/routing/" + collection + "?maxpagesize=" + size),
                               {}, "", {400});
      CHECK(hasDetailTarget(r, "maxpagesize"));
    }
  }
}

TEST_CASE("bad input: unknown discriminators and filter values answer 400 and change nothing", "[bad-input][robustness]") {
  runBadBodies("unknown kind", kUnknownKinds);
  World w;
  rejected(w, "job status filter", "GET", withApiVersion("/routing/jobs?status=sleeping"), {}, "", {400});
  rejected(w, "worker state filter", "GET", withApiVersion("/routing/workers?state=asleep"), {}, "", {400});
  rejected(w, "continuation token", "GET", withApiVersion("/routing/jobs?continuationToken=%%%"), {}, "", {400});
  rejected(w, "continuation token", "GET", withApiVersion("/routing/queues?continuationToken=bm90IGEgdG9rZW4"), {}, "", {400});
}

TEST_CASE("bad input: missing required fields answer 400 and change nothing", "[bad-input][robustness]") {
  runBadBodies("missing field", kMissingRequired);
  World w;
  // Creating without the required fields (updates may omit them: merge-patch keeps the stored values).
  rejected(w, "new job without channelId", "PATCH", withApiVersion("/routing/jobs/new"), {{"content-type", kMergePatchContentType}},
           R"({"queueId": "q1"})", {400});
  rejected(w, "new queue without distributionPolicyId", "PATCH", withApiVersion("/routing/queues/new"),
           {{"content-type", kMergePatchContentType}}, "{}", {400});
  rejected(w, "new job with a null body", "PATCH", withApiVersion("/routing/jobs/new"), {{"content-type", kMergePatchContentType}},
           "null", {400});
}

TEST_CASE("bad input: a request that only comes close to the limits is served", "[bad-input][robustness]") {
  // 200 KB of labels and 32 levels of nesting are within the limits (256 KiB, 32 levels): accepted.
  Api api;
  api.distributionPolicy("dp1");
  const std::string big(200 * 1024, 'b');
  CHECK_STATUS(api.patch("/routing/queues/q1", json{{"distributionPolicyId", "dp1"}, {"labels", {{"big", big}}}}), 201);
  CHECK(api.fetch("/routing/queues/q1")["labels"]["big"] == big);
  const std::string deep = std::string(30, '[') + std::string(30, ']');  // 32 levels with the two objects
  const Reply r = api.patchText("/routing/queues/q1", R"({"labels": {"deep": )" + deep + "}}");
  CHECK(r.status == 400);
  CHECK_FALSE(hasDetailCode(r, "InvalidJson"));  // judged by validation (a label value must be a primitive)
}

TEST_CASE("bad input: a state snapshot nested too deeply is refused and changes nothing", "[bad-input][robustness]") {
  Api api;
  api.queue("q1");
  const std::string before = api.state();
  // Valid JSON, but nothing an exported state holds nests 100,000 levels deep.
  const std::string deep = R"({"deep": )" + std::string(100000, '[') + std::string(100000, ']') + "}";
  CHECK_FALSE(api.router.importState(deep));
  json snapshot = json::parse(before);
  json nested = json::array();
  for (int i = 0; i < 70; ++i) nested = json::array({nested});
  snapshot["extra"] = nested;
  CHECK_FALSE(api.router.importState(snapshot.dump()));
  CHECK(api.state() == before);
  CHECK(api.router.importState(before));  // a real snapshot still loads
  CHECK(api.state() == before);
}
