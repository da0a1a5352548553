// Input validation of the PATCH bodies: ranges, types, required fields, discriminators, dates and references.
// Every rejected request answers 400 BadRequest "One or more validation errors occurred." with details naming
// the offending field, and changes nothing.
#include "test-support.hpp"

using namespace jrtest;

namespace {

// PATCHes `body` to `path` and checks a validation error whose detail targets `detailTarget`; the state must
// not change.
void expectRejected(Api& api, const std::string& path, const json& body, const std::string& detailTarget,
                    const std::string& detailCode = std::string()) {
  INFO("PATCH " << path << " " << body.dump());
  const std::string before = api.state();
  Reply r = api.patch(path, body);
  checkValidationError(r, path, detailTarget, detailCode);
  CHECK(api.state() == before);
}

void expectRejectedAnyTarget(Api& api, const std::string& path, const json& body) {
  INFO("PATCH " << path << " " << body.dump());
  const std::string before = api.state();
  Reply r = api.patch(path, body);
  checkBadRequest(r, path);
  CHECK(api.state() == before);
}

}  // namespace

TEST_CASE("validation: job priority must be an integer in -100..100", "[validation][jobs]") {
  Api api;
  api.queue("q1");

  for (int priority : {-100, -1, 0, 100}) {
    INFO("priority " << priority);
    json body = R"({"channelId": "voice", "queueId": "q1"})"_json;
    body["priority"] = priority;
    Reply r = api.patch("/routing/jobs/p" + std::to_string(priority + 100), body);
    CHECK_STATUS(r, 201);
    CHECK(r.body()["priority"] == priority);
  }

  expectRejected(api, "/routing/jobs/j-low", R"({"channelId": "voice", "queueId": "q1", "priority": -101})"_json,
                 "priority");
  expectRejected(api, "/routing/jobs/j-high", R"({"channelId": "voice", "queueId": "q1", "priority": 101})"_json,
                 "priority");
  expectRejected(api, "/routing/jobs/j-frac", R"({"channelId": "voice", "queueId": "q1", "priority": 1.5})"_json,
                 "priority");
  expectRejected(api, "/routing/jobs/j-str", R"({"channelId": "voice", "queueId": "q1", "priority": "5"})"_json,
                 "priority");

  SECTION("an update out of range leaves the job unchanged") {
    api.job("j1", "q1", R"({"priority": 10})"_json);
    expectRejected(api, "/routing/jobs/j1", R"({"priority": 1000})"_json, "priority");
    CHECK(api.fetch("/routing/jobs/j1")["priority"] == 10);
  }
}

TEST_CASE("validation: worker capacity and channels", "[validation][workers]") {
  Api api;

  CHECK_STATUS(api.patch("/routing/workers/w0", R"({"capacity": 0})"_json), 201);
  expectRejected(api, "/routing/workers/w1", R"({"capacity": -1})"_json, "capacity");
  expectRejected(api, "/routing/workers/w1", R"({"capacity": "ten"})"_json, "capacity", "InvalidType");

  CHECK_STATUS(api.patch("/routing/workers/w2",
                         R"({"capacity": 5, "channels": [{"channelId": "voice", "capacityCostPerJob": 0, "maxNumberOfJobs": 1}]})"_json),
               201);
  expectRejected(api, "/routing/workers/w3",
                 R"({"capacity": 5, "channels": [{"channelId": "voice", "capacityCostPerJob": -1}]})"_json,
                 "channels[0].capacityCostPerJob");
  expectRejected(api, "/routing/workers/w3",
                 R"({"capacity": 5, "channels": [{"channelId": "voice", "capacityCostPerJob": 1, "maxNumberOfJobs": 0}]})"_json,
                 "channels[0].maxNumberOfJobs");
  expectRejected(api, "/routing/workers/w3",
                 R"({"capacity": 5, "channels": [{"channelId": "chat", "capacityCostPerJob": 1},
                                                 {"channelId": "voice", "capacityCostPerJob": 1, "maxNumberOfJobs": -2}]})"_json,
                 "channels[1].maxNumberOfJobs");
  expectRejected(api, "/routing/workers/w3", R"({"capacity": 5, "channels": [{"capacityCostPerJob": 1}]})"_json,
                 "channels[0].channelId", "MissingRequiredField");
  expectRejected(api, "/routing/workers/w3", R"({"availableForOffers": "yes"})"_json, "availableForOffers",
                 "InvalidType");
  expectRejected(api, "/routing/workers/w3", R"({"queues": "q1"})"_json, "queues", "InvalidType");

  SECTION("channel ids must be unique") {
    const std::string before = api.state();
    Reply r = api.patch("/routing/workers/w4", R"({"capacity": 5, "channels": [
        {"channelId": "voice", "capacityCostPerJob": 1}, {"channelId": "voice", "capacityCostPerJob": 2}]})"_json);
    checkBadRequest(r, "/routing/workers/w4");
    CHECK(hasDetailCode(r, "DuplicateId"));
    CHECK(api.state() == before);
  }
}

TEST_CASE("validation: label, tag, selector and static rule values must be primitives", "[validation]") {
  Api api;
  api.queue("q1");

  SECTION("primitive values are accepted and keep their JSON type") {
    Reply r = api.patch("/routing/workers/w1",
                        R"({"labels": {"s": "text", "i": 42, "d": 10.01, "b": false}, "tags": {"t": true}})"_json);
    CHECK_STATUS(r, 201);
    json labels = r.body()["labels"];
    CHECK(labels["s"] == "text");
    CHECK(labels["i"].is_number_integer());
    CHECK(labels["i"] == 42);
    CHECK(labels["d"] == 10.01);
    CHECK(labels["b"] == false);
  }

  // The exact JSON path of a map entry is not pinned down; the detail target must start with the map's name.
  const std::vector<std::pair<std::string, json>> cases = {
      {"/routing/workers/w2", R"({"labels": {"bad": {"nested": 1}}})"_json},
      {"/routing/workers/w2", R"({"labels": {"bad": [1, 2]}})"_json},
      {"/routing/workers/w2", R"({"tags": {"bad": {"nested": 1}}})"_json},
      {"/routing/jobs/j2", R"({"channelId": "voice", "queueId": "q1", "labels": {"bad": [true]}})"_json},
      {"/routing/jobs/j2", R"({"channelId": "voice", "queueId": "q1", "tags": {"bad": {}}})"_json},
      {"/routing/queues/q2", R"({"distributionPolicyId": "dp1", "labels": {"bad": ["x"]}})"_json},
      {"/routing/jobs/j2", R"({"channelId": "voice", "queueId": "q1",
          "requestedWorkerSelectors": [{"key": "k", "labelOperator": "equal", "value": {"x": 1}}]})"_json},
      {"/routing/classificationPolicies/cp2", R"({"prioritizationRule": {"kind": "static", "value": [1]}})"_json},
  };
  for (const auto& [path, body] : cases) {
    INFO("PATCH " << path << " " << body.dump());
    const std::string before = api.state();
    Reply r = api.patch(path, body);
    checkBadRequest(r, path);
    const std::string firstKey = body.contains("labels") ? "labels"
                                 : body.contains("tags") ? "tags"
                                 : body.contains("requestedWorkerSelectors") ? "requestedWorkerSelectors[0].value"
                                                                             : "prioritizationRule.value";
    CHECK(hasDetailTargetStartingWith(r, firstKey));
    CHECK(api.state() == before);
  }

  SECTION("labels must be an object") {
    expectRejected(api, "/routing/workers/w3", R"({"labels": ["a"]})"_json, "labels", "InvalidType");
  }
}

TEST_CASE("validation: an unknown kind is 400 UnknownKind", "[validation]") {
  Api api;
  api.queue("q1");

  expectRejected(api, "/routing/distributionPolicies/dp2", R"({"mode": {"kind": "fastest"}})"_json, "mode.kind",
                 "UnknownKind");
  expectRejected(api, "/routing/jobs/j1", R"({"channelId": "voice", "queueId": "q1", "matchingMode": {"kind": "later"}})"_json,
                 "matchingMode.kind", "UnknownKind");
  expectRejected(api, "/routing/classificationPolicies/cp1", R"({"prioritizationRule": {"kind": "magic"}})"_json,
                 "prioritizationRule.kind", "UnknownKind");
  expectRejected(api, "/routing/classificationPolicies/cp1",
                 R"({"queueSelectorAttachments": [{"kind": "random"}]})"_json, "queueSelectorAttachments[0].kind",
                 "UnknownKind");
  expectRejected(api, "/routing/classificationPolicies/cp1",
                 R"({"workerSelectorAttachments": [{"kind": "random"}]})"_json, "workerSelectorAttachments[0].kind",
                 "UnknownKind");
  expectRejected(api, "/routing/exceptionPolicies/ep1",
                 R"({"exceptionRules": [{"id": "r1", "trigger": {"kind": "someday"}, "actions": []}]})"_json,
                 "exceptionRules[0].trigger.kind", "UnknownKind");
  expectRejected(api, "/routing/exceptionPolicies/ep1",
                 R"({"exceptionRules": [{"id": "r1", "trigger": {"kind": "queueLength", "threshold": 1},
                                         "actions": [{"kind": "explode"}]}]})"_json,
                 "exceptionRules[0].actions[0].kind", "UnknownKind");
}

TEST_CASE("validation: kebab-case discriminators are accepted and returned in camelCase", "[validation]") {
  Api api;

  SECTION("distribution modes") {
    const std::vector<std::pair<std::string, std::string>> modes = {
        {"longest-idle", "longestIdle"}, {"round-robin", "roundRobin"}, {"best-worker", "bestWorker"}};
    for (const auto& [sent, returned] : modes) {
      INFO(sent);
      json body = R"({"offerExpiresAfterSeconds": 10})"_json;
      body["mode"]["kind"] = sent;
      Reply r = api.patch("/routing/distributionPolicies/" + sent, body);
      CHECK_STATUS(r, 201);
      CHECK(r.body()["mode"]["kind"] == returned);
      CHECK(api.fetch("/routing/distributionPolicies/" + sent)["mode"]["kind"] == returned);
    }
  }

  SECTION("job matching modes") {
    api.queue("q1");
    Reply r = api.patch("/routing/jobs/j1", R"({"channelId": "voice", "queueId": "q1", "matchingMode": {"kind": "queue-and-match"}})"_json);
    CHECK_STATUS(r, 201);
    CHECK(r.body()["matchingMode"]["kind"] == "queueAndMatch");

    Reply s = api.patch("/routing/jobs/j2", R"({"channelId": "voice", "queueId": "q1",
        "matchingMode": {"kind": "schedule-and-suspend", "scheduleAt": "2024-06-01T00:00:00Z"}})"_json);
    CHECK_STATUS(s, 201);
    CHECK(s.body()["matchingMode"]["kind"] == "scheduleAndSuspend");
  }

  SECTION("exception triggers and actions") {
    api.queue("q1");
    Reply r = api.patch("/routing/exceptionPolicies/ep1", R"({"exceptionRules": [
        {"id": "r1", "trigger": {"kind": "wait-time", "thresholdSeconds": 30},
         "actions": [{"kind": "manual-reclassify", "queueId": "q1"}]},
        {"id": "r2", "trigger": {"kind": "queue-length", "threshold": 3}, "actions": [{"kind": "cancel"}]}]})"_json);
    CHECK_STATUS(r, 201);
    json rules = r.body()["exceptionRules"];
    CHECK(rules[0]["trigger"]["kind"] == "waitTime");
    CHECK(rules[0]["actions"][0]["kind"] == "manualReclassify");
    CHECK(rules[1]["trigger"]["kind"] == "queueLength");
  }

  SECTION("attachments and rules") {
    Reply r = api.patch("/routing/classificationPolicies/cp1", R"({
      "queueSelectorAttachments": [
        {"kind": "pass-through", "key": "region", "labelOperator": "equal"},
        {"kind": "rule-engine", "rule": {"kind": "direct-map"}},
        {"kind": "weighted-allocation", "allocations": [
            {"weight": 1, "queueSelectors": [{"key": "Id", "labelOperator": "equal", "value": "q1"}]}]}],
      "workerSelectorAttachments": [
        {"kind": "pass-through", "key": "skill", "labelOperator": "equal"}]
    })"_json);
    CHECK_STATUS(r, 201);
    json cp = r.body();
    CHECK(cp["queueSelectorAttachments"][0]["kind"] == "passThrough");
    CHECK(cp["queueSelectorAttachments"][1]["kind"] == "ruleEngine");
    CHECK(cp["queueSelectorAttachments"][1]["rule"]["kind"] == "directMap");
    CHECK(cp["queueSelectorAttachments"][2]["kind"] == "weightedAllocation");
    CHECK(cp["workerSelectorAttachments"][0]["kind"] == "passThrough");
  }
}

TEST_CASE("validation: malformed date-times are rejected", "[validation]") {
  Api api;
  api.queue("q1");

  expectRejected(api, "/routing/jobs/j1", R"({"channelId": "voice", "queueId": "q1",
      "matchingMode": {"kind": "scheduleAndSuspend", "scheduleAt": "tomorrow"}})"_json,
                 "matchingMode.scheduleAt");
  expectRejected(api, "/routing/jobs/j1", R"({"channelId": "voice", "queueId": "q1",
      "notes": [{"message": "m", "addedAt": "2024-13-01T00:00:00Z"}]})"_json,
                 "notes[0].addedAt");
  expectRejected(api, "/routing/jobs/j1", R"({"channelId": "voice", "queueId": "q1",
      "notes": [{"message": "m", "addedAt": "01/02/2024"}]})"_json,
                 "notes[0].addedAt");
  expectRejected(api, "/routing/jobs/j1", R"({"channelId": "voice", "queueId": "q1",
      "notes": [{"message": "m", "addedAt": 1704067200}]})"_json,
                 "notes[0].addedAt");
}

TEST_CASE("validation: accepted date-time forms are normalised to +00:00 with trimmed fractions", "[validation]") {
  Api api;
  api.job("j1", "q1");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"2024-01-01T00:00:00Z", "2024-01-01T00:00:00+00:00"},
      {"2024-01-01T02:30:00+02:30", "2024-01-01T00:00:00+00:00"},
      {"2023-12-31T19:00:00-05:00", "2024-01-01T00:00:00+00:00"},
      {"2024-01-01T00:00:05.5000000Z", "2024-01-01T00:00:05.5+00:00"},
      {"2024-01-01T00:00:05.1234567Z", "2024-01-01T00:00:05.1234567+00:00"},
      {"2040-01-01T01:01:01.000000001Z", "2040-01-01T01:01:01+00:00"},
      {"2022-09-01T03:00:00.0000000Z", "2022-09-01T03:00:00+00:00"},
      {"2024-01-01T00:00:05.25+00:00", "2024-01-01T00:00:05.25+00:00"},
  };
  for (const auto& [sent, returned] : cases) {
    INFO(sent);
    json body;
    body["notes"] = json::array({{{"message", "note"}, {"addedAt", sent}}});
    Reply r = api.patch("/routing/jobs/j1", body);
    CHECK_STATUS(r, 200);
    json j = r.body();
    REQUIRE(j["notes"].size() == 1);
    CHECK(j["notes"][0]["addedAt"] == returned);
  }
}

TEST_CASE("validation: required fields", "[validation]") {
  Api api;
  api.queue("q1");
  api.classificationPolicy("cp1");

  SECTION("a job needs a channelId") {
    expectRejected(api, "/routing/jobs/j1", R"({"queueId": "q1"})"_json, "channelId", "MissingRequiredField");
  }
  SECTION("a job needs a queueId or a classificationPolicyId") {
    expectRejectedAnyTarget(api, "/routing/jobs/j1", R"({"channelId": "voice"})"_json);
  }
  SECTION("scheduleAndSuspend needs scheduleAt") {
    expectRejected(api, "/routing/jobs/j1",
                   R"({"channelId": "voice", "queueId": "q1", "matchingMode": {"kind": "scheduleAndSuspend"}})"_json,
                   "matchingMode.scheduleAt", "MissingRequiredField");
  }
  SECTION("a note needs a message") {
    expectRejected(api, "/routing/jobs/j1",
                   R"({"channelId": "voice", "queueId": "q1", "notes": [{"addedAt": "2024-01-01T00:00:00Z"}]})"_json,
                   "notes[0].message", "MissingRequiredField");
  }
  SECTION("a worker selector needs a key and a labelOperator") {
    expectRejected(api, "/routing/jobs/j1",
                   R"({"channelId": "voice", "queueId": "q1", "requestedWorkerSelectors": [{"labelOperator": "equal", "value": 1}]})"_json,
                   "requestedWorkerSelectors[0].key", "MissingRequiredField");
    expectRejected(api, "/routing/jobs/j1",
                   R"({"channelId": "voice", "queueId": "q1", "requestedWorkerSelectors": [{"key": "k", "value": 1}]})"_json,
                   "requestedWorkerSelectors[0].labelOperator", "MissingRequiredField");
  }
  SECTION("an unknown labelOperator is rejected") {
    expectRejected(api, "/routing/jobs/j1",
                   R"({"channelId": "voice", "queueId": "q1", "requestedWorkerSelectors": [{"key": "k", "labelOperator": "like", "value": 1}]})"_json,
                   "requestedWorkerSelectors[0].labelOperator");
  }
  SECTION("a queue needs a distributionPolicyId") {
    expectRejected(api, "/routing/queues/q2", R"({"name": "No policy"})"_json, "distributionPolicyId",
                   "MissingRequiredField");
  }
  SECTION("an expression rule needs its expression") {
    expectRejected(api, "/routing/classificationPolicies/cp2",
                   R"({"prioritizationRule": {"kind": "expression", "language": "powerFx"}})"_json,
                   "prioritizationRule.expression", "MissingRequiredField");
    expectRejected(api, "/routing/classificationPolicies/cp2",
                   R"({"queueSelectorAttachments": [{"kind": "conditional", "condition": {"kind": "expression"},
                       "queueSelectors": [{"key": "Id", "labelOperator": "equal", "value": "q1"}]}]})"_json,
                   "queueSelectorAttachments[0].condition.expression", "MissingRequiredField");
  }
  SECTION("a function rule needs its functionUri") {
    expectRejected(api, "/routing/classificationPolicies/cp2",
                   R"({"prioritizationRule": {"kind": "function", "credential": {"functionKey": "k"}}})"_json,
                   "prioritizationRule.functionUri", "MissingRequiredField");
  }
  SECTION("an exception rule needs id, trigger and actions") {
    expectRejected(api, "/routing/exceptionPolicies/ep1",
                   R"({"exceptionRules": [{"trigger": {"kind": "queueLength", "threshold": 1}, "actions": []}]})"_json,
                   "exceptionRules[0].id", "MissingRequiredField");
    expectRejected(api, "/routing/exceptionPolicies/ep1",
                   R"({"exceptionRules": [{"id": "r1", "actions": []}]})"_json, "exceptionRules[0].trigger",
                   "MissingRequiredField");
    expectRejected(api, "/routing/exceptionPolicies/ep1",
                   R"({"exceptionRules": [{"id": "r1", "trigger": {"kind": "queueLength", "threshold": 1}}]})"_json,
                   "exceptionRules[0].actions", "MissingRequiredField");
  }
  SECTION("a kind is required on polymorphic objects") {
    expectRejected(api, "/routing/distributionPolicies/dp2", R"({"mode": {"minConcurrentOffers": 1}})"_json,
                   "mode.kind", "MissingRequiredField");
  }
}

TEST_CASE("validation: the merged result is validated, so removing a required field fails", "[validation][merge-patch]") {
  Api api;
  api.job("j1", "q1");
  const json before = api.fetch("/routing/jobs/j1");

  expectRejected(api, "/routing/jobs/j1", R"({"channelId": null})"_json, "channelId", "MissingRequiredField");
  expectRejected(api, "/routing/queues/q1", R"({"distributionPolicyId": null})"_json, "distributionPolicyId",
                 "MissingRequiredField");
  CHECK(api.fetch("/routing/jobs/j1") == before);
}

TEST_CASE("validation: distribution policy constraints", "[validation][distribution-policies]") {
  Api api;
  const std::string path = "/routing/distributionPolicies/dp1";

  expectRejected(api, path, R"({"offerExpiresAfterSeconds": 0})"_json, "offerExpiresAfterSeconds");
  expectRejected(api, path, R"({"offerExpiresAfterSeconds": -5})"_json, "offerExpiresAfterSeconds");
  expectRejected(api, path, R"({"mode": {"kind": "longestIdle", "minConcurrentOffers": 0}})"_json,
                 "mode.minConcurrentOffers");
  expectRejectedAnyTarget(api, path, R"({"mode": {"kind": "longestIdle", "maxConcurrentOffers": 0}})"_json);
  expectRejectedAnyTarget(api, path, R"({"mode": {"kind": "roundRobin", "minConcurrentOffers": 3, "maxConcurrentOffers": 2}})"_json);
  expectRejected(api, path, R"({"mode": {"kind": "bestWorker", "scoringRuleOptions": {"batchSize": 0}}})"_json,
                 "mode.scoringRuleOptions.batchSize");

  // the boundaries themselves are fine
  Reply ok = api.patch(path, R"({"offerExpiresAfterSeconds": 0.5,
      "mode": {"kind": "bestWorker", "minConcurrentOffers": 2, "maxConcurrentOffers": 2,
               "scoringRuleOptions": {"batchSize": 1}}})"_json);
  CHECK_STATUS(ok, 201);
}

TEST_CASE("validation: exception policy constraints", "[validation][exception-policies]") {
  Api api;
  const std::string path = "/routing/exceptionPolicies/ep1";

  expectRejected(api, path, R"({"exceptionRules": [{"id": "r1", "trigger": {"kind": "queueLength", "threshold": -1},
                                                    "actions": [{"kind": "cancel"}]}]})"_json,
                 "exceptionRules[0].trigger.threshold");
  expectRejected(api, path, R"({"exceptionRules": [{"id": "r1", "trigger": {"kind": "queueLength", "threshold": 1.5},
                                                    "actions": [{"kind": "cancel"}]}]})"_json,
                 "exceptionRules[0].trigger.threshold");
  expectRejected(api, path, R"({"exceptionRules": [{"id": "r1", "trigger": {"kind": "waitTime", "thresholdSeconds": -1},
                                                    "actions": [{"kind": "cancel"}]}]})"_json,
                 "exceptionRules[0].trigger.thresholdSeconds");

  SECTION("rule ids must be unique within the policy") {
    const std::string before = api.state();
    Reply r = api.patch(path, R"({"exceptionRules": [
        {"id": "same", "trigger": {"kind": "queueLength", "threshold": 1}, "actions": [{"kind": "cancel"}]},
        {"id": "same", "trigger": {"kind": "waitTime", "thresholdSeconds": 5}, "actions": [{"kind": "cancel"}]}]})"_json);
    checkBadRequest(r, path);
    CHECK(hasDetailCode(r, "DuplicateId"));
    CHECK(api.state() == before);
  }

  SECTION("zero thresholds are allowed") {
    Reply r = api.patch(path, R"({"exceptionRules": [
        {"id": "r1", "trigger": {"kind": "queueLength", "threshold": 0}, "actions": [{"kind": "cancel"}]},
        {"id": "r2", "trigger": {"kind": "waitTime", "thresholdSeconds": 0}, "actions": [{"kind": "cancel"}]}]})"_json);
    CHECK_STATUS(r, 201);
  }
}

TEST_CASE("validation: weighted allocation weights are in (0, 1]", "[validation][classification-policies]") {
  Api api;
  const std::string path = "/routing/classificationPolicies/cp1";
  const json selectors = R"([{"key": "Id", "labelOperator": "equal", "value": "q1"}])"_json;

  for (double weight : {0.0, -0.5, 1.5}) {
    INFO("weight " << weight);
    json body;
    body["queueSelectorAttachments"] =
        json::array({{{"kind", "weightedAllocation"}, {"allocations", json::array({{{"weight", weight}, {"queueSelectors", selectors}}})}}});
    expectRejected(api, path, body, "queueSelectorAttachments[0].allocations[0].weight");
  }

  json ok;
  ok["queueSelectorAttachments"] = json::array({{{"kind", "weightedAllocation"},
                                                 {"allocations", json::array({{{"weight", 0.25}, {"queueSelectors", selectors}},
                                                                              {{"weight", 0.75}, {"queueSelectors", selectors}}})}}});
  CHECK_STATUS(api.patch(path, ok), 201);
}

TEST_CASE("validation: references to missing resources are 400 ReferencedResourceNotFound", "[validation]") {
  Api api;
  api.queue("q1");
  api.classificationPolicy("cp1");

  expectRejected(api, "/routing/queues/q2", R"({"distributionPolicyId": "missing"})"_json, "distributionPolicyId",
                 "ReferencedResourceNotFound");
  expectRejected(api, "/routing/queues/q2", R"({"distributionPolicyId": "dp1", "exceptionPolicyId": "missing"})"_json,
                 "exceptionPolicyId", "ReferencedResourceNotFound");
  expectRejected(api, "/routing/classificationPolicies/cp2", R"({"fallbackQueueId": "missing"})"_json,
                 "fallbackQueueId", "ReferencedResourceNotFound");
  expectRejected(api, "/routing/jobs/j1", R"({"channelId": "voice", "queueId": "missing"})"_json, "queueId",
                 "ReferencedResourceNotFound");
  expectRejected(api, "/routing/jobs/j1", R"({"channelId": "voice", "classificationPolicyId": "missing"})"_json,
                 "classificationPolicyId", "ReferencedResourceNotFound");
  expectRejected(api, "/routing/workers/w1", R"({"queues": ["q1", "missing"]})"_json, "queues[1]",
                 "ReferencedResourceNotFound");
  expectRejected(api, "/routing/exceptionPolicies/ep1", R"({"exceptionRules": [{"id": "r1",
      "trigger": {"kind": "queueLength", "threshold": 1},
      "actions": [{"kind": "manualReclassify", "queueId": "missing"}]}]})"_json,
                 "exceptionRules[0].actions[0].queueId", "ReferencedResourceNotFound");
  expectRejected(api, "/routing/exceptionPolicies/ep1", R"({"exceptionRules": [{"id": "r1",
      "trigger": {"kind": "queueLength", "threshold": 1},
      "actions": [{"kind": "cancel"}, {"kind": "reclassify", "classificationPolicyId": "missing"}]}]})"_json,
                 "exceptionRules[0].actions[1].classificationPolicyId", "ReferencedResourceNotFound");

  SECTION("an update that points an existing queue at a missing policy changes nothing") {
    expectRejected(api, "/routing/queues/q1", R"({"distributionPolicyId": "missing"})"_json, "distributionPolicyId",
                   "ReferencedResourceNotFound");
    CHECK(api.fetch("/routing/queues/q1")["distributionPolicyId"] == "dp1");
  }

  SECTION("the same references are accepted once the resources exist") {
    api.exceptionPolicy("ep9");
    CHECK_STATUS(api.patch("/routing/queues/q2", R"({"distributionPolicyId": "dp1", "exceptionPolicyId": "ep9"})"_json), 201);
    CHECK_STATUS(api.patch("/routing/classificationPolicies/cp2", R"({"fallbackQueueId": "q2"})"_json), 201);
    CHECK_STATUS(api.patch("/routing/workers/w1", R"({"queues": ["q1", "q2"]})"_json), 201);
    CHECK_STATUS(api.patch("/routing/jobs/j1", R"({"channelId": "voice", "classificationPolicyId": "cp2"})"_json), 201);
  }
}

TEST_CASE("validation: numbers without a fraction are returned as integers", "[validation]") {
  Api api;
  Reply r = api.patch("/routing/distributionPolicies/dp1", R"({"offerExpiresAfterSeconds": 100.0})"_json);
  CHECK_STATUS(r, 201);
  json dp = r.body();
  CHECK(dp["offerExpiresAfterSeconds"].is_number_integer());
  CHECK(dp["offerExpiresAfterSeconds"] == 100);
  CHECK_FALSE(contains(r.text, "100.0"));

  Reply frac = api.patch("/routing/distributionPolicies/dp2", R"({"offerExpiresAfterSeconds": 10.01})"_json);
  CHECK_STATUS(frac, 201);
  CHECK(frac.body()["offerExpiresAfterSeconds"] == 10.01);

  Reply labels = api.patch("/routing/workers/w1", R"({"labels": {"score": 5.0, "ratio": 0.25}})"_json);
  CHECK_STATUS(labels, 201);
  json l = labels.body()["labels"];
  CHECK(l["score"].is_number_integer());
  CHECK(l["score"] == 5);
  CHECK(l["ratio"] == 0.25);
}
