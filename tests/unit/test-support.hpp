// Shared helpers for the Catch2 unit tests of the core.
//
// The tests are black-box: every request goes through jr::Router::handle(), the one entry point that the
// JS package, the HTTP server and the WebAssembly build also use. Nothing here looks at core internals.
//
//   Api api;                                              // a fresh emulated resource (default options)
//   Reply r = api.patch("/routing/queues/q1", R"({"distributionPolicyId":"dp1"})"_json);
//   CHECK_STATUS(r, 201);
//   json body = r.body();                                 // parsed response body
//   CHECK(keysOf(r.ordered()) == Keys{"id", "distributionPolicyId", "labels", "etag"});
//
// api.get/patch/post/del append "api-version=2023-11-01"; api.send() sends the request target verbatim.
#pragma once

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "core/router.hpp"

using namespace nlohmann::literals;  // R"({"a":1})"_json

namespace jrtest {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;
using Headers = jr::HeaderMap;
using Keys = std::vector<std::string>;

inline const std::string kApiVersion = "2023-11-01";
inline const std::string kJsonContentType = "application/json; charset=utf-8";
inline const std::string kMergePatchContentType = "application/merge-patch+json";

// Messages fixed by the wire decisions.
inline const std::string kNotFoundMessage = "The item was not found.";
inline const std::string kRouteNotFoundMessage = "The requested route was not found.";
inline const std::string kValidationMessage = "One or more validation errors occurred.";
inline const std::string kPreconditionMessage =
    "The condition specified using HTTP conditional header(s) is not met.";

// The default virtual clock start (RouterOptions::startTime) in the forms the service prints it.
inline const std::string kStartIso = "2024-01-01T00:00:00+00:00";
inline const std::string kStartHttpDate = "Mon, 01 Jan 2024 00:00:00 GMT";
inline constexpr std::int64_t kStartUnixSeconds = 1704067200;  // 2024-01-01T00:00:00Z

inline std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

inline bool startsWith(const std::string& s, const std::string& prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

inline bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// One response of Router::handle, with parsing helpers.
struct Reply {
  int status = 0;
  Headers headers;
  std::string text;

  bool hasHeader(const std::string& name) const { return headers.count(lower(name)) != 0; }

  std::string header(const std::string& name) const {
    auto it = headers.find(lower(name));
    return it == headers.end() ? std::string() : it->second;
  }

  bool isJson() const { return json::accept(text); }

  // The body as JSON (std::map-ordered keys). A body that is not JSON fails the current test case.
  json body() const {
    json parsed = json::parse(text, nullptr, false);
    if (parsed.is_discarded()) {
      FAIL_CHECK("response body is not JSON (status " << status << "): '" << text << "'");
      return json::object();
    }
    return parsed;
  }

  // The body as JSON keeping the service's key order (for field-order checks).
  ojson ordered() const {
    ojson parsed = ojson::parse(text, nullptr, false);
    if (parsed.is_discarded()) {
      FAIL_CHECK("response body is not JSON (status " << status << "): '" << text << "'");
      return ojson::object();
    }
    return parsed;
  }
};

// Checks a status and prints the response when it differs. `reply` is evaluated once, so it may be the request
// itself: CHECK_STATUS(api.del("/routing/jobs/j1"), 204).
#define CHECK_STATUS(reply, expected)                                                   \
  do {                                                                                  \
    const ::jrtest::Reply& jrReply_ = (reply);                                          \
    INFO("response " << jrReply_.status << ": " << jrReply_.text);                      \
    CHECK(jrReply_.status == (expected));                                               \
  } while (false)

#define REQUIRE_STATUS(reply, expected)                                                 \
  do {                                                                                  \
    const ::jrtest::Reply& jrReply_ = (reply);                                          \
    INFO("response " << jrReply_.status << ": " << jrReply_.text);                      \
    REQUIRE(jrReply_.status == (expected));                                             \
  } while (false)

inline std::string withApiVersion(const std::string& pathAndQuery) {
  return pathAndQuery + (pathAndQuery.find('?') == std::string::npos ? "?" : "&") + "api-version=" + kApiVersion;
}

// Percent-encodes everything but RFC 3986 unreserved characters (for ids and query values).
inline std::string encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// The keys of a JSON object, in the order the service emitted them.
inline Keys keysOf(const ojson& object) {
  Keys keys;
  if (!object.is_object()) return keys;
  for (auto it = object.begin(); it != object.end(); ++it) keys.push_back(it.key());
  return keys;
}

// The "id" of every item of a list page ({"value": [...]}).
inline std::vector<std::string> idsOf(const json& page) {
  std::vector<std::string> ids;
  if (!page.is_object() || !page.contains("value") || !page["value"].is_array()) return ids;
  for (const auto& item : page["value"]) ids.push_back(item.value("id", std::string("<no id>")));
  return ids;
}

inline bool isGuid(const std::string& s) {
  static const std::regex guid("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
  return std::regex_match(s, guid);
}

// Hex (lower case) of an unsigned value, zero-padded to `digits`.
inline std::string hexOf(std::uint64_t value, int digits) {
  std::string out(static_cast<std::size_t>(digits), '0');
  static const char* hex = "0123456789abcdef";
  for (int i = digits - 1; i >= 0 && value != 0; --i, value >>= 4) out[static_cast<std::size_t>(i)] = hex[value & 15];
  return out;
}

// .NET ticks (100 ns since 0001-01-01) of a Unix time, as the 16 hex digits of its little-endian bytes:
// the last 8 bytes of a job/worker etag.
inline std::string ticksLittleEndianHex(std::int64_t unixSeconds, std::int64_t extraTicks = 0) {
  const std::uint64_t ticks =
      static_cast<std::uint64_t>(unixSeconds + 62135596800LL) * 10000000ULL + static_cast<std::uint64_t>(extraTicks);
  std::string out;
  for (int i = 0; i < 8; ++i) out += hexOf((ticks >> (8 * i)) & 0xffU, 2);
  return out;
}

// A fresh emulated Job Router resource plus request builders.
class Api {
 public:
  explicit Api(jr::RouterOptions options = {}) : router(std::move(options)) {}

  jr::Router router;

  // Sends the request target exactly as given (no api-version added).
  Reply send(const std::string& method, const std::string& target, const Headers& headers = {},
             const std::string& body = std::string()) {
    jr::HttpResponse r = router.handle(method, target, headers, body);
    return Reply{r.status, r.headers, r.body};
  }

  Reply get(const std::string& path, const Headers& headers = {}) {
    return send("GET", withApiVersion(path), headers);
  }

  Reply del(const std::string& path, const Headers& headers = {}) {
    return send("DELETE", withApiVersion(path), headers);
  }

  // PATCH with Content-Type application/merge-patch+json (unless `headers` sets another one).
  Reply patch(const std::string& path, const json& body, const Headers& headers = {}) {
    return patchText(path, body.dump(), headers);
  }

  Reply patchText(const std::string& path, const std::string& text, Headers headers = {}) {
    if (headers.count("content-type") == 0) headers["content-type"] = kMergePatchContentType;
    return send("PATCH", withApiVersion(path), headers, text);
  }

  // POST with no body (Content-Length: 0), as the JS, Java and Python clients send actions.
  Reply post(const std::string& path) { return send("POST", withApiVersion(path), {{"content-length", "0"}}); }

  // POST with a JSON body, as the .NET client sends actions.
  Reply post(const std::string& path, const json& body) {
    return send("POST", withApiVersion(path), {{"content-type", "application/json"}}, body.dump());
  }

  // ---- fixtures: requests that must succeed ------------------------------------------------------------

  // PATCH that must answer 200 or 201; returns the body.
  json upsert(const std::string& path, const json& body) {
    Reply r = patch(path, body);
    INFO("PATCH " << path << " " << body.dump() << " -> " << r.status << " " << r.text);
    REQUIRE((r.status == 200 || r.status == 201));
    return r.body();
  }

  // GET that must answer 200; returns the body.
  json fetch(const std::string& path) {
    Reply r = get(path);
    INFO("GET " << path << " -> " << r.status << " " << r.text);
    REQUIRE(r.status == 200);
    return r.body();
  }

  bool exists(const std::string& path) { return get(path).status == 200; }

  json distributionPolicy(const std::string& id = "dp1",
                          const json& body = R"({"offerExpiresAfterSeconds": 60, "mode": {"kind": "longestIdle"}})"_json) {
    return upsert("/routing/distributionPolicies/" + encode(id), body);
  }

  // A queue using `dp` (the distribution policy is created when missing).
  json queue(const std::string& id = "q1", const std::string& dp = "dp1", const json& extra = json::object()) {
    if (!exists("/routing/distributionPolicies/" + encode(dp))) distributionPolicy(dp);
    json body = extra;
    body["distributionPolicyId"] = dp;
    return upsert("/routing/queues/" + encode(id), body);
  }

  json classificationPolicy(const std::string& id = "cp1", const json& body = R"({"name": "Classifier"})"_json) {
    return upsert("/routing/classificationPolicies/" + encode(id), body);
  }

  json exceptionPolicy(const std::string& id = "ep1", const json& body = R"({"exceptionRules": []})"_json) {
    return upsert("/routing/exceptionPolicies/" + encode(id), body);
  }

  // An idle worker (not available for offers, so no routing happens unless a test asks for it).
  json worker(const std::string& id = "w1",
              const json& body = R"({"capacity": 10, "channels": [{"channelId": "voice", "capacityCostPerJob": 1}]})"_json) {
    return upsert("/routing/workers/" + encode(id), body);
  }

  // A job on channel "voice" in queue `queueId` (the queue is created when missing).
  json job(const std::string& id = "j1", const std::string& queueId = "q1", const json& extra = json::object()) {
    if (!exists("/routing/queues/" + encode(queueId))) queue(queueId);
    json body = extra;
    if (!body.contains("channelId")) body["channelId"] = "voice";
    body["queueId"] = queueId;
    return upsert("/routing/jobs/" + encode(id), body);
  }

  // Cancels a job (must answer 200).
  void cancel(const std::string& jobId) {
    Reply r = post("/routing/jobs/" + encode(jobId) + ":cancel");
    INFO("cancel " << jobId << " -> " << r.status << " " << r.text);
    REQUIRE(r.status == 200);
  }

  std::string state() const { return router.exportState(); }
};

// ---- errors -------------------------------------------------------------------------------------------------

// The events published since the last drain.
inline json drainEvents(Api& api) { return json::parse(api.router.drainEvents()); }

// Event types published since the last drain, without the "Microsoft.Communication." prefix.
inline json drainEventTypes(Api& api) {
  json types = json::array();
  for (const auto& e : drainEvents(api)) {
    const std::string t = e["eventType"];
    types.push_back(t.substr(std::string("Microsoft.Communication.").size()));
  }
  return types;
}

// The inner error object of an error response in the default ("real") shape {"communicationError": {...}}.
inline json errorOf(const Reply& r) {
  json b = r.body();
  if (!b.is_object() || !b.contains("communicationError") || !b["communicationError"].is_object()) {
    FAIL_CHECK("no communicationError object in: " << r.text);
    return json::object();
  }
  return b["communicationError"];
}

// The details array of an error response (empty when absent).
inline json detailsOf(const Reply& r) {
  json e = errorOf(r);
  if (e.contains("details") && e["details"].is_array()) return e["details"];
  return json::array();
}

inline bool hasDetail(const Reply& r, const std::string& code, const std::string& target) {
  for (const auto& d : detailsOf(r))
    if (d.value("code", std::string()) == code && d.value("target", std::string()) == target) return true;
  return false;
}

inline bool hasDetailCode(const Reply& r, const std::string& code) {
  for (const auto& d : detailsOf(r))
    if (d.value("code", std::string()) == code) return true;
  return false;
}

inline bool hasDetailTarget(const Reply& r, const std::string& target) {
  for (const auto& d : detailsOf(r))
    if (d.value("target", std::string()) == target) return true;
  return false;
}

inline bool hasDetailTargetStartingWith(const Reply& r, const std::string& prefix) {
  for (const auto& d : detailsOf(r))
    if (startsWith(d.value("target", std::string()), prefix)) return true;
  return false;
}

// Checks an error response in the default shape. Empty `message`/`target` are not checked.
inline void checkError(const Reply& r, int status, const std::string& code, const std::string& message = std::string(),
                       const std::string& target = std::string()) {
  INFO("response " << r.status << ": " << r.text);
  CHECK(r.status == status);
  CHECK(r.header("content-type") == kJsonContentType);
  CHECK_FALSE(r.hasHeader("x-ms-error-code"));
  CHECK_FALSE(r.hasHeader("etag"));
  json e = errorOf(r);
  CHECK(e["code"] == code);
  if (!message.empty()) CHECK(e["message"] == message);
  if (!target.empty()) CHECK(e["target"] == target);
}

// 400 BadRequest "One or more validation errors occurred." on `path`, with a detail whose target is
// `detailTarget` (and whose code is `detailCode` when given).
inline void checkValidationError(const Reply& r, const std::string& path, const std::string& detailTarget,
                                 const std::string& detailCode = std::string()) {
  INFO("response " << r.status << ": " << r.text);
  checkError(r, 400, "BadRequest", kValidationMessage, path);
  if (detailCode.empty()) {
    CHECK(hasDetailTarget(r, detailTarget));
  } else {
    CHECK(hasDetail(r, detailCode, detailTarget));
  }
}

// A rejected request of any 400 kind (validation details not inspected).
inline void checkBadRequest(const Reply& r, const std::string& path) {
  INFO("response " << r.status << ": " << r.text);
  checkError(r, 400, "BadRequest", kValidationMessage, path);
  CHECK_FALSE(detailsOf(r).empty());
}

inline void checkNotFound(const Reply& r, const std::string& path) {
  checkError(r, 404, "NotFound", kNotFoundMessage, path);
}

// Headers of a successful single-resource response (PATCH or GET of one of the six resources).
inline void checkResourceHeaders(const Reply& r) {
  INFO("response " << r.status << ": " << r.text);
  CHECK(r.header("content-type") == kJsonContentType);
  CHECK(r.header("api-supported-versions") == kApiVersion);
  REQUIRE(r.hasHeader("etag"));
  json b = r.body();
  CHECK(b["etag"] == r.header("etag"));
  CHECK(r.hasHeader("last-modified"));
}

// Headers of a successful response that is not a single resource (lists, actions, position, statistics).
inline void checkPlainJsonHeaders(const Reply& r) {
  INFO("response " << r.status << ": " << r.text);
  CHECK(r.header("content-type") == kJsonContentType);
  CHECK(r.header("api-supported-versions") == kApiVersion);
  CHECK_FALSE(r.hasHeader("etag"));
  CHECK_FALSE(r.hasHeader("last-modified"));
}

// ---- lists --------------------------------------------------------------------------------------------------

struct Listing {
  std::vector<json> items;
  std::vector<std::string> ids;
  int pages = 0;
  bool ok = true;
};

// Reads every page of a list, following nextLink (api-version appended, as the SDKs do).
inline Listing listAll(Api& api, const std::string& firstPathAndQuery, int maxPages = 1000) {
  Listing out;
  std::string next = firstPathAndQuery;
  while (!next.empty() && out.pages < maxPages) {
    Reply r = api.get(next);
    INFO("GET " << next << " -> " << r.status << " " << r.text);
    if (r.status != 200) {
      FAIL_CHECK("list page failed");
      out.ok = false;
      break;
    }
    ++out.pages;
    json page = r.body();
    for (const auto& item : page["value"]) {
      out.items.push_back(item);
      out.ids.push_back(item.value("id", std::string("<no id>")));
    }
    next = page.contains("nextLink") && page["nextLink"].is_string() ? page["nextLink"].get<std::string>() : "";
  }
  return out;
}

}  // namespace jrtest
