#include "core/router.hpp"

#include <new>
#include <optional>

#include "core/engine/engine.hpp"
#include "core/engine/state_codec.hpp"
#include "core/http/paging.hpp"
#include "core/http/request.hpp"
#include "core/http/responses.hpp"
#include "core/http/routes.hpp"
#include "core/util/json_depth.hpp"
#include "core/util/json_reader.hpp"
#include "core/util/json_writer.hpp"

namespace jr {
namespace {

// A state snapshot wraps request bodies (≤ 32 levels) in a few levels of its own.
constexpr int kMaxStateNesting = 64;

// ---- Limits (RouterLimits) ----

// Kept aside so that, when memory runs out, freeing it leaves room to build the error answer.
constexpr std::size_t kReserveBytes = 1 << 20;

// Memory kept aside for the moment an allocation fails, freed by the new-handler as it throws std::bad_alloc: the
// unwinding needs memory — nlohmann::json's destructor allocates (it flattens the tree into a vector), and an
// exception out of a destructor calls std::terminate(), i.e. abort(). Seen when exportState() ran out of memory
// (natively: "terminate called after throwing an instance of 'std::bad_alloc'"; in WebAssembly: "Aborted()").
// 8 MiB: the flattening vector of a 250,000-item array is 4 MiB. Installed by the first Router when no other
// new-handler is set; made again before each request and export.
char* gAllocationReserve = nullptr;
constexpr std::size_t kAllocationReserveBytes = 8 * 1024 * 1024;

void onAllocationFailure() {
  delete[] gAllocationReserve;  // not to retry with it: it is for what the unwinding allocates
  gAllocationReserve = nullptr;
  throw std::bad_alloc();
}

// A nothrow allocation that does not call the new-handler (which would spend the reserve, or throw).
char* allocateQuietly(std::size_t bytes) {
  const std::new_handler handler = std::set_new_handler(nullptr);
  char* memory = new (std::nothrow) char[bytes];
  std::set_new_handler(handler);
  return memory;
}

void ensureAllocationReserve() {
  if (std::get_new_handler() == nullptr) std::set_new_handler(onAllocationFailure);
  if (!gAllocationReserve && std::get_new_handler() == onAllocationFailure) {
    gAllocationReserve = allocateQuietly(kAllocationReserveBytes);
  }
}

struct AccountedOperation {
  ResourceKind kind;
  bool upsert;  // false: a delete
};

// The upserts and deletes: the operations that change what a resource of their kind stores.
std::optional<AccountedOperation> accountedOperation(Operation op) {
  if (isUpsert(op)) return AccountedOperation{resourceOf(op), true};
  if (isDelete(op)) return AccountedOperation{resourceOf(op), false};
  return std::nullopt;
}

struct KindLimit {
  std::uint64_t limit;
  const char* key;     // RouterLimits / the `limits` option's key
  const char* plural;  // in the message
  const char* flag;    // the server's command-line flag
};

KindLimit kindLimit(const RouterLimits& limits, ResourceKind kind) {
  switch (kind) {
    case ResourceKind::DistributionPolicy:
      return {limits.policies, "policies", "distribution policies", "--max-policies"};
    case ResourceKind::ClassificationPolicy:
      return {limits.policies, "policies", "classification policies", "--max-policies"};
    case ResourceKind::ExceptionPolicy:
      return {limits.policies, "policies", "exception policies", "--max-policies"};
    case ResourceKind::Queue: return {limits.queues, "queues", "queues", "--max-queues"};
    case ResourceKind::Worker: return {limits.workers, "workers", "workers", "--max-workers"};
    case ResourceKind::Job: return {limits.jobs, "jobs", "jobs", "--max-jobs"};
  }
  return {0, "", "", ""};
}

// Answered 507 Insufficient Storage (core/http/responses.cpp).
constexpr const char* kLimitCode = "EmulatorLimitExceeded";

ApiError countLimitReached(const KindLimit& k) {
  return {ErrorKind::LimitReached, kLimitCode,
          std::string("The emulator's limit of ") + std::to_string(k.limit) + " " + k.plural + " is reached (limits." +
              k.key + "). Delete some, or raise the limit: the emulator option limits: { " + k.key +
              ": n } (0: none), or the server's " + k.flag + " n.",
          {}};
}

ApiError bytesLimitReached(std::uint64_t limit, std::uint64_t stored) {
  return {ErrorKind::LimitReached, kLimitCode,
          "Storing this request would pass the emulator's limit of " + std::to_string(limit) +
              " stored bytes (limits.storedBytes; " + std::to_string(stored) +
              " bytes stored now). Delete resources, or raise the limit: the emulator option limits: { storedBytes: "
              "n } (0: none), or the server's --max-stored-mb n.",
          {}};
}

// Memory ran out while serving the request: no exception text, a fixed answer.
HttpResponse outOfMemoryResponse(const std::string& path, ErrorShape shape) {
  const ApiError error{ErrorKind::LimitReached, "InsufficientMemory",
                       "The emulator ran out of memory while serving this request. Delete resources, or lower the "
                       "emulator's limits (option limits) so that writes are refused before memory runs out.",
                       {}};
  return errorResponseNoThrow(error, path, shape);
}

// The resource a write is accounted to (none: id is null) and its stored size before the write.
struct Accounting {
  std::optional<AccountedOperation> accounted;
  const std::string* id = nullptr;  // points into the command's params
  std::uint64_t bytesBefore = 0;
};

// Limits: checked before the command runs, so a refused write changes nothing.
Accounting checkLimits(Engine& engine, const RouterLimits& limits, std::uint64_t storedBytes, const Request& request,
                       std::size_t bodyBytes) {
  Accounting a;
  a.accounted = accountedOperation(request.operation);
  const auto& params = request.command.params;
  a.id = a.accounted && !params.empty() ? &params.front() : nullptr;
  if (!a.id) return a;
  const std::uint64_t* slot = engine.accountedBytes(a.accounted->kind, *a.id);
  a.bytesBefore = slot ? *slot : 0;
  if (a.accounted->upsert) {
    const KindLimit k = kindLimit(limits, a.accounted->kind);
    if (!slot && k.limit != 0 && engine.count(a.accounted->kind) >= k.limit) throw countLimitReached(k);
    const std::uint64_t maxBytes = limits.storedBytes;
    if (maxBytes != 0 && storedBytes + bodyBytes > maxBytes) throw bytesLimitReached(maxBytes, storedBytes);
  }
  return a;
}

// The stored size of the resource: its JSON text as the answer shows it (0 once deleted).
void recordStoredBytes(Engine& engine, const Accounting& a, const HttpResponse& response, std::uint64_t& storedBytes) {
  if (!a.id) return;
  std::uint64_t* slot = engine.accountedBytes(a.accounted->kind, *a.id);
  const std::uint64_t bytesAfter = slot ? (a.accounted->upsert ? response.body.size() : *slot) : 0;
  if (slot) *slot = bytesAfter;
  storedBytes = (storedBytes >= a.bytesBefore ? storedBytes - a.bytesBefore : 0) + bytesAfter;
}

HttpResponse replyResponse(Reply reply) {
  return reply.outcome == Outcome::Deleted
             ? noContentResponse()
             : jsonResponse(successStatus(reply.outcome), std::move(reply.body), std::move(reply.etag),
                            reply.lastModified);
}

}  // namespace

Router::Router(RouterOptions options)
    : options_(std::move(options)),
      engine_(std::make_unique<Engine>(options_)),
      reserve_(allocateQuietly(kReserveBytes)) {
  ensureAllocationReserve();
}
Router::~Router() = default;

HttpResponse Router::handle(const std::string& method, const std::string& pathAndQuery, const HeaderMap& rawHeaders,
                            const std::string& body) {
  if (method != "GET" || engine_->hasPendingWork()) ++stateVersion_;
  if (!reserve_) reserve_.reset(allocateQuietly(kReserveBytes));
  ensureAllocationReserve();
  std::string path;
  try {
    const Request request = readRequest(method, pathAndQuery, rawHeaders, body, options_.checkApiVersion, path);
    const Accounting accounting = checkLimits(*engine_, options_.limits, storedBytes_, request, body.size());
    HttpResponse response =
        request.list ? jsonResponse(200, pageBody(*request.list, engine_->list(request.list->page)), std::nullopt,
                                    std::nullopt)
                     : replyResponse(engine_->execute(request.command));
    recordStoredBytes(*engine_, accounting, response, storedBytes_);
    engine_->settle();
    engine_->commitEvents();
    return response;
  } catch (const ApiError& error) {
    engine_->discardEvents();
    return errorResponse(error, path, options_.errorShape);
  } catch (const std::bad_alloc&) {
    reserve_.reset();
    engine_->discardEvents();
    return outOfMemoryResponse(path, options_.errorShape);
  } catch (const std::exception&) {
    engine_->discardEvents();
    // Not expected: reported as a client error with a distinctive code so tests and fuzzers can spot it. The
    // exception's own text is never shown.
    return errorResponse(badRequest("UnhandledError", "The request could not be processed."), path,
                         options_.errorShape);
  } catch (...) {
    engine_->discardEvents();
    return errorResponse(badRequest("UnhandledError", "The request could not be processed."), path,
                         options_.errorShape);
  }
}

std::string Router::now() const { return formatIsoTime(engine_->now()); }

std::int64_t Router::nowMillis() const { return engine_->now() / kTicksPerMillisecond; }

void Router::advance(std::int64_t milliseconds) {
  if (milliseconds <= 0) return;
  ++stateVersion_;
  engine_->advanceTo(engine_->now() + milliseconds * kTicksPerMillisecond);
}

bool Router::setTime(const std::string& iso) {
  const auto t = parseIsoTime(iso);
  if (!t || *t < engine_->now()) return false;
  ++stateVersion_;
  engine_->advanceTo(*t);
  return true;
}

std::int64_t Router::nextDueMillis() const {
  const auto due = engine_->nextTimerDue();
  if (!due) return -1;
  // Round up so a sleeper never wakes before the timer is due.
  return (*due + kTicksPerMillisecond - 1) / kTicksPerMillisecond;
}

std::string Router::explain(const std::string& jobId) {
  ++stateVersion_;
  try {
    return toJsonText(engine_->explain(jobId));
  } catch (const ApiError& error) {
    return errorBody(error, operationPath(Operation::GetJob, {jobId}), options_.errorShape);
  }
}

HttpResponse Router::failScheduling(const std::string& jobId, const std::string& reason) {
  const std::string target = operationPath(Operation::GetJob, {jobId});
  ++stateVersion_;
  try {
    HttpResponse response = replyResponse(engine_->failScheduling(jobId, reason));
    engine_->settle();
    engine_->commitEvents();
    return response;
  } catch (const ApiError& error) {
    engine_->discardEvents();
    return errorResponse(error, target, options_.errorShape);
  }
}

std::string Router::drainRuleRequests() {
  if (!engine_->anyRuleRequestsToDrain()) return "[]";  // the usual case, asked after every request
  return toJsonText(engine_->drainRuleRequests());
}

bool Router::answerRuleRequest(const std::string& requestId, const std::string& resultJson, const std::string& error) {
  ++stateVersion_;
  if (error.empty() && nestingDepth(resultJson, kMaxBodyNesting) > kMaxBodyNesting) {
    // Too deep to handle safely: the rule failed, as when the function throws.
    return answerRuleRequest(requestId, "", "The function's result nests deeper than " +
                                                std::to_string(kMaxBodyNesting) + " levels.");
  }
  Json result;
  if (error.empty()) {
    result = readJsonNoThrow(resultJson);
    if (result.is_discarded()) return false;
  }
  try {
    return engine_->answerRuleRequest(requestId, result, error);
  } catch (...) {
    engine_->discardEvents();
    return false;
  }
}

std::string Router::drainEvents() { return engine_->drainEvents(); }

void Router::drainEventsInto(std::string& out, JsonTape* tape) { engine_->drainEventsInto(out, tape); }

bool Router::anyRuleRequestsToDrain() const { return engine_->anyRuleRequestsToDrain(); }

void Router::recordEventTape(bool on) {
  eventTape_ = on;
  engine_->recordEventTape(on);
}

std::string Router::exportState() const {
  ensureAllocationReserve();
  return StateCodec::encode(*engine_);
}

bool Router::importState(const std::string& stateJson) {
  if (nestingDepth(stateJson, kMaxStateNesting) > kMaxStateNesting) return false;
  auto fresh = std::make_unique<Engine>(options_);
  std::uint64_t stored = 0;
  try {
    stored = StateCodec::decode(*fresh, stateJson);  // also sets each record's stored bytes
  } catch (...) {
    return false;
  }
  fresh->recordEventTape(eventTape_);
  engine_ = std::move(fresh);
  storedBytes_ = stored;
  ++stateVersion_;
  return true;
}

void Router::reset() {
  engine_ = std::make_unique<Engine>(options_);
  engine_->recordEventTape(eventTape_);
  storedBytes_ = 0;
  ++stateVersion_;
}

}  // namespace jr
