// Request-body helpers shared by the commands.
#pragma once

#include "core/errors.hpp"
#include "core/util/json.hpp"

namespace jr {

// PATCH bodies must be JSON objects.
inline const Json& requireObjectBody(const Json& body) {
  if (body.is_null()) throwBadRequest("MissingRequestBody", "A JSON object request body is required.");
  if (!body.is_object()) {
    throwBadRequest("InvalidType",
                     "The request body must be a JSON object but was " + std::string(jsonTypeName(body)) + ".");
  }
  return body;
}

}  // namespace jr
