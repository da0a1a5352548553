// Events: Event Grid schema, collected during a command and published after it, in order, with a sequence
// number; a failed command publishes nothing.
#include "test-support.hpp"

using namespace jrtest;

namespace {

std::vector<std::string> typesOf(const json& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e["eventType"].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("events: a direct-queue job publishes Received then Queued", "[events]") {
  Api api;
  api.queue("q1");
  drainEvents(api);
  api.job("j1", "q1", R"({"priority": 5, "labels": {"tier": 2}})"_json);
  const json events = drainEvents(api);
  REQUIRE(typesOf(events) ==
          std::vector<std::string>{"Microsoft.Communication.RouterJobReceived", "Microsoft.Communication.RouterJobQueued"});

  SECTION("Event Grid envelope") {
    const json& e = events[0];
    CHECK(isGuid(e["id"].get<std::string>()));
    CHECK(startsWith(e["topic"].get<std::string>(), "/subscriptions/"));
    CHECK(e["subject"] == "job/j1/channel/voice");
    CHECK(e["eventTime"] == kStartIso);
    CHECK(e["dataVersion"] == "1.0");
    CHECK(e["sequenceNumber"] == 1);
    CHECK(events[1]["sequenceNumber"] == 2);
  }
  SECTION("Received data") {
    const json& d = events[0]["data"];
    CHECK(d["jobId"] == "j1");
    CHECK(d["channelId"] == "voice");
    CHECK(d["queueId"] == "q1");
    CHECK(d["jobStatus"] == "Created");
    CHECK(d["priority"] == 5);
    CHECK(d["labels"] == R"({"tier": "2"})"_json);  // the schema types label values as strings
    CHECK(d["unavailableForMatching"] == false);
  }
  SECTION("Queued subject names the queue") {
    CHECK(events[1]["subject"] == "job/j1/channel/voice/queue/q1");
    CHECK(events[1]["data"]["priority"] == 5);
  }
  SECTION("nothing is published twice") { CHECK(drainEvents(api).empty()); }
}

TEST_CASE("events: a failed command publishes nothing", "[events]") {
  Api api;
  api.queue("q1");
  drainEvents(api);
  CHECK(api.patch("/routing/jobs/bad", R"({"channelId": "voice", "queueId": "q1", "priority": 1000})"_json).status == 400);
  CHECK(api.post("/routing/jobs/missing:cancel").status == 404);
  CHECK(drainEvents(api).empty());
}

TEST_CASE("events: cancel and delete of a job", "[events]") {
  Api api;
  api.job("j1");
  drainEvents(api);
  REQUIRE(api.post("/routing/jobs/j1:cancel", R"({"note": "caller hung up", "dispositionCode": "Abandoned"})"_json).status ==
          200);
  json events = drainEvents(api);
  REQUIRE(events.size() == 1);
  CHECK(events[0]["eventType"] == "Microsoft.Communication.RouterJobCancelled");
  CHECK(events[0]["subject"] == "job/j1/channel/voice/disposition/Abandoned");
  CHECK(events[0]["data"]["note"] == "caller hung up");
  CHECK(events[0]["data"]["dispositionCode"] == "Abandoned");

  REQUIRE(api.del("/routing/jobs/j1").status == 204);
  events = drainEvents(api);
  REQUIRE(events.size() == 1);
  CHECK(events[0]["eventType"] == "Microsoft.Communication.RouterJobDeleted");
  CHECK(events[0]["data"]["jobId"] == "j1");
}

TEST_CASE("events: suspended and classification jobs are received but not queued", "[events]") {
  Api api;
  api.queue("q1");
  api.classificationPolicy("cp1");
  drainEvents(api);
  api.upsert("/routing/jobs/s1", R"({"channelId": "voice", "queueId": "q1", "matchingMode": {"kind": "suspend"}})"_json);
  json events = drainEvents(api);
  REQUIRE(events.size() == 1);
  CHECK(events[0]["data"]["jobStatus"] == "WaitingForActivation");
  CHECK(events[0]["data"]["unavailableForMatching"] == true);

  SECTION("activation by PATCH publishes Queued") {
    const json job = api.upsert("/routing/jobs/s1", R"({"matchingMode": {"kind": "queueAndMatch"}})"_json);
    CHECK(job["status"] == "queued");
    events = drainEvents(api);
    REQUIRE(events.size() == 1);
    CHECK(events[0]["eventType"] == "Microsoft.Communication.RouterJobQueued");
  }
}

TEST_CASE("events: worker registration, update, deregistration and deletion", "[events]") {
  Api api;
  api.queue("q1");
  drainEvents(api);
  api.upsert("/routing/workers/w1",
             R"({"capacity": 10, "queues": ["q1"], "channels": [{"channelId": "voice", "capacityCostPerJob": 1}],
                 "availableForOffers": true, "labels": {"skill": 5}})"_json);
  json events = drainEvents(api);
  REQUIRE(events.size() == 1);
  CHECK(events[0]["eventType"] == "Microsoft.Communication.RouterWorkerRegistered");
  CHECK(events[0]["subject"] == "worker/w1");
  const json& d = events[0]["data"];
  CHECK(d["workerId"] == "w1");
  CHECK(d["totalCapacity"] == 10);
  CHECK(d["queueAssignments"][0]["id"] == "q1");
  CHECK(d["queueAssignments"][0]["labels"]["Id"] == "q1");
  CHECK(d["channelConfigurations"][0]["channelId"] == "voice");
  CHECK(d["labels"]["skill"] == "5");

  SECTION("an update names the changed properties") {
    api.upsert("/routing/workers/w1", R"({"capacity": 20, "labels": {"skill": 6}})"_json);
    events = drainEvents(api);
    REQUIRE(events.size() == 1);
    CHECK(events[0]["eventType"] == "Microsoft.Communication.RouterWorkerUpdated");
    CHECK(events[0]["data"]["updatedWorkerProperties"] == R"(["TotalCapacity", "Labels"])"_json);
  }
  SECTION("an identical PATCH publishes nothing") {
    api.upsert("/routing/workers/w1", R"({"capacity": 10})"_json);
    CHECK(drainEvents(api).empty());
  }
  SECTION("deregistration, then deletion") {
    api.upsert("/routing/workers/w1", R"({"availableForOffers": false})"_json);
    events = drainEvents(api);
    REQUIRE(events.size() == 1);
    CHECK(events[0]["eventType"] == "Microsoft.Communication.RouterWorkerDeregistered");
    REQUIRE(api.del("/routing/workers/w1").status == 204);
    events = drainEvents(api);
    REQUIRE(events.size() == 1);
    CHECK(events[0]["eventType"] == "Microsoft.Communication.RouterWorkerDeleted");
  }
}

TEST_CASE("events: same seed and inputs give byte-identical event logs; ids continue after a snapshot", "[events]") {
  auto run = [](Api& api) {
    api.queue("q1");
    api.job("j1");
    api.cancel("j1");
    return api.router.drainEvents();
  };
  Api a, b;
  CHECK(run(a) == run(b));

  Api c;
  c.queue("q1");
  c.router.drainEvents();
  Api d;
  REQUIRE(d.router.importState(c.state()));
  c.job("j1");
  d.job("j1");
  CHECK(c.router.drainEvents() == d.router.drainEvents());
}

TEST_CASE("events: drainEventsInto appends the same text drainEvents returns, and drains", "[events]") {
  Api a, b;
  for (Api* api : {&a, &b}) {
    api->queue("q1");
    api->job("j1");
  }
  const std::string text = a.router.drainEvents();
  std::string buffer = "kept:";
  b.router.drainEventsInto(buffer);
  CHECK(buffer == "kept:" + text);
  CHECK(json::parse(text).size() == 2);  // Received, Queued
  buffer.clear();
  b.router.drainEventsInto(buffer);
  CHECK(buffer == "[]");
  CHECK(b.router.drainRuleRequests() == "[]");
}
