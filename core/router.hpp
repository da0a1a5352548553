// The emulator's facade: one request/response machine over the whole Job Router resource.
// Nothing here knows about JS, HTTP servers or WebAssembly.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace jr {

// Header names are compared case-insensitively; keys are stored lower-case.
using HeaderMap = std::map<std::string, std::string>;

struct HttpResponse {
  int status = 200;
  HeaderMap headers;  // e.g. "content-type", "etag", "last-modified", "x-ms-error-code"
  std::string body;   // raw JSON text; empty for 204
};

enum class ErrorShape { Real, Spec };  // {"communicationError":…} or {"error":…} + x-ms-error-code

// How events write number and boolean label/tag values, which the Event Grid schema types as strings:
// Json: JSON text (true, 2, 2.5); DotNet: .NET ToString() text (True, 2, 2.5). See core/events/label_text.hpp.
enum class EventLabelText { Json, DotNet };

// What a router stores at most (0: no limit). A write past a limit answers 507 in the configured error shape and
// changes nothing; reads, deletes and everything else keep working. The defaults keep a full router, its
// exportState() and the JSON text of that export well inside WebAssembly's 4 GB of memory, and the export's text
// under V8's longest string (2^29 - 24 characters, about 512 MiB), so that JS can receive it.
struct RouterLimits {
  // The resources' JSON text as GET answers it, summed: counted when a PATCH stores a resource, refused when the
  // total plus the request body's size would pass the limit.
  std::uint64_t storedBytes = 256ULL * 1024 * 1024;
  std::uint64_t jobs = 250'000;
  std::uint64_t workers = 50'000;
  std::uint64_t queues = 10'000;
  std::uint64_t policies = 10'000;  // of each kind (distribution, classification, exception)
};

struct RouterOptions {
  std::uint64_t seed = 1;             // drives generated ids (offers, assignments, exception actions)
  std::string startTime = "2024-01-01T00:00:00Z";  // virtual clock start (ISO-8601)
  bool checkApiVersion = true;        // false: any or no api-version is accepted
  ErrorShape errorShape = ErrorShape::Real;
  EventLabelText eventLabelText = EventLabelText::Json;
  RouterLimits limits;
};

class Engine;  // internal state; see core/engine.hpp

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
  std::unique_ptr<char[]> reserve_;               // freed on std::bad_alloc so that the error answer can be made
};

}  // namespace jr
