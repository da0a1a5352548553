// Workers: defaults, read-only fields, field order, state from availableForOffers, create/update/delete.
#include "test-support.hpp"

using namespace jrtest;

TEST_CASE("workers: an empty body creates a worker with every default", "[workers]") {
  Api api;
  Reply r = api.patch("/routing/workers/w1", json::object());
  CHECK_STATUS(r, 201);
  checkResourceHeaders(r);
  CHECK(keysOf(r.ordered()) == Keys{"id", "state", "queues", "capacity", "labels", "tags", "channels", "offers",
                                    "assignedJobs", "loadRatio", "availableForOffers", "etag"});
  json w = r.body();
  w.erase("etag");
  CHECK(w == R"({"id": "w1", "state": "inactive", "queues": [], "capacity": 0, "labels": {"Id": "w1"}, "tags": {},
                 "channels": [], "offers": [], "assignedJobs": [], "loadRatio": 0, "availableForOffers": false})"_json);
}

TEST_CASE("workers: a full worker, in the service's field order", "[workers]") {
  Api api;
  api.queue("MainQueue");
  Reply r = api.patch("/routing/workers/w1", R"({
    "availableForOffers": false,
    "channels": [{"maxNumberOfJobs": 4, "capacityCostPerJob": 11, "channelId": "chat"},
                 {"capacityCostPerJob": 10, "channelId": "voice"}],
    "tags": {"floor": 3},
    "labels": {"skill": "sales", "level": 5},
    "capacity": 100,
    "queues": ["MainQueue"]
  })"_json);
  CHECK_STATUS(r, 201);
  ojson w = r.ordered();
  CHECK(keysOf(w) == Keys{"id", "state", "queues", "capacity", "labels", "tags", "channels", "offers", "assignedJobs",
                          "loadRatio", "availableForOffers", "etag"});
  CHECK(keysOf(w["channels"][0]) == Keys{"channelId", "capacityCostPerJob", "maxNumberOfJobs"});
  CHECK(keysOf(w["channels"][1]) == Keys{"channelId", "capacityCostPerJob"});

  json body = r.body();
  CHECK(body["state"] == "inactive");
  CHECK(body["queues"] == R"(["MainQueue"])"_json);
  CHECK(body["capacity"] == 100);
  CHECK(body["labels"] == R"({"Id": "w1", "skill": "sales", "level": 5})"_json);
  CHECK(body["tags"] == R"({"floor": 3})"_json);
  CHECK(body["channels"] == R"([{"channelId": "chat", "capacityCostPerJob": 11, "maxNumberOfJobs": 4},
                                 {"channelId": "voice", "capacityCostPerJob": 10}])"_json);
  CHECK(body["offers"] == json::array());
  CHECK(body["assignedJobs"] == json::array());
  CHECK(body["loadRatio"] == 0);
  CHECK(api.fetch("/routing/workers/w1") == body);
}

TEST_CASE("workers: availableForOffers drives the state", "[workers]") {
  Api api;

  Reply registered = api.patch("/routing/workers/w1", R"({"capacity": 1, "availableForOffers": true})"_json);
  CHECK_STATUS(registered, 201);
  CHECK(registered.body()["state"] == "active");
  CHECK(registered.body()["availableForOffers"] == true);
  CHECK(api.fetch("/routing/workers/w1")["state"] == "active");

  // no offers and no assignments: straight to inactive
  Reply deregistered = api.patch("/routing/workers/w1", R"({"availableForOffers": false})"_json);
  CHECK_STATUS(deregistered, 200);
  CHECK(deregistered.body()["state"] == "inactive");
  CHECK(deregistered.body()["availableForOffers"] == false);

  Reply again = api.patch("/routing/workers/w1", R"({"availableForOffers": true})"_json);
  CHECK_STATUS(again, 200);
  CHECK(again.body()["state"] == "active");
}

TEST_CASE("workers: update merges labels and tags and replaces queues and channels", "[workers]") {
  Api api;
  api.queue("q1");
  api.queue("q2");
  api.worker("w1", R"({"queues": ["q1"], "labels": {"a": 1}, "tags": {"t": "x"},
                       "channels": [{"channelId": "voice", "capacityCostPerJob": 1}], "capacity": 5})"_json);
  Reply r = api.patch("/routing/workers/w1", R"({"queues": ["q2", "q1"], "labels": {"b": false}, "capacity": 6,
      "channels": [{"channelId": "chat", "capacityCostPerJob": 2, "maxNumberOfJobs": 3}]})"_json);
  CHECK_STATUS(r, 200);
  checkResourceHeaders(r);
  json w = r.body();
  CHECK(w["queues"] == R"(["q2", "q1"])"_json);
  CHECK(w["labels"] == R"({"Id": "w1", "a": 1, "b": false})"_json);
  CHECK(w["tags"] == R"({"t": "x"})"_json);
  CHECK(w["channels"] == R"([{"channelId": "chat", "capacityCostPerJob": 2, "maxNumberOfJobs": 3}])"_json);
  CHECK(w["capacity"] == 6);
}

TEST_CASE("workers: delete", "[workers]") {
  Api api;
  api.worker("w1");
  Reply r = api.del("/routing/workers/w1");
  CHECK_STATUS(r, 204);
  CHECK(r.text.empty());
  CHECK_FALSE(r.hasHeader("content-type"));
  checkNotFound(api.get("/routing/workers/w1"), "/routing/workers/w1");
  checkNotFound(api.del("/routing/workers/w1"), "/routing/workers/w1");
  CHECK(idsOf(api.fetch("/routing/workers")).empty());
}

TEST_CASE("workers: a queue served by a worker cannot be deleted until the worker leaves it", "[workers][queues]") {
  Api api;
  api.queue("q1");
  api.worker("w1", R"({"queues": ["q1"]})"_json);
  CHECK_STATUS(api.del("/routing/queues/q1"), 409);
  api.upsert("/routing/workers/w1", R"({"queues": []})"_json);
  CHECK_STATUS(api.del("/routing/queues/q1"), 204);
}
