// The emulator's facade: one request/response machine over the whole Job Router resource.
// Nothing here knows about JS, HTTP servers or WebAssembly.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/http/http_types.hpp"
#include "core/router_types.hpp"

namespace jr {

class Engine;  // internal state; see core/engine.hpp
class JsonTape;  // core/util/json_tape.hpp

class Router {
 public:
  explicit Router(RouterOptions options = {});
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Serves one REST call. pathAndQuery is the raw request target, e.g.
  // "/routing/jobs/j1?api-version=2023-11-01". Never throws.
  HttpResponse handle(const std::string& method, const std::string& pathAndQuery,
                      const HeaderMap& headers, const std::string& body);

  // Virtual clock.
  std::string now() const;                         // ISO-8601, "+00:00" form
  std::int64_t nowMillis() const;                  // Unix epoch milliseconds
  void advance(std::int64_t milliseconds);         // fires due timers in order
  bool setTime(const std::string& iso);            // false when unparsable or in the past

  // Due instant of the next timer in Unix epoch milliseconds, or -1 when none (real-time clocks sleep until then).
  std::int64_t nextDueMillis() const;

  // For each worker: whether it would be offered the job now, or the first reason it would not.
  // JSON text {"jobId", "status", "queueId"?, "workers": [{"workerId", "eligible", "code"?, "reason"?}]};
  // an unknown job gives a 404 error body.
  std::string explain(const std::string& jobId);

  // Fault injection, which the real service offers no way to do: the job (pendingSchedule or scheduled) fails
  // scheduling — status scheduleFailed, its scheduleAt timer cancelled, RouterJobSchedulingFailed published with
  // `reason` as failureReason (a default text when empty). 200 with the job as GET shows it; 404 for an unknown
  // job, 409 Conflict for any other status (in the configured error shape); nothing changes on an error.
  HttpResponse failScheduling(const std::string& jobId, const std::string& reason);

  // Function and webhook rules are answered by the host. Requests raised since the last drain, as a JSON array
  // text of {"requestId", "jobId", "kind" ("function"|"webhook"), "uri", "rule", "payload"}; the job waits in
  // pendingClassification until answerRuleRequest(requestId, resultJson, error) — an empty error means success,
  // resultJson is the function's JSON result. Returns false for an unknown request or unparsable result.
  std::string drainRuleRequests();
  bool answerRuleRequest(const std::string& requestId, const std::string& resultJson, const std::string& error);

  // Events published since the last drain, as a JSON array text (Event Grid schema).
  std::string drainEvents();
  // The same text appended to `out` (a buffer the caller keeps). After recordEventTape(true), `tape` (when not
  // null) gets the text's structure, its offsets counted from where the text starts in `out` (core/util/json_tape.hpp).
  void drainEventsInto(std::string& out, JsonTape* tape = nullptr);
  void recordEventTape(bool on);
  // Whether drainRuleRequests() has requests to give.
  bool anyRuleRequestsToDrain() const;

  // Whole-state snapshot as JSON text; importState returns false (and changes nothing) on bad input. exportState
  // throws (std::bad_alloc, or another std::exception) when the snapshot cannot be made; it never returns a partial
  // or empty text. An imported state may hold more than the limits allow: it is kept, and creating more is refused.
  std::string exportState() const;
  bool importState(const std::string& stateJson);
  void reset();

  // A number that changes whenever the answer to a request may have changed: after every request other than a
  // GET, every clock move, fault injection, rule answer, explain, import and reset, and after a GET that found
  // follow-up work left over. Two identical GETs with the same stateVersion() before them get identical
  // responses, so hosts may serve the second from a cache.
  std::uint64_t stateVersion() const { return stateVersion_; }
  // Where stateVersion() is kept, for hosts that read it without a call (valid as long as the Router lives).
  const std::uint64_t* stateVersionAddress() const { return &stateVersion_; }

  // What the limits count now: the stored bytes and the resources of the largest kind are in RouterLimits' terms.
  std::uint64_t storedBytes() const { return storedBytes_; }
  const RouterLimits& limits() const { return options_.limits; }

 private:
  void recountStoredBytes(const std::string& stateJson);
  RouterOptions options_;
  std::unique_ptr<Engine> engine_;
  std::uint64_t stateVersion_ = 0;
  std::uint64_t storedBytes_ = 0;                 // sum of every resource's Record::accountedBytes
  bool eventTape_ = false;                        // recordEventTape(), kept for the engines of imports and resets
  std::unique_ptr<char[]> reserve_;               // freed on std::bad_alloc so that the error answer can be made
};

}  // namespace jr
