// Exception policies: rule/trigger/action shapes, generated action ids, field order, create/update/delete.
#include "test-support.hpp"

using namespace jrtest;

namespace {

const json kCancelPolicy = R"({"name": "Escalation", "exceptionRules": [{
    "actions": [{"dispositionCode": "TooLong", "note": "waited too long", "kind": "cancel"}],
    "trigger": {"thresholdSeconds": 30, "kind": "waitTime"},
    "id": "MaxWait"}]})"_json;

}  // namespace

TEST_CASE("exception policies: field order of policy, rule, trigger and action", "[exception-policies]") {
  Api api;
  Reply r = api.patch("/routing/exceptionPolicies/ep1", kCancelPolicy);
  CHECK_STATUS(r, 201);
  checkResourceHeaders(r);

  ojson ep = r.ordered();
  CHECK(keysOf(ep) == Keys{"id", "name", "exceptionRules", "etag"});
  REQUIRE(ep["exceptionRules"].size() == 1);
  ojson rule = ep["exceptionRules"][0];
  CHECK(keysOf(rule) == Keys{"id", "trigger", "actions"});
  CHECK(keysOf(rule["trigger"]) == Keys{"kind", "thresholdSeconds"});
  REQUIRE(rule["actions"].size() == 1);
  Keys actionKeys = keysOf(rule["actions"][0]);
  REQUIRE(actionKeys.size() == 4);
  CHECK(actionKeys.front() == "kind");
  CHECK(actionKeys.back() == "id");

  json e = r.body();
  CHECK(e["id"] == "ep1");
  CHECK(e["exceptionRules"][0]["id"] == "MaxWait");
  CHECK(e["exceptionRules"][0]["trigger"] == R"({"kind": "waitTime", "thresholdSeconds": 30})"_json);
  json action = e["exceptionRules"][0]["actions"][0];
  CHECK(action["kind"] == "cancel");
  CHECK(action["note"] == "waited too long");
  CHECK(action["dispositionCode"] == "TooLong");
}

TEST_CASE("exception policies: an action without an id gets a generated GUID", "[exception-policies]") {
  Api api;
  json ep = api.exceptionPolicy("ep1", kCancelPolicy);
  const std::string id = ep["exceptionRules"][0]["actions"][0]["id"].get<std::string>();
  CHECK(isGuid(id));
  // stored: a GET returns the same id
  CHECK(api.fetch("/routing/exceptionPolicies/ep1")["exceptionRules"][0]["actions"][0]["id"] == id);
}

TEST_CASE("exception policies: an action id sent by the client is kept", "[exception-policies]") {
  Api api;
  json ep = api.exceptionPolicy("ep1", R"({"exceptionRules": [{"id": "r1", "trigger": {"kind": "queueLength", "threshold": 2},
      "actions": [{"kind": "cancel", "id": "my-action"}]}]})"_json);
  CHECK(ep["exceptionRules"][0]["actions"][0]["id"] == "my-action");
}

TEST_CASE("exception policies: generated ids come from the seeded generator", "[exception-policies]") {
  jr::RouterOptions options;
  options.seed = 42;
  Api first(options);
  Api second(options);
  const json body = R"({"exceptionRules": [{"id": "r1", "trigger": {"kind": "queueLength", "threshold": 1},
      "actions": [{"kind": "cancel"}, {"kind": "cancel", "note": "second"}]}]})"_json;
  json a = first.exceptionPolicy("ep1", body);
  json b = second.exceptionPolicy("ep1", body);
  json actionsA = a["exceptionRules"][0]["actions"];
  json actionsB = b["exceptionRules"][0]["actions"];
  REQUIRE(actionsA.size() == 2);
  REQUIRE(actionsB.size() == 2);
  CHECK(actionsA[0]["id"] == actionsB[0]["id"]);
  CHECK(actionsA[1]["id"] == actionsB[1]["id"]);
  CHECK(actionsA[0]["id"] != actionsA[1]["id"]);
  CHECK(isGuid(actionsA[0]["id"].get<std::string>()));
  CHECK(isGuid(actionsA[1]["id"].get<std::string>()));
}

TEST_CASE("exception policies: the three action kinds", "[exception-policies]") {
  Api api;
  api.queue("q1");
  api.classificationPolicy("cp1");
  Reply r = api.patch("/routing/exceptionPolicies/ep1", R"({"exceptionRules": [
    {"id": "len", "trigger": {"kind": "queueLength", "threshold": 0}, "actions": [
      {"kind": "cancel"},
      {"kind": "manualReclassify", "queueId": "q1", "priority": 10,
       "workerSelectors": [{"key": "senior", "labelOperator": "equal", "value": true}]},
      {"kind": "reclassify", "classificationPolicyId": "cp1", "labelsToUpsert": {"escalated": true, "level": 2}}
    ]}]})"_json);
  CHECK_STATUS(r, 201);
  json actions = r.body()["exceptionRules"][0]["actions"];
  REQUIRE(actions.size() == 3);

  CHECK(actions[0]["kind"] == "cancel");
  CHECK_FALSE(actions[0].contains("note"));
  CHECK_FALSE(actions[0].contains("dispositionCode"));

  CHECK(actions[1]["kind"] == "manualReclassify");
  CHECK(actions[1]["queueId"] == "q1");
  CHECK(actions[1]["priority"] == 10);
  json selector = actions[1]["workerSelectors"][0];
  CHECK(selector["expedite"] == false);
  CHECK(selector["status"] == "active");
  CHECK(selector["key"] == "senior");

  CHECK(actions[2]["kind"] == "reclassify");
  CHECK(actions[2]["classificationPolicyId"] == "cp1");
  CHECK(actions[2]["labelsToUpsert"] == R"({"escalated": true, "level": 2})"_json);

  std::vector<std::string> ids;
  for (const auto& action : actions) ids.push_back(action.value("id", std::string()));
  CHECK(isGuid(ids[0]));
  CHECK(isGuid(ids[1]));
  CHECK(isGuid(ids[2]));
  CHECK(ids[0] != ids[1]);
  CHECK(ids[1] != ids[2]);
  CHECK(ids[0] != ids[2]);

  ojson ordered = r.ordered();
  CHECK(keysOf(ordered["exceptionRules"][0]["trigger"]) == Keys{"kind", "threshold"});
  for (const auto& action : ordered["exceptionRules"][0]["actions"]) {
    Keys keys = keysOf(action);
    CHECK(keys.front() == "kind");
    CHECK(keys.back() == "id");
  }
}

TEST_CASE("exception policies: empty rules and update keep what is not patched", "[exception-policies]") {
  Api api;

  SECTION("exceptionRules is always present") {
    Reply r = api.patch("/routing/exceptionPolicies/ep1", R"({"name": "Nothing yet"})"_json);
    CHECK_STATUS(r, 201);
    CHECK(keysOf(r.ordered()) == Keys{"id", "name", "exceptionRules", "etag"});
    CHECK(r.body()["exceptionRules"] == json::array());

    Reply empty = api.patch("/routing/exceptionPolicies/ep2", R"({"exceptionRules": []})"_json);
    CHECK_STATUS(empty, 201);
    CHECK(empty.body()["exceptionRules"] == json::array());
  }

  SECTION("a name change keeps the rules and their generated action ids") {
    json created = api.exceptionPolicy("ep1", kCancelPolicy);
    Reply renamed = api.patch("/routing/exceptionPolicies/ep1", R"({"name": "Renamed"})"_json);
    CHECK_STATUS(renamed, 200);
    json ep = renamed.body();
    CHECK(ep["name"] == "Renamed");
    CHECK(ep["exceptionRules"] == created["exceptionRules"]);
  }

  SECTION("thresholds without a fraction are integers") {
    Reply r = api.patch("/routing/exceptionPolicies/ep1", R"({"exceptionRules": [
        {"id": "r1", "trigger": {"kind": "waitTime", "thresholdSeconds": 10.0}, "actions": [{"kind": "cancel"}]},
        {"id": "r2", "trigger": {"kind": "waitTime", "thresholdSeconds": 2.5}, "actions": [{"kind": "cancel"}]}]})"_json);
    CHECK_STATUS(r, 201);
    json rules = r.body()["exceptionRules"];
    CHECK(rules[0]["trigger"]["thresholdSeconds"].is_number_integer());
    CHECK(rules[0]["trigger"]["thresholdSeconds"] == 10);
    CHECK(rules[1]["trigger"]["thresholdSeconds"] == 2.5);
  }
}

TEST_CASE("exception policies: delete", "[exception-policies]") {
  Api api;
  api.exceptionPolicy("ep1", kCancelPolicy);
  Reply r = api.del("/routing/exceptionPolicies/ep1");
  CHECK_STATUS(r, 204);
  CHECK(r.text.empty());
  checkNotFound(api.get("/routing/exceptionPolicies/ep1"), "/routing/exceptionPolicies/ep1");

  SECTION("after the queue stops using it") {
    api.exceptionPolicy("ep2");
    api.queue("q1", "dp1", R"({"exceptionPolicyId": "ep2"})"_json);
    api.upsert("/routing/queues/q1", R"({"exceptionPolicyId": null})"_json);
    CHECK_STATUS(api.del("/routing/exceptionPolicies/ep2"), 204);
  }
}
