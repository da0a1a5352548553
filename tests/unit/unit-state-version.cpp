// Router::stateVersion(): the promise hosts build their GET cache on — while it stays the same, the same GET gets
// the same response — and every kind of change moving it.
#include <functional>

#include "test-support.hpp"

using namespace jrtest;

namespace {

// Two identical GETs with no change of stateVersion() in between answer alike; returns whether the first GET
// changed the version (when it did, the promise does not apply).
bool getTwiceAnswersAlike(Api& api, const std::string& path) {
  const std::uint64_t before = api.router.stateVersion();
  const Reply first = api.get(path);
  if (api.router.stateVersion() != before) return false;
  const Reply second = api.get(path);
  CHECK(api.router.stateVersion() == before);
  CHECK(second.status == first.status);
  CHECK(second.headers == first.headers);
  CHECK(second.text == first.text);
  return true;
}

}  // namespace

TEST_CASE("state version: GETs leave it; every change moves it", "[state-version]") {
  Api api;
  api.queue("q1");
  api.worker("w1", R"({"capacity": 1, "queues": ["q1"], "availableForOffers": true,
                       "channels": [{"channelId": "voice", "capacityCostPerJob": 1}]})"_json);
  api.job("j1", "q1");
  for (const char* path : {"/routing/jobs/j1", "/routing/workers/w1", "/routing/queues/q1/statistics",
                           "/routing/jobs?maxpagesize=1", "/routing/jobs/nope", "/routing/nothing"}) {
    CHECK(getTwiceAnswersAlike(api, path));
  }

  auto moves = [&](const char* what, const std::function<void()>& change) {
    INFO(what);
    const std::uint64_t before = api.router.stateVersion();
    change();
    CHECK(api.router.stateVersion() != before);
  };
  moves("PATCH", [&] { api.patch("/routing/jobs/j1", R"({"priority": 3})"_json); });
  moves("a failed PATCH", [&] { api.patchText("/routing/jobs/j1", "{"); });
  moves("POST", [&] { api.post("/routing/jobs/j1:reclassify", json::object()); });
  moves("DELETE", [&] { api.del("/routing/workers/nope"); });
  moves("advance", [&] { api.router.advance(1); });
  moves("setTime", [&] { api.router.setTime("2024-01-01T00:00:10Z"); });
  moves("explain", [&] { api.router.explain("j1"); });
  moves("failScheduling", [&] { api.router.failScheduling("j1", "no"); });
  moves("answerRuleRequest", [&] { api.router.answerRuleRequest("nope", "1", ""); });
  const std::string state = api.router.exportState();
  moves("importState", [&] { REQUIRE(api.router.importState(state)); });
  moves("reset", [&] { api.router.reset(); });

  const std::uint64_t still = api.router.stateVersion();
  api.router.advance(0);
  CHECK_FALSE(api.router.setTime("2000-01-01T00:00:00Z"));
  api.router.drainEvents();
  api.router.exportState();
  CHECK(api.router.stateVersion() == still);
}

TEST_CASE("state version: a GET that finds left-over work moves it", "[state-version]") {
  // Two queues whose 0-second wait-time rules move a job to each other loop at one instant; each settle stops at
  // its step cap and the next request — a GET too — carries on, so that GET changes state.
  Api api;
  api.queue("q1");
  api.queue("q2");
  api.exceptionPolicy("to-q2", R"({"exceptionRules": [{"id": "r", "trigger": {"kind": "waitTime", "thresholdSeconds": 0},
                                   "actions": [{"kind": "manualReclassify", "queueId": "q2"}]}]})"_json);
  api.exceptionPolicy("to-q1", R"({"exceptionRules": [{"id": "r", "trigger": {"kind": "waitTime", "thresholdSeconds": 0},
                                   "actions": [{"kind": "manualReclassify", "queueId": "q1"}]}]})"_json);
  api.queue("q1", "dp1", R"({"exceptionPolicyId": "to-q2"})"_json);
  api.queue("q2", "dp1", R"({"exceptionPolicyId": "to-q1"})"_json);
  api.job("j1", "q1");
  api.router.drainEvents();
  const std::uint64_t before = api.router.stateVersion();
  const Reply first = api.get("/routing/jobs/j1");
  CHECK(first.status == 200);
  CHECK(api.router.stateVersion() != before);
  CHECK_FALSE(getTwiceAnswersAlike(api, "/routing/jobs/j1"));
}
