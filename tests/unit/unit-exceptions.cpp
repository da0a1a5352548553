// Exception policies: waitTime and queueLength triggers with cancel, manualReclassify and reclassify actions;
// each rule fires once per queue entry, with RouterJobExceptionTriggered.
#include "test-support.hpp"

using namespace jrtest;

namespace {

// Queue "q1" with exception policy "ep1" holding `rules`; a second queue "q2" for reclassification.
void setUp(Api& api, const json& rules) {
  api.queue("q2");
  api.exceptionPolicy("ep1", json{{"exceptionRules", rules}});
  api.queue("q1", "dp1", R"({"exceptionPolicyId": "ep1"})"_json);
}

}  // namespace

TEST_CASE("exceptions: waitTime with cancel fires at enqueuedAt + thresholdSeconds", "[exceptions]") {
  Api api;
  setUp(api, R"([{"id": "tooLong", "trigger": {"kind": "waitTime", "thresholdSeconds": 30},
                 "actions": [{"kind": "cancel", "note": "waited too long", "dispositionCode": "Timeout"}]}])"_json);
  api.job("j1");
  api.router.drainEvents();
  api.router.advance(29'999);
  CHECK(api.fetch("/routing/jobs/j1")["status"] == "queued");
  api.router.advance(1);
  const json job = api.fetch("/routing/jobs/j1");
  CHECK(job["status"] == "cancelled");
  CHECK(job["dispositionCode"] == "Timeout");
  CHECK(job["notes"][0]["message"] == "waited too long");
  CHECK(job["notes"][0]["addedAt"] == "2024-01-01T00:00:30+00:00");
  const json events = json::parse(api.router.drainEvents());
  REQUIRE(events.size() == 2);
  CHECK(events[0]["eventType"] == "Microsoft.Communication.RouterJobExceptionTriggered");
  CHECK(events[0]["subject"] == "job/j1/channel/voice/exceptionrule/tooLong");
  CHECK(events[0]["data"]["ruleKey"] == "tooLong");
  CHECK(events[0]["data"]["exceptionRuleId"] == "ep1");
  CHECK(events[1]["eventType"] == "Microsoft.Communication.RouterJobCancelled");
}

TEST_CASE("exceptions: an assigned job does not trigger waitTime", "[exceptions]") {
  Api api;
  setUp(api, R"([{"id": "r", "trigger": {"kind": "waitTime", "thresholdSeconds": 10}, "actions": [{"kind": "cancel"}]}])"_json);
  api.upsert("/routing/workers/w1", R"({"capacity": 1, "queues": ["q1"], "availableForOffers": true,
      "channels": [{"channelId": "voice", "capacityCostPerJob": 1}]})"_json);
  api.job("j1");
  const std::string offerId = api.fetch("/routing/workers/w1")["offers"][0]["offerId"];
  REQUIRE(api.post("/routing/workers/w1/offers/" + offerId + ":accept").status == 200);
  api.router.advance(60'000);
  CHECK(api.fetch("/routing/jobs/j1")["status"] == "assigned");
}

TEST_CASE("exceptions: manualReclassify moves the job once; the new queue entry can trigger again", "[exceptions]") {
  Api api;
  setUp(api, R"([{"id": "escalate", "trigger": {"kind": "waitTime", "thresholdSeconds": 10},
                 "actions": [{"kind": "manualReclassify", "queueId": "q2", "priority": 50,
                              "workerSelectors": [{"key": "senior", "labelOperator": "equal", "value": true}]}]}])"_json);
  api.job("j1");
  api.router.advance(10'000);
  const json job = api.fetch("/routing/jobs/j1");
  CHECK(job["status"] == "queued");
  CHECK(job["queueId"] == "q2");
  CHECK(job["priority"] == 50);
  CHECK(job["enqueuedAt"] == "2024-01-01T00:00:10+00:00");
  REQUIRE(job["requestedWorkerSelectors"].size() == 1);
  CHECK(job["requestedWorkerSelectors"][0]["key"] == "senior");
  const json types = drainEventTypes(api);
  CHECK(std::count(types.begin(), types.end(), "RouterJobExceptionTriggered") == 1);
}

TEST_CASE("exceptions: reclassify upserts labels and runs the classification policy", "[exceptions]") {
  Api api;
  api.queue("q2", "dp1", R"({"labels": {"tier": "gold"}})"_json);
  api.classificationPolicy("cp1", R"({"fallbackQueueId": "q2", "queueSelectorAttachments": [
      {"kind": "passThrough", "key": "tier", "labelOperator": "equal"}]})"_json);
  api.exceptionPolicy("ep1", R"({"exceptionRules": [{"id": "r", "trigger": {"kind": "waitTime", "thresholdSeconds": 5},
      "actions": [{"kind": "reclassify", "classificationPolicyId": "cp1", "labelsToUpsert": {"tier": "gold"}}]}]})"_json);
  api.queue("q1", "dp1", R"({"exceptionPolicyId": "ep1"})"_json);
  api.job("j1");
  api.router.advance(5'000);
  const json job = api.fetch("/routing/jobs/j1");
  CHECK(job["status"] == "queued");
  CHECK(job["queueId"] == "q2");
  CHECK(job["classificationPolicyId"] == "cp1");
  CHECK(job["labels"]["tier"] == "gold");
}

TEST_CASE("exceptions: queueLength fires for a job entering a queue longer than the threshold", "[exceptions]") {
  Api api;
  setUp(api, R"([{"id": "overflow", "trigger": {"kind": "queueLength", "threshold": 1},
                 "actions": [{"kind": "manualReclassify", "queueId": "q2"}]}])"_json);
  api.job("j1");
  CHECK(api.fetch("/routing/jobs/j1")["queueId"] == "q1");
  api.job("j2");
  const json j2 = api.fetch("/routing/jobs/j2");
  CHECK(j2["queueId"] == "q2");
  CHECK(j2["status"] == "queued");
  CHECK(api.fetch("/routing/jobs/j1")["queueId"] == "q1");
}

TEST_CASE("exceptions: pending triggers survive export and import", "[exceptions][state]") {
  Api a;
  setUp(a, R"([{"id": "r", "trigger": {"kind": "waitTime", "thresholdSeconds": 20}, "actions": [{"kind": "cancel"}]}])"_json);
  a.job("j1");
  a.router.drainEvents();
  Api b;
  REQUIRE(b.router.importState(a.state()));
  b.router.advance(20'000);
  CHECK(b.fetch("/routing/jobs/j1")["status"] == "cancelled");
}

TEST_CASE("exceptions: queueLength with cancel and with reclassify", "[exceptions]") {
  SECTION("cancel") {
    Api api;
    setUp(api, R"([{"id": "full", "trigger": {"kind": "queueLength", "threshold": 2}, "actions": [{"kind": "cancel"}]}])"_json);
    api.job("j1");
    api.job("j2");
    api.job("j3");
    CHECK(api.fetch("/routing/jobs/j2")["status"] == "queued");
    const json j3 = api.fetch("/routing/jobs/j3");
    CHECK(j3["status"] == "cancelled");
    CHECK(j3["dispositionCode"] == "Cancelled");
  }
  SECTION("reclassify") {
    Api api;
    api.queue("q2", "dp1", R"({"labels": {"overflow": true}})"_json);
    api.classificationPolicy("cp1", R"({"queueSelectorAttachments": [{"kind": "passThrough", "key": "overflow", "labelOperator": "equal"}]})"_json);
    api.exceptionPolicy("ep1", R"({"exceptionRules": [{"id": "r", "trigger": {"kind": "queueLength", "threshold": 1},
        "actions": [{"kind": "reclassify", "classificationPolicyId": "cp1", "labelsToUpsert": {"overflow": true}}]}]})"_json);
    api.queue("q1", "dp1", R"({"exceptionPolicyId": "ep1"})"_json);
    api.job("j1");
    api.job("j2");
    const json j2 = api.fetch("/routing/jobs/j2");
    CHECK(j2["queueId"] == "q2");
    CHECK(j2["labels"]["overflow"] == true);
    CHECK(api.fetch("/routing/jobs/j1")["queueId"] == "q1");
  }
}

TEST_CASE("exceptions: rules that move a job back and forth at one instant cannot hang the router", "[exceptions]") {
  Api api;
  api.queue("a");
  api.queue("b");
  api.exceptionPolicy("toB", R"({"exceptionRules": [{"id": "r", "trigger": {"kind": "waitTime", "thresholdSeconds": 0},
      "actions": [{"kind": "manualReclassify", "queueId": "b"}]}]})"_json);
  api.exceptionPolicy("toA", R"({"exceptionRules": [{"id": "r", "trigger": {"kind": "waitTime", "thresholdSeconds": 0},
      "actions": [{"kind": "manualReclassify", "queueId": "a"}]}]})"_json);
  api.queue("a", "dp1", R"({"exceptionPolicyId": "toB"})"_json);
  api.queue("b", "dp1", R"({"exceptionPolicyId": "toA"})"_json);
  Reply r = api.patch("/routing/jobs/j1", R"({"channelId": "voice", "queueId": "a"})"_json);
  CHECK(r.status == 201);  // answered: the work per request is bounded
  api.router.advance(1000);
  const json job = api.fetch("/routing/jobs/j1");
  CHECK(job["status"] == "queued");
  api.router.drainEvents();
}

TEST_CASE("exceptions: a rule that escalates a job within its own queue fires once for that job", "[exceptions]") {
  // "When the queue is long, raise the priority": manualReclassify to the same queue. The job's return to the queue
  // does not re-arm the rule that sent it there (it would otherwise fire again at once, forever).
  Api api;
  api.queue("q1");
  api.exceptionPolicy("escalate", R"({"exceptionRules": [{"id": "long", "trigger": {"kind": "queueLength", "threshold": 1},
      "actions": [{"kind": "manualReclassify", "queueId": "q1", "priority": 5}]}]})"_json);
  api.queue("q1", "dp1", R"({"exceptionPolicyId": "escalate"})"_json);
  api.job("j1");
  api.job("j2");  // the queue holds 2 > 1: the rule fires for j2
  const json types = drainEventTypes(api);
  CHECK(std::count(types.begin(), types.end(), "RouterJobExceptionTriggered") == 1);
  CHECK(api.fetch("/routing/jobs/j2")["priority"] == 5);
  CHECK(api.fetch("/routing/jobs/j2")["status"] == "queued");
  CHECK(api.fetch("/routing/jobs/j1")["priority"] == 1);
  api.job("j3");  // and once for j3
  const json more = drainEventTypes(api);
  CHECK(std::count(more.begin(), more.end(), "RouterJobExceptionTriggered") == 1);
  api.router.advance(60'000);
  CHECK(drainEventTypes(api).empty());
  // The return to the same queue survives a snapshot: an imported copy does not fire again either.
  Api copy;
  REQUIRE(copy.router.importState(api.state()));
  CHECK(copy.state() == api.state());
}

TEST_CASE("exceptions: after an escalation in its own queue, a move to another queue re-arms that queue's rules",
          "[exceptions]") {
  Api api;
  api.queue("q1");
  api.queue("q2");
  api.exceptionPolicy("escalate", R"({"exceptionRules": [
      {"id": "long", "trigger": {"kind": "queueLength", "threshold": 0},
       "actions": [{"kind": "manualReclassify", "queueId": "q1", "priority": 5}]},
      {"id": "wait", "trigger": {"kind": "waitTime", "thresholdSeconds": 30},
       "actions": [{"kind": "manualReclassify", "queueId": "q2"}]}]})"_json);
  api.queue("q1", "dp1", R"({"exceptionPolicyId": "escalate"})"_json);
  api.queue("q2", "dp1", R"({"exceptionPolicyId": "escalate"})"_json);
  api.job("j1");  // q1: "long" fires once (back into q1 with priority 5), and no more
  CHECK(api.fetch("/routing/jobs/j1")["priority"] == 5);
  const json first = drainEventTypes(api);
  CHECK(std::count(first.begin(), first.end(), "RouterJobExceptionTriggered") == 1);
  // At 30 s "wait" moves it to q2, a new queue: "long" fires there and sends it to q1 — another queue again, so
  // "long" fires once more in q1 and returns it to q1 itself, where it stays.
  api.router.advance(30'000);
  const json job = api.fetch("/routing/jobs/j1");
  CHECK(job["queueId"] == "q1");
  CHECK(job["status"] == "queued");
  const json types = drainEventTypes(api);
  CHECK(std::count(types.begin(), types.end(), "RouterJobExceptionTriggered") == 3);
  api.router.advance(29'999);
  CHECK(drainEventTypes(api).empty());
}
