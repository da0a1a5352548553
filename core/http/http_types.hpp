// The HTTP types of the core's interface: request headers, the headers the core reads, and the response. Only the
// HTTP layer, the facade (core/router.hpp) and the bindings use them; the engine takes typed commands instead.
#pragma once

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

}  // namespace jr
