// Embind bindings: the only translation unit that includes Emscripten headers.
//
// JS sees:
//   new Module.Router(optionsJson)         optionsJson: {"seed": n, "startTime": "...",
//                                          "checkApiVersion": bool, "errorShape": "real"|"spec",
//                                          "eventLabelText": "json"|"dotnet",
//                                          "limits": {"storedBytes": n, "jobs": n, "workers": n, "queues": n,
//                                                     "policies": n}}   (core/router.hpp RouterLimits; 0: none)
//                                          (unknown keys ignored; bad JSON or bad values -> defaults)
//   router.handle(method, pathAndQuery, headersJson, body) -> {status, headers, body}
//                                          headers: JSON object text of the lower-case header map
//   router.now() -> string                 router.nowMillis() -> number
//   router.advance(ms)                     router.setTime(iso) -> bool
//   router.stateVersion() -> number        (changes whenever a response may have changed)
//   router.drainEvents() -> string         (JSON array text)
//   router.nextDueMillis() -> number       (-1: no timer)    router.explain(jobId) -> string (JSON)
//   router.failScheduling(jobId, reason) -> {status, headers, body}   (fault injection; as handle())
//   router.errorResponse(status, code, message, pathAndQuery) -> {status, headers, body}   (the core's error
//                                          body in this router's errorShape, for errors a host makes up: faults)
//   router.evaluateRule(requestJson) -> string   (one rule against given labels; core/rules/rule_tryout.hpp)
//   router.exportState() -> string         router.importState(json) -> bool
//                                          exportState throws a JS Error when the snapshot cannot be made (out of
//                                          memory, …): never an empty or partial text
//   router.reset()
//   router.delete()                        (embind: frees the C++ object)
//   Module.requestHeaderNames() -> string  JSON array of the request headers the core reads (lower-case), in the
//                                          order handleBuffered takes their lengths
//
// js/core-adapter.js is the only JS that calls these.
//
// The same requests through the module's memory (what js/core-channel.js uses; embind's std::string conversion
// walks every byte in JS, which was the largest JS-side cost of a request):
//   router.inputBuffer(bytes) -> address    a buffer of at least `bytes` bytes, valid until the next call
//   router.handleBuffered(methodLen, targetLen, contentTypeLen, ifMatchLen, ifUnmodifiedSinceLen, bodyLen)
//       -> address of an output record      the request's fields, UTF-8, one after another at inputBuffer's
//                                           address; a header's length is -1 when the request has none
//   router.drainEventsBuffered() -> address of an output record holding the events' JSON array text
//   router.drainEventsTape() -> address of a tape record: the same text and the structure of the events in it
//                                           (core/util/json_tape.hpp); 0 when it cannot be made (JS then drains
//                                           the text alone)
//   Module.jsonTapeKinds() -> string        JSON object of the tape's entry kinds (name -> number)
//   router.drainRuleRequestsBuffered() -> the same for drainRuleRequests()
//   router.stateVersionAddress() -> address of stateVersion()'s number (little-endian uint64; 0: none)
//   router.importStateBuffered(bytes) -> bool   importState() of the state text's UTF-8 bytes written at
//                                           inputBuffer's address; the input buffer is released afterwards (the
//                                           next inputBuffer() call makes a new one)
//   Output record: five little-endian uint32 (status, headers' byte length, body's byte length, drain flags,
//   drained events), then the headers' JSON object text, then the body; valid until the next call on this router.
//   handleBuffered's record also says what the request left to drain, which saves JS two calls per request: drain
//   flags bit 0 = set by handleBuffered after the request ran (0: nothing is known, drain as usual), bit 1 = rule
//   requests are waiting (drainRuleRequestsBuffered has some); drained events = the address of a tape record holding
//   the events published so far, taken from the router (drained) with the request, valid until the next
//   handleBuffered (0: none were taken; drainEventsTape as usual).
//   Tape record: five little-endian uint32 (the tape's entry count, the address of its entries — four int32 each,
//   offsets counted from the text's start —, the text's byte length, 0, 0), then the text; valid until the next
//   call that makes one (drainEventsTape: output record's; handleBuffered's drained events: their own).
//
// Memory: the global operator new/delete of the module take small blocks from free lists (core/util/small_blocks.hpp);
// malloc and free stay the general allocator's (embind's strings, exceptions). A failed allocation calls the
// new-handler as the standard operator new does (core/router.cpp's out-of-memory reserve relies on it).

// No C++ exception may cross into JS (it would arrive as an opaque number): every entry point
// catches everything and returns a fallback value — except exportState, which throws a JS Error instead (a
// fallback there would be an empty snapshot that a host could save over a good one).
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/errors.hpp"
#include "core/http/http_types.hpp"
#include "core/http/responses.hpp"
#include "core/http/routes.hpp"
#include "core/router.hpp"
#include "core/rules/rule_tryout.hpp"
#include "core/util/json_reader.hpp"
#include "core/util/json_tape.hpp"
#include "core/util/json_writer.hpp"
#include "core/util/small_blocks.hpp"
#include "core/util/text_buffers.hpp"

namespace {

// The core's JSON type (insertion-ordered): a second nlohmann instantiation (std::map objects) would add its own
// parser and serializer to the module. Every object built here is written in sorted key order anyway.
using json = nlohmann::ordered_json;

// The request headers the core reads (jr::kRequestHeaderNames, core/http/http_types.hpp), in the order handleBuffered
// takes their lengths. JS reads them through Module.requestHeaderNames() (js/core-adapter.js): the GET cache's key,
// the recorded headers and the buffered request's fields.
using jr::kRequestHeaderNames;
constexpr int kRequestHeaderCount = static_cast<int>(std::size(kRequestHeaderNames));

// Module.requestHeaderNames(): the names above as a JSON array text.
std::string requestHeaderNamesJson() {
  std::string out = "[";
  for (int i = 0; i < kRequestHeaderCount; ++i) {
    if (i > 0) out.push_back(',');
    jr::writeJsonString(kRequestHeaderNames[i], out);
  }
  out.push_back(']');
  return out;
}

// Module.jsonTapeKinds(): the tape's entry kinds by name, as a JSON object text (js/core-channel.js checks its
// copy of them against it).
std::string jsonTapeKindsJson() {
  using jr::TapeKind;
  const std::pair<const char*, TapeKind> kinds[] = {
      {"ObjectStart", TapeKind::ObjectStart}, {"ObjectEnd", TapeKind::ObjectEnd}, {"ArrayStart", TapeKind::ArrayStart},
      {"ArrayEnd", TapeKind::ArrayEnd},       {"KeyLiteral", TapeKind::KeyLiteral}, {"Key", TapeKind::Key},
      {"String", TapeKind::String},           {"Number", TapeKind::Number},       {"True", TapeKind::True},
      {"False", TapeKind::False},             {"Null", TapeKind::Null},           {"Json", TapeKind::Json},
  };
  std::string out;
  jr::JsonOut writer(out);
  writer.beginObject();
  for (const auto& [name, kind] : kinds) writer.key(std::string(name)).integer(static_cast<std::int32_t>(kind));
  writer.endObject();
  writer.finish();
  return out;
}

// What handle() returns to JS (an embind value_object, i.e. a plain JS object).
struct JsResponse {
  int status = 400;
  std::string headers;  // JSON object text
  std::string body;
};

std::string lowerAscii(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// JSON text without throwing on invalid UTF-8 (replaced by U+FFFD): the core's writer.
std::string dumpJson(const json& j) { return jr::toJsonText(j); }

// The options of a new Router, and (for tests of hosts, js/) whether {"failExportForTesting": true} asks that
// exportState() fail as it would out of memory. Out of line: a cold start compiles it once, apart from the rest.
[[gnu::noinline]] jr::RouterOptions parseOptions(const std::string& text, bool& failExport) {
  jr::RouterOptions options;
  failExport = false;
  json j = jr::readJsonNoThrow(text);
  if (j.is_discarded() || !j.is_object()) return options;
  if (auto it = j.find("failExportForTesting"); it != j.end() && it->is_boolean()) failExport = it->get<bool>();

  if (auto it = j.find("seed"); it != j.end()) {
    if (it->is_number_unsigned()) {
      options.seed = it->get<std::uint64_t>();
    } else if (it->is_number_integer()) {  // negative: two's complement, deterministic
      options.seed = static_cast<std::uint64_t>(it->get<std::int64_t>());
    } else if (it->is_number_float()) {
      const double d = it->get<double>();
      if (std::isfinite(d) && d >= 0 && d < 18446744073709551616.0) {
        options.seed = static_cast<std::uint64_t>(d);
      }
    }
  }
  if (auto it = j.find("startTime"); it != j.end() && it->is_string()) {
    options.startTime = it->get<std::string>();
  }
  if (auto it = j.find("checkApiVersion"); it != j.end() && it->is_boolean()) {
    options.checkApiVersion = it->get<bool>();
  }
  if (auto it = j.find("errorShape"); it != j.end() && it->is_string()) {
    const std::string shape = lowerAscii(it->get<std::string>());
    if (shape == "spec") options.errorShape = jr::ErrorShape::Spec;
    else if (shape == "real") options.errorShape = jr::ErrorShape::Real;
  }
  if (auto it = j.find("eventLabelText"); it != j.end() && it->is_string()) {
    const std::string text = lowerAscii(it->get<std::string>());
    if (text == "dotnet") options.eventLabelText = jr::EventLabelText::DotNet;
    else if (text == "json") options.eventLabelText = jr::EventLabelText::Json;
  }
  if (auto it = j.find("limits"); it != j.end() && it->is_object()) {
    // Whole non-negative numbers (0: no limit); anything else keeps the default.
    auto read = [&](const char* key, std::uint64_t& slot) {
      const auto v = it->find(key);
      if (v == it->end()) return;
      if (v->is_number_unsigned()) {
        slot = v->get<std::uint64_t>();
      } else if (v->is_number_float()) {
        const double d = v->get<double>();
        if (std::isfinite(d) && d >= 0 && d < 1.8e19 && d == std::floor(d)) slot = static_cast<std::uint64_t>(d);
      }
    };
    read("storedBytes", options.limits.storedBytes);
    read("jobs", options.limits.jobs);
    read("workers", options.limits.workers);
    read("queues", options.limits.queues);
    read("policies", options.limits.policies);
  }
  return options;
}

// {"Name": "v", "x-multi": ["a", "b"], "n": 5} -> lower-case keys; arrays joined with ", ";
// numbers/booleans as their JSON text; null/objects skipped. Bad JSON -> no headers.
jr::HeaderMap parseHeaders(const std::string& text) {
  jr::HeaderMap headers;
  if (text.empty()) return headers;
  json j = jr::readJsonNoThrow(text);
  if (j.is_discarded() || !j.is_object()) return headers;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const json& v = it.value();
    std::string value;
    if (v.is_string()) {
      value = v.get<std::string>();
    } else if (v.is_number() || v.is_boolean()) {
      value = dumpJson(v);
    } else if (v.is_array()) {
      bool first = true;
      for (const json& item : v) {
        if (!item.is_string()) continue;
        if (!first) value += ", ";
        value += item.get<std::string>();
        first = false;
      }
    } else {
      continue;
    }
    headers[lowerAscii(it.key())] = std::move(value);
  }
  return headers;
}

// The core's header names are lower-case literals (core/http/responses.cpp; a std::map: sorted, unique), written
// as they are, with one writer for the whole object.
void appendHeadersJson(const jr::HeaderMap& headers, std::string& out) {
  jr::JsonOut writer(out);
  writer.beginObject();
  for (const auto& [name, value] : headers) writer.key(name).string(value);
  writer.endObject();
}

std::string headersToJson(const jr::HeaderMap& headers) {
  std::string out;
  appendHeadersJson(headers, out);
  return out;
}

// The output record of the buffered calls (see the top of this file).
class OutputRecord {
 public:
  // Starts a record; the caller appends the headers' text, then calls startBody() and appends the body.
  std::string& begin(int status) {
    text_.assign(kHeaderBytes, '\0');
    putUint32(0, static_cast<std::uint32_t>(status));
    return text_;
  }
  void startBody() { putUint32(4, static_cast<std::uint32_t>(text_.size() - kHeaderBytes)); }
  std::uintptr_t finish(std::size_t headersBytes) {
    putUint32(8, static_cast<std::uint32_t>(text_.size() - kHeaderBytes - headersBytes));
    return reinterpret_cast<std::uintptr_t>(text_.data());
  }
  std::uintptr_t store(int status, const std::string& headersText, const std::string& body) {
    std::string& out = begin(status);
    out += headersText;
    startBody();
    out += body;
    return finish(headersText.size());
  }
  // A record with no headers whose body `writeBody(text)` appends.
  template <class WriteBody>
  std::uintptr_t storeBody(int status, WriteBody&& writeBody) {
    std::string& out = begin(status);
    startBody();
    writeBody(out);
    return finish(0);
  }
  // After finish(): the drain flags and drained events of handleBuffered's record (see the top of this file).
  void setDrain(std::uint32_t flags, std::uintptr_t events) {
    putUint32(12, flags);
    putUint32(16, static_cast<std::uint32_t>(events));
  }
  // A tape record (see the top of this file) of the text appended after begin() and `tape`.
  std::uintptr_t finishTaped(const jr::JsonTape& tape) {
    putUint32(0, static_cast<std::uint32_t>(tape.size()));
    putUint32(4, static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(tape.data())));
    putUint32(8, static_cast<std::uint32_t>(text_.size() - kHeaderBytes));
    return reinterpret_cast<std::uintptr_t>(text_.data());
  }
  // Releases a large buffer (a big state export or event batch) instead of keeping it for good.
  void shrinkIfLarge() {
    if (text_.capacity() > kKeepBytes) std::string().swap(text_);
  }

 private:
  static constexpr std::size_t kHeaderBytes = 20;
  static constexpr std::size_t kKeepBytes = 1 << 20;
  void putUint32(std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) text_[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
  }
  std::string text_;
};

// The core's answer to a request it could not process (used only if something escapes the core, which is
// documented never to throw from handle): jr::errorResponse, so the error body has one source.
JsResponse fallbackResponse(const std::string& pathAndQuery, jr::ErrorShape shape) {
  JsResponse r;
  r.status = 400;
  try {
    const jr::ApiError error{jr::ErrorKind::Invalid, "BadRequest", "The request could not be processed.", {}};
    jr::HttpResponse response = jr::errorResponseNoThrow(error, pathAndQuery.substr(0, pathAndQuery.find('?')), shape);
    r.body = std::move(response.body);
    r.headers = headersToJson(response.headers);
  } catch (...) {
    if (r.headers.empty()) r.headers = "{}";  // the body as far as it came
  }
  return r;
}

// A job's path (the error target of a call about the job), or "" where memory ran out.
std::string jobPath(const std::string& jobId) noexcept {
  try {
    return jr::operationPath(jr::Operation::GetJob, {jobId});
  } catch (...) {
    return {};
  }
}

std::int64_t millisFromDouble(double ms) {
  if (std::isnan(ms)) return 0;
  constexpr double kLimit = 9.0e18;  // inside int64 range, far beyond any useful clock value
  ms = std::clamp(ms, -kLimit, kLimit);
  return static_cast<std::int64_t>(std::llround(ms));
}

class RouterBinding {
 public:
  explicit RouterBinding(const std::string& optionsJson) {
    try {
      options_ = parseOptions(optionsJson, failExport_);
    } catch (...) {
      options_ = jr::RouterOptions{};
    }
    // A second attempt with the defaults, e.g. after an option value the core refuses.
    for (int attempt = 0; attempt < 2 && !router_; ++attempt) {
      if (attempt == 1) options_ = jr::RouterOptions{};
      try {
        router_ = std::make_unique<jr::Router>(options_);
      } catch (...) {
        router_.reset();
      }
    }
    if (router_) router_->recordEventTape(true);  // drainEventsTape()
  }

  JsResponse handle(const std::string& method, const std::string& pathAndQuery,
                    const std::string& headersJson, const std::string& body) {
    try {
      if (!router_) return fallbackResponse(pathAndQuery, options_.errorShape);
      jr::HeaderMap headers;
      try {
        headers = parseHeaders(headersJson);
      } catch (...) {
        headers.clear();
      }
      jr::HttpResponse response = router_->handle(method, pathAndQuery, headers, body);
      JsResponse out;
      out.status = response.status;
      out.headers = headersToJson(response.headers);
      out.body = std::move(response.body);
      return out;
    } catch (...) {
      return fallbackResponse(pathAndQuery, options_.errorShape);
    }
  }

  // ---- the buffered calls (see the top of this file) ----

  std::uintptr_t inputBuffer(double bytes) {
    try {
      const double wanted = std::isfinite(bytes) ? std::clamp(bytes, 0.0, 1.0e9) : 0.0;
      if (input_.size() < static_cast<std::size_t>(wanted)) input_.resize(static_cast<std::size_t>(wanted));
      if (input_.empty()) input_.resize(1);
      return reinterpret_cast<std::uintptr_t>(input_.data());
    } catch (...) {
      return 0;
    }
  }

  std::uintptr_t handleBuffered(int methodLen, int targetLen, int contentTypeLen, int ifMatchLen,
                                int ifUnmodifiedSinceLen, int bodyLen) {
    output_.shrinkIfLarge();
    std::string target;
    try {
      const int lengths[] = {methodLen, targetLen, contentTypeLen, ifMatchLen, ifUnmodifiedSinceLen, bodyLen};
      std::string fields[6];
      std::size_t offset = 0;
      for (int i = 0; i < 6; ++i) {
        if (lengths[i] < 0) continue;  // an absent header
        const auto n = static_cast<std::size_t>(lengths[i]);
        if (n > input_.size() - offset) return storeFallback(target);  // lengths beyond the buffer
        fields[i].assign(input_.data() + offset, n);
        offset += n;
      }
      target = fields[1];
      if (!router_) return storeFallback(target);
      jr::HeaderMap headers;
      static_assert(kRequestHeaderCount == 3, "handleBuffered takes one length per header the core reads");
      for (int i = 0; i < kRequestHeaderCount; ++i) {
        if (lengths[2 + i] >= 0) headers.emplace(kRequestHeaderNames[i], std::move(fields[2 + i]));
      }
      jr::HttpResponse response = router_->handle(fields[0], target, headers, fields[5]);
      std::string& out = output_.begin(response.status);
      const std::size_t before = out.size();
      appendHeadersJson(response.headers, out);
      const std::size_t headersBytes = out.size() - before;
      output_.startBody();
      out += response.body;
      jr::giveBackTextBuffer(std::move(response.body));
      const std::uintptr_t record = output_.finish(headersBytes);
      drainWithRequest();
      return record;
    } catch (...) {
      return storeFallback(target);
    }
  }

  // Takes the events the request published into drained_ and notes whether rule requests wait (the drain fields of
  // handleBuffered's record). Nothing is noted when that fails: JS then drains as usual.
  void drainWithRequest() {
    drained_.shrinkIfLarge();
    try {
      router_->drainEventsInto(drained_.begin(0), &drainedTape_);
      const std::uintptr_t events = drained_.finishTaped(drainedTape_);
      output_.setDrain(1u | (router_->anyRuleRequestsToDrain() ? 2u : 0u), events);
    } catch (...) {
    }
  }

  std::uintptr_t drainRuleRequestsBuffered() {
    return storeDrained([](jr::Router& router, std::string& out) { out += router.drainRuleRequests(); });
  }

  std::uintptr_t drainEventsBuffered() {
    return storeDrained([](jr::Router& router, std::string& out) { router.drainEventsInto(out); });
  }

  std::uintptr_t drainEventsTape() {
    output_.shrinkIfLarge();
    if (!router_) return 0;
    try {
      tape_.clear();
      router_->drainEventsInto(output_.begin(0), &tape_);
      return output_.finishTaped(tape_);
    } catch (...) {
      return 0;
    }
  }

  std::string now() const {
    try {
      return router_ ? router_->now() : std::string();
    } catch (...) {
      return std::string();
    }
  }

  double nowMillis() const {
    try {
      return router_ ? static_cast<double>(router_->nowMillis())
                     : std::numeric_limits<double>::quiet_NaN();
    } catch (...) {
      return std::numeric_limits<double>::quiet_NaN();
    }
  }

  // Router::stateVersion(): equal before two identical GETs -> identical responses (the JS GET cache).
  double stateVersion() const { return router_ ? static_cast<double>(router_->stateVersion()) : -1.0; }
  // Address of the same number (a little-endian uint64 in the module's memory; 0 without a router): read
  // directly by js/core-channel.js, which saves a call per GET answered from the cache.
  std::uintptr_t stateVersionAddress() const {
    return router_ ? reinterpret_cast<std::uintptr_t>(router_->stateVersionAddress()) : 0;
  }

  void advance(double milliseconds) {
    try {
      if (router_) router_->advance(millisFromDouble(milliseconds));
    } catch (...) {
    }
  }

  bool setTime(const std::string& iso) {
    try {
      return router_ ? router_->setTime(iso) : false;
    } catch (...) {
      return false;
    }
  }

  // -1 when no timer is pending.
  double nextDueMillis() const {
    try {
      return router_ ? static_cast<double>(router_->nextDueMillis()) : -1.0;
    } catch (...) {
      return -1.0;
    }
  }

  // Stateless: the router is not consulted (core/rules/rule_tryout.hpp).
  std::string evaluateRule(const std::string& requestJson) const { return jr::tryRule(requestJson); }

  std::string explain(const std::string& jobId) {
    try {
      return router_ ? router_->explain(jobId) : std::string("{}");
    } catch (...) {
      return "{}";
    }
  }

  JsResponse failScheduling(const std::string& jobId, const std::string& reason) {
    try {
      if (!router_) return fallbackResponse(jobPath(jobId), options_.errorShape);
      jr::HttpResponse response = router_->failScheduling(jobId, reason);
      JsResponse out;
      out.status = response.status;
      out.headers = headersToJson(response.headers);
      out.body = std::move(response.body);
      return out;
    } catch (...) {
      return fallbackResponse(jobPath(jobId), options_.errorShape);
    }
  }

  // The core's error response (jr::errorResponse, in this router's errorShape) for an error the host makes up:
  // the fault injection of js/faults.js (throttling, failNext). target: the request path and query.
  JsResponse errorResponse(int status, const std::string& code, const std::string& message,
                           const std::string& target) {
    try {
      // the host's status, not its kind's: the kind only picks the status, which the host chose itself
      const jr::ApiError error{jr::ErrorKind::Invalid, code, message, {}};
      jr::HttpResponse response = jr::errorResponse(error, target.substr(0, target.find('?')), options_.errorShape);
      JsResponse out;
      out.status = status;
      out.headers = headersToJson(response.headers);
      out.body = std::move(response.body);
      return out;
    } catch (...) {
      return fallbackResponse(target, options_.errorShape);
    }
  }

  std::string drainRuleRequests() {
    try {
      return router_ ? router_->drainRuleRequests() : std::string("[]");
    } catch (...) {
      return "[]";
    }
  }

  bool answerRuleRequest(const std::string& requestId, const std::string& resultJson, const std::string& error) {
    try {
      return router_ ? router_->answerRuleRequest(requestId, resultJson, error) : false;
    } catch (...) {
      return false;
    }
  }

  std::string drainEvents() {
    try {
      return router_ ? router_->drainEvents() : std::string("[]");
    } catch (...) {
      return "[]";
    }
  }

  // Throws a JS Error rather than return an empty or partial snapshot. The Error is thrown outside every C++ try
  // block (a catch (...) would take the JS exception too).
  std::string exportState() const {
    const char* failure = nullptr;
    std::string state;
    try {
      if (!router_) failure = "exportState failed: the router could not be created";
      else if (failExport_) failure = "exportState failed (failExportForTesting)";
      else state = router_->exportState();
    } catch (const std::bad_alloc&) {
      failure = "exportState failed: out of memory";
    } catch (...) {
      failure = "exportState failed: the state could not be written as JSON";
    }
    if (failure) {
      state = std::string();  // give the memory back before JS handles the Error
      state.shrink_to_fit();
      emscripten::val::global("Error").new_(emscripten::val(failure)).throw_();
    }
    return state;
  }

  bool importStateBuffered(double bytes) {
    bool imported = false;
    try {
      if (router_ && bytes >= 0 && bytes <= static_cast<double>(input_.size())) {
        input_.resize(static_cast<std::size_t>(bytes));
        const std::string stateJson = std::move(input_);  // no copy of a snapshot's size
        input_ = std::string();
        imported = router_->importState(stateJson);
      }
    } catch (...) {
      imported = false;
    }
    std::string().swap(input_);
    return imported;
  }

  bool importState(const std::string& stateJson) {
    try {
      return router_ ? router_->importState(stateJson) : false;
    } catch (...) {
      return false;
    }
  }

  void reset() {
    try {
      if (router_) router_->reset();
    } catch (...) {
    }
  }

 private:
  // A drained JSON array text (`drain(router, text)` appends it) in the output record ("[]" without a router); 0
  // if it cannot be stored.
  template <class Drain>
  std::uintptr_t storeDrained(Drain drain) {
    output_.shrinkIfLarge();
    try {
      return output_.storeBody(200, [&](std::string& out) {
        if (router_) drain(*router_, out);
        else out += "[]";
      });
    } catch (...) {
      return 0;
    }
  }

  // 0 (JS then uses handle()) if even the fallback cannot be stored.
  std::uintptr_t storeFallback(const std::string& target) {
    try {
      const JsResponse r = fallbackResponse(target, options_.errorShape);
      return output_.store(r.status, r.headers, r.body);
    } catch (...) {
      return 0;
    }
  }

  jr::RouterOptions options_;
  bool failExport_ = false;
  std::unique_ptr<jr::Router> router_;
  jr::JsonTape tape_;  // drainEventsTape()'s, kept for its capacity
  std::string input_;
  OutputRecord output_;
  OutputRecord drained_;      // the events handleBuffered took with its request
  jr::JsonTape drainedTape_;  // their tape
};

}  // namespace

EMSCRIPTEN_BINDINGS(jobrouter_core) {
  emscripten::function("requestHeaderNames", &requestHeaderNamesJson);
  emscripten::function("jsonTapeKinds", &jsonTapeKindsJson);

  emscripten::value_object<JsResponse>("HttpResponse")
      .field("status", &JsResponse::status)
      .field("headers", &JsResponse::headers)
      .field("body", &JsResponse::body);

  emscripten::class_<RouterBinding>("Router")
      .constructor<const std::string&>()
      .function("handle", &RouterBinding::handle)
      .function("inputBuffer", &RouterBinding::inputBuffer)
      .function("handleBuffered", &RouterBinding::handleBuffered)
      .function("drainEventsBuffered", &RouterBinding::drainEventsBuffered)
      .function("drainEventsTape", &RouterBinding::drainEventsTape)
      .function("drainRuleRequestsBuffered", &RouterBinding::drainRuleRequestsBuffered)
      .function("now", &RouterBinding::now)
      .function("nowMillis", &RouterBinding::nowMillis)
      .function("stateVersion", &RouterBinding::stateVersion)
      .function("stateVersionAddress", &RouterBinding::stateVersionAddress)
      .function("advance", &RouterBinding::advance)
      .function("setTime", &RouterBinding::setTime)
      .function("drainEvents", &RouterBinding::drainEvents)
      .function("nextDueMillis", &RouterBinding::nextDueMillis)
      .function("explain", &RouterBinding::explain)
      .function("evaluateRule", &RouterBinding::evaluateRule)
      .function("failScheduling", &RouterBinding::failScheduling)
      .function("errorResponse", &RouterBinding::errorResponse)
      .function("drainRuleRequests", &RouterBinding::drainRuleRequests)
      .function("answerRuleRequest", &RouterBinding::answerRuleRequest)
      .function("exportState", &RouterBinding::exportState)
      .function("importState", &RouterBinding::importState)
      .function("importStateBuffered", &RouterBinding::importStateBuffered)
      .function("reset", &RouterBinding::reset);
}

// ---- the module's global operator new and delete (see "Memory" above) ----
// Not inlined: with their bodies visible, the compiler inlined them into this file's templates (5 KB more module).

[[gnu::noinline]] void* operator new(std::size_t bytes) {
  for (;;) {
    if (void* memory = jr::allocateSharedBlock(bytes)) return memory;
    const std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}
[[gnu::noinline]] void* operator new[](std::size_t bytes) { return ::operator new(bytes); }
[[gnu::noinline]] void* operator new(std::size_t bytes, const std::nothrow_t&) noexcept {
  try {
    return ::operator new(bytes);
  } catch (...) {
    return nullptr;
  }
}
[[gnu::noinline]] void* operator new[](std::size_t bytes, const std::nothrow_t& tag) noexcept {
  return ::operator new(bytes, tag);
}
[[gnu::noinline]] void operator delete(void* memory) noexcept { jr::releaseSharedBlock(memory); }
[[gnu::noinline]] void operator delete[](void* memory) noexcept { jr::releaseSharedBlock(memory); }
[[gnu::noinline]] void operator delete(void* memory, std::size_t) noexcept { jr::releaseSharedBlock(memory); }
[[gnu::noinline]] void operator delete[](void* memory, std::size_t) noexcept { jr::releaseSharedBlock(memory); }
[[gnu::noinline]] void operator delete(void* memory, const std::nothrow_t&) noexcept { jr::releaseSharedBlock(memory); }
[[gnu::noinline]] void operator delete[](void* memory, const std::nothrow_t&) noexcept {
  jr::releaseSharedBlock(memory);
}
