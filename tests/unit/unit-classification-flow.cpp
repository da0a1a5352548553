// Classification end to end through the request handler: pendingClassification in the PATCH response, then the
// queue, priority and attached selectors the policy decides, with RouterJobClassified / ClassificationFailed.
#include "test-support.hpp"

using namespace jrtest;

TEST_CASE("classification flow: queue by selector, priority by rule, attached worker selectors", "[classification-flow]") {
  Api api;
  api.queue("general");
  api.queue("billing", "dp1", R"({"labels": {"dept": "billing"}})"_json);
  api.classificationPolicy("cp1", R"J({
    "fallbackQueueId": "general",
    "queueSelectorAttachments": [{"kind": "passThrough", "key": "dept", "labelOperator": "equal"}],
    "prioritizationRule": {"kind": "expression", "expression": "If(job.vip = true, 10, 1)"},
    "workerSelectorAttachments": [{"kind": "static", "workerSelector": {"key": "skill", "labelOperator": "greaterThanOrEqual", "value": 5}}]
  })J"_json);
  api.router.drainEvents();
  const json created = api.upsert("/routing/jobs/j1",
                                  R"({"channelId": "voice", "classificationPolicyId": "cp1", "labels": {"dept": "billing", "vip": true}})"_json);
  CHECK(created["status"] == "pendingClassification");
  CHECK_FALSE(created.contains("queueId"));
  const json job = api.fetch("/routing/jobs/j1");
  CHECK(job["status"] == "queued");
  CHECK(job["queueId"] == "billing");
  CHECK(job["priority"] == 10);
  REQUIRE(job["attachedWorkerSelectors"].size() == 1);
  CHECK(job["attachedWorkerSelectors"][0]["key"] == "skill");
  CHECK(job["attachedWorkerSelectors"][0]["status"] == "active");
  CHECK(drainEventTypes(api) == R"(["RouterJobReceived", "RouterJobClassified", "RouterJobQueued"])"_json);

  SECTION("a label change answers pendingClassification and moves the job") {
    const json patched = api.upsert("/routing/jobs/j1", R"({"labels": {"dept": "sales", "vip": false}})"_json);
    CHECK(patched["status"] == "pendingClassification");
    const json moved = api.fetch("/routing/jobs/j1");
    CHECK(moved["status"] == "queued");
    CHECK(moved["queueId"] == "general");  // no queue has dept=sales: the fallback
    CHECK(moved["priority"] == 1);
  }
  SECTION("the attached selector constrains matching") {
    api.upsert("/routing/workers/w1", R"({"capacity": 1, "queues": ["billing"], "availableForOffers": true,
        "channels": [{"channelId": "voice", "capacityCostPerJob": 1}], "labels": {"skill": 3}})"_json);
    CHECK(api.fetch("/routing/workers/w1")["offers"].empty());
    api.upsert("/routing/workers/w1", R"({"labels": {"skill": 7}})"_json);
    CHECK(api.fetch("/routing/workers/w1")["offers"].size() == 1);
  }
  SECTION(":reclassify runs the policy again") {
    REQUIRE(api.post("/routing/jobs/j1:reclassify").status == 200);
    CHECK(api.fetch("/routing/jobs/j1")["status"] == "queued");
    CHECK(drainEventTypes(api) == R"(["RouterJobClassified", "RouterJobQueued"])"_json);
  }
}

TEST_CASE("classification flow: a job with its own queue and a fallback-only policy stays in its queue", "[classification-flow]") {
  Api api;
  api.queue("own");
  api.queue("fallback");
  api.classificationPolicy("cp1", R"({"fallbackQueueId": "fallback"})"_json);
  api.upsert("/routing/jobs/j1", R"({"channelId": "voice", "queueId": "own", "classificationPolicyId": "cp1"})"_json);
  CHECK(api.fetch("/routing/jobs/j1")["queueId"] == "own");
}

TEST_CASE("classification flow: no queue found fails classification", "[classification-flow]") {
  Api api;
  api.queue("q1");
  api.classificationPolicy("cp1", R"({"queueSelectorAttachments": [{"kind": "static", "queueSelector": {"key": "Id", "labelOperator": "equal", "value": "nope"}}]})"_json);
  api.router.drainEvents();
  api.upsert("/routing/jobs/j1", R"({"channelId": "voice", "classificationPolicyId": "cp1"})"_json);
  CHECK(api.fetch("/routing/jobs/j1")["status"] == "classificationFailed");
  const json events = json::parse(api.router.drainEvents());
  REQUIRE(events.size() == 2);
  CHECK(events[1]["eventType"] == "Microsoft.Communication.RouterJobClassificationFailed");
  CHECK(events[1]["subject"] == "job/j1/channel/voice/classificationpolicy/cp1");
  CHECK(events[1]["data"]["errors"][0]["code"] == "ClassificationFailed");
  CHECK(api.del("/routing/jobs/j1").status == 204);  // classificationFailed is terminal

}

TEST_CASE("classification flow: function rules are answered by the host; the job waits meanwhile", "[classification-flow]") {
  Api api;
  api.queue("q1");
  api.classificationPolicy("cp2", R"({"prioritizationRule": {"kind": "function", "functionUri": "https://example.invalid/api/prio"}})"_json);
  api.router.drainEvents();
  api.upsert("/routing/jobs/j2", R"({"channelId": "voice", "queueId": "q1", "classificationPolicyId": "cp2", "labels": {"vip": true}})"_json);
  CHECK(api.fetch("/routing/jobs/j2")["status"] == "pendingClassification");
  const json requests = json::parse(api.router.drainRuleRequests());
  REQUIRE(requests.size() == 1);
  CHECK(requests[0]["jobId"] == "j2");
  CHECK(requests[0]["kind"] == "function");
  CHECK(requests[0]["uri"] == "https://example.invalid/api/prio");
  CHECK(requests[0]["payload"] == R"({"job": {"vip": true}})"_json);
  CHECK(json::parse(api.router.drainRuleRequests()).empty());  // published once
  CHECK(drainEventTypes(api) == R"(["RouterJobReceived"])"_json);
  const std::string id = requests[0]["requestId"];

  SECTION("an answer completes classification") {
    REQUIRE(api.router.answerRuleRequest(id, "7", ""));
    const json job = api.fetch("/routing/jobs/j2");
    CHECK(job["status"] == "queued");
    CHECK(job["priority"] == 7);
    CHECK(drainEventTypes(api) == R"(["RouterJobClassified", "RouterJobQueued"])"_json);
    CHECK_FALSE(api.router.answerRuleRequest(id, "7", ""));  // already answered
  }
  SECTION("a result nested deeper than 32 levels fails classification instead of being parsed") {
    REQUIRE(api.router.answerRuleRequest(id, std::string(100000, '[') + std::string(100000, ']'), ""));
    CHECK(api.fetch("/routing/jobs/j2")["status"] == "classificationFailed");
    const json events = json::parse(api.router.drainEvents());
    REQUIRE(events.size() == 1);
    CHECK(contains(events[0]["data"]["errors"][0]["message"].get<std::string>(), "deeper than 32"));
  }
  SECTION("a failure fails classification") {
    REQUIRE(api.router.answerRuleRequest(id, "", "function returned 500"));
    CHECK(api.fetch("/routing/jobs/j2")["status"] == "classificationFailed");
    const json events = json::parse(api.router.drainEvents());
    REQUIRE(events.size() == 1);
    CHECK(contains(events[0]["data"]["errors"][0]["message"].get<std::string>(), "function returned 500"));
  }
  SECTION("a pending request survives export and import, and is published again") {
    jrtest::Api b;
    REQUIRE(b.router.importState(api.state()));
    const json again = json::parse(b.router.drainRuleRequests());
    REQUIRE(again.size() == 1);
    CHECK(again[0]["requestId"] == id);
    REQUIRE(b.router.answerRuleRequest(id, "3", ""));
    CHECK(b.fetch("/routing/jobs/j2")["priority"] == 3);
  }
  SECTION("an unknown request or an unparsable result is refused") {
    CHECK_FALSE(api.router.answerRuleRequest("nope", "1", ""));
    CHECK_FALSE(api.router.answerRuleRequest(id, "{bad", ""));
  }
}

TEST_CASE("classification flow: weighted allocation is deterministic per seed", "[classification-flow]") {
  auto run = [](std::uint64_t seed) {
    jr::RouterOptions options;
    options.seed = seed;
    Api api(options);
    api.queue("a");
    api.queue("b");
    api.classificationPolicy("cp1", R"({"queueSelectorAttachments": [{"kind": "weightedAllocation", "allocations": [
        {"weight": 0.5, "queueSelectors": [{"key": "Id", "labelOperator": "equal", "value": "a"}]},
        {"weight": 0.5, "queueSelectors": [{"key": "Id", "labelOperator": "equal", "value": "b"}]}]}]})"_json);
    std::string queues;
    for (int i = 0; i < 20; ++i) {
      const std::string id = "j" + std::to_string(i);
      api.upsert("/routing/jobs/" + id, R"({"channelId": "voice", "classificationPolicyId": "cp1"})"_json);
      queues += api.fetch("/routing/jobs/" + id)["queueId"].get<std::string>();
    }
    return queues;
  };
  const std::string first = run(7);
  CHECK(first == run(7));
  CHECK(first.find('a') != std::string::npos);
  CHECK(first.find('b') != std::string::npos);
}
