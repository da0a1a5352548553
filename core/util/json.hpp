// JSON type used across the core: insertion-ordered, so responses keep the service's field order.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace jr {

using Json = nlohmann::ordered_json;

// The service returns whole-valued doubles as integers (100.0 -> 100) and keeps fractions (10.01).
inline Json normalizeNumber(const Json& value) {
  if (value.is_number_float()) {
    const double d = value.get<double>();
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.0e15) {
      return Json(static_cast<std::int64_t>(d));
    }
  }
  return value;
}

inline Json numberJson(double d) { return normalizeNumber(Json(d)); }

// A label, tag or selector value: the service accepts strings, numbers and booleans only.
inline bool isPrimitive(const Json& value) {
  return value.is_string() || value.is_number() || value.is_boolean();
}

inline const char* jsonTypeName(const Json& value) {
  if (value.is_null()) return "null";
  if (value.is_boolean()) return "boolean";
  if (value.is_number()) return "number";
  if (value.is_string()) return "string";
  if (value.is_array()) return "array";
  return "object";
}

// True when merge-patching `patch` into an empty object gives `patch` itself: an object with no null member in it or
// in its nested objects (arrays are taken whole). Creating upserts read such a body as it is, without the copy.
inline bool mergesAsItself(const Json& patch) {
  if (!patch.is_object()) return false;
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    if (it->is_null() || (it->is_object() && !mergesAsItself(*it))) return false;
  }
  return true;
}

// Parses without throwing; returns discarded value on failure.
inline Json parseJsonNoThrow(const std::string& text) {
  return Json::parse(text, nullptr, /*allow_exceptions=*/false);
}

}  // namespace jr
