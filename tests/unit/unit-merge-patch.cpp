// PATCH is a JSON merge patch (RFC 7396) applied to the stored resource: absent members are kept, objects
// merge, arrays are replaced, null removes a member (or resets it to its default).
#include "test-support.hpp"

using namespace jrtest;

TEST_CASE("merge-patch: members absent from the patch keep their value", "[merge-patch]") {
  Api api;
  api.distributionPolicy("dp1");
  api.exceptionPolicy("ep1");
  api.upsert("/routing/queues/q1",
             R"({"name": "Sales", "distributionPolicyId": "dp1", "exceptionPolicyId": "ep1", "labels": {"region": "EU"}})"_json);

  Reply r = api.patch("/routing/queues/q1", R"({"name": "Sales EU"})"_json);
  CHECK_STATUS(r, 200);
  json q = r.body();
  CHECK(q["name"] == "Sales EU");
  CHECK(q["distributionPolicyId"] == "dp1");
  CHECK(q["exceptionPolicyId"] == "ep1");
  CHECK(q["labels"] == R"({"Id": "q1", "region": "EU"})"_json);

  SECTION("an empty patch changes nothing") {
    Reply same = api.patch("/routing/queues/q1", json::object());
    CHECK_STATUS(same, 200);
    CHECK(same.body() == q);
  }
}

TEST_CASE("merge-patch: nested objects merge", "[merge-patch]") {
  Api api;

  SECTION("distribution mode and scoring rule options") {
    api.upsert("/routing/distributionPolicies/dp1", R"({
      "offerExpiresAfterSeconds": 30,
      "mode": {"kind": "bestWorker", "scoringRuleOptions": {"batchSize": 5, "descendingOrder": false}}
    })"_json);
    Reply r = api.patch("/routing/distributionPolicies/dp1", R"({"mode": {"kind": "bestWorker", "maxConcurrentOffers": 3}})"_json);
    CHECK_STATUS(r, 200);
    json dp = r.body();
    CHECK(dp["offerExpiresAfterSeconds"] == 30);
    CHECK(dp["mode"]["maxConcurrentOffers"] == 3);
    CHECK(dp["mode"]["scoringRuleOptions"]["batchSize"] == 5);
    CHECK(dp["mode"]["scoringRuleOptions"]["descendingOrder"] == false);
  }

  SECTION("function rule credentials") {
    api.upsert("/routing/distributionPolicies/dp1", R"({
      "offerExpiresAfterSeconds": 30,
      "mode": {"kind": "bestWorker",
               "scoringRule": {"kind": "function", "functionUri": "https://example.org/score",
                               "credential": {"appKey": "app-key", "clientId": "client"}}}
    })"_json);
    Reply r = api.patch("/routing/distributionPolicies/dp1", R"({
      "mode": {"kind": "bestWorker", "scoringRule": {"kind": "function", "credential": {"functionKey": "fn-key"}}}
    })"_json);
    CHECK_STATUS(r, 200);
    json rule = r.body()["mode"]["scoringRule"];
    CHECK(rule["functionUri"] == "https://example.org/score");
    CHECK(rule["credential"] == R"({"appKey": "app-key", "clientId": "client", "functionKey": "fn-key"})"_json);
  }
}

TEST_CASE("merge-patch: labels and tags merge key by key", "[merge-patch]") {
  Api api;

  SECTION("worker") {
    api.worker("w1", R"({"labels": {"skill": "sales", "level": 2}, "tags": {"team": "A"}})"_json);
    Reply r = api.patch("/routing/workers/w1", R"({"labels": {"english": true}, "tags": {"floor": 3}})"_json);
    CHECK_STATUS(r, 200);
    json w = r.body();
    CHECK(w["labels"] == R"({"Id": "w1", "skill": "sales", "level": 2, "english": true})"_json);
    CHECK(w["tags"] == R"({"team": "A", "floor": 3})"_json);

    Reply empty = api.patch("/routing/workers/w1", R"({"labels": {}, "tags": {}})"_json);
    CHECK_STATUS(empty, 200);
    CHECK(empty.body()["labels"] == w["labels"]);
    CHECK(empty.body()["tags"] == w["tags"]);
  }

  SECTION("job") {
    api.job("j1", "q1", R"({"labels": {"vip": true}, "tags": {"crm": "123"}})"_json);
    Reply r = api.patch("/routing/jobs/j1", R"({"labels": {"lang": "fr"}, "tags": {"call": 7}})"_json);
    CHECK_STATUS(r, 200);
    json j = r.body();
    CHECK(j["labels"] == R"({"vip": true, "lang": "fr"})"_json);
    CHECK(j["tags"] == R"({"crm": "123", "call": 7})"_json);
  }

  SECTION("queue") {
    api.queue("q1", "dp1", R"({"labels": {"region": "EU"}})"_json);
    Reply r = api.patch("/routing/queues/q1", R"({"labels": {"tier": 1}})"_json);
    CHECK_STATUS(r, 200);
    CHECK(r.body()["labels"] == R"({"Id": "q1", "region": "EU", "tier": 1})"_json);
  }
}

TEST_CASE("merge-patch: arrays are replaced wholesale", "[merge-patch]") {
  Api api;

  SECTION("worker queues and channels") {
    api.queue("q1");
    api.queue("q2");
    api.worker("w1", R"({"queues": ["q1", "q2"], "channels": [
        {"channelId": "voice", "capacityCostPerJob": 1}, {"channelId": "chat", "capacityCostPerJob": 2}]})"_json);
    Reply r = api.patch("/routing/workers/w1", R"({"queues": ["q2"], "channels": [{"channelId": "email", "capacityCostPerJob": 3}]})"_json);
    CHECK_STATUS(r, 200);
    json w = r.body();
    CHECK(w["queues"] == R"(["q2"])"_json);
    CHECK(w["channels"] == R"([{"channelId": "email", "capacityCostPerJob": 3}])"_json);

    Reply cleared = api.patch("/routing/workers/w1", R"({"queues": [], "channels": []})"_json);
    CHECK_STATUS(cleared, 200);
    CHECK(cleared.body()["queues"] == json::array());
    CHECK(cleared.body()["channels"] == json::array());
  }

  SECTION("job requested worker selectors and notes") {
    api.job("j1", "q1", R"({
      "requestedWorkerSelectors": [{"key": "a", "labelOperator": "equal", "value": 1},
                                   {"key": "b", "labelOperator": "equal", "value": 2}],
      "notes": [{"message": "first", "addedAt": "2024-01-01T00:00:00Z"}]
    })"_json);
    Reply r = api.patch("/routing/jobs/j1", R"({
      "requestedWorkerSelectors": [{"key": "c", "labelOperator": "notEqual", "value": 3}],
      "notes": [{"message": "second", "addedAt": "2024-01-01T00:00:00Z"}]
    })"_json);
    CHECK_STATUS(r, 200);
    json j = r.body();
    REQUIRE(j["requestedWorkerSelectors"].size() == 1);
    CHECK(j["requestedWorkerSelectors"][0]["key"] == "c");
    REQUIRE(j["notes"].size() == 1);
    CHECK(j["notes"][0]["message"] == "second");
  }

  SECTION("classification policy attachments") {
    api.classificationPolicy("cp1", R"({"queueSelectorAttachments": [
        {"kind": "static", "queueSelector": {"key": "Id", "labelOperator": "equal", "value": "q1"}},
        {"kind": "passThrough", "key": "region", "labelOperator": "equal"}]})"_json);
    Reply r = api.patch("/routing/classificationPolicies/cp1", R"({"queueSelectorAttachments": []})"_json);
    CHECK_STATUS(r, 200);
    CHECK(r.body()["queueSelectorAttachments"] == json::array());
  }

  SECTION("exception rules") {
    api.exceptionPolicy("ep1", R"({"exceptionRules": [
        {"id": "r1", "trigger": {"kind": "waitTime", "thresholdSeconds": 10}, "actions": [{"kind": "cancel", "id": "a1"}]},
        {"id": "r2", "trigger": {"kind": "queueLength", "threshold": 5}, "actions": [{"kind": "cancel", "id": "a2"}]}]})"_json);
    Reply r = api.patch("/routing/exceptionPolicies/ep1", R"({"exceptionRules": [
        {"id": "r3", "trigger": {"kind": "queueLength", "threshold": 9}, "actions": [{"kind": "cancel", "id": "a3"}]}]})"_json);
    CHECK_STATUS(r, 200);
    json rules = r.body()["exceptionRules"];
    REQUIRE(rules.size() == 1);
    CHECK(rules[0]["id"] == "r3");
  }
}

TEST_CASE("merge-patch: null removes an optional member", "[merge-patch]") {
  Api api;

  SECTION("queue name and exception policy") {
    api.exceptionPolicy("ep1");
    api.queue("q1", "dp1", R"({"name": "Sales", "exceptionPolicyId": "ep1"})"_json);
    Reply r = api.patch("/routing/queues/q1", R"({"name": null, "exceptionPolicyId": null})"_json);
    CHECK_STATUS(r, 200);
    json q = r.body();
    CHECK_FALSE(q.contains("name"));
    CHECK_FALSE(q.contains("exceptionPolicyId"));
    CHECK(q["distributionPolicyId"] == "dp1");
    CHECK(api.fetch("/routing/queues/q1") == q);
  }

  SECTION("classification policy fallback queue, prioritization rule and name") {
    api.queue("q1");
    api.classificationPolicy("cp1", R"({"name": "Main", "fallbackQueueId": "q1", "prioritizationRule": {"kind": "static", "value": 5}})"_json);
    Reply r = api.patch("/routing/classificationPolicies/cp1",
                        R"({"name": null, "fallbackQueueId": null, "prioritizationRule": null})"_json);
    CHECK_STATUS(r, 200);
    json cp = r.body();
    CHECK_FALSE(cp.contains("name"));
    CHECK_FALSE(cp.contains("fallbackQueueId"));
    CHECK_FALSE(cp.contains("prioritizationRule"));
    CHECK(keysOf(r.ordered()) == Keys{"id", "queueSelectorAttachments", "workerSelectorAttachments", "etag"});
  }

  SECTION("distribution policy name, offer expiry and scoring rule") {
    api.upsert("/routing/distributionPolicies/dp1", R"({
      "name": "Best", "offerExpiresAfterSeconds": 30,
      "mode": {"kind": "bestWorker", "scoringRule": {"kind": "static", "value": 1}}})"_json);
    Reply r = api.patch("/routing/distributionPolicies/dp1",
                        R"({"name": null, "offerExpiresAfterSeconds": null, "mode": {"kind": "bestWorker", "scoringRule": null}})"_json);
    CHECK_STATUS(r, 200);
    json dp = r.body();
    CHECK_FALSE(dp.contains("name"));
    CHECK_FALSE(dp.contains("offerExpiresAfterSeconds"));
    CHECK_FALSE(dp["mode"].contains("scoringRule"));
    CHECK(dp["mode"]["kind"] == "bestWorker");
  }

  SECTION("job disposition code and channel reference") {
    api.job("j1", "q1", R"({"dispositionCode": "Pending", "channelReference": "call-1"})"_json);
    Reply r = api.patch("/routing/jobs/j1", R"({"dispositionCode": null, "channelReference": null})"_json);
    CHECK_STATUS(r, 200);
    json j = r.body();
    CHECK_FALSE(j.contains("dispositionCode"));
    CHECK_FALSE(j.contains("channelReference"));
  }
}

TEST_CASE("merge-patch: null resets job priority to its default 1", "[merge-patch]") {
  Api api;
  json created = api.job("j1", "q1", R"({"priority": 7})"_json);
  CHECK(created["priority"] == 7);
  Reply r = api.patch("/routing/jobs/j1", R"({"priority": null})"_json);
  CHECK_STATUS(r, 200);
  CHECK(r.body()["priority"] == 1);
  CHECK(api.fetch("/routing/jobs/j1")["priority"] == 1);
}

TEST_CASE("merge-patch: a label or tag set to null is removed", "[merge-patch]") {
  Api api;

  SECTION("worker") {
    api.worker("w1", R"({"labels": {"a": 1, "b": "two"}, "tags": {"x": true, "y": "keep"}})"_json);
    Reply r = api.patch("/routing/workers/w1", R"({"labels": {"a": null}, "tags": {"x": null}})"_json);
    CHECK_STATUS(r, 200);
    json w = r.body();
    CHECK(w["labels"] == R"({"Id": "w1", "b": "two"})"_json);
    CHECK(w["tags"] == R"({"y": "keep"})"_json);
  }

  SECTION("job") {
    api.job("j1", "q1", R"({"labels": {"a": 1, "b": 2}, "tags": {"x": 1}})"_json);
    Reply r = api.patch("/routing/jobs/j1", R"({"labels": {"b": null}, "tags": {"x": null}})"_json);
    CHECK_STATUS(r, 200);
    json j = r.body();
    CHECK(j["labels"] == R"({"a": 1})"_json);
    CHECK(j["tags"] == json::object());
  }

  SECTION("queue") {
    api.queue("q1", "dp1", R"({"labels": {"region": "EU", "tier": 1}})"_json);
    Reply r = api.patch("/routing/queues/q1", R"({"labels": {"region": null}})"_json);
    CHECK_STATUS(r, 200);
    CHECK(r.body()["labels"] == R"({"Id": "q1", "tier": 1})"_json);
  }
}

TEST_CASE("merge-patch: tags null clears every tag", "[merge-patch]") {
  Api api;

  SECTION("worker") {
    api.worker("w1", R"({"tags": {"x": 1, "y": 2}, "labels": {"keep": true}})"_json);
    Reply r = api.patch("/routing/workers/w1", R"({"tags": null})"_json);
    CHECK_STATUS(r, 200);
    json w = r.body();
    CHECK(w["tags"] == json::object());
    CHECK(w["labels"] == R"({"Id": "w1", "keep": true})"_json);
  }

  SECTION("job") {
    api.job("j1", "q1", R"({"tags": {"x": 1, "y": 2}})"_json);
    Reply r = api.patch("/routing/jobs/j1", R"({"tags": null})"_json);
    CHECK_STATUS(r, 200);
    CHECK(r.body()["tags"] == json::object());
  }
}

TEST_CASE("merge-patch: labels null on a job clears its labels", "[merge-patch]") {
  Api api;
  api.job("j1", "q1", R"({"labels": {"x": 1, "y": 2}})"_json);
  Reply r = api.patch("/routing/jobs/j1", R"({"labels": null})"_json);
  CHECK_STATUS(r, 200);
  CHECK(r.body()["labels"] == json::object());
}

TEST_CASE("merge-patch: read-only and unknown members in the body are ignored", "[merge-patch]") {
  Api api;
  api.queue("q1");

  SECTION("job") {
    Reply r = api.patch("/routing/jobs/j1", R"({
      "id": "other", "etag": "\"00000009-0000-0000-0000-000000000000\"", "status": "completed",
      "enqueuedAt": "2020-01-01T00:00:00Z", "assignments": {}, "attachedWorkerSelectors": [],
      "somethingElse": 42, "channelId": "voice", "queueId": "q1"})"_json);
    CHECK_STATUS(r, 201);
    json j = r.body();
    CHECK(j["id"] == "j1");
    CHECK(j["status"] == "created");
    CHECK_FALSE(j.contains("enqueuedAt"));
    CHECK_FALSE(j.contains("somethingElse"));
    CHECK(j["etag"] != "\"00000009-0000-0000-0000-000000000000\"");
    CHECK_STATUS(api.get("/routing/jobs/other"), 404);
  }

  SECTION("worker") {
    Reply r = api.patch("/routing/workers/w1", R"({
      "id": "w9", "state": "active", "offers": [], "assignedJobs": [], "loadRatio": 0.5,
      "etag": "", "capacity": 4})"_json);
    CHECK_STATUS(r, 201);
    json w = r.body();
    CHECK(w["id"] == "w1");
    CHECK(w["state"] == "inactive");
    CHECK(w["loadRatio"] == 0);
    CHECK(w["capacity"] == 4);
  }

  SECTION("queue") {
    Reply r = api.patch("/routing/queues/q1", R"({"id": "q-other", "etag": "\"stale\"", "name": "Renamed"})"_json);
    CHECK_STATUS(r, 200);
    json q = r.body();
    CHECK(q["id"] == "q1");
    CHECK(q["name"] == "Renamed");
    CHECK(q["labels"]["Id"] == "q1");
  }
}
