// Native benchmark of the core (no JS, no WebAssembly): the same scenarios as tests/bench/*.mjs run through
// jr::Router::handle, so the WASM/native ratio compares like with like. Prints one JSON object on stdout.
//
//   native_bench lifecycle [count]   full job lifecycles per second (create -> offer -> accept -> complete -> close,
//                                    events drained after every request), and the lifecycle's JSON floor (see
//                                    jsonFloorMicros) with the lifecycle's time over it
//   native_bench scale <jobs> <workers> [samples]
//                                    per-operation time with <jobs> queued jobs and <workers> busy workers
//
// Not a test: it asserts nothing beyond the statuses the scenario needs (a wrong status aborts with exit 2).
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/router.hpp"
#include "core/util/json.hpp"
#include "core/util/json_writer.hpp"

namespace {

using Clock = std::chrono::steady_clock;
const std::string kVersion = "?api-version=2023-11-01";
const jr::HeaderMap kMergeHeaders = {{"content-type", "application/merge-patch+json"}};
const jr::HeaderMap kNoHeaders;

struct Bench {
  jr::Router router{jr::RouterOptions{}};
  std::size_t events = 0;

  jr::HttpResponse call(const std::string& method, const std::string& path, const std::string& body,
                        int expected) {
    jr::HttpResponse r = router.handle(method, path + kVersion, body.empty() ? kNoHeaders : kMergeHeaders, body);
    if (r.status != expected) {
      std::fprintf(stderr, "%s %s -> %d (expected %d): %s\n", method.c_str(), path.c_str(), r.status, expected,
                   r.body.c_str());
      std::exit(2);
    }
    drain();
    return r;
  }
  // Stands for the host's event delivery: every event leaves the core as JSON text, as it does for JS.
  void drain() {
    const std::string text = router.drainEvents();
    events += countEvents(text);
  }
  // One per event: its eventType (the topic has "Microsoft.Communication/"). Searched from its rare first letter.
  static std::size_t countEvents(const std::string& text) {
    static constexpr std::string_view kType = "Microsoft.Communication.Router";
    std::size_t n = 0;
    for (auto at = text.find(kType); at != std::string::npos; at = text.find(kType, at + kType.size())) ++n;
    return n;
  }
};

// The value of "key":"…" in a JSON text from `from` on (enough for the ids this scenario reads). The harness keeps
// its own share of a lifecycle small: no copies of the texts it reads.
std::string field(std::string_view json, std::string_view key, std::size_t from = 0) {
  char needle[64];
  if (key.size() + 4 > sizeof needle) return "";
  needle[0] = '"';
  key.copy(needle + 1, key.size());
  std::memcpy(needle + 1 + key.size(), "\":\"", 3);
  const auto start = json.find(std::string_view(needle, key.size() + 4), from);
  if (start == std::string_view::npos) return "";
  const auto at = start + key.size() + 4;
  return std::string(json.substr(at, json.find('"', at) - at));
}

// The offerId of the last RouterWorkerOfferIssued event in a drained events text.
std::string lastOfferId(const std::string& events) {
  static constexpr std::string_view kIssued = "OfferIssued\"";  // forward searches for a rare letter beat rfind
  std::size_t last = std::string::npos;
  for (auto at = events.find(kIssued); at != std::string::npos; at = events.find(kIssued, at + 1)) last = at;
  if (last == std::string::npos) return "";
  return field(events, "offerId", last);
}

double microsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

std::size_t heapBytes() {
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

void setupQueue(Bench& b) {
  b.call("PATCH", "/routing/distributionPolicies/dp",
         R"({"offerExpiresAfterSeconds":3600,"mode":{"kind":"longestIdle"}})", 201);
  b.call("PATCH", "/routing/queues/q", R"({"distributionPolicyId":"dp"})", 201);
}

std::string workerBody(bool available) {
  return std::string(R"({"capacity":1,"queues":["q"],"channels":[{"channelId":"voice","capacityCostPerJob":1}],)") +
         R"("availableForOffers":)" + (available ? "true" : "false") + "}";
}
const std::string kJobBody = R"({"channelId":"voice","queueId":"q","priority":1})";

// create -> (offer) -> accept -> complete -> close; the offer id is read from the drained events.
void lifecycle(Bench& b, const std::string& jobId, const std::string& workerId) {
  jr::HttpResponse created = b.router.handle("PATCH", "/routing/jobs/" + jobId + kVersion, kMergeHeaders, kJobBody);
  if (created.status != 201) std::exit(2);
  const std::string events = b.router.drainEvents();
  b.events += Bench::countEvents(events);
  const std::string offerId = lastOfferId(events);
  const std::string accepted =
      b.call("POST", "/routing/workers/" + workerId + "/offers/" + offerId + ":accept", "", 200).body;
  const std::string assignmentId = field(accepted, "assignmentId");
  b.call("POST", "/routing/jobs/" + jobId + "/assignments/" + assignmentId + ":complete", "{}", 200);
  b.call("POST", "/routing/jobs/" + jobId + "/assignments/" + assignmentId + ":close", "{}", 200);
}

// A lifecycle's JSON floor: the JSON work that no implementation on these libraries avoids — parsing the request
// bodies the lifecycle sends into trees, and writing the text of its responses and events (here from trees made
// beforehand, with the core's writer). Measured on the texts of one lifecycle, repeated `count` times.
double jsonFloorMicros(Bench& b, int count) {
  std::vector<std::string> inputs;
  std::vector<jr::Json> outputs;
  auto keep = [&](const std::string& body, const jr::HttpResponse& r, const std::string& events) {
    if (!body.empty()) inputs.push_back(body);
    if (!r.body.empty()) outputs.push_back(jr::Json::parse(r.body));
    outputs.push_back(jr::Json::parse(events));
  };
  auto send = [&](const std::string& method, const std::string& path, const std::string& body) {
    jr::HttpResponse r = b.router.handle(method, path + kVersion, body.empty() ? kNoHeaders : kMergeHeaders, body);
    const std::string events = b.router.drainEvents();
    keep(body, r, events);
    return std::make_pair(r, events);
  };
  const auto created = send("PATCH", "/routing/jobs/floor", kJobBody);
  const auto accepted = send("POST", "/routing/workers/w/offers/" + lastOfferId(created.second) + ":accept", "");
  const std::string assignmentId = field(accepted.first.body, "assignmentId");
  send("POST", "/routing/jobs/floor/assignments/" + assignmentId + ":complete", "{}");
  send("POST", "/routing/jobs/floor/assignments/" + assignmentId + ":close", "{}");
  std::string text;
  std::size_t sink = 0;
  const auto start = Clock::now();
  for (int i = 0; i < count; ++i) {
    for (const std::string& body : inputs) sink += jr::Json::parse(body).size();
    for (const jr::Json& tree : outputs) {
      text.clear();
      jr::writeJson(tree, text);
      sink += text.size();
    }
  }
  const double micros = microsSince(start);
  if (sink == 0) std::exit(2);
  return micros / count;
}

int runLifecycle(int count) {
  Bench b;
  setupQueue(b);
  b.call("PATCH", "/routing/workers/w", workerBody(true), 201);
  const int warmup = std::max(1, count / 10);
  for (int i = 0; i < warmup; ++i) lifecycle(b, "warm-" + std::to_string(i), "w");
  b.events = 0;
  const auto start = Clock::now();
  for (int i = 0; i < count; ++i) lifecycle(b, "job-" + std::to_string(i), "w");
  const double micros = microsSince(start);
  const double floor = jsonFloorMicros(b, count);
  std::printf(
      "{\"lifecycles\":%d,\"seconds\":%.6f,\"lifecyclesPerSecond\":%.1f,\"eventsPerLifecycle\":%.2f,"
      "\"jsonFloorMicros\":%.3f,\"lifecycleOverJsonFloor\":%.2f}\n",
      count, micros / 1e6, count / (micros / 1e6), static_cast<double>(b.events) / count, floor,
      micros / count / floor);
  return 0;
}

struct Stat {
  std::vector<double> samples;
  double median() {
    std::sort(samples.begin(), samples.end());
    return samples.empty() ? 0 : samples[samples.size() / 2];
  }
};

// <jobs> queued jobs wait in queue q; <workers> workers serve it and each holds one assigned job (all busy) except
// worker "w0", which cycles: the close of its job frees it and matching offers it the head of the queue.
int runScale(int jobs, int workers, int samples) {
  Bench b;
  const std::size_t heapBefore = heapBytes();
  setupQueue(b);
  std::vector<std::string> offers(workers);
  for (int i = 0; i < workers; ++i) {
    const std::string id = "w" + std::to_string(i);
    b.call("PATCH", "/routing/workers/" + id, workerBody(true), 201);
    jr::HttpResponse r =
        b.router.handle("PATCH", "/routing/jobs/busy-" + std::to_string(i) + kVersion, kMergeHeaders, kJobBody);
    if (r.status != 201) std::exit(2);
    const std::string events = b.router.drainEvents();
    offers[i] = lastOfferId(events);
    b.call("POST", "/routing/workers/" + id + "/offers/" + offers[i] + ":accept", "", 200);
  }
  for (int i = 0; i < jobs; ++i) b.call("PATCH", "/routing/jobs/queued-" + std::to_string(i), kJobBody, 201);
  const std::size_t heapAfter = heapBytes();

  Stat get, create, accept, complete, closeMatch;
  // w0 holds busy-0 as an assignment: complete and close it to start the cycle.
  std::string heldJob = "busy-0";
  std::string heldAssignment;
  {
    jr::HttpResponse r = b.router.handle("GET", "/routing/jobs/busy-0" + kVersion, kNoHeaders, "");
    const auto at = r.body.find("\"assignments\"");
    heldAssignment = field(r.body, "assignmentId", at);
  }
  int created = 0;
  for (int s = 0; s < samples; ++s) {
    auto t = Clock::now();
    b.call("GET", "/routing/jobs/queued-" + std::to_string(jobs / 2 + s), "", 200);
    get.samples.push_back(microsSince(t));

    t = Clock::now();
    b.call("PATCH", "/routing/jobs/extra-" + std::to_string(created++), kJobBody, 201);
    create.samples.push_back(microsSince(t));

    t = Clock::now();
    b.call("POST", "/routing/jobs/" + heldJob + "/assignments/" + heldAssignment + ":complete", "{}", 200);
    complete.samples.push_back(microsSince(t));

    // Close frees w0; matching offers it the head of the backlog within the same request.
    t = Clock::now();
    jr::HttpResponse closed = b.router.handle(
        "POST", "/routing/jobs/" + heldJob + "/assignments/" + heldAssignment + ":close" + kVersion, kMergeHeaders,
        "{}");
    const std::string events = b.router.drainEvents();
    closeMatch.samples.push_back(microsSince(t));
    if (closed.status != 200) std::exit(2);
    const std::string offerId = lastOfferId(events);
    if (offerId.empty()) {
      std::fprintf(stderr, "no offer after close\n");
      std::exit(2);
    }
    const auto at = events.rfind("RouterWorkerOfferIssued");
    heldJob = field(events, "jobId", at);

    t = Clock::now();
    const std::string acceptBody = b.call("POST", "/routing/workers/w0/offers/" + offerId + ":accept", "", 200).body;
    accept.samples.push_back(microsSince(t));
    heldAssignment = field(acceptBody, "assignmentId");
  }
  std::printf(
      "{\"jobs\":%d,\"workers\":%d,\"samples\":%d,\"heapBytes\":%zu,\"getJobMicros\":%.3f,\"createJobMicros\":%.3f,"
      "\"closeAndMatchMicros\":%.3f,\"acceptMicros\":%.3f,\"completeMicros\":%.3f}\n",
      jobs, workers, samples, heapAfter - heapBefore, get.median(), create.median(), closeMatch.median(),
      accept.median(), complete.median());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "lifecycle";
  if (mode == "lifecycle") return runLifecycle(argc > 2 ? std::atoi(argv[2]) : 20000);
  if (mode == "scale" && argc > 3) {
    return runScale(std::atoi(argv[2]), std::atoi(argv[3]), argc > 4 ? std::atoi(argv[4]) : 200);
  }
  std::fprintf(stderr, "usage: native_bench lifecycle [count] | scale <jobs> <workers> [samples]\n");
  return 1;
}
