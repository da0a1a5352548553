// The plain types of the Router's interface (options, limits, headers, responses), apart from the Router itself so
// that the engine and the response and event writers can use them without the facade.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace jr {

// Header names are compared case-insensitively; keys are stored lower-case.
using HeaderMap = std::map<std::string, std::string>;

// The request headers the core reads, by their lower-case names: core/http/request.cpp reads them, and the
// WebAssembly bindings publish the list (Module.requestHeaderNames(), which JS uses) and take their values in its
// order. A header not in it never changes an answer.
inline constexpr const char* kContentTypeHeader = "content-type";
inline constexpr const char* kIfMatchHeader = "if-match";
inline constexpr const char* kIfUnmodifiedSinceHeader = "if-unmodified-since";
inline constexpr const char* kRequestHeaderNames[] = {kContentTypeHeader, kIfMatchHeader, kIfUnmodifiedSinceHeader};

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

}  // namespace jr
