// Queue statistics and job position: lengths, order, and the documented wait estimate (mean wait-until-assignment
// of the last 10 jobs assigned from the queue, 1 minute before any, times the position, shared among available
// workers, rounded up).
#include "test-support.hpp"

using namespace jrtest;

TEST_CASE("statistics: an empty queue answers only queueId and length", "[statistics]") {
  Api api;
  api.queue("q1");
  Reply r = api.get("/routing/queues/q1/statistics");
  REQUIRE(r.status == 200);
  CHECK(keysOf(r.ordered()) == Keys{"queueId", "length"});
  CHECK(r.body()["length"] == 0);
}

TEST_CASE("statistics: estimates per priority, longest wait, and positions", "[statistics]") {
  Api api;
  api.job("a", "q1", R"({"priority": 5})"_json);
  api.job("b", "q1", R"({"priority": 1})"_json);
  api.job("c", "q1", R"({"priority": 5})"_json);
  api.router.advance(90'000);
  Reply r = api.get("/routing/queues/q1/statistics");
  REQUIRE(r.status == 200);
  CHECK(keysOf(r.ordered()) == Keys{"queueId", "length", "estimatedWaitTimeMinutes", "longestJobWaitTimeMinutes"});
  const json s = r.body();
  CHECK(s["length"] == 3);
  CHECK(s["estimatedWaitTimeMinutes"] == R"({"5": 2, "1": 3})"_json);  // no history: 1 minute per position
  CHECK(s["longestJobWaitTimeMinutes"] == 1.5);
  const json position = api.fetch("/routing/jobs/b/position");
  CHECK(position["position"] == 3);
  CHECK(position["queueLength"] == 3);
  CHECK(position["estimatedWaitTimeMinutes"] == 3);
  CHECK(api.fetch("/routing/jobs/c/position")["position"] == 2);
}

TEST_CASE("statistics: the estimate follows observed waits until assignment", "[statistics]") {
  Api api;
  api.job("j0");
  api.router.advance(4 * 60'000);
  api.upsert("/routing/workers/w1", R"({"capacity": 1, "queues": ["q1"], "availableForOffers": true,
      "channels": [{"channelId": "voice", "capacityCostPerJob": 1}]})"_json);
  const std::string offerId = api.fetch("/routing/workers/w1")["offers"][0]["offerId"];
  REQUIRE(api.post("/routing/workers/w1/offers/" + offerId + ":accept").status == 200);  // waited 4 minutes
  api.job("j1");
  api.job("j2");
  CHECK(api.fetch("/routing/jobs/j1/position")["estimatedWaitTimeMinutes"] == 4);
  CHECK(api.fetch("/routing/jobs/j2/position")["estimatedWaitTimeMinutes"] == 8);
  SECTION("a second available worker halves it") {
    api.upsert("/routing/workers/w2", R"({"capacity": 0, "queues": ["q1"], "availableForOffers": true,
        "channels": [{"channelId": "voice", "capacityCostPerJob": 1}]})"_json);
    CHECK(api.fetch("/routing/jobs/j2/position")["estimatedWaitTimeMinutes"] == 4);
  }
  SECTION("position of a job that is not queued is a 400") {
    Reply r = api.get("/routing/jobs/j0/position");
    checkError(r, 400, "BadRequest");
    CHECK(hasDetailCode(r, "JobNotQueued"));
  }
}
