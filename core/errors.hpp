// Errors a command can answer with. They are thrown inside the core and turned into the service's error
// body at the facade; they never leave jr::Router::handle.
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

struct ApiError {
  int status;
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
