// Errors a command can answer with. They are thrown inside the core and turned into the service's error
// body at the facade; they never leave jr::Router::handle.
#pragma once

#include <string>
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

inline ApiError notFound(std::string message = "The item was not found.") {
  return {404, "NotFound", std::move(message), {}};
}

inline ApiError validationFailed(std::vector<ErrorDetail> details) {
  return {400, "BadRequest", kValidationMessage, std::move(details)};
}

inline ApiError badRequest(std::string detailCode, std::string detailMessage, std::string target = "") {
  return validationFailed({{std::move(detailCode), std::move(detailMessage), std::move(target)}});
}

// The service's 409 for conflicts: "Validation failed: \r\n -- : <reason>" per reason.
inline ApiError conflict(const std::vector<std::string>& reasons) {
  std::string message = "Validation failed: ";
  for (const auto& reason : reasons) message += "\r\n -- : " + reason;
  return {409, "Conflict", message, {}};
}

inline ApiError preconditionFailed() {
  return {412, "PreconditionFailed",
          "The condition specified using HTTP conditional header(s) is not met.", {}};
}

}  // namespace jr
