// Classification policies: always-present attachment arrays, selector defaults, attachment and rule shapes,
// field order, create/update/delete.
#include "test-support.hpp"

using namespace jrtest;

TEST_CASE("classification policies: a minimal policy has both attachment arrays, empty", "[classification-policies]") {
  Api api;
  Reply r = api.patch("/routing/classificationPolicies/cp1", json::object());
  CHECK_STATUS(r, 201);
  checkResourceHeaders(r);
  CHECK(keysOf(r.ordered()) == Keys{"id", "queueSelectorAttachments", "workerSelectorAttachments", "etag"});
  json cp = r.body();
  CHECK(cp["id"] == "cp1");
  CHECK(cp["queueSelectorAttachments"] == json::array());
  CHECK(cp["workerSelectorAttachments"] == json::array());
}

TEST_CASE("classification policies: field order of a full policy", "[classification-policies]") {
  Api api;
  api.queue("q1");
  Reply r = api.patch("/routing/classificationPolicies/cp1", R"({
    "workerSelectorAttachments": [{"kind": "static", "workerSelector": {"key": "skill", "labelOperator": "equal", "value": "sales"}}],
    "prioritizationRule": {"kind": "static", "value": 2},
    "queueSelectorAttachments": [{"kind": "static", "queueSelector": {"key": "Id", "labelOperator": "equal", "value": "q1"}}],
    "fallbackQueueId": "q1",
    "name": "Main"
  })"_json);
  CHECK_STATUS(r, 201);
  CHECK(keysOf(r.ordered()) == Keys{"id", "name", "fallbackQueueId", "queueSelectorAttachments", "prioritizationRule",
                                    "workerSelectorAttachments", "etag"});
  json cp = r.body();
  CHECK(cp["name"] == "Main");
  CHECK(cp["fallbackQueueId"] == "q1");
  CHECK(cp["prioritizationRule"] == R"({"kind": "static", "value": 2})"_json);
  CHECK(api.fetch("/routing/classificationPolicies/cp1") == cp);
}

TEST_CASE("classification policies: worker selectors get expedite and status, queue selectors do not",
          "[classification-policies]") {
  Api api;
  Reply r = api.patch("/routing/classificationPolicies/cp1", R"({
    "queueSelectorAttachments": [{"kind": "conditional",
        "condition": {"kind": "expression", "language": "powerFx", "expression": "job.Lang = \"fr\""},
        "queueSelectors": [{"key": "lang", "labelOperator": "equal", "value": "fr"}]}],
    "workerSelectorAttachments": [
        {"kind": "static", "workerSelector": {"key": "skill", "labelOperator": "greaterThan", "value": 5}},
        {"kind": "static", "workerSelector": {"key": "vip", "labelOperator": "equal", "value": true, "expedite": true}}]
  })"_json);
  CHECK_STATUS(r, 201);
  ojson cp = r.ordered();

  ojson queueSelector = cp["queueSelectorAttachments"][0]["queueSelectors"][0];
  CHECK(keysOf(queueSelector) == Keys{"key", "labelOperator", "value"});

  ojson first = cp["workerSelectorAttachments"][0]["workerSelector"];
  CHECK(keysOf(first) == Keys{"expedite", "status", "key", "labelOperator", "value"});
  CHECK(first["expedite"] == false);
  CHECK(first["status"] == "active");
  CHECK(first["value"] == 5);

  ojson second = cp["workerSelectorAttachments"][1]["workerSelector"];
  CHECK(second["expedite"] == true);
  CHECK(second["status"] == "active");
}

TEST_CASE("classification policies: the five queue selector attachment kinds", "[classification-policies]") {
  Api api;
  Reply r = api.patch("/routing/classificationPolicies/cp1", R"({"queueSelectorAttachments": [
    {"queueSelector": {"key": "Id", "labelOperator": "equal", "value": "q1"}, "kind": "static"},
    {"queueSelectors": [{"key": "tier", "labelOperator": "lessThan", "value": 3}],
     "condition": {"kind": "static", "value": true}, "kind": "conditional"},
    {"labelOperator": "equal", "key": "region", "kind": "passThrough"},
    {"rule": {"kind": "directMap"}, "kind": "ruleEngine"},
    {"allocations": [{"queueSelectors": [{"key": "Id", "labelOperator": "equal", "value": "q1"}], "weight": 0.4},
                     {"queueSelectors": [{"key": "Id", "labelOperator": "equal", "value": "q2"}], "weight": 0.6}],
     "kind": "weightedAllocation"}
  ]})"_json);
  CHECK_STATUS(r, 201);
  ojson attachments = r.ordered()["queueSelectorAttachments"];
  REQUIRE(attachments.size() == 5);
  CHECK(keysOf(attachments[0]) == Keys{"kind", "queueSelector"});
  CHECK(keysOf(attachments[1]) == Keys{"kind", "condition", "queueSelectors"});
  CHECK(keysOf(attachments[2]) == Keys{"kind", "key", "labelOperator"});
  CHECK(keysOf(attachments[3]) == Keys{"kind", "rule"});
  CHECK(keysOf(attachments[4]) == Keys{"kind", "allocations"});
  CHECK(keysOf(attachments[4]["allocations"][0]) == Keys{"weight", "queueSelectors"});
  CHECK(attachments[4]["allocations"][1]["weight"] == 0.6);
  CHECK(attachments[0]["kind"] == "static");
  CHECK(attachments[1]["kind"] == "conditional");
  CHECK(attachments[2]["kind"] == "passThrough");
  CHECK(attachments[3]["kind"] == "ruleEngine");
  CHECK(attachments[4]["kind"] == "weightedAllocation");
}

TEST_CASE("classification policies: the five worker selector attachment kinds", "[classification-policies]") {
  Api api;
  Reply r = api.patch("/routing/classificationPolicies/cp1", R"({"workerSelectorAttachments": [
    {"workerSelector": {"key": "skill", "labelOperator": "equal", "value": "sales"}, "kind": "static"},
    {"workerSelectors": [{"key": "level", "labelOperator": "greaterThanOrEqual", "value": 2}],
     "condition": {"kind": "expression", "expression": "1 = 1", "language": "powerFx"}, "kind": "conditional"},
    {"expiresAfterSeconds": 30, "labelOperator": "equal", "key": "lang", "kind": "passThrough"},
    {"rule": {"kind": "webhook", "webhookUri": "https://example.org/hook",
              "authorizationServerUri": "https://example.org/token",
              "clientCredential": {"clientId": "id", "clientSecret": "secret"}}, "kind": "ruleEngine"},
    {"allocations": [{"workerSelectors": [{"key": "team", "labelOperator": "notEqual", "value": "b"}], "weight": 1}],
     "kind": "weightedAllocation"}
  ]})"_json);
  CHECK_STATUS(r, 201);
  ojson attachments = r.ordered()["workerSelectorAttachments"];
  REQUIRE(attachments.size() == 5);
  CHECK(keysOf(attachments[0]) == Keys{"kind", "workerSelector"});
  CHECK(keysOf(attachments[1]) == Keys{"kind", "condition", "workerSelectors"});
  CHECK(keysOf(attachments[2]) == Keys{"kind", "key", "labelOperator", "expiresAfterSeconds"});
  CHECK(keysOf(attachments[3]) == Keys{"kind", "rule"});
  CHECK(keysOf(attachments[4]) == Keys{"kind", "allocations"});
  CHECK(keysOf(attachments[4]["allocations"][0]) == Keys{"weight", "workerSelectors"});

  CHECK(keysOf(attachments[1]["condition"]) == Keys{"kind", "language", "expression"});
  CHECK(keysOf(attachments[3]["rule"]) == Keys{"kind", "authorizationServerUri", "clientCredential", "webhookUri"});
  CHECK(attachments[3]["rule"]["clientCredential"]["clientId"] == "id");
  CHECK(attachments[2]["expiresAfterSeconds"] == 30);
  // worker selectors nested in attachments get the defaults too
  CHECK(attachments[1]["workerSelectors"][0]["expedite"] == false);
  CHECK(attachments[4]["allocations"][0]["workerSelectors"][0]["status"] == "active");
}

TEST_CASE("classification policies: rule kinds", "[classification-policies]") {
  Api api;

  SECTION("static keeps the value's JSON type") {
    for (const json& value : {json("2"), json(3), json(true)}) {
      INFO(value.dump());
      json body;
      body["prioritizationRule"] = {{"kind", "static"}, {"value", value}};
      Reply r = api.patch("/routing/classificationPolicies/cp1", body);
      CHECK((r.status == 200 || r.status == 201));
      CHECK(r.body()["prioritizationRule"]["value"] == value);
      CHECK(keysOf(r.ordered()["prioritizationRule"]) == Keys{"kind", "value"});
    }
  }

  SECTION("expression") {
    Reply r = api.patch("/routing/classificationPolicies/cp1", R"json({
        "prioritizationRule": {"expression": "If(job.Escalated = true, 10, 1)", "language": "powerFx", "kind": "expression"}})json"_json);
    CHECK_STATUS(r, 201);
    CHECK(keysOf(r.ordered()["prioritizationRule"]) == Keys{"kind", "language", "expression"});
    CHECK(r.body()["prioritizationRule"]["expression"] == "If(job.Escalated = true, 10, 1)");
  }

  SECTION("expression language defaults to powerFx") {
    Reply r = api.patch("/routing/classificationPolicies/cp1",
                        R"({"prioritizationRule": {"kind": "expression", "expression": "1"}})"_json);
    CHECK_STATUS(r, 201);
    CHECK(r.body()["prioritizationRule"]["language"] == "powerFx");
  }

  SECTION("function") {
    Reply r = api.patch("/routing/classificationPolicies/cp1", R"({
        "prioritizationRule": {"kind": "function", "functionUri": "https://example.org/api/prio",
                               "credential": {"appKey": "app", "clientId": "client"}}})"_json);
    CHECK_STATUS(r, 201);
    CHECK(keysOf(r.ordered()["prioritizationRule"]) == Keys{"kind", "functionUri", "credential"});
    CHECK(r.body()["prioritizationRule"]["credential"] == R"({"appKey": "app", "clientId": "client"})"_json);
  }

  SECTION("directMap") {
    Reply r = api.patch("/routing/classificationPolicies/cp1",
                        R"({"workerSelectorAttachments": [{"kind": "ruleEngine", "rule": {"kind": "directMap"}}]})"_json);
    CHECK_STATUS(r, 201);
    CHECK(r.body()["workerSelectorAttachments"][0]["rule"] == R"({"kind": "directMap"})"_json);
  }
}

TEST_CASE("classification policies: update, null removal and delete", "[classification-policies]") {
  Api api;
  api.queue("q1");
  Reply created = api.patch("/routing/classificationPolicies/cp1",
                            R"({"name": "A", "fallbackQueueId": "q1", "prioritizationRule": {"kind": "static", "value": 1}})"_json);
  CHECK_STATUS(created, 201);

  Reply renamed = api.patch("/routing/classificationPolicies/cp1", R"({"name": "B"})"_json);
  CHECK_STATUS(renamed, 200);
  checkResourceHeaders(renamed);
  json cp = renamed.body();
  CHECK(cp["name"] == "B");
  CHECK(cp["fallbackQueueId"] == "q1");
  CHECK(cp["prioritizationRule"]["value"] == 1);

  Reply stripped = api.patch("/routing/classificationPolicies/cp1", R"({"fallbackQueueId": null, "prioritizationRule": null})"_json);
  CHECK_STATUS(stripped, 200);
  CHECK(keysOf(stripped.ordered()) == Keys{"id", "name", "queueSelectorAttachments", "workerSelectorAttachments", "etag"});

  Reply deleted = api.del("/routing/classificationPolicies/cp1");
  CHECK_STATUS(deleted, 204);
  CHECK(deleted.text.empty());
  checkNotFound(api.get("/routing/classificationPolicies/cp1"), "/routing/classificationPolicies/cp1");
}

TEST_CASE("classification policies: a policy whose jobs are all cancelled can be deleted", "[classification-policies]") {
  Api api;
  api.queue("q1");
  api.classificationPolicy("cp1", R"({"fallbackQueueId": "q1"})"_json);
  api.upsert("/routing/jobs/j1", R"({"channelId": "voice", "classificationPolicyId": "cp1"})"_json);
  api.cancel("j1");
  CHECK_STATUS(api.del("/routing/classificationPolicies/cp1"), 204);
}
