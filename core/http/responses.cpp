#include "core/http/responses.hpp"

#include <utility>

#include "core/util/json_writer.hpp"

namespace jr {

HttpResponse jsonResponse(int status, std::string body, std::optional<std::string> etag,
                          const std::optional<Instant>& lastModified) {
  HttpResponse res;
  res.status = status;
  // Inserted in the map's (alphabetical) order, each at its end.
  HeaderMap& headers = res.headers;
  headers.emplace_hint(headers.end(), "api-supported-versions", kApiVersion);
  headers.emplace_hint(headers.end(), "content-type", kJsonContentType);
  if (etag) headers.emplace_hint(headers.end(), "etag", std::move(*etag));
  if (lastModified) headers.emplace_hint(headers.end(), "last-modified", formatHttpDate(*lastModified));
  res.body = std::move(body);
  return res;
}

HttpResponse noContentResponse() {
  HttpResponse res;
  res.status = 204;
  res.headers["api-supported-versions"] = kApiVersion;
  return res;
}

std::string errorBody(const ApiError& error, const std::string& target, ErrorShape shape) {
  std::string text;
  JsonOut out(text);
  out.beginObject();
  if (shape == ErrorShape::Real) out.key("communicationError");
  else out.key("error");
  out.beginObject().key("code").string(error.code).key("message").string(error.message).key("target").string(target);
  if (!error.details.empty()) {
    out.key("details").beginArray();
    for (const auto& d : error.details) {
      out.beginObject().key("code").string(d.code).key("message").string(d.message);
      if (!d.target.empty()) out.key("target").string(d.target);
      out.endObject();
    }
    out.endArray();
  }
  out.endObject().endObject();
  out.finish();
  return text;
}

int successStatus(Outcome outcome) {
  switch (outcome) {
    case Outcome::Done: return 200;
    case Outcome::Created: return 201;
    case Outcome::Deleted: return 204;
  }
  return 200;
}

int httpStatus(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::NotFound: return 404;
    case ErrorKind::Invalid: return 400;
    case ErrorKind::Conflict: return 409;
    case ErrorKind::PreconditionFailed: return 412;
    case ErrorKind::MethodNotAllowed: return 405;
    case ErrorKind::BodyTooLarge: return 413;
    case ErrorKind::UnsupportedMediaType: return 415;
    // 507 Insufficient Storage: the emulator cannot store what the request asks for, and retrying does not help
    // until something is deleted or the limit raised (a 429 would tell clients to slow down and retry).
    case ErrorKind::LimitReached: return 507;
  }
  return 400;
}

HttpResponse errorResponse(const ApiError& error, const std::string& target, ErrorShape shape) {
  HttpResponse res = jsonResponse(httpStatus(error.kind), errorBody(error, target, shape), std::nullopt, std::nullopt);
  if (shape == ErrorShape::Spec) res.headers["x-ms-error-code"] = error.code;
  return res;
}

HttpResponse errorResponseNoThrow(const ApiError& error, const std::string& target, ErrorShape shape) noexcept {
  try {
    return errorResponse(error, target, shape);
  } catch (...) {
    // below: literals only, and whatever of the headers and body can still be stored
  }
  HttpResponse res;
  res.status = httpStatus(error.kind);
  try {
    res.headers["content-type"] = kJsonContentType;
    res.body = shape == ErrorShape::Real ? R"({"communicationError":{"code":"InsufficientMemory","message":"Out of memory."}})"
                                         : R"({"error":{"code":"InsufficientMemory","message":"Out of memory."}})";
  } catch (...) {
    // an empty body: nothing more can be allocated
  }
  return res;
}

}  // namespace jr
