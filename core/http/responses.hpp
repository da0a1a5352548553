// Turns command results and errors into HTTP responses in the service's wire shape.
#pragma once

#include <optional>
#include <string>

#include "core/engine/commands.hpp"
#include "core/errors.hpp"
#include "core/http/http_types.hpp"
#include "core/router_types.hpp"
#include "core/util/json.hpp"
#include "core/util/time.hpp"

namespace jr {

inline constexpr const char* kApiVersion = "2023-11-01";
inline constexpr const char* kJsonContentType = "application/json; charset=utf-8";

// The status an operation answers with when its command did `outcome`: 200, 201 or 204.
int successStatus(Outcome outcome);
// The status the service answers an error of this kind with.
int httpStatus(ErrorKind kind) noexcept;

// body: JSON text.
HttpResponse jsonResponse(int status, std::string body, std::optional<std::string> etag,
                          const std::optional<Instant>& lastModified);
HttpResponse noContentResponse();
// target: the request path without the query string.
std::string errorBody(const ApiError& error, const std::string& target, ErrorShape shape);
HttpResponse errorResponse(const ApiError& error, const std::string& target, ErrorShape shape);
// errorResponse, never throwing: should building it fail (memory ran out), the error kind's status with a fixed body
// of the shape, code InsufficientMemory and no target.
HttpResponse errorResponseNoThrow(const ApiError& error, const std::string& target, ErrorShape shape) noexcept;

}  // namespace jr
