#include "core/http/request.hpp"

#include <cctype>
#include <string_view>
#include <utility>
#include <vector>

#include "core/errors.hpp"
#include "core/http/action_bodies.hpp"
#include "core/http/responses.hpp"
#include "core/util/ascii.hpp"
#include "core/util/json_depth.hpp"
#include "core/util/json_reader.hpp"
#include "core/util/url.hpp"

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

// Out of line, as the refusals below: V8 compiles a wasm function whole on its first call, so what only some requests
// run stays out of the functions every request runs (a cold start's first request compiles less).
[[gnu::noinline]] HeaderMap lowerCaseHeaders(const HeaderMap& headers) {
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

// ASCII case-insensitive equality with a lower-case name.
bool equalsLowerCase(std::string_view text, std::string_view lowerName) {
  if (text.size() != lowerName.size()) return false;
  if (text == lowerName) return true;  // the usual spelling
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] - 'A' + 'a') : text[i];
    if (c != lowerName[i]) return false;
  }
  return true;
}

// application/json or application/merge-patch+json, parameters (charset) allowed.
bool isJsonMediaType(const std::string& contentType) {
  std::string_view type(contentType);
  type = type.substr(0, type.find(';'));
  while (!type.empty() && isAsciiSpace(type.back())) type.remove_suffix(1);
  while (!type.empty() && isAsciiSpace(type.front())) type.remove_prefix(1);
  return equalsLowerCase(type, "application/json") || equalsLowerCase(type, "application/merge-patch+json") ||
         equalsLowerCase(type, "text/json");
}

// The path of the target (set first: an error response names it); returns its query string (a view of the target).
std::string_view readTarget(const std::string& pathAndQuery, std::string& path) {
  std::string_view target(pathAndQuery);
  target = target.substr(0, target.find('#'));
  const std::size_t q = target.find('?');
  path.assign(target.substr(0, q));
  return q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
}

// A route that did not match: its error.
[[noreturn, gnu::noinline]] void refuseRoute(RouteMatch::Outcome outcome, const std::string& method,
                                             const std::string& path) {
  switch (outcome) {
    case RouteMatch::Outcome::MethodNotAllowed:
      throw ApiError{ErrorKind::MethodNotAllowed, "MethodNotAllowed",
                     "The method " + method + " is not allowed on " + path + ".", {}};
    case RouteMatch::Outcome::BadEncoding:
      throwBadRequest("InvalidPath", "The path has a malformed percent-encoding.");
    case RouteMatch::Outcome::BadId:
      throwBadRequest("InvalidId", "An id must have 1 to " + std::to_string(kMaxIdCharacters) +
                                        " characters and no control characters.", "id");
    case RouteMatch::Outcome::NotFound:
    case RouteMatch::Outcome::Matched:
      break;
  }
  throwNotFound("The requested route was not found.");
}

RouteMatch requireRoute(const std::string& method, const std::string& path) {
  RouteMatch route = matchRoute(method, path);
  if (route.outcome != RouteMatch::Outcome::Matched) refuseRoute(route.outcome, method, path);
  return route;
}

[[noreturn, gnu::noinline]] void refuseApiVersion(const QueryValue& version) {
  if (!version.found) {
    throw ApiError{ErrorKind::Invalid, "MissingApiVersionParameter",
                   std::string("The api-version query parameter (?api-version=) is required for all requests. "
                               "Supported api-version: ") + kApiVersion + ".", {}};
  }
  throw ApiError{ErrorKind::Invalid, "UnsupportedApiVersionValue",
                 "Unsupported api-version '" + version.value + "'. The supported api-version is " + kApiVersion + ".",
                 {}};
}

void checkApiVersion(const QueryValue& version) {
  if (!version.found || version.value != kApiVersion) refuseApiVersion(version);
}

[[noreturn, gnu::noinline]] void refuseBodySize() {
  throw ApiError{ErrorKind::BodyTooLarge, "RequestEntityTooLarge",
                 "The request body is larger than " + std::to_string(kMaxBodyBytes / 1024) + " KiB.", {}};
}

[[noreturn, gnu::noinline]] void refuseMediaType(const std::string& contentType) {
  throw ApiError{ErrorKind::UnsupportedMediaType, "UnsupportedMediaType",
                 "The content type '" + contentType +
                     "' is not supported; use application/merge-patch+json or application/json.", {}};
}

[[noreturn, gnu::noinline]] void refuseNesting() {
  throwBadRequest("InvalidJson", "The request body nests deeper than " + std::to_string(kMaxBodyNesting) + " levels.");
}

// The request body, checked for size, media type and nesting, parsed into input.body.
// The body's JSON (null when none was sent).
Json readBody(Operation operation, const HeaderMap& headers, const std::string& body) {
  if (body.size() > kMaxBodyBytes) refuseBodySize();
  if (isBlank(body)) return nullptr;
  const auto ct = headers.find(kContentTypeHeader);
  if (ct != headers.end() && !ct->second.empty() && !isJsonMediaType(ct->second)) refuseMediaType(ct->second);
  if (nestingDepth(body, kMaxBodyNesting) > kMaxBodyNesting) refuseNesting();
  Json parsed = readJsonNoThrow(body);
  if (parsed.is_discarded()) {
    throwBadRequest("InvalidJson", "The request body is not valid JSON.");
  }
  if (parsed.is_null() && isUpsert(operation)) {
    throwBadRequest("InvalidType", "The request body must be a JSON object but was null.");
  }
  return parsed;
}

// An If-Match list: its entity tags, trimmed, weak ones without their W/ (a weak comparison, as the service makes).
[[gnu::noinline]] std::vector<std::string> entityTags(const std::string& list) {
  std::vector<std::string> tags;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    std::string item = list.substr(start, end - start);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.erase(item.begin());
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.pop_back();
    if (item.rfind("W/", 0) == 0) item = item.substr(2);
    tags.push_back(std::move(item));
    start = end + 1;
  }
  return tags;
}

Preconditions readPreconditions(const HeaderMap& headers) {
  Preconditions pre;
  if (auto it = headers.find(kIfMatchHeader); it != headers.end()) pre.ifMatch = entityTags(it->second);
  if (auto it = headers.find(kIfUnmodifiedSinceHeader); it != headers.end()) {
    pre.ifUnmodifiedSince = parseHttpDate(it->second);  // unparsable: ignored, per RFC 9110
  }
  return pre;
}

// The resources a list operation lists; nullopt for another operation.
std::optional<ResourceKind> listedKind(Operation op) {
  if (!isList(op)) return std::nullopt;
  return resourceOf(op);
}

// The engine's command for any operation but the lists (those: Engine::list).
Command commandOf(Operation op) {
  switch (op) {
#define JR_COMMAND(name) \
  case Operation::name:  \
    return Command::name;
#include "core/engine/commands.inc"
    default: break;  // a list: Engine::list runs it
  }
  throwNotFound();
}

}  // namespace

Request readRequest(const std::string& method, const std::string& pathAndQuery, const HeaderMap& rawHeaders,
                    const std::string& body, bool checkVersion, std::string& path) {
  const std::string_view queryText = readTarget(pathAndQuery, path);
  // The query string is checked whole first; only the list operations read more of it than the api-version.
  const QueryValue version = findQueryValue(queryText, "api-version");
  if (version.malformed) throwBadRequest("InvalidQueryString", "The query string has a malformed percent-encoding.");
  RouteMatch route = requireRoute(method, path);
  if (checkVersion) checkApiVersion(version);
  // The only headers read are kRequestHeaderNames' (core/http/http_types.hpp): the bindings publish that list, and the
  // JS side passes on those headers only and keys its GET cache on them.
  HeaderMap lowered;  // a copy only when some name has an upper-case letter
  const HeaderMap& headers = hasUpperCaseName(rawHeaders) ? (lowered = lowerCaseHeaders(rawHeaders)) : rawHeaders;
  Request request;
  request.operation = route.operation;
  request.command.params = std::move(route.params);
  Json parsed = readBody(request.operation, headers, body);
  if (const auto kind = listedKind(request.operation)) {
    request.list = readListQuery(*kind, parseQuery(queryText));
  } else {
    request.command.command = commandOf(request.operation);
    if (isUpsert(request.operation)) request.command.mergePatch = std::move(parsed);
    else readActionBody(parsed, request.command);
  }
  if (isUpsert(request.operation)) request.command.preconditions = readPreconditions(headers);
  return request;
}

}  // namespace jr
