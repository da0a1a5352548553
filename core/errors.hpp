// Errors a command can answer with. They are thrown inside the core and turned into the service's error
// response at the facade (core/http/responses: the kind's HTTP status, and the error body); they never leave
// jr::Router::handle.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jr {

struct ErrorDetail {
  std::string code;
  std::string message;
  std::string target;
};

// What kind of failure an error is. core/http/responses.cpp (httpStatus) gives each kind its HTTP status.
enum class ErrorKind {
  NotFound,              // no such resource, route or item
  Invalid,               // the request, or a value in it, is not acceptable
  Conflict,              // the resource's state does not allow the request
  PreconditionFailed,    // If-Match or If-Unmodified-Since does not hold
  MethodNotAllowed,      // the route exists, not with this method
  BodyTooLarge,          // the request body is over the core's limit
  UnsupportedMediaType,  // the body's content type is not JSON
  LimitReached,          // an emulator limit (RouterLimits), or memory, is exhausted
};

struct ApiError {
  ErrorKind kind;
  std::string code;
  std::string message;
  std::vector<ErrorDetail> details;  // only on validation errors
};

inline constexpr const char* kValidationMessage = "One or more validation errors occurred.";

// The factories are out of line (core/errors.cpp) and take views: a call site passes two pointers, not the code
// that builds and frees strings, and the throw* helpers build and throw in one call. Errors are the cold path of
// almost every function; inline, their code was a large part of the functions that V8 compiles on first use.
ApiError notFound(std::string_view message = "The item was not found.");
ApiError validationFailed(std::vector<ErrorDetail> details);
ApiError badRequest(std::string_view detailCode, std::string_view detailMessage, std::string_view target = {});
// The service's 409 for conflicts: "Validation failed: \r\n -- : <reason>" per reason.
ApiError conflict(const std::vector<std::string_view>& reasons);
ApiError preconditionFailed();

[[noreturn]] void throwNotFound(std::string_view message = "The item was not found.");
[[noreturn]] void throwBadRequest(std::string_view detailCode, std::string_view detailMessage,
                                  std::string_view target = {});
[[noreturn]] void throwConflict(const std::vector<std::string_view>& reasons);
[[noreturn]] void throwPreconditionFailed();

}  // namespace jr
