#include "core/errors.hpp"

namespace jr {

ApiError notFound(std::string_view message) { return {ErrorKind::NotFound, "NotFound", std::string(message), {}}; }

ApiError validationFailed(std::vector<ErrorDetail> details) {
  return {ErrorKind::Invalid, "BadRequest", kValidationMessage, std::move(details)};
}

ApiError badRequest(std::string_view detailCode, std::string_view detailMessage, std::string_view target) {
  return validationFailed({{std::string(detailCode), std::string(detailMessage), std::string(target)}});
}

ApiError conflict(const std::vector<std::string_view>& reasons) {
  std::string message = "Validation failed: ";
  for (const std::string_view reason : reasons) message.append("\r\n -- : ").append(reason);
  return {ErrorKind::Conflict, "Conflict", message, {}};
}

ApiError preconditionFailed() {
  return {ErrorKind::PreconditionFailed, "PreconditionFailed",
          "The condition specified using HTTP conditional header(s) is not met.", {}};
}

void throwNotFound(std::string_view message) { throw notFound(message); }

void throwBadRequest(std::string_view detailCode, std::string_view detailMessage, std::string_view target) {
  throw badRequest(detailCode, detailMessage, target);
}

void throwConflict(const std::vector<std::string_view>& reasons) { throw conflict(reasons); }

void throwPreconditionFailed() { throw preconditionFailed(); }

}  // namespace jr
