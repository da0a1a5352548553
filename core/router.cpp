#include "core/router.hpp"

#include <cctype>

#include "core/engine/engine.hpp"
#include "core/http/responses.hpp"
#include "core/http/routes.hpp"
#include "core/util/json_writer.hpp"

namespace jr {
namespace {

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool hasUpperCaseName(const HeaderMap& headers) {
  for (const auto& entry : headers) {
    for (const char c : entry.first) {
      if (c >= 'A' && c <= 'Z') return true;
    }
  }
  return false;
}

HeaderMap lowerCaseHeaders(const HeaderMap& headers) {
  HeaderMap out;
  for (const auto& [k, v] : headers) out[lower(k)] = v;
  return out;
}

bool isBlank(const std::string& text) {
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Request bodies: far above anything a Job Router resource needs, low enough that no request can exhaust memory
// or, through recursive JSON handling, the stack (WebAssembly's is small).
constexpr std::size_t kMaxBodyBytes = 256 * 1024;
constexpr int kMaxBodyNesting = 32;
// A state snapshot wraps request bodies (≤ 32 levels) in a few levels of its own.
constexpr int kMaxStateNesting = 64;

// The deepest nesting of arrays and objects in JSON text (strings skipped); stops counting past `limit`.
int nestingDepth(const std::string& text, int limit = kMaxBodyNesting) {
  int depth = 0, deepest = 0;
  bool inString = false, escaped = false;
  for (char c : text) {
    if (inString) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') inString = false;
    } else if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) break;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

// application/json or application/merge-patch+json, parameters (charset) allowed.
bool isJsonMediaType(const std::string& contentType) {
  std::string type = lower(contentType.substr(0, contentType.find(';')));
  while (!type.empty() && std::isspace(static_cast<unsigned char>(type.back()))) type.pop_back();
  while (!type.empty() && std::isspace(static_cast<unsigned char>(type.front()))) type.erase(type.begin());
  return type == "application/json" || type == "application/merge-patch+json" || type == "text/json";
}

}  // namespace

Router::Router(RouterOptions options) : options_(std::move(options)), engine_(std::make_unique<Engine>(options_)) {}
Router::~Router() = default;

HttpResponse Router::handle(const std::string& method, const std::string& pathAndQuery, const HeaderMap& rawHeaders,
                            const std::string& body) {
  if (method != "GET" || engine_->hasPendingWork()) ++stateVersion_;
  std::string target = pathAndQuery.substr(0, pathAndQuery.find('#'));
  const std::size_t q = target.find('?');
  const std::string path = target.substr(0, q);
  const std::string queryText = q == std::string::npos ? std::string() : target.substr(q + 1);
  try {
    QueryString query = parseQuery(queryText);
    if (query.malformed) throw badRequest("InvalidQueryString", "The query string has a malformed percent-encoding.");
    RouteMatch route = matchRoute(method, path);
    switch (route.outcome) {
      case RouteMatch::Outcome::NotFound:
        throw notFound("The requested route was not found.");
      case RouteMatch::Outcome::MethodNotAllowed:
        throw ApiError{405, "MethodNotAllowed", "The method " + method + " is not allowed on " + path + ".", {}};
      case RouteMatch::Outcome::BadEncoding:
        throw badRequest("InvalidPath", "The path has a malformed percent-encoding.");
      case RouteMatch::Outcome::BadId:
        throw badRequest("InvalidId", "An id must have 1 to " + std::to_string(kMaxIdCharacters) +
                                          " characters and no control characters.", "id");
      case RouteMatch::Outcome::Matched:
        break;
    }
    if (options_.checkApiVersion) {
      const std::string* version = query.find("api-version");
      if (!version) {
        throw ApiError{400, "MissingApiVersionParameter",
                       std::string("The api-version query parameter (?api-version=) is required for all requests. "
                                   "Supported api-version: ") + kApiVersion + ".", {}};
      }
      if (*version != kApiVersion) {
        throw ApiError{400, "UnsupportedApiVersionValue",
                       "Unsupported api-version '" + *version + "'. The supported api-version is " + kApiVersion +
                           ".", {}};
      }
    }
    // The only headers read are content-type, if-match and if-unmodified-since: the JS GET cache keys on them
    // (js/emulator.js CORE_REQUEST_HEADERS); reading another one means adding it there.
    HeaderMap lowered;  // a copy only when some name has an upper-case letter
    const HeaderMap& headers = hasUpperCaseName(rawHeaders) ? (lowered = lowerCaseHeaders(rawHeaders)) : rawHeaders;
    CommandInput input;
    input.operation = route.operation;
    input.params = std::move(route.params);
    input.query = std::move(query);
    if (body.size() > kMaxBodyBytes) {
      throw ApiError{413, "RequestEntityTooLarge",
                     "The request body is larger than " + std::to_string(kMaxBodyBytes / 1024) + " KiB.", {}};
    }
    if (!isBlank(body)) {
      const auto ct = headers.find("content-type");
      if (ct != headers.end() && !ct->second.empty() && !isJsonMediaType(ct->second)) {
        throw ApiError{415, "UnsupportedMediaType",
                       "The content type '" + ct->second +
                           "' is not supported; use application/merge-patch+json or application/json.", {}};
      }
      if (nestingDepth(body) > kMaxBodyNesting) {
        throw badRequest("InvalidJson", "The request body nests deeper than " + std::to_string(kMaxBodyNesting) +
                                            " levels.");
      }
      input.body = parseJsonNoThrow(body);
      if (input.body.is_discarded()) {
        throw badRequest("InvalidJson", "The request body is not valid JSON.");
      }
      if (input.body.is_null() && isUpsert(route.operation)) {
        throw badRequest("InvalidType", "The request body must be a JSON object but was null.");
      }
    }
    if (isUpsert(route.operation)) {
      if (auto it = headers.find("if-match"); it != headers.end()) input.preconditions.ifMatch = it->second;
      if (auto it = headers.find("if-unmodified-since"); it != headers.end()) {
        input.preconditions.ifUnmodifiedSince = parseHttpDate(it->second);  // unparsable: ignored, per RFC 9110
      }
    }
    const Reply reply = engine_->execute(input);
    HttpResponse response = reply.status == 204 ? noContentResponse()
                                                : jsonResponse(reply.status, reply.body, reply.etag, reply.lastModified);
    engine_->settle();
    engine_->commitEvents();
    return response;
  } catch (const ApiError& error) {
    engine_->discardEvents();
    return errorResponse(error, path, options_.errorShape);
  } catch (const std::exception& e) {
    engine_->discardEvents();
    // Not expected: reported as a client error with a distinctive code so tests and fuzzers can spot it.
    return errorResponse(badRequest("UnhandledError", std::string("The request could not be processed: ") + e.what()),
                         path, options_.errorShape);
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
    return errorResponse(error, "/routing/jobs/" + jobId, options_.errorShape).body;
  }
}

HttpResponse Router::failScheduling(const std::string& jobId, const std::string& reason) {
  const std::string target = "/routing/jobs/" + jobId;
  ++stateVersion_;
  try {
    const Reply reply = engine_->failScheduling(jobId, reason);
    HttpResponse response = jsonResponse(reply.status, reply.body, reply.etag, reply.lastModified);
    engine_->settle();
    engine_->commitEvents();
    return response;
  } catch (const ApiError& error) {
    engine_->discardEvents();
    return errorResponse(error, target, options_.errorShape);
  }
}

std::string Router::drainRuleRequests() {
  return toJsonText(engine_->drainRuleRequests());
}

bool Router::answerRuleRequest(const std::string& requestId, const std::string& resultJson, const std::string& error) {
  ++stateVersion_;
  if (error.empty() && nestingDepth(resultJson) > kMaxBodyNesting) {
    // Too deep to handle safely: the rule failed, as when the function throws.
    return answerRuleRequest(requestId, "", "The function's result nests deeper than " +
                                                std::to_string(kMaxBodyNesting) + " levels.");
  }
  Json result;
  if (error.empty()) {
    result = parseJsonNoThrow(resultJson);
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

std::string Router::exportState() const { return engine_->exportState().dump(); }

bool Router::importState(const std::string& stateJson) {
  if (nestingDepth(stateJson, kMaxStateNesting) > kMaxStateNesting) return false;
  const Json state = parseJsonNoThrow(stateJson);
  if (state.is_discarded()) return false;
  auto fresh = std::make_unique<Engine>(options_);
  try {
    fresh->importState(state);
  } catch (...) {
    return false;
  }
  engine_ = std::move(fresh);
  ++stateVersion_;
  return true;
}

void Router::reset() {
  engine_ = std::make_unique<Engine>(options_);
  ++stateVersion_;
}

}  // namespace jr
