// Scheduling beyond the happy path: the scheduleFailed fault injection (Router::failScheduling) and what the
// lifecycle allows afterwards, and rescheduling a scheduled job by PATCHing its matchingMode.
#include "test-support.hpp"

using namespace jrtest;

namespace {

const json kScheduled = R"({"matchingMode": {"kind": "scheduleAndSuspend", "scheduleAt": "2024-01-01T00:01:00Z"}})"_json;

// A scheduled job "j1" in q1, with an available worker serving q1; events drained.
void scheduledJob(Api& api) {
  api.queue("q1");
  api.upsert("/routing/workers/w1", R"({"capacity": 1, "queues": ["q1"], "availableForOffers": true,
                                        "channels": [{"channelId": "voice", "capacityCostPerJob": 1}]})"_json);
  api.job("j1", "q1", kScheduled);
  REQUIRE(api.fetch("/routing/jobs/j1")["status"] == "scheduled");
  api.router.drainEvents();
}

Reply failScheduling(Api& api, const std::string& jobId, const std::string& reason) {
  const jr::HttpResponse r = api.router.failScheduling(jobId, reason);
  return Reply{r.status, r.headers, r.body};
}

json lastEvent(Api& api) {
  const json events = json::parse(api.router.drainEvents());
  REQUIRE(events.size() == 1);
  return events[0];
}

}  // namespace

TEST_CASE("scheduling: failScheduling turns a scheduled job into scheduleFailed with RouterJobSchedulingFailed",
          "[scheduling]") {
  Api api;
  scheduledJob(api);
  const std::string etag = api.fetch("/routing/jobs/j1")["etag"];
  const Reply r = failScheduling(api, "j1", "calendar service unavailable");
  CHECK_STATUS(r, 200);
  CHECK(r.body()["status"] == "scheduleFailed");
  CHECK(r.body()["etag"] != etag);
  CHECK(r.header("etag") == r.body()["etag"]);
  CHECK(api.fetch("/routing/jobs/j1") == r.body());

  const json event = lastEvent(api);
  CHECK(event["eventType"] == "Microsoft.Communication.RouterJobSchedulingFailed");
  CHECK(event["subject"] == "job/j1/channel/voice");
  const json& data = event["data"];
  CHECK(data["jobId"] == "j1");
  CHECK(data["channelId"] == "voice");
  CHECK(data["queueId"] == "q1");
  CHECK(data["priority"] == 1);
  CHECK(data["scheduledOn"] == "2024-01-01T00:01:00+00:00");
  CHECK(data["failureReason"] == "calendar service unavailable");
  CHECK(data["expiredAttachedWorkerSelectors"] == json::array());
  CHECK(data["expiredRequestedWorkerSelectors"] == json::array());
  CHECK(data["labels"] == json::object());
  CHECK(data["tags"] == json::object());

  // Its scheduling timer is gone: scheduleAt passes without effect.
  CHECK(api.router.nextDueMillis() == -1);
  api.router.advance(120'000);
  CHECK(api.fetch("/routing/jobs/j1")["status"] == "scheduleFailed");
  CHECK(json::parse(api.router.drainEvents()).empty());
  CHECK(api.fetch("/routing/workers/w1")["offers"].empty());

  // Listed as active, and by status.
  CHECK(idsOf(api.fetch("/routing/jobs?status=scheduleFailed")) == std::vector<std::string>{"j1"});
  CHECK(idsOf(api.fetch("/routing/jobs?status=active")) == std::vector<std::string>{"j1"});
}

TEST_CASE("scheduling: failScheduling without a reason uses a default failureReason", "[scheduling]") {
  Api api;
  scheduledJob(api);
  CHECK_STATUS(failScheduling(api, "j1", ""), 200);
  CHECK(lastEvent(api)["data"]["failureReason"] == "The job could not be scheduled.");
}

TEST_CASE("scheduling: failScheduling refuses unknown jobs and other statuses, changing nothing", "[scheduling]") {
  Api api;
  scheduledJob(api);
  Reply r = failScheduling(api, "nope", "x");
  checkError(r, 404, "NotFound");
  CHECK(errorOf(r)["target"] == "/routing/jobs/nope");

  api.job("queued");
  api.job("suspended", "q1", R"({"matchingMode": {"kind": "suspend"}})"_json);
  api.router.drainEvents();
  REQUIRE_STATUS(failScheduling(api, "j1", "first"), 200);
  api.router.drainEvents();
  for (const char* id : {"queued", "suspended", "j1"}) {
    const std::string before = api.state();
    r = failScheduling(api, id, "again");
    INFO(id << " -> " << r.text);
    checkError(r, 409, "Conflict");
    CHECK(contains(r.text, "allowed only in: pendingSchedule, scheduled"));
    CHECK(api.state() == before);
    CHECK(json::parse(api.router.drainEvents()).empty());
  }
}

TEST_CASE("scheduling: a scheduleFailed job can be cancelled or deleted", "[scheduling]") {
  Api api;
  scheduledJob(api);
  REQUIRE_STATUS(failScheduling(api, "j1", "x"), 200);
  SECTION("cancel") {
    CHECK_STATUS(api.post("/routing/jobs/j1:cancel"), 200);
    CHECK(api.fetch("/routing/jobs/j1")["status"] == "cancelled");
  }
  SECTION("delete") {
    api.router.drainEvents();
    CHECK_STATUS(api.del("/routing/jobs/j1"), 204);
    CHECK(api.get("/routing/jobs/j1").status == 404);
    CHECK(drainEventTypes(api) == json::array({"RouterJobDeleted"}));
  }
}

TEST_CASE("scheduling: PATCHing the matchingMode of a scheduleFailed job starts it again", "[scheduling]") {
  Api api;
  scheduledJob(api);
  REQUIRE_STATUS(failScheduling(api, "j1", "x"), 200);
  api.router.drainEvents();
  SECTION("queueAndMatch: queued and offered at once") {
    const json job = api.upsert("/routing/jobs/j1", R"({"matchingMode": {"kind": "queueAndMatch"}})"_json);
    CHECK(job["status"] == "queued");
    CHECK(drainEventTypes(api) == json::array({"RouterJobQueued", "RouterWorkerOfferIssued"}));
  }
  SECTION("the same schedule again: scheduled, then waiting for activation at scheduleAt") {
    const json job = api.upsert("/routing/jobs/j1", kScheduled);
    CHECK(job["status"] == "pendingSchedule");
    CHECK(api.fetch("/routing/jobs/j1")["status"] == "scheduled");
    api.router.advance(60'000);
    CHECK(api.fetch("/routing/jobs/j1")["status"] == "waitingForActivation");
    CHECK(drainEventTypes(api) == json::array({"RouterJobWaitingForActivation"}));
  }
  SECTION("suspend: waiting for activation") {
    const json job = api.upsert("/routing/jobs/j1", R"({"matchingMode": {"kind": "suspend"}})"_json);
    CHECK(job["status"] == "waitingForActivation");
  }
  SECTION("a PATCH without matchingMode leaves it failed") {
    const json job = api.upsert("/routing/jobs/j1", R"({"priority": 5})"_json);
    CHECK(job["status"] == "scheduleFailed");
    CHECK(job["priority"] == 5);
  }
}

TEST_CASE("scheduling: a new scheduleAt on a scheduled job moves its activation (regression)", "[scheduling]") {
  Api api;
  scheduledJob(api);
  const json job = api.upsert("/routing/jobs/j1",
                              R"({"matchingMode": {"kind": "scheduleAndSuspend", "scheduleAt": "2024-01-01T00:02:00Z"}})"_json);
  CHECK(job["status"] == "pendingSchedule");
  CHECK(api.fetch("/routing/jobs/j1")["status"] == "scheduled");
  api.router.advance(60'000);
  CHECK(api.fetch("/routing/jobs/j1")["status"] == "scheduled");
  CHECK(drainEventTypes(api).empty());
  api.router.advance(60'000);
  const json after = api.fetch("/routing/jobs/j1");
  CHECK(after["status"] == "waitingForActivation");
  CHECK(after["scheduledAt"] == "2024-01-01T00:02:00+00:00");
  CHECK(drainEventTypes(api) == json::array({"RouterJobWaitingForActivation"}));
}

TEST_CASE("scheduling: a scheduled job PATCHed to suspend waits for activation (regression)", "[scheduling]") {
  Api api;
  scheduledJob(api);
  const json job = api.upsert("/routing/jobs/j1", R"({"matchingMode": {"kind": "suspend"}})"_json);
  CHECK(job["status"] == "waitingForActivation");
  api.router.advance(120'000);
  CHECK(api.fetch("/routing/jobs/j1")["status"] == "waitingForActivation");
  const json activated = api.upsert("/routing/jobs/j1", R"({"matchingMode": {"kind": "queueAndMatch"}})"_json);
  CHECK(activated["status"] == "queued");
}

TEST_CASE("scheduling: a queued job whose mode is an earlier scheduleAndSuspend stays queued when other fields change "
          "(regression)", "[scheduling]") {
  // Found by the model-based test: such a job (assigned, given a schedule, then unassigned) went back to
  // waitingForActivation on a PATCH of its priority, keeping its offer.
  Api api;
  api.queue("q1");
  api.upsert("/routing/workers/w1", R"({"capacity": 1, "queues": ["q1"], "availableForOffers": true,
                                        "channels": [{"channelId": "voice", "capacityCostPerJob": 1}]})"_json);
  api.job("j1", "q1");
  const std::string offerId = api.fetch("/routing/workers/w1")["offers"][0]["offerId"];
  const json accepted = json::parse(api.post("/routing/workers/w1/offers/" + offerId + ":accept").text);
  api.upsert("/routing/jobs/j1", R"({"matchingMode": {"kind": "scheduleAndSuspend", "scheduleAt": "2024-01-01T00:00:00Z"}})"_json);
  REQUIRE(api.fetch("/routing/jobs/j1")["status"] == "assigned");
  REQUIRE(api.post("/routing/jobs/j1/assignments/" + accepted["assignmentId"].get<std::string>() + ":unassign").status == 200);
  REQUIRE(api.fetch("/routing/jobs/j1")["status"] == "queued");
  REQUIRE(api.fetch("/routing/workers/w1")["offers"].size() == 1);
  api.upsert("/routing/jobs/j1", R"({"priority": 7})"_json);
  const json job = api.fetch("/routing/jobs/j1");
  CHECK(job["status"] == "queued");
  CHECK(job["priority"] == 7);
  CHECK(api.fetch("/routing/workers/w1")["offers"].size() == 1);
  CHECK(api.fetch("/routing/queues/q1/statistics")["length"] == 1);
}
