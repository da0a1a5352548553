// Decoding and checking of fuzz inputs, shared by the libFuzzer target (tests/fuzz/fuzz-router.cpp) and the
// corpus replay test of the normal suite (tests/unit/unit-fuzz-corpus.cpp), so both see an input the same way.
//
// An input is a small text script of steps separated by lines holding only "%%":
//
//   PATCH /routing/jobs/j1                 a REST call: METHOD TARGET. "api-version=2023-11-01" is appended
//   content-type: application/json        unless TARGET already names api-version. Optional header lines
//   {"channelId": "voice"}                 (name: value) follow; the rest of the step is the body.
//   %%
//   ADVANCE 60000                          moves the virtual clock (milliseconds, clamped to 0..30 days)
//   %%
//   SETTIME 2024-01-02T00:00:00Z           sets the virtual clock
//   %%
//   ANSWER                                 answers every pending function/webhook rule request with the body as
//   3                                      the result ("ANSWER error" fails them instead)
//   %%
//   EXPLAIN j1                             the explain() of a job
//
// Without header lines, PATCH sends Content-Type application/merge-patch+json, POST with a body application/json
// and POST without one Content-Length 0. "$OFFER", "$ASSIGNMENT" and "$JOB" in a target or body are replaced by
// the last offerId, assignmentId and jobId seen in a response, so inputs can accept offers whose ids the seeded
// engine generates.
//
// After every step the checker asserts what a client relies on: no 5xx; a JSON body on every non-204 answer;
// errors in the {"communicationError": {"code", "message"}} shape; a failed request (4xx) leaves exportState()
// unchanged; drained events are a JSON array. At the end, exportState → importState (on a fresh router) →
// exportState is identical. Problems are returned as sentences; an empty list means the input passed.
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/router.hpp"

namespace jrfuzz {

inline constexpr std::size_t kMaxSteps = 64;                          // longer scripts are cut
inline constexpr std::int64_t kMaxAdvanceMillis = 30LL * 24 * 3600 * 1000;  // one step moves at most 30 days

struct Step {
  std::string verb;    // HTTP method, or ADVANCE / SETTIME / ANSWER / EXPLAIN
  std::string target;  // request target or the verb's argument
  jr::HeaderMap headers;
  bool explicitHeaders = false;
  std::string body;
};

inline std::vector<std::string_view> splitSteps(std::string_view input) {
  std::vector<std::string_view> steps;
  std::size_t start = 0;
  while (steps.size() < kMaxSteps) {
    std::size_t sep = input.find("\n%%\n", start);
    if (sep == std::string_view::npos) {
      steps.push_back(input.substr(start));
      break;
    }
    steps.push_back(input.substr(start, sep - start));
    start = sep + 4;
  }
  return steps;
}

inline bool isHeaderLine(std::string_view line, std::string& name, std::string& value) {
  std::size_t colon = line.find(':');
  if (colon == 0 || colon == std::string_view::npos) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    const unsigned char c = static_cast<unsigned char>(line[i]);
    if (!(std::isalnum(c) || c == '-' || c == '_')) return false;
  }
  name.assign(line.substr(0, colon));
  std::string_view rest = line.substr(colon + 1);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  value.assign(rest);
  return true;
}

inline Step parseStep(std::string_view text) {
  Step step;
  std::size_t eol = text.find('\n');
  std::string_view first = text.substr(0, eol);
  if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
  std::size_t space = first.find(' ');
  step.verb.assign(first.substr(0, space));
  if (space != std::string_view::npos) step.target.assign(first.substr(space + 1));
  std::string_view rest = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
  while (!rest.empty()) {
    std::size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    if (line.empty()) {  // blank line closes the headers
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      break;
    }
    std::string name, value;
    if (!isHeaderLine(line, name, value)) break;
    step.headers[name] = value;
    step.explicitHeaders = true;
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  }
  step.body.assign(rest);
  return step;
}

inline void replaceAll(std::string& text, const std::string& token, const std::string& value) {
  if (value.empty()) return;
  for (std::size_t at = text.find(token); at != std::string::npos; at = text.find(token, at + value.size()))
    text.replace(at, token.size(), value);
}

// The value of the last "key":"value" pair in a JSON text (compact form, as the core writes it).
inline void rememberLast(const std::string& text, const std::string& key, std::string& slot) {
  const std::string needle = "\"" + key + "\":\"";
  std::size_t at = text.rfind(needle);
  if (at == std::string::npos) return;
  at += needle.size();
  std::size_t end = text.find('"', at);
  if (end != std::string::npos && end - at < 256) slot = text.substr(at, end - at);
}

inline std::int64_t parseMillis(const std::string& text) {
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') break;
    value = value * 10 + (c - '0');
    if (value > kMaxAdvanceMillis) return kMaxAdvanceMillis;
  }
  return value;
}

inline std::string withApiVersion(const std::string& target) {
  if (target.find("api-version") != std::string::npos) return target;
  return target + (target.find('?') == std::string::npos ? "?" : "&") + "api-version=2023-11-01";
}

inline std::string describe(const Step& step) {
  std::string what = step.verb + " " + step.target;
  if (what.size() > 200) what = what.substr(0, 200) + "...";
  return what;
}

inline void checkResponse(const Step& step, const jr::HttpResponse& r, const std::string& before,
                          const jr::Router& router, std::vector<std::string>& problems) {
  const std::string what = describe(step);
  if (r.status < 200 || r.status >= 500) {
    problems.push_back(what + " answered " + std::to_string(r.status) + ": " + r.body.substr(0, 300));
    return;
  }
  if (r.status == 204) return;
  const nlohmann::json body = nlohmann::json::parse(r.body, nullptr, false);
  if (body.is_discarded()) {
    problems.push_back(what + " answered " + std::to_string(r.status) + " with a body that is not JSON");
    return;
  }
  if (r.status >= 400) {
    const bool shaped = body.is_object() && body.contains("communicationError") &&
                        body["communicationError"].is_object() &&
                        body["communicationError"].contains("code") && body["communicationError"]["code"].is_string() &&
                        body["communicationError"].contains("message") &&
                        body["communicationError"]["message"].is_string();
    if (!shaped) problems.push_back(what + " answered " + std::to_string(r.status) + " without a communicationError");
    if (router.exportState() != before)
      problems.push_back(what + " answered " + std::to_string(r.status) + " but changed the exported state");
  }
}

// Runs one input on a fresh router (default options: seed 1, manual clock at 2024-01-01) and returns the problems
// found (empty: the input passed).
inline std::vector<std::string> runInput(std::string_view input) {
  std::vector<std::string> problems;
  jr::Router router;
  std::string lastOffer, lastAssignment, lastJob;
  for (std::string_view text : splitSteps(input)) {
    Step step = parseStep(text);
    if (step.verb.empty()) continue;
    for (std::string* s : {&step.target, &step.body}) {
      replaceAll(*s, "$OFFER", lastOffer);
      replaceAll(*s, "$ASSIGNMENT", lastAssignment);
      replaceAll(*s, "$JOB", lastJob);
    }
    if (step.verb == "ADVANCE") {
      router.advance(parseMillis(step.target));
    } else if (step.verb == "SETTIME") {
      router.setTime(step.target);
    } else if (step.verb == "ANSWER") {
      const nlohmann::json requests = nlohmann::json::parse(router.drainRuleRequests(), nullptr, false);
      if (!requests.is_array()) {
        problems.push_back("drainRuleRequests() is not a JSON array");
        continue;
      }
      for (const auto& request : requests) {
        if (!request.is_object() || !request.contains("requestId") || !request["requestId"].is_string()) {
          problems.push_back("a rule request has no requestId");
          continue;
        }
        router.answerRuleRequest(request["requestId"].get<std::string>(), step.body,
                                 step.target == "error" ? "host function failed" : "");
      }
    } else if (step.verb == "EXPLAIN") {
      if (nlohmann::json::parse(router.explain(step.target), nullptr, false).is_discarded())
        problems.push_back("explain(" + step.target.substr(0, 100) + ") is not JSON");
    } else {
      jr::HeaderMap headers = step.headers;
      if (!step.explicitHeaders) {
        if (step.verb == "PATCH") headers["content-type"] = "application/merge-patch+json";
        else if (step.verb == "POST" && !step.body.empty()) headers["content-type"] = "application/json";
        else if (step.verb == "POST") headers["content-length"] = "0";
      }
      const std::string before = router.exportState();
      const jr::HttpResponse r = router.handle(step.verb, withApiVersion(step.target), headers, step.body);
      checkResponse(step, r, before, router, problems);
      if (r.status < 300) {
        rememberLast(r.body, "offerId", lastOffer);
        rememberLast(r.body, "assignmentId", lastAssignment);
        rememberLast(r.body, "jobId", lastJob);
      }
    }
    const nlohmann::json events = nlohmann::json::parse(router.drainEvents(), nullptr, false);
    if (!events.is_array()) problems.push_back("drainEvents() after " + describe(step) + " is not a JSON array");
    if (problems.size() > 20) return problems;
  }
  const std::string state = router.exportState();
  jr::Router copy;
  if (!copy.importState(state)) {
    problems.push_back("importState() rejected the state exportState() gave");
  } else if (copy.exportState() != state) {
    problems.push_back("exportState() after importState() differs from the imported state");
  }
  return problems;
}

// The byte stream of one input: every response (status, headers, body), the events after each step, host-rule
// requests, explanations and the final exportState(). tests/js/determinism.test.mjs produces the same stream through
// the WebAssembly module and compares the two byte for byte. No checks: runInput() does those.
inline std::string transcript(std::string_view input) {
  std::string out;
  jr::Router router;
  std::string lastOffer, lastAssignment, lastJob;
  for (std::string_view text : splitSteps(input)) {
    Step step = parseStep(text);
    if (step.verb.empty()) continue;
    for (std::string* s : {&step.target, &step.body}) {
      replaceAll(*s, "$OFFER", lastOffer);
      replaceAll(*s, "$ASSIGNMENT", lastAssignment);
      replaceAll(*s, "$JOB", lastJob);
    }
    out += "> " + step.verb + " " + step.target + "\n";
    if (step.verb == "ADVANCE") {
      router.advance(parseMillis(step.target));
    } else if (step.verb == "SETTIME") {
      out += router.setTime(step.target) ? "set\n" : "not set\n";
    } else if (step.verb == "ANSWER") {
      const std::string pending = router.drainRuleRequests();
      out += "requests " + pending + "\n";
      const nlohmann::json requests = nlohmann::json::parse(pending, nullptr, false);
      if (requests.is_array()) {
        for (const auto& request : requests) {
          if (!request.is_object() || !request.contains("requestId") || !request["requestId"].is_string()) continue;
          const bool ok = router.answerRuleRequest(request["requestId"].get<std::string>(), step.body,
                                                   step.target == "error" ? "host function failed" : "");
          out += ok ? "answered\n" : "refused\n";
        }
      }
    } else if (step.verb == "EXPLAIN") {
      out += router.explain(step.target) + "\n";
    } else {
      jr::HeaderMap headers = step.headers;
      if (!step.explicitHeaders) {
        if (step.verb == "PATCH") headers["content-type"] = "application/merge-patch+json";
        else if (step.verb == "POST" && !step.body.empty()) headers["content-type"] = "application/json";
        else if (step.verb == "POST") headers["content-length"] = "0";
      }
      const jr::HttpResponse r = router.handle(step.verb, withApiVersion(step.target), headers, step.body);
      out += "< " + std::to_string(r.status) + "\n";
      for (const auto& [name, value] : r.headers) out += name + ": " + value + "\n";
      out += r.body + "\n";
      if (r.status < 300) {
        rememberLast(r.body, "offerId", lastOffer);
        rememberLast(r.body, "assignmentId", lastAssignment);
        rememberLast(r.body, "jobId", lastJob);
      }
    }
    out += "events " + router.drainEvents() + "\n";
  }
  out += "state " + router.exportState() + "\n";
  return out;
}

}  // namespace jrfuzz
