#include "core/http/responses.hpp"

#include "core/util/json_writer.hpp"

namespace jr {

HttpResponse jsonResponse(int status, const Json& body, const std::optional<std::string>& etag,
                          const std::optional<Instant>& lastModified) {
  HttpResponse res;
  res.status = status;
  res.headers["content-type"] = kJsonContentType;
  res.headers["api-supported-versions"] = kApiVersion;
  if (etag) res.headers["etag"] = *etag;
  if (lastModified) res.headers["last-modified"] = formatHttpDate(*lastModified);
  res.body = toJsonText(body);
  return res;
}

HttpResponse noContentResponse() {
  HttpResponse res;
  res.status = 204;
  res.headers["api-supported-versions"] = kApiVersion;
  return res;
}

HttpResponse errorResponse(const ApiError& error, const std::string& target, ErrorShape shape) {
  Json inner = Json::object();
  inner["code"] = error.code;
  inner["message"] = error.message;
  inner["target"] = target;
  if (!error.details.empty()) {
    Json details = Json::array();
    for (const auto& d : error.details) {
      Json item = {{"code", d.code}, {"message", d.message}};
      if (!d.target.empty()) item["target"] = d.target;
      details.push_back(item);
    }
    inner["details"] = details;
  }
  Json body = Json::object();
  body[shape == ErrorShape::Real ? "communicationError" : "error"] = inner;
  HttpResponse res = jsonResponse(error.status, body, std::nullopt, std::nullopt);
  if (shape == ErrorShape::Spec) res.headers["x-ms-error-code"] = error.code;
  return res;
}

}  // namespace jr
