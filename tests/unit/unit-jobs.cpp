// Jobs: defaults, read-only fields, field order, initial statuses, selectors, notes, cancel and the simple
// action error cases (routing-engine behaviour such as offers and matching is tested elsewhere).
#include "test-support.hpp"

using namespace jrtest;

TEST_CASE("jobs: create answers 201 with status created and every collection present", "[jobs]") {
  Api api;
  api.queue("q1");
  Reply r = api.patch("/routing/jobs/j1", R"({"queueId": "q1", "channelId": "voice"})"_json);
  CHECK_STATUS(r, 201);
  checkResourceHeaders(r);
  CHECK(keysOf(r.ordered()) == Keys{"id", "status", "channelId", "queueId", "priority", "requestedWorkerSelectors",
                                    "attachedWorkerSelectors", "labels", "assignments", "tags", "notes",
                                    "matchingMode", "etag"});
  json j = r.body();
  CHECK(j["id"] == "j1");
  CHECK(j["status"] == "created");
  CHECK(j["channelId"] == "voice");
  CHECK(j["queueId"] == "q1");
  CHECK(j["priority"] == 1);
  CHECK(j["requestedWorkerSelectors"] == json::array());
  CHECK(j["attachedWorkerSelectors"] == json::array());
  CHECK(j["labels"] == json::object());  // no automatic Id label on jobs
  CHECK(j["assignments"] == json::object());
  CHECK(j["tags"] == json::object());
  CHECK(j["notes"] == json::array());
  CHECK(j["matchingMode"] == R"({"kind": "queueAndMatch"})"_json);
  CHECK_FALSE(j.contains("enqueuedAt"));
  CHECK_FALSE(contains(r.text, "null"));
}

TEST_CASE("jobs: before the next request the created job is queued with enqueuedAt", "[jobs]") {
  Api api;
  api.job("j1", "q1");
  Reply r = api.get("/routing/jobs/j1");
  CHECK_STATUS(r, 200);
  checkResourceHeaders(r);
  CHECK(keysOf(r.ordered()) == Keys{"id", "status", "enqueuedAt", "channelId", "queueId", "priority",
                                    "requestedWorkerSelectors", "attachedWorkerSelectors", "labels", "assignments",
                                    "tags", "notes", "matchingMode", "etag"});
  json j = r.body();
  CHECK(j["status"] == "queued");
  CHECK(j["enqueuedAt"] == kStartIso);

  SECTION("an update keeps enqueuedAt and answers 200") {
    api.router.advance(5000);
    Reply u = api.patch("/routing/jobs/j1", R"({"priority": 3})"_json);
    CHECK_STATUS(u, 200);
    json updated = u.body();
    CHECK(updated["priority"] == 3);
    CHECK(updated["status"] == "queued");
    CHECK(updated["enqueuedAt"] == kStartIso);
  }
}

TEST_CASE("jobs: optional fields take their place in the field order", "[jobs]") {
  Api api;
  api.queue("q1");
  Reply r = api.patch("/routing/jobs/j1", R"({"dispositionCode": "Later", "channelReference": "call-42",
      "queueId": "q1", "channelId": "voice", "priority": 5})"_json);
  CHECK_STATUS(r, 201);
  CHECK(keysOf(r.ordered()) == Keys{"id", "channelReference", "status", "channelId", "queueId", "priority",
                                    "dispositionCode", "requestedWorkerSelectors", "attachedWorkerSelectors", "labels",
                                    "assignments", "tags", "notes", "matchingMode", "etag"});
  json j = r.body();
  CHECK(j["channelReference"] == "call-42");
  CHECK(j["dispositionCode"] == "Later");
  CHECK(j["priority"] == 5);
}

TEST_CASE("jobs: initial status depends on classification and matching mode", "[jobs]") {
  Api api;
  api.queue("q1");
  api.classificationPolicy("cp1", R"({"fallbackQueueId": "q1"})"_json);

  SECTION("with a classification policy: pendingClassification, no queueId yet") {
    Reply r = api.patch("/routing/jobs/j1", R"({"channelId": "voice", "classificationPolicyId": "cp1"})"_json);
    CHECK_STATUS(r, 201);
    CHECK(keysOf(r.ordered()) == Keys{"id", "status", "channelId", "classificationPolicyId", "priority",
                                      "requestedWorkerSelectors", "attachedWorkerSelectors", "labels", "assignments",
                                      "tags", "notes", "matchingMode", "etag"});
    json j = r.body();
    CHECK(j["status"] == "pendingClassification");
    CHECK(j["classificationPolicyId"] == "cp1");
    CHECK_FALSE(j.contains("queueId"));
  }

  SECTION("suspend: waitingForActivation") {
    Reply r = api.patch("/routing/jobs/j1", R"({"channelId": "voice", "queueId": "q1", "matchingMode": {"kind": "suspend"}})"_json);
    CHECK_STATUS(r, 201);
    CHECK(r.body()["status"] == "waitingForActivation");
    CHECK(r.body()["matchingMode"] == R"({"kind": "suspend"})"_json);
  }

  SECTION("scheduleAndSuspend: pendingSchedule, then scheduled") {
    Reply r = api.patch("/routing/jobs/j1", R"({"channelId": "voice", "queueId": "q1",
        "matchingMode": {"scheduleAt": "2024-02-01T08:30:00Z", "kind": "scheduleAndSuspend"}})"_json);
    CHECK_STATUS(r, 201);
    json j = r.body();
    CHECK(j["status"] == "pendingSchedule");
    CHECK(j["matchingMode"] == R"({"kind": "scheduleAndSuspend", "scheduleAt": "2024-02-01T08:30:00+00:00"})"_json);
    CHECK(keysOf(r.ordered()["matchingMode"]) == Keys{"kind", "scheduleAt"});
    CHECK_FALSE(j.contains("enqueuedAt"));

    json later = api.fetch("/routing/jobs/j1");
    CHECK(later["status"] == "scheduled");
    CHECK_FALSE(later.contains("enqueuedAt"));
  }
}

TEST_CASE("jobs: requested worker selectors get expedite and status", "[jobs]") {
  Api api;
  api.queue("q1");
  Reply r = api.patch("/routing/jobs/j1", R"({"channelId": "voice", "queueId": "q1", "requestedWorkerSelectors": [
      {"key": "skill", "labelOperator": "equal", "value": "sales"},
      {"key": "vip", "labelOperator": "equal", "value": true, "expedite": true},
      {"key": "level", "labelOperator": "greaterThanOrEqual", "value": 3, "expiresAfterSeconds": 60}]})"_json);
  CHECK_STATUS(r, 201);
  ojson ordered = r.ordered();
  CHECK(keysOf(ordered["requestedWorkerSelectors"][0]) == Keys{"expedite", "status", "key", "labelOperator", "value"});
  json selectors = r.body()["requestedWorkerSelectors"];
  REQUIRE(selectors.size() == 3);
  CHECK(selectors[0] == R"({"key": "skill", "labelOperator": "equal", "value": "sales", "expedite": false, "status": "active"})"_json);
  CHECK(selectors[1]["expedite"] == true);
  CHECK(selectors[1]["status"] == "active");
  CHECK(selectors[2]["expiresAfterSeconds"] == 60);
  CHECK(selectors[2]["status"] == "active");

  // as in the real service's recording, a requested selector does not show expiresAt, queued or not;
  // it still expires on time (see unit-offers.cpp)
  json queued = api.fetch("/routing/jobs/j1");
  json expiring = queued["requestedWorkerSelectors"][2];
  CHECK_FALSE(expiring.contains("expiresAt"));
  CHECK(expiring["status"] == "active");
}

TEST_CASE("jobs: all six labelOperators are accepted", "[jobs]") {
  Api api;
  api.queue("q1");
  json body = R"({"channelId": "voice", "queueId": "q1", "requestedWorkerSelectors": []})"_json;
  for (const std::string op : {"equal", "notEqual", "lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual"}) {
    body["requestedWorkerSelectors"].push_back({{"key", "k"}, {"labelOperator", op}, {"value", 1}});
  }
  Reply r = api.patch("/routing/jobs/j1", body);
  CHECK_STATUS(r, 201);
  json selectors = r.body()["requestedWorkerSelectors"];
  REQUIRE(selectors.size() == 6);
  CHECK(selectors[5]["labelOperator"] == "greaterThanOrEqual");
}

TEST_CASE("jobs: notes get addedAt and are sorted by it", "[jobs]") {
  Api api;
  api.queue("q1");
  Reply r = api.patch("/routing/jobs/j1", R"({"channelId": "voice", "queueId": "q1", "notes": [
      {"message": "late", "addedAt": "2024-03-01T00:00:00Z"},
      {"message": "no time"},
      {"message": "early", "addedAt": "2023-06-01T12:00:00.5Z"}]})"_json);
  CHECK_STATUS(r, 201);
  json notes = r.body()["notes"];
  REQUIRE(notes.size() == 3);
  CHECK(notes[0] == R"({"message": "early", "addedAt": "2023-06-01T12:00:00.5+00:00"})"_json);
  CHECK(notes[1] == R"({"message": "no time", "addedAt": "2024-01-01T00:00:00+00:00"})"_json);
  CHECK(notes[2] == R"({"message": "late", "addedAt": "2024-03-01T00:00:00+00:00"})"_json);
  CHECK(keysOf(r.ordered()["notes"][0]) == Keys{"message", "addedAt"});
}

TEST_CASE("jobs: labels and tags keep their JSON types", "[jobs]") {
  Api api;
  json j = api.job("j1", "q1", R"({"labels": {"s": "a", "i": 2, "d": 0.5, "b": true, "whole": 3.0},
                                   "tags": {"crm": 12345, "note": "x"}})"_json);
  CHECK(j["labels"]["s"] == "a");
  CHECK(j["labels"]["i"].is_number_integer());
  CHECK(j["labels"]["d"] == 0.5);
  CHECK(j["labels"]["b"] == true);
  CHECK(j["labels"]["whole"].is_number_integer());
  CHECK(j["tags"] == R"({"crm": 12345, "note": "x"})"_json);
}

TEST_CASE("jobs: cancel", "[jobs][actions]") {
  Api api;
  api.job("j1", "q1");

  SECTION("without a body: 200 {} and status cancelled with dispositionCode Cancelled") {
    Reply r = api.post("/routing/jobs/j1:cancel");
    CHECK_STATUS(r, 200);
    checkPlainJsonHeaders(r);
    CHECK(r.body() == json::object());
    json j = api.fetch("/routing/jobs/j1");
    CHECK(j["status"] == "cancelled");
    CHECK(j["dispositionCode"] == "Cancelled");
  }

  SECTION("with an empty JSON object") {
    Reply r = api.post("/routing/jobs/j1:cancel", json::object());
    CHECK_STATUS(r, 200);
    CHECK(api.fetch("/routing/jobs/j1")["dispositionCode"] == "Cancelled");
  }

  SECTION("with an empty body and a JSON content type") {
    Reply r = api.send("POST", withApiVersion("/routing/jobs/j1:cancel"),
                       {{"content-type", "application/json"}, {"content-length", "0"}}, "");
    CHECK_STATUS(r, 200);
    CHECK(api.fetch("/routing/jobs/j1")["status"] == "cancelled");
  }

  SECTION("with a disposition code and a note") {
    Reply r = api.post("/routing/jobs/j1:cancel", R"({"dispositionCode": "CustomerHungUp", "note": "gone"})"_json);
    CHECK_STATUS(r, 200);
    json j = api.fetch("/routing/jobs/j1");
    CHECK(j["status"] == "cancelled");
    CHECK(j["dispositionCode"] == "CustomerHungUp");
    REQUIRE(j["notes"].size() == 1);
    CHECK(j["notes"][0]["message"] == "gone");
    CHECK(j["notes"][0]["addedAt"] == kStartIso);
  }

  SECTION("a cancelled job leaves the queue") {
    api.cancel("j1");
    CHECK(api.fetch("/routing/queues/q1/statistics")["length"] == 0);
  }

  SECTION("a malformed body is rejected and the job stays queued") {
    Reply r = api.send("POST", withApiVersion("/routing/jobs/j1:cancel"), {{"content-type", "application/json"}}, "{");
    CHECK_STATUS(r, 400);
    CHECK(api.fetch("/routing/jobs/j1")["status"] == "queued");
  }
}

TEST_CASE("jobs: actions on missing things are 404", "[jobs][actions]") {
  Api api;
  api.job("j1", "q1");
  api.worker("w1");

  checkNotFound(api.post("/routing/jobs/nope:cancel"), "/routing/jobs/nope:cancel");
  for (const std::string verb : {"complete", "close", "unassign"}) {
    const std::string path = "/routing/jobs/j1/assignments/no-such-assignment:" + verb;
    INFO(path);
    checkNotFound(api.post(path), path);
    checkNotFound(api.post(path, json::object()), path);
  }
  checkError(api.post("/routing/workers/w1/offers/o-1:accept"), 404, "NotFound",
             "AcceptOfferCommandHandler: Offer not found. OfferId: o-1, WorkerId: w1",
             "/routing/workers/w1/offers/o-1:accept");
  checkError(api.post("/routing/workers/w1/offers/o-1:decline", json::object()), 404, "NotFound",
             "DeclineOfferCommandHandler: Offer not found. OfferId: o-1, WorkerId: w1",
             "/routing/workers/w1/offers/o-1:decline");
  checkNotFound(api.post("/routing/workers/nobody/offers/o-1:accept"), "/routing/workers/nobody/offers/o-1:accept");
  checkNotFound(api.post("/routing/workers/nobody/offers/o-1:decline"), "/routing/workers/nobody/offers/o-1:decline");
  CHECK(api.fetch("/routing/jobs/j1")["status"] == "queued");
}

TEST_CASE("jobs: decline with an unparsable retryOfferAt is 400", "[jobs][actions]") {
  Api api;
  api.worker("w1");
  const std::string path = "/routing/workers/w1/offers/o-1:decline";
  Reply r = api.post(path, R"({"retryOfferAt": "next tuesday"})"_json);
  checkBadRequest(r, path);
  CHECK(hasDetailTarget(r, "retryOfferAt"));
}

TEST_CASE("jobs: delete", "[jobs]") {
  Api api;
  api.job("j1", "q1");
  api.cancel("j1");
  Reply r = api.del("/routing/jobs/j1");
  CHECK_STATUS(r, 204);
  CHECK(r.text.empty());
  CHECK_FALSE(r.hasHeader("content-type"));
  checkNotFound(api.get("/routing/jobs/j1"), "/routing/jobs/j1");
  CHECK(idsOf(api.fetch("/routing/jobs")).empty());
}

TEST_CASE("jobs: position of a queued job", "[jobs]") {
  Api api;
  api.job("j1", "q1");
  api.router.advance(1000);
  api.job("j2", "q1");
  Reply r = api.get("/routing/jobs/j2/position");
  CHECK_STATUS(r, 200);
  checkPlainJsonHeaders(r);
  Keys keys = keysOf(r.ordered());
  REQUIRE(keys.size() >= 4);
  CHECK(Keys(keys.begin(), keys.begin() + 4) == Keys{"jobId", "position", "queueId", "queueLength"});
  json p = r.body();
  CHECK(p["jobId"] == "j2");
  CHECK(p["position"] == 2);
  CHECK(p["queueId"] == "q1");
  CHECK(p["queueLength"] == 2);
  CHECK(api.fetch("/routing/jobs/j1/position")["position"] == 1);
}
