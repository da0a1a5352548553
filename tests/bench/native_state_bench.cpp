// Native benchmark of whole-state export and import (what --state's snapshot, compaction and restart run in the
// core), without JS or WebAssembly. Prints one JSON object on stdout.
//
//   native_state_bench build <jobs> [rounds]   builds a router holding <jobs> queued jobs (plus workers with offers
//                                              and assignments, closed jobs, policies), then times exportState(),
//                                              the JSON parse of its text and importState(), <rounds> times each
//                                              (medians), and checks that export -> import -> export is identical
//   native_state_bench file <path> [rounds]    the same import/export timings for a snapshot text in a file
//                                              (a bare exportState() text)
//   native_state_bench save <jobs> <path>      writes the built state's exportState() text to <path>
//
// Not a test: it exits 2 when a step fails or the round trip differs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/router.hpp"

namespace {

using Clock = std::chrono::steady_clock;
const std::string kVersion = "?api-version=2023-11-01";
const jr::HeaderMap kMergeHeaders = {{"content-type", "application/merge-patch+json"}};

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void call(jr::Router& router, const std::string& method, const std::string& path, const std::string& body) {
  jr::HttpResponse r = router.handle(method, path + kVersion, kMergeHeaders, body);
  if (r.status >= 300) {
    std::fprintf(stderr, "%s %s -> %d: %s\n", method.c_str(), path.c_str(), r.status, r.body.c_str());
    std::exit(2);
  }
  router.drainEvents();
}

std::string field(const std::string& json, const std::string& key) {
  const std::string needle = "\"" + key + "\":\"";
  const auto start = json.find(needle);
  if (start == std::string::npos) return "";
  const auto from = start + needle.size();
  return json.substr(from, json.find('"', from) - from);
}

// Policies, a queue, 100 workers of capacity 1 (half of them holding an offer, most others an assignment), a few closed and
// completed jobs, then `jobs` queued jobs with labels and tags (what soak.mjs --bench builds, plus the rest).
void build(jr::Router& router, int jobs) {
  call(router, "PATCH", "/routing/distributionPolicies/dp",
       R"({"offerExpiresAfterSeconds":3600,"mode":{"kind":"longestIdle"}})");
  call(router, "PATCH", "/routing/exceptionPolicies/ep",
       R"({"exceptionRules":[{"id":"r1","trigger":{"kind":"waitTime","thresholdSeconds":86400},)"
       R"("actions":[{"kind":"cancel","dispositionCode":"late"}]}]})");
  call(router, "PATCH", "/routing/queues/q", R"({"distributionPolicyId":"dp","exceptionPolicyId":"ep"})");
  call(router, "PATCH", "/routing/classificationPolicies/cp",
       R"({"prioritizationRule":{"kind":"static","value":2},"fallbackQueueId":"q"})");
  for (int w = 0; w < 100; ++w) {
    const std::string id = "w" + std::to_string(w);
    call(router, "PATCH", "/routing/workers/" + id,
         R"({"capacity":1,"queues":["q"],"channels":[{"channelId":"voice","capacityCostPerJob":1}],)"
         R"("labels":{"skill":)" + std::to_string(w % 7) + R"(,"team":"blue"},"availableForOffers":true})");
    jr::HttpResponse created = router.handle("PATCH", "/routing/jobs/busy-" + id + kVersion, kMergeHeaders,
                                             R"({"channelId":"voice","queueId":"q","priority":3})");
    const std::string events = router.drainEvents();
    const auto at = events.rfind("RouterWorkerOfferIssued");
    if (created.status != 201 || at == std::string::npos) {
      std::fprintf(stderr, "busy-%s: %d, no offer: %s\n", id.c_str(), created.status, created.body.c_str());
      std::exit(2);
    }
    if (w % 2 == 1) continue;  // keeps its offer (its whole capacity)
    const std::string offerId = field(events.substr(at), "offerId");
    const std::string accepted = router.handle("POST", "/routing/workers/" + id + "/offers/" + offerId + ":accept" +
                                                           kVersion, {}, "").body;
    router.drainEvents();
    if (w % 10 == 0) {
      const std::string a = field(accepted, "assignmentId");
      call(router, "POST", "/routing/jobs/busy-" + id + "/assignments/" + a + ":complete", "{}");
      call(router, "POST", "/routing/jobs/busy-" + id + "/assignments/" + a + ":close", R"({"dispositionCode":"ok"})");
      call(router, "PATCH", "/routing/workers/" + id, R"({"availableForOffers":false})");
    }
  }
  for (int i = 0; i < jobs; ++i) {
    call(router, "PATCH", "/routing/jobs/job-" + std::to_string(i),
         R"({"channelId":"voice","queueId":"q","priority":1,"labels":{"n":)" + std::to_string(i) +
             R"(,"region":"west"},"tags":{"ticket":"T-)" + std::to_string(i) + R"("}})");
  }
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int measure(const std::string& text, int rounds) {
  std::vector<double> parse, import, exportMs;
  std::string again;
  for (int r = 0; r < rounds; ++r) {
    auto t = Clock::now();
    const auto tree = nlohmann::json::parse(text);
    parse.push_back(msSince(t));
    jr::Router router;
    t = Clock::now();
    if (!router.importState(text)) {
      std::fprintf(stderr, "importState refused the state\n");
      return 2;
    }
    import.push_back(msSince(t));
    t = Clock::now();
    again = router.exportState();
    exportMs.push_back(msSince(t));
  }
  const bool identical = again == text;
  std::printf("{\"bytes\":%zu,\"rounds\":%d,\"parseMs\":%.1f,\"importMs\":%.1f,\"exportMs\":%.1f,\"identical\":%s}\n",
              text.size(), rounds, median(parse), median(import), median(exportMs), identical ? "true" : "false");
  return identical ? 0 : 2;
}

std::string readFile(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "build" && argc > 2) {
    jr::Router router;
    const auto t = Clock::now();
    build(router, std::atoi(argv[2]));
    std::fprintf(stderr, "built in %.0f ms\n", msSince(t));
    return measure(router.exportState(), argc > 3 ? std::atoi(argv[3]) : 3);
  }
  if (mode == "file" && argc > 2) return measure(readFile(argv[2]), argc > 3 ? std::atoi(argv[3]) : 3);
  if (mode == "save" && argc > 3) {
    jr::Router router;
    build(router, std::atoi(argv[2]));
    std::ofstream(argv[3], std::ios::binary) << router.exportState();
    return 0;
  }
  std::fprintf(stderr, "usage: native_state_bench build <jobs> [rounds] | file <path> [rounds] | save <jobs> <path>\n");
  return 1;
}
