// Determinism: one seeded scenario touching every source of generated values (offer, assignment, exception-action and
// event ids, weighted allocation, scoring, timers, dates) gives byte-identical responses, events and state, run after
// run — and natively and as WebAssembly alike, because this same test runs in both builds against one golden digest.
#include "test-support.hpp"

using namespace jrtest;

namespace {

struct Digest {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a 64
  void add(const std::string& s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
    h ^= 0xFF;
    h *= 1099511628211ULL;
  }
};

std::uint64_t runScenario() {
  jr::RouterOptions options;
  options.seed = 424242;
  options.startTime = "2025-03-04T05:06:07.1234567Z";
  jr::Router router(options);
  Digest d;
  auto call = [&](const std::string& method, const std::string& path, const std::string& body = "") {
    const std::string target = path + (path.find('?') == std::string::npos ? "?" : "&") + "api-version=2023-11-01";
    jr::HttpResponse r = router.handle(method, target, {{"content-type", "application/merge-patch+json"}}, body);
    d.add(method + " " + path + " " + std::to_string(r.status));
    for (const auto& [k, v] : r.headers) d.add(k + ": " + v);
    d.add(r.body);
    d.add(router.drainEvents());
    return r;
  };
  call("PATCH", "/routing/distributionPolicies/best", R"({"offerExpiresAfterSeconds": 45.5, "mode": {"kind": "bestWorker", "maxConcurrentOffers": 2}})");
  call("PATCH", "/routing/distributionPolicies/rr", R"({"offerExpiresAfterSeconds": 30, "mode": {"kind": "roundRobin"}})");
  call("PATCH", "/routing/queues/a", R"({"distributionPolicyId": "best", "labels": {"lang": "en"}})");
  call("PATCH", "/routing/queues/b", R"({"distributionPolicyId": "rr", "labels": {"lang": "fr"}})");
  call("PATCH", "/routing/exceptionPolicies/ep", R"({"exceptionRules": [{"id": "slow", "trigger": {"kind": "waitTime", "thresholdSeconds": 90},
      "actions": [{"kind": "manualReclassify", "queueId": "b", "priority": 7}]}]})");
  call("PATCH", "/routing/queues/a", R"({"exceptionPolicyId": "ep"})");
  call("PATCH", "/routing/classificationPolicies/split", R"({"queueSelectorAttachments": [{"kind": "weightedAllocation", "allocations": [
      {"weight": 0.35, "queueSelectors": [{"key": "lang", "labelOperator": "equal", "value": "en"}]},
      {"weight": 0.65, "queueSelectors": [{"key": "lang", "labelOperator": "equal", "value": "fr"}]}]}],
      "workerSelectorAttachments": [{"kind": "static", "workerSelector": {"key": "level", "labelOperator": "greaterThan", "value": 2, "expiresAfterSeconds": 40}}]})");
  for (int i = 0; i < 6; ++i) {
    call("PATCH", "/routing/workers/w" + std::to_string(i),
         R"({"capacity": 3, "queues": ["a", "b"], "availableForOffers": true, "labels": {"level": )" + std::to_string(i) +
             R"(}, "channels": [{"channelId": "voice", "capacityCostPerJob": 1}, {"channelId": "chat", "capacityCostPerJob": 1, "maxNumberOfJobs": 2}]})");
  }
  for (int i = 0; i < 12; ++i) {
    call("PATCH", "/routing/jobs/j" + std::to_string(i),
         R"({"channelId": ")" + std::string(i % 3 ? "voice" : "chat") + R"(", "classificationPolicyId": "split", "priority": )" +
             std::to_string(i % 5) + "}");
  }
  for (int step = 0; step < 8; ++step) {
    router.advance(17'321);
    d.add(router.drainEvents());
    const jr::HttpResponse w = call("GET", "/routing/workers/w" + std::to_string(step % 6));
    const auto worker = nlohmann::json::parse(w.body);
    if (!worker["offers"].empty()) {
      const std::string offerId = worker["offers"][0]["offerId"];
      if (step % 2 == 0) {
        const auto accepted = nlohmann::json::parse(
            call("POST", "/routing/workers/w" + std::to_string(step % 6) + "/offers/" + offerId + ":accept").body);
        if (accepted.contains("assignmentId")) {
          const std::string job = accepted["jobId"], a = accepted["assignmentId"];
          call("POST", "/routing/jobs/" + job + "/assignments/" + a + ":complete", R"({"note": "done"})");
          call("POST", "/routing/jobs/" + job + "/assignments/" + a + ":close", R"({"closeAt": "2025-03-04T05:09:00Z"})");
        }
      } else {
        call("POST", "/routing/workers/w" + std::to_string(step % 6) + "/offers/" + offerId + ":decline",
             R"({"retryOfferAt": "2025-03-04T05:08:30.5Z"})");
      }
    }
  }
  router.advance(600'000);
  d.add(router.drainEvents());
  call("GET", "/routing/jobs?maxpagesize=5");
  call("GET", "/routing/queues/a/statistics");
  d.add(router.explain("j3"));
  d.add(router.exportState());
  return d.h;
}

}  // namespace

TEST_CASE("determinism: a seeded scenario is byte-identical run after run and across builds", "[determinism]") {
  const std::uint64_t first = runScenario();
  CHECK(first == runScenario());
  INFO("digest 0x" << std::hex << first);
  // Golden digest: the native and the WebAssembly builds must both produce it.
  CHECK(first == 0xb2ab23aff1412d3bULL);
}
