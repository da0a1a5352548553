// Matching and offers: issue, accept, decline (with and without retryOfferAt), expiry, revocation, capacity,
// distribution modes, selectors, scheduling, deferred close, explain.
#include "test-support.hpp"

using namespace jrtest;

namespace {


json activeWorker(Api& api, const std::string& id, const json& extra = json::object(), int capacity = 10) {
  if (!api.exists("/routing/queues/q1")) api.queue("q1");
  json body = {{"capacity", capacity},
               {"queues", {"q1"}},
               {"channels", {{{"channelId", "voice"}, {"capacityCostPerJob", 1}}}},
               {"availableForOffers", true}};
  body.merge_patch(extra);
  return api.upsert("/routing/workers/" + id, body);
}

json offersOf(Api& api, const std::string& workerId) { return api.fetch("/routing/workers/" + workerId)["offers"]; }

void advance(Api& api, std::int64_t ms) { api.router.advance(ms); }

}  // namespace

TEST_CASE("offers: a queued job is offered to an available worker; accept, complete, close", "[offers]") {
  Api api;
  api.queue("q1");  // offers expire after 60 s
  activeWorker(api, "w1");
  api.router.drainEvents();
  api.job("j1");

  const json w1 = api.fetch("/routing/workers/w1");
  REQUIRE(w1["offers"].size() == 1);
  const json offer = w1["offers"][0];
  CHECK(isGuid(offer["offerId"].get<std::string>()));
  CHECK(offer["jobId"] == "j1");
  CHECK(offer["capacityCost"] == 1);
  CHECK(offer["offeredAt"] == kStartIso);
  CHECK(offer["expiresAt"] == "2024-01-01T00:01:00+00:00");
  CHECK(w1["loadRatio"] == 0.1);
  CHECK(api.fetch("/routing/jobs/j1")["status"] == "queued");

  const std::string offerId = offer["offerId"];
  Reply accepted = api.post("/routing/workers/w1/offers/" + offerId + ":accept");
  REQUIRE(accepted.status == 200);
  const json result = accepted.body();
  CHECK(keysOf(accepted.ordered()) == Keys{"assignmentId", "jobId", "workerId"});
  CHECK(result["jobId"] == "j1");
  CHECK(result["workerId"] == "w1");
  const std::string assignmentId = result["assignmentId"];

  json job = api.fetch("/routing/jobs/j1");
  CHECK(job["status"] == "assigned");
  CHECK(job["assignments"][assignmentId]["workerId"] == "w1");
  json worker = api.fetch("/routing/workers/w1");
  CHECK(worker["offers"].empty());
  REQUIRE(worker["assignedJobs"].size() == 1);
  CHECK(worker["assignedJobs"][0]["assignmentId"] == assignmentId);
  CHECK(worker["loadRatio"] == 0.1);

  SECTION("declining the accepted offer is a 404") {
    Reply r = api.post("/routing/workers/w1/offers/" + offerId + ":decline");
    checkError(r, 404, "NotFound",
               "DeclineOfferCommandHandler: Offer not found. OfferId: " + offerId + ", WorkerId: w1");
  }
  SECTION("complete then close frees the capacity; events in lifecycle order") {
    REQUIRE(api.post("/routing/jobs/j1/assignments/" + assignmentId + ":complete").status == 200);
    CHECK(api.fetch("/routing/workers/w1")["assignedJobs"].size() == 1);  // capacity held until close
    REQUIRE(api.post("/routing/jobs/j1/assignments/" + assignmentId + ":close").status == 200);
    job = api.fetch("/routing/jobs/j1");
    CHECK(job["status"] == "closed");
    CHECK(job["dispositionCode"] == "Closed");
    worker = api.fetch("/routing/workers/w1");
    CHECK(worker["assignedJobs"].empty());
    CHECK(worker["loadRatio"] == 0);
    CHECK(drainEventTypes(api) == R"(["RouterJobReceived", "RouterJobQueued", "RouterWorkerOfferIssued",
                                 "RouterWorkerOfferAccepted", "RouterJobCompleted", "RouterJobClosed"])"_json);
  }
}

TEST_CASE("offers: a job queued before any worker is offered when one registers", "[offers]") {
  Api api;
  api.job("j1");
  activeWorker(api, "w1");
  CHECK(offersOf(api, "w1").size() == 1);
}

TEST_CASE("offers: expiry at expiresAt, then the job is offered again", "[offers]") {
  Api api;
  api.job("j1");
  activeWorker(api, "w1");
  const std::string first = offersOf(api, "w1")[0]["offerId"];
  api.router.drainEvents();
  advance(api, 59'999);
  CHECK(offersOf(api, "w1")[0]["offerId"] == first);
  advance(api, 1);
  const json offers = offersOf(api, "w1");
  REQUIRE(offers.size() == 1);
  CHECK(offers[0]["offerId"] != first);
  CHECK(offers[0]["offeredAt"] == "2024-01-01T00:01:00+00:00");
  CHECK(drainEventTypes(api) == R"(["RouterWorkerOfferExpired", "RouterWorkerOfferIssued"])"_json);
  Reply late = api.post("/routing/workers/w1/offers/" + first + ":accept");
  CHECK(late.status == 404);
}

TEST_CASE("offers: decline without retryOfferAt excludes the worker until it re-registers", "[offers]") {
  Api api;
  activeWorker(api, "w1");
  api.job("j1");
  const std::string offerId = offersOf(api, "w1")[0]["offerId"];
  REQUIRE(api.post("/routing/workers/w1/offers/" + offerId + ":decline").status == 200);
  CHECK(offersOf(api, "w1").empty());
  activeWorker(api, "w2");
  CHECK(offersOf(api, "w2").size() == 1);  // the next worker gets it
  const std::string offer2 = offersOf(api, "w2")[0]["offerId"];
  REQUIRE(api.post("/routing/workers/w2/offers/" + offer2 + ":decline", json::object()).status == 200);
  advance(api, 3'600'000);
  CHECK(offersOf(api, "w1").empty());
  CHECK(offersOf(api, "w2").empty());

  SECTION("de-register and register again: offered again") {
    api.upsert("/routing/workers/w1", R"({"availableForOffers": false})"_json);
    api.upsert("/routing/workers/w1", R"({"availableForOffers": true})"_json);
    CHECK(offersOf(api, "w1").size() == 1);
  }
  SECTION("deleted and created again under the same id: a new worker, offered again") {
    // The new worker's registration counter starts where the old one's did when it declined.
    REQUIRE(api.del("/routing/workers/w1").status == 204);
    activeWorker(api, "w1");
    CHECK(offersOf(api, "w1").size() == 1);
  }
  SECTION("explain names the decline") {
    const json e = json::parse(api.router.explain("j1"));
    CHECK(e["workers"][0]["workerId"] == "w1");
    CHECK(e["workers"][0]["eligible"] == false);
    CHECK(e["workers"][0]["code"] == "Declined");
  }
}

TEST_CASE("offers: decline with retryOfferAt re-offers to the decliner exactly then", "[offers]") {
  Api api;
  activeWorker(api, "w1");
  api.job("j1");
  const std::string offerId = offersOf(api, "w1")[0]["offerId"];
  REQUIRE(api.post("/routing/workers/w1/offers/" + offerId + ":decline",
                   R"({"retryOfferAt": "2024-01-01T00:00:30Z"})"_json).status == 200);
  advance(api, 29'999);
  CHECK(offersOf(api, "w1").empty());
  advance(api, 1);
  const json offers = offersOf(api, "w1");
  REQUIRE(offers.size() == 1);
  CHECK(offers[0]["offeredAt"] == "2024-01-01T00:00:30+00:00");
}

TEST_CASE("offers: maxConcurrentOffers, first accept wins and the others are revoked", "[offers]") {
  Api api;
  api.distributionPolicy("dp1", R"({"offerExpiresAfterSeconds": 60, "mode": {"kind": "longestIdle", "maxConcurrentOffers": 2}})"_json);
  api.queue("q1");
  activeWorker(api, "w1");
  activeWorker(api, "w2");
  activeWorker(api, "w3");
  api.router.drainEvents();
  api.job("j1");
  std::vector<std::pair<std::string, std::string>> offered;  // (worker, offer)
  for (const char* w : {"w1", "w2", "w3"}) {
    for (const auto& o : offersOf(api, w)) offered.emplace_back(w, o["offerId"].get<std::string>());
  }
  REQUIRE(offered.size() == 2);
  const auto& [winner, winnerOffer] = offered[0];
  const auto& [loser, loserOffer] = offered[1];
  REQUIRE(api.post("/routing/workers/" + winner + "/offers/" + winnerOffer + ":accept").status == 200);
  for (const char* w : {"w1", "w2", "w3"}) CHECK(offersOf(api, w).empty());
  const json types = drainEventTypes(api);
  CHECK(std::count(types.begin(), types.end(), "RouterWorkerOfferRevoked") == 1);
  CHECK(std::count(types.begin(), types.end(), "RouterWorkerOfferIssued") == 2);

  // The service: accept "returns a 409/Conflict if another agent accepted the job already".
  const std::string before = api.state();
  Reply late = api.post("/routing/workers/" + loser + "/offers/" + loserOffer + ":accept");
  checkError(late, 409, "Conflict");
  CHECK(api.state() == before);
  Reply decline = api.post("/routing/workers/" + loser + "/offers/" + loserOffer + ":decline");
  CHECK(decline.status == 404);
}

TEST_CASE("offers: an expedited job goes first while its selector is active", "[offers]") {
  Api api;
  api.job("normal", "q1", R"({"priority": 50})"_json);
  api.job("urgent", "q1", R"({"priority": 1, "requestedWorkerSelectors": [
      {"key": "Id", "labelOperator": "notEqual", "value": "nobody", "expedite": true}]})"_json);
  CHECK(api.fetch("/routing/jobs/urgent/position")["position"] == 1);
  activeWorker(api, "w1", json::object(), 1);
  CHECK(offersOf(api, "w1")[0]["jobId"] == "urgent");
}

TEST_CASE("offers: unassign with suspendMatching waits for activation", "[offers]") {
  Api api;
  activeWorker(api, "w1");
  api.job("j1");
  const std::string offerId = offersOf(api, "w1")[0]["offerId"];
  const std::string a = api.post("/routing/workers/w1/offers/" + offerId + ":accept").body()["assignmentId"];
  REQUIRE(api.post("/routing/jobs/j1/assignments/" + a + ":unassign", R"({"suspendMatching": true})"_json).status == 200);
  CHECK(api.fetch("/routing/jobs/j1")["status"] == "waitingForActivation");
  CHECK(offersOf(api, "w1").empty());
  CHECK(api.upsert("/routing/jobs/j1", R"({"matchingMode": {"kind": "queueAndMatch"}})"_json)["status"] == "queued");
  CHECK(offersOf(api, "w1").size() == 1);
}

TEST_CASE("workers: de-registered while holding an assignment: draining, then inactive at close", "[offers]") {
  Api api;
  activeWorker(api, "w1");
  api.job("j1");
  const std::string offerId = offersOf(api, "w1")[0]["offerId"];
  const std::string a = api.post("/routing/workers/w1/offers/" + offerId + ":accept").body()["assignmentId"];
  CHECK(api.upsert("/routing/workers/w1", R"({"availableForOffers": false})"_json)["state"] == "draining");
  api.post("/routing/jobs/j1/assignments/" + a + ":complete");
  api.post("/routing/jobs/j1/assignments/" + a + ":close");
  CHECK(api.fetch("/routing/workers/w1")["state"] == "inactive");
}

TEST_CASE("offers: capacity and maxNumberOfJobs limit concurrent offers", "[offers]") {
  Api api;
  activeWorker(api, "w1", json::object(), 1);
  api.job("j1");
  api.job("j2");
  json offers = offersOf(api, "w1");
  REQUIRE(offers.size() == 1);
  CHECK(offers[0]["jobId"] == "j1");  // the older job first
  CHECK(api.fetch("/routing/workers/w1")["loadRatio"] == 1);

  SECTION("closing the first frees capacity for the second") {
    const std::string a = api.post("/routing/workers/w1/offers/" + offers[0]["offerId"].get<std::string>() + ":accept")
                              .body()["assignmentId"];
    CHECK(offersOf(api, "w1").empty());
    api.post("/routing/jobs/j1/assignments/" + a + ":complete");
    api.post("/routing/jobs/j1/assignments/" + a + ":close");
    offers = offersOf(api, "w1");
    REQUIRE(offers.size() == 1);
    CHECK(offers[0]["jobId"] == "j2");
  }
  SECTION("maxNumberOfJobs") {
    Api b;
    activeWorker(b, "w1", R"({"channels": [{"channelId": "voice", "capacityCostPerJob": 1, "maxNumberOfJobs": 1}]})"_json);
    b.job("j1");
    b.job("j2");
    CHECK(offersOf(b, "w1").size() == 1);
  }
}

TEST_CASE("offers: higher priority first, then earlier enqueue", "[offers]") {
  Api api;
  api.job("low", "q1", R"({"priority": 1})"_json);
  api.job("high", "q1", R"({"priority": 10})"_json);
  activeWorker(api, "w1", json::object(), 1);
  CHECK(offersOf(api, "w1")[0]["jobId"] == "high");
}

TEST_CASE("offers: revoked when the worker de-registers or the job is cancelled", "[offers]") {
  Api api;
  activeWorker(api, "w1");
  api.job("j1");
  REQUIRE(offersOf(api, "w1").size() == 1);
  SECTION("de-registration") {
    const json w = api.upsert("/routing/workers/w1", R"({"availableForOffers": false})"_json);
    CHECK(w["state"] == "inactive");
    CHECK(w["offers"].empty());
  }
  SECTION("cancellation") {
    api.router.drainEvents();
    api.cancel("j1");
    CHECK(offersOf(api, "w1").empty());
    CHECK(drainEventTypes(api) == R"(["RouterWorkerOfferRevoked", "RouterJobCancelled"])"_json);
  }
  SECTION("a label change re-queues the job with a new offer") {
    const std::string before = offersOf(api, "w1")[0]["offerId"];
    api.upsert("/routing/jobs/j1", R"({"labels": {"vip": true}})"_json);
    const json offers = offersOf(api, "w1");
    REQUIRE(offers.size() == 1);
    CHECK(offers[0]["offerId"] != before);
  }
}

TEST_CASE("distribution: longestIdle, roundRobin and bestWorker order", "[offers][distribution]") {
  SECTION("longestIdle: the worker that registered first") {
    Api api;
    activeWorker(api, "wb");
    advance(api, 1000);
    activeWorker(api, "wa");
    api.job("j1");
    CHECK(offersOf(api, "wb").size() == 1);
    CHECK(offersOf(api, "wa").empty());
    api.job("j2");
    CHECK(offersOf(api, "wa").size() == 1);  // wb was offered most recently
  }
  SECTION("roundRobin: in worker id order, continuing after the last one offered") {
    Api api;
    api.distributionPolicy("dp1", R"({"offerExpiresAfterSeconds": 60, "mode": {"kind": "roundRobin"}})"_json);
    api.queue("q1");
    for (const char* w : {"w2", "w3", "w1"}) activeWorker(api, w);
    std::vector<std::string> order;
    for (int i = 0; i < 4; ++i) {
      api.job("j" + std::to_string(i));
      for (const char* w : {"w1", "w2", "w3"}) {
        for (const auto& o : offersOf(api, w)) {
          if (o["jobId"] == "j" + std::to_string(i)) order.push_back(w);
        }
      }
    }
    CHECK(order == std::vector<std::string>{"w1", "w2", "w3", "w1"});
  }
  SECTION("bestWorker with a scoring expression") {
    Api api;
    api.distributionPolicy("dp1", R"({"offerExpiresAfterSeconds": 60, "mode": {"kind": "bestWorker",
        "scoringRule": {"kind": "expression", "expression": "worker.skill * 2"}}})"_json);
    api.queue("q1");
    activeWorker(api, "w1", R"({"labels": {"skill": 3}})"_json);
    activeWorker(api, "w2", R"({"labels": {"skill": 9}})"_json);
    activeWorker(api, "w3", R"({"labels": {"skill": 5}})"_json);
    api.job("j1");
    CHECK(offersOf(api, "w2").size() == 1);
  }
  SECTION("bestWorker default scoring prefers the worker exceeding a selector most") {
    Api api;
    api.distributionPolicy("dp1", R"({"offerExpiresAfterSeconds": 60, "mode": {"kind": "bestWorker"}})"_json);
    api.queue("q1");
    activeWorker(api, "w1", R"({"labels": {"level": 6}})"_json);
    activeWorker(api, "w2", R"({"labels": {"level": 9}})"_json);
    api.job("j1", "q1", R"({"requestedWorkerSelectors": [{"key": "level", "labelOperator": "greaterThanOrEqual", "value": 5}]})"_json);
    CHECK(offersOf(api, "w2").size() == 1);
  }
}

TEST_CASE("selectors: only matching workers; an expiring selector widens the match", "[offers][selectors]") {
  Api api;
  activeWorker(api, "w1", R"({"labels": {"lang": "fr"}})"_json);
  api.job("j1", "q1",
          R"({"requestedWorkerSelectors": [{"key": "lang", "labelOperator": "equal", "value": "de", "expiresAfterSeconds": 10}]})"_json);
  CHECK(offersOf(api, "w1").empty());
  const json e = json::parse(api.router.explain("j1"));
  CHECK(e["workers"][0]["code"] == "SelectorNotMatched");
  api.router.drainEvents();
  advance(api, 10'000);
  const json job = api.fetch("/routing/jobs/j1");
  CHECK(job["requestedWorkerSelectors"][0]["status"] == "expired");
  CHECK(offersOf(api, "w1").size() == 1);
  CHECK(drainEventTypes(api) == R"(["RouterJobWorkerSelectorsExpired", "RouterWorkerOfferIssued"])"_json);

  SECTION("bypassSelectors matches regardless") {
    Api b;
    b.distributionPolicy("dp1", R"({"offerExpiresAfterSeconds": 60, "mode": {"kind": "longestIdle", "bypassSelectors": true}})"_json);
    b.queue("q1");
    activeWorker(b, "w1", R"({"labels": {"lang": "fr"}})"_json);
    b.job("j1", "q1", R"({"requestedWorkerSelectors": [{"key": "lang", "labelOperator": "equal", "value": "de"}]})"_json);
    CHECK(offersOf(b, "w1").size() == 1);
  }
}

TEST_CASE("scheduling: scheduleAndSuspend waits for scheduleAt, then for activation", "[offers][scheduling]") {
  Api api;
  activeWorker(api, "w1");
  json job = api.job("j1", "q1", R"({"matchingMode": {"kind": "scheduleAndSuspend", "scheduleAt": "2024-01-01T00:01:00Z"}})"_json);
  CHECK(job["status"] == "pendingSchedule");
  CHECK(api.fetch("/routing/jobs/j1")["status"] == "scheduled");
  advance(api, 60'000);
  job = api.fetch("/routing/jobs/j1");
  CHECK(job["status"] == "waitingForActivation");
  CHECK(job["scheduledAt"] == "2024-01-01T00:01:00+00:00");
  CHECK(offersOf(api, "w1").empty());
  job = api.upsert("/routing/jobs/j1", R"({"matchingMode": {"kind": "queueAndMatch"}})"_json);
  CHECK(job["status"] == "queued");
  CHECK(offersOf(api, "w1").size() == 1);
}

TEST_CASE("close with a future closeAt keeps the capacity until then", "[offers]") {
  Api api;
  activeWorker(api, "w1", json::object(), 1);
  api.job("j1");
  const std::string offerId = offersOf(api, "w1")[0]["offerId"];
  const std::string a = api.post("/routing/workers/w1/offers/" + offerId + ":accept").body()["assignmentId"];
  REQUIRE(api.post("/routing/jobs/j1/assignments/" + a + ":complete").status == 200);
  REQUIRE(api.post("/routing/jobs/j1/assignments/" + a + ":close",
                   R"({"closeAt": "2024-01-01T00:00:30Z", "dispositionCode": "Resolved"})"_json).status == 200);
  CHECK(api.fetch("/routing/jobs/j1")["status"] == "completed");
  CHECK(api.fetch("/routing/workers/w1")["assignedJobs"].size() == 1);
  advance(api, 30'000);
  const json job = api.fetch("/routing/jobs/j1");
  CHECK(job["status"] == "closed");
  CHECK(job["dispositionCode"] == "Resolved");
  CHECK(job["assignments"][a]["closedAt"] == "2024-01-01T00:00:30+00:00");
  CHECK(api.fetch("/routing/workers/w1")["assignedJobs"].empty());
}

TEST_CASE("unassign re-queues the job and it is offered again", "[offers]") {
  Api api;
  activeWorker(api, "w1");
  api.job("j1");
  const std::string offerId = offersOf(api, "w1")[0]["offerId"];
  const std::string a = api.post("/routing/workers/w1/offers/" + offerId + ":accept").body()["assignmentId"];
  Reply r = api.post("/routing/jobs/j1/assignments/" + a + ":unassign");
  REQUIRE(r.status == 200);
  CHECK(r.body() == R"({"jobId": "j1", "unassignmentCount": 1})"_json);
  CHECK(api.fetch("/routing/jobs/j1")["status"] == "queued");
  const json offers = offersOf(api, "w1");
  REQUIRE(offers.size() == 1);
  CHECK(offers[0]["offerId"] != offerId);
}

TEST_CASE("engine state survives export and import with timers and offers", "[offers][state]") {
  Api a;
  activeWorker(a, "w1");
  a.job("j1");
  a.router.drainEvents();  // undrained events are not part of a snapshot
  Api b;
  REQUIRE(b.router.importState(a.state()));
  CHECK(b.state() == a.state());
  a.router.advance(60'000);
  b.router.advance(60'000);
  CHECK(a.router.drainEvents() == b.router.drainEvents());
  CHECK(a.state() == b.state());
}

TEST_CASE("distribution: bestWorker with a function scoring rule asks the host, one worker or one batch at a time", "[offers][distribution]") {
  SECTION("one request per worker; no offer until every candidate is scored") {
    Api api;
    api.distributionPolicy("dp1", R"({"offerExpiresAfterSeconds": 60, "mode": {"kind": "bestWorker",
        "scoringRule": {"kind": "function", "functionUri": "https://fn.example/score"}}})"_json);
    api.queue("q1");
    for (int i = 1; i <= 3; ++i) activeWorker(api, "w" + std::to_string(i), json{{"labels", {{"skill", i * 10}}}});
    api.router.drainRuleRequests();
    api.job("j1", "q1", R"({"labels": {"lang": "en"}})"_json);
    const json requests = json::parse(api.router.drainRuleRequests());
    REQUIRE(requests.size() == 3);
    CHECK(requests[0]["uri"] == "https://fn.example/score");
    CHECK(requests[0]["payload"]["job"] == R"({"lang": "en"})"_json);
    CHECK(requests[0]["payload"]["selectors"] == json::array());
    CHECK(requests[0]["payload"]["worker"].contains("skill"));
    for (const char* w : {"w1", "w2", "w3"}) CHECK(offersOf(api, w).empty());
    // score = 100 - skill: the lowest skill wins
    for (size_t i = 0; i < requests.size(); ++i) {
      const int skill = requests[i]["payload"]["worker"]["skill"];
      REQUIRE(api.router.answerRuleRequest(requests[i]["requestId"], std::to_string(100 - skill), ""));
    }
    CHECK(offersOf(api, "w1").size() == 1);
    CHECK(offersOf(api, "w2").empty());
    CHECK(offersOf(api, "w3").empty());
  }
  SECTION("batch scoring: workers in batches of batchSize, answers keyed by worker Id") {
    Api api;
    api.distributionPolicy("dp1", R"({"offerExpiresAfterSeconds": 60, "mode": {"kind": "bestWorker",
        "scoringRule": {"kind": "function", "functionUri": "https://fn.example/batch"},
        "scoringRuleOptions": {"isBatchScoringEnabled": true, "batchSize": 2}}})"_json);
    api.queue("q1");
    for (int i = 1; i <= 3; ++i) activeWorker(api, "w" + std::to_string(i));
    api.router.drainRuleRequests();
    api.job("j1");
    const json requests = json::parse(api.router.drainRuleRequests());
    REQUIRE(requests.size() == 2);
    CHECK(requests[0]["payload"]["workers"].size() == 2);
    CHECK(requests[1]["payload"]["workers"].size() == 1);
    for (const auto& r : requests) {
      json scores = json::object();
      for (const auto& w : r["payload"]["workers"]) scores[w["Id"].get<std::string>()] = w["Id"] == "w2" ? 9 : 1;
      REQUIRE(api.router.answerRuleRequest(r["requestId"], scores.dump(), ""));
    }
    CHECK(offersOf(api, "w2").size() == 1);
  }
}
