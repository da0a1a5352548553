// Whole-state export and import (core/engine/state_*.cpp) on a state that holds every kind of record the snapshot
// carries: export -> import -> export is byte-identical, the imported copy behaves as the original, and a damaged
// snapshot is refused and changes nothing.
#include "tests/unit/test-support.hpp"

using namespace jrtest;

namespace {

// Policies of every kind, queues, workers holding offers and assignments, and jobs in most statuses: queued with
// labels, tags, notes (non-ASCII too) and expiring selectors, scheduled, assigned, completed with a pending close,
// closed, cancelled, declined with a retry time, waiting for function rules' answers (one of them answered).
void buildMixedState(Api& api) {
  api.distributionPolicy("dp1", R"({"offerExpiresAfterSeconds": 600, "mode": {"kind": "roundRobin"}})"_json);
  api.distributionPolicy("dp2", R"({"offerExpiresAfterSeconds": 60,
      "mode": {"kind": "longestIdle", "maxConcurrentOffers": 2}})"_json);
  api.queue("q2", "dp2");
  api.classificationPolicy("cp1", R"({"name": "Classifier", "fallbackQueueId": "q2",
      "prioritizationRule": {"kind": "static", "value": 3},
      "workerSelectorAttachments": [{"kind": "static",
        "workerSelector": {"key": "lang", "labelOperator": "equal", "value": "de", "expiresAfterSeconds": 30}}]})"_json);
  api.exceptionPolicy("ep1", R"({"exceptionRules": [
      {"id": "late", "trigger": {"kind": "waitTime", "thresholdSeconds": 3600},
       "actions": [{"kind": "reclassify", "classificationPolicyId": "cp1"}]},
      {"id": "long", "trigger": {"kind": "queueLength", "threshold": 2},
       "actions": [{"kind": "manualReclassify", "queueId": "q2", "priority": 5}]}]})"_json);
  api.queue("q1", "dp1", R"({"exceptionPolicyId": "ep1", "labels": {"tier": "gold", "n": 2.5}})"_json);
  api.classificationPolicy("cpf", R"({"fallbackQueueId": "q1",
      "prioritizationRule": {"kind": "function", "functionUri": "https://example.invalid/api/prio"},
      "workerSelectorAttachments": [{"kind": "ruleEngine",
        "rule": {"kind": "function", "functionUri": "https://example.invalid/api/selectors"}}]})"_json);
  const json channels = R"([{"channelId": "voice", "capacityCostPerJob": 1, "maxNumberOfJobs": 2}])"_json;
  api.worker("w1", {{"capacity", 2}, {"queues", {"q1", "q2"}}, {"channels", channels},
                    {"labels", {{"lang", "de"}, {"skill", 7}, {"vip", true}}}, {"tags", {{"desk", "Zürich 🏔"}}},
                    {"availableForOffers", true}});
  api.worker("w2", {{"capacity", 1}, {"queues", {"q2"}}, {"channels", channels}, {"availableForOffers", true}});
  api.worker("w3", {{"capacity", 3}, {"queues", {"q2"}}, {"channels", channels}, {"availableForOffers", true}});
  api.worker("w4", {{"capacity", 1}, {"queues", {"q1"}}, {"channels", channels}});  // never registered
  api.router.drainEvents();

  // j1: offered to w1 and accepted, then completed and closed later (a pending close).
  api.job("j1", "q1", R"({"labels": {"a": 1, "b": "x", "c": null}, "tags": {"t": -2},
      "notes": [{"message": "première", "addedAt": "2024-01-01T00:00:00Z"}]})"_json);
  json offer = api.fetch("/routing/workers/w1")["offers"][0];
  const std::string a1 =
      api.post("/routing/workers/w1/offers/" + offer["offerId"].get<std::string>() + ":accept").body()["assignmentId"];
  REQUIRE(api.post("/routing/jobs/j1/assignments/" + a1 + ":complete", json::object()).status == 200);
  REQUIRE(api.post("/routing/jobs/j1/assignments/" + a1 + ":close",
                   R"({"closeAt": "2024-01-01T00:10:00Z", "dispositionCode": "Resolved"})"_json).status == 200);
  // j2 in q2: two concurrent offers (w2, w3); w2 accepts, w3's offer is then accepted elsewhere.
  api.job("j2", "q2", R"({"priority": 4, "requestedWorkerSelectors": [
      {"key": "lang", "labelOperator": "notEqual", "value": "fr", "expiresAfterSeconds": 120}]})"_json);
  offer = api.fetch("/routing/workers/w2")["offers"][0];
  REQUIRE(api.post("/routing/workers/w2/offers/" + offer["offerId"].get<std::string>() + ":accept").status == 200);
  // j3 in q2: offered to w3, which declines with a retry time.
  api.job("j3", "q2");
  offer = api.fetch("/routing/workers/w3")["offers"][0];
  REQUIRE(api.post("/routing/workers/w3/offers/" + offer["offerId"].get<std::string>() + ":decline",
                   R"({"retryOfferAt": "2024-01-01T00:05:00Z"})"_json).status == 200);
  // Queued, scheduled, suspended, cancelled and classified jobs.
  api.job("j4", "q1", R"({"channelReference": "ref-4", "dispositionCode": "x"})"_json);
  api.job("j5", "q1", R"({"matchingMode": {"kind": "scheduleAndSuspend", "scheduleAt": "2024-01-02T00:00:00Z"}})"_json);
  api.job("j6", "q1", R"({"matchingMode": {"kind": "suspend"}})"_json);
  api.job("j7", "q1");
  api.cancel("j7");
  api.upsert("/routing/jobs/j8", R"({"channelId": "voice", "classificationPolicyId": "cp1"})"_json);
  api.upsert("/routing/jobs/j9", R"({"channelId": "chat", "classificationPolicyId": "cpf"})"_json);
  api.upsert("/routing/jobs/j10", R"({"channelId": "chat", "classificationPolicyId": "cpf"})"_json);
  const json requests = json::parse(api.router.drainRuleRequests());
  REQUIRE(requests.size() == 2);
  REQUIRE(api.router.answerRuleRequest(requests[0]["requestId"], "7", ""));
  api.router.advance(30'000);  // w1's offer timers, selector expiry, assignment waits
  api.router.drainEvents();
}

}  // namespace

TEST_CASE("state: export -> import -> export is byte-identical for a mixed state", "[state]") {
  Api api;
  buildMixedState(api);
  const std::string state = api.state();
  const json parsed = json::parse(state);
  for (const char* key : {"jobs", "workers", "queues", "timers", "ruleRequests", "ruleAnswers"}) {
    INFO(key);
    CHECK_FALSE(parsed[key].empty());
  }
  Api copy;
  REQUIRE(copy.router.importState(state));
  CHECK(copy.state() == state);

  SECTION("the copy answers as the original") {
    for (const char* path : {"/routing/jobs/j1", "/routing/jobs/j2", "/routing/jobs/j3", "/routing/workers/w1",
                             "/routing/workers/w3", "/routing/queues/q1/statistics", "/routing/jobs?maxpagesize=4"}) {
      INFO(path);
      CHECK(copy.get(path).text == api.get(path).text);
    }
    api.router.advance(24 * 3600 * 1000);
    copy.router.advance(24 * 3600 * 1000);
    CHECK(copy.router.drainEvents() == api.router.drainEvents());
    CHECK(copy.state() == api.state());
  }
}

TEST_CASE("state: a damaged snapshot is refused and changes nothing", "[state]") {
  Api api;
  buildMixedState(api);
  const std::string state = api.state();
  Api target;
  target.distributionPolicy("keep");
  const std::string before = target.state();
  std::vector<std::string> damaged = {
      state.substr(0, state.size() / 2),                // truncated
      state + "x",                                       // trailing garbage
      "", "null", "[]", "{}", "{\"format\":\"jobrouter-emulator-state\"}",
  };
  // One byte changed at a few places (some give valid JSON that is not a valid snapshot, some invalid JSON).
  for (std::size_t at : {std::size_t{2}, state.find("\"jobs\"") + 1, state.find("\"seq\"") + 7,
                         state.find("\"status\"") + 10, state.find("\"timers\"") + 12, state.size() - 2}) {
    for (char c : {'"', '{', '9', ' ', '\\', '\x01'}) {
      std::string s = state;
      s[at] = c;
      damaged.push_back(s);
    }
  }
  for (const char* from : {"\"queued\"", "\"now\":\"", "\"enqueueSequence\":", "\"prng\":[\"", "\"kind\":3"}) {
    std::string s = state;
    const auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    s.insert(at + std::string(from).size(), "-");
    damaged.push_back(s);
  }
  for (const std::string& bad : damaged) {
    const bool loaded = target.router.importState(bad);
    if (loaded) {
      // A change that still reads as a snapshot is loaded whole: then the copy must be a consistent router.
      CHECK(json::accept(target.state()));
      REQUIRE(target.router.importState(before));
      continue;
    }
    CHECK(target.state() == before);
  }
  CHECK_FALSE(target.router.importState(state.substr(0, state.size() - 1)));
  CHECK(target.state() == before);
}

TEST_CASE("state: two records of a kind with one seq are refused and change nothing", "[state]") {
  Api api;
  api.distributionPolicy("dp");
  api.queue("first", "dp");
  api.queue("second", "dp");
  const std::string state = api.state();
  // the second queue's seq made the first's: each record lists its id, then its seq
  const auto seqOf = [&](const std::string& id) {
    const auto at = state.find("\"seq\":", state.find("{\"id\":\"" + id + "\""));
    REQUIRE(at != std::string::npos);
    const auto digits = at + 6;
    return std::make_pair(digits, state.substr(digits, state.find_first_not_of("0123456789", digits) - digits));
  };
  const auto [firstAt, firstSeq] = seqOf("first");
  const auto [secondAt, secondSeq] = seqOf("second");
  REQUIRE(firstSeq != secondSeq);
  std::string twice = state;
  twice.replace(secondAt, secondSeq.size(), firstSeq);
  Api target;
  target.distributionPolicy("keep");
  const std::string before = target.state();
  CHECK_FALSE(target.router.importState(twice));
  CHECK(target.state() == before);
  REQUIRE(target.router.importState(state));  // the snapshot as it was is fine
  CHECK(target.state() == state);
}
