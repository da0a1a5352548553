// Fast libFuzzer target: ONE request (or clock step) per input, against routers pre-seeded from the seed corpus.
//
// At start-up every script of the seed corpus (tests/fuzz/corpus, or $JR_FUZZ_SEED_DIR) is run on a fresh router;
// the state each leaves (and the last jobId/offerId/assignmentId it saw, for $JOB/$OFFER/$ASSIGNMENT) becomes one
// seeded state. An input is
//
//   #N                  optional first line: the seeded state to use (N modulo the number of states); without it
//                       the input's length picks one
//   PATCH /routing/...  one step in the script format of fuzz-input.hpp (a REST call, ADVANCE or SETTIME of at
//   {...}               most a day, ANSWER, EXPLAIN); anything after a "%%" line is ignored
//
// Each seeded state lives in its own router; a step that may have changed it (any answer below 400 other than to a
// GET, a clock step, an answer to rule requests) is followed by re-importing the seeded state, so an input always
// meets the same state and a finding reproduces on its own. The checks of checkResponse (no 5xx, JSON bodies, the
// error shape, drained events are an array) run on every input; the costly ones — a 4xx leaves exportState()
// unchanged, and exportState → importState → exportState is the identity — on every 16th input only
// (JR_FUZZ_FULL_CHECK_EVERY changes the period; 1: every input). A problem aborts, so libFuzzer keeps the input.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "core/util/time.hpp"
#include "fuzz-input.hpp"

#ifndef JR_FUZZ_SEED_DIR_DEFAULT
#define JR_FUZZ_SEED_DIR_DEFAULT "tests/fuzz/corpus"
#endif

namespace {

struct Seeded {
  std::string state;
  std::string lastOffer, lastAssignment, lastJob;
  std::unique_ptr<jr::Router> router;
};

// A clock step does the work of every timer it passes (a month of 60-second offer expiries is tens of thousands of
// offers and events: seconds natively, more than the timeout under ASan), so one input moves the clock a day at most.
constexpr std::int64_t kMaxClockStepMillis = 24LL * 3600 * 1000;

std::vector<Seeded>* gSeeds = nullptr;
std::uint64_t gRuns = 0;
std::uint64_t gFullCheckEvery = 16;

jr::HeaderMap defaultHeaders(const jrfuzz::Step& step) {
  jr::HeaderMap headers = step.headers;
  if (!step.explicitHeaders) {
    if (step.verb == "PATCH") headers["content-type"] = "application/merge-patch+json";
    else if (step.verb == "POST" && !step.body.empty()) headers["content-type"] = "application/json";
    else if (step.verb == "POST") headers["content-length"] = "0";
  }
  return headers;
}

// Runs a whole seed script (no checks: runInput covers those) and records where it leaves the router.
Seeded seedFrom(std::string_view script) {
  Seeded s;
  jr::Router router;
  for (std::string_view text : jrfuzz::splitSteps(script)) {
    jrfuzz::Step step = jrfuzz::parseStep(text);
    if (step.verb.empty()) continue;
    for (std::string* t : {&step.target, &step.body}) {
      jrfuzz::replaceAll(*t, "$OFFER", s.lastOffer);
      jrfuzz::replaceAll(*t, "$ASSIGNMENT", s.lastAssignment);
      jrfuzz::replaceAll(*t, "$JOB", s.lastJob);
    }
    if (step.verb == "ADVANCE") {
      router.advance(jrfuzz::parseMillis(step.target));
    } else if (step.verb == "SETTIME") {
      router.setTime(step.target);
    } else if (step.verb == "ANSWER") {
      const nlohmann::json requests = nlohmann::json::parse(router.drainRuleRequests(), nullptr, false);
      if (requests.is_array()) {
        for (const auto& r : requests) {
          if (r.is_object() && r.contains("requestId") && r["requestId"].is_string())
            router.answerRuleRequest(r["requestId"].get<std::string>(), step.body,
                                     step.target == "error" ? "host function failed" : "");
        }
      }
    } else if (step.verb != "EXPLAIN") {
      const jr::HttpResponse r =
          router.handle(step.verb, jrfuzz::withApiVersion(step.target), defaultHeaders(step), step.body);
      if (r.status < 300) {
        jrfuzz::rememberLast(r.body, "offerId", s.lastOffer);
        jrfuzz::rememberLast(r.body, "assignmentId", s.lastAssignment);
        jrfuzz::rememberLast(r.body, "jobId", s.lastJob);
      }
    }
    router.drainEvents();
  }
  s.state = router.exportState();
  return s;
}

void loadSeeds() {
  gSeeds = new std::vector<Seeded>();
  if (const char* every = std::getenv("JR_FUZZ_FULL_CHECK_EVERY")) {
    const long n = std::strtol(every, nullptr, 10);
    if (n > 0) gFullCheckEvery = static_cast<std::uint64_t>(n);
  }
  gSeeds->push_back(seedFrom(""));  // the empty router
  const char* dir = std::getenv("JR_FUZZ_SEED_DIR");
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir ? dir : JR_FUZZ_SEED_DIR_DEFAULT, ec)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());  // a stable numbering of the states
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    Seeded s = seedFrom(text.str());
    bool duplicate = false;
    for (const Seeded& other : *gSeeds) duplicate = duplicate || other.state == s.state;
    if (!duplicate) gSeeds->push_back(std::move(s));
  }
  for (Seeded& s : *gSeeds) {
    s.router = std::make_unique<jr::Router>();
    if (!s.router->importState(s.state)) {
      std::fprintf(stderr, "request fuzz: a seeded state does not import\n");
      std::abort();
    }
  }
  std::fprintf(stderr, "request fuzz: %zu seeded states from %zu seed scripts\n", gSeeds->size(), files.size());
}

void fail(const std::vector<std::string>& problems) {
  for (const std::string& p : problems) std::fprintf(stderr, "request fuzz: %s\n", p.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  loadSeeds();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (!gSeeds) loadSeeds();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t pick = size;
  if (input.size() > 1 && input[0] == '#') {
    std::size_t eol = input.find('\n');
    pick = 0;
    for (std::size_t i = 1; i < input.size() && i < eol && i < 8; ++i) {
      if (input[i] < '0' || input[i] > '9') break;
      pick = pick * 10 + static_cast<std::size_t>(input[i] - '0');
    }
    input = eol == std::string_view::npos ? std::string_view() : input.substr(eol + 1);
  }
  Seeded& seeded = (*gSeeds)[pick % gSeeds->size()];
  jr::Router& router = *seeded.router;
  const bool fullCheck = (++gRuns % gFullCheckEvery) == 0;

  const std::size_t sep = input.find("\n%%\n");
  jrfuzz::Step step = jrfuzz::parseStep(input.substr(0, sep));
  if (step.verb.empty()) return 0;
  for (std::string* t : {&step.target, &step.body}) {
    jrfuzz::replaceAll(*t, "$OFFER", seeded.lastOffer);
    jrfuzz::replaceAll(*t, "$ASSIGNMENT", seeded.lastAssignment);
    jrfuzz::replaceAll(*t, "$JOB", seeded.lastJob);
  }
  std::vector<std::string> problems;
  bool changed = false;
  if (step.verb == "ADVANCE") {
    router.advance(std::min(jrfuzz::parseMillis(step.target), kMaxClockStepMillis));
    changed = true;
  } else if (step.verb == "SETTIME") {
    const auto t = jr::parseIsoTime(step.target);
    if (t && *t / jr::kTicksPerMillisecond - router.nowMillis() <= kMaxClockStepMillis) {
      changed = router.setTime(step.target);
    }
  } else if (step.verb == "ANSWER") {
    const nlohmann::json requests = nlohmann::json::parse(router.drainRuleRequests(), nullptr, false);
    if (!requests.is_array()) problems.push_back("drainRuleRequests() is not a JSON array");
    else {
      for (const auto& r : requests) {
        if (!r.is_object() || !r.contains("requestId") || !r["requestId"].is_string()) {
          problems.push_back("a rule request has no requestId");
          continue;
        }
        router.answerRuleRequest(r["requestId"].get<std::string>(), step.body,
                                 step.target == "error" ? "host function failed" : "");
      }
    }
    changed = true;  // drained requests are gone even when none was answered
  } else if (step.verb == "EXPLAIN") {
    if (nlohmann::json::parse(router.explain(step.target), nullptr, false).is_discarded())
      problems.push_back("explain(" + step.target.substr(0, 100) + ") is not JSON");
  } else {
    // checkResponse compares the state after a 4xx with `before`; off the sampled runs it gets the state after.
    const std::string before = fullCheck ? router.exportState() : std::string();
    const std::uint64_t version = router.stateVersion();
    const jr::HttpResponse r =
        router.handle(step.verb, jrfuzz::withApiVersion(step.target), defaultHeaders(step), step.body);
    if (fullCheck) {
      jrfuzz::checkResponse(step, r, before, router, problems);
    } else {
      // The cheap part of checkResponse: status and body shape, without the export.
      const std::string what = jrfuzz::describe(step);
      if (r.status < 200 || r.status >= 500) {
        problems.push_back(what + " answered " + std::to_string(r.status) + ": " + r.body.substr(0, 300));
      } else if (r.status != 204) {
        const nlohmann::json body = nlohmann::json::parse(r.body, nullptr, false);
        if (body.is_discarded()) {
          problems.push_back(what + " answered with a body that is not JSON");
        } else if (r.status >= 400 &&
                   !(body.is_object() && body.contains("communicationError") &&
                     body["communicationError"].is_object() && body["communicationError"].contains("code") &&
                     body["communicationError"].contains("message"))) {
          problems.push_back(what + " answered " + std::to_string(r.status) + " without a communicationError");
        }
      }
    }
    // A GET changes the state only when it ran left-over follow-up work, which moves stateVersion.
    changed = step.verb == "GET" ? router.stateVersion() != version : r.status < 400;
  }
  const nlohmann::json events = nlohmann::json::parse(router.drainEvents(), nullptr, false);
  if (!events.is_array()) problems.push_back("drainEvents() after " + jrfuzz::describe(step) + " is not a JSON array");
  if (fullCheck) {
    const std::string state = router.exportState();
    jr::Router copy;
    if (!copy.importState(state)) problems.push_back("importState() rejected the state exportState() gave");
    else if (copy.exportState() != state) problems.push_back("exportState() after importState() differs");
  }
  if (!problems.empty()) fail(problems);
  if (changed && !router.importState(seeded.state)) fail({"re-importing a seeded state failed"});
  return 0;
}
