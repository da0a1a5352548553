#include "core/model/field_reader.hpp"

#include <cctype>
#include <cmath>

namespace jr {

const Json& requireObjectBody(const Json& body) {
  if (body.is_null()) throwBadRequest("MissingRequestBody", "A JSON object request body is required.");
  if (!body.is_object()) {
    throwBadRequest("InvalidType",
                    "The request body must be a JSON object but was " + std::string(jsonTypeName(body)) + ".");
  }
  return body;
}
namespace {

const Json& emptyObject() {
  static const Json empty = Json::object();
  return empty;
}

std::string lettersOnlyLower(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '-' || c == '_') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

std::string joinPath(const std::string& base, const std::string& key) {
  return base.empty() ? key : base + "." + key;
}

std::string indexPath(const std::string& base, std::size_t index) {
  return base + "[" + std::to_string(index) + "]";
}

std::optional<std::string> canonicalEnum(const std::string& given,
                                         const std::vector<std::string>& allowed) {
  for (const auto& value : allowed) {
    if (value == given) return value;
  }
  // Accept kebab-case (pre-GA spelling, e.g. "queue-and-match") and other letter cases.
  const std::string folded = lettersOnlyLower(given);
  for (const auto& value : allowed) {
    if (lettersOnlyLower(value) == folded) return value;
  }
  return std::nullopt;
}

ObjectReader::ObjectReader(const Json& value, std::string path, Issues& issues)
    : value_(value.is_object() ? value : emptyObject()),
      path_(std::move(path)),
      issues_(issues),
      isObject_(value.is_object()) {
  if (!value.is_object() && !value.is_null()) {
    issues_.add("InvalidType", "Expected a JSON object but found " + std::string(jsonTypeName(value)) + ".",
                path_);
  }
}

const Json* ObjectReader::get(const char* key) const {
  const auto it = value_.find(key);
  if (it == value_.end() || it->is_null()) return nullptr;
  return &*it;
}

void ObjectReader::missing(const char* key) {
  issues_.add("MissingRequiredField", std::string("The field '") + key + "' is required.", pathOf(key));
}

std::optional<std::string> ObjectReader::string(const char* key, bool required) {
  const Json* v = get(key);
  if (!v) {
    if (required) missing(key);
    return std::nullopt;
  }
  if (!v->is_string()) {
    issues_.add("InvalidType", std::string("The field '") + key + "' must be a string.", pathOf(key));
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<std::int64_t> ObjectReader::integer(const char* key, bool required, std::int64_t min,
                                                  std::int64_t max) {
  const Json* v = get(key);
  if (!v) {
    if (required) missing(key);
    return std::nullopt;
  }
  std::optional<std::int64_t> result;
  if (v->is_number_integer()) {
    if (v->is_number_unsigned() && v->get<std::uint64_t>() > 9'000'000'000'000'000'000ULL) {
      result = std::nullopt;
    } else {
      result = v->get<std::int64_t>();
    }
  } else if (v->is_number_float()) {
    const double d = v->get<double>();
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.0e15) {
      result = static_cast<std::int64_t>(d);
    }
  }
  if (!result) {
    if (v->is_number()) {
      issues_.add("InvalidValue", std::string("The field '") + key + "' must be a whole number between " +
                  std::to_string(min) + " and " + std::to_string(max) + ".", pathOf(key));
    } else {
      issues_.add("InvalidType", std::string("The field '") + key + "' must be an integer.", pathOf(key));
    }
    return std::nullopt;
  }
  if (*result < min || *result > max) {
    issues_.add("InvalidValue", std::string("The field '") + key + "' must be between " +
                std::to_string(min) + " and " + std::to_string(max) + ", but was " +
                std::to_string(*result) + ".", pathOf(key));
    return std::nullopt;
  }
  return result;
}

std::optional<double> ObjectReader::number(const char* key, bool required, std::optional<double> min,
                                           bool minExclusive, std::optional<double> max) {
  const Json* v = get(key);
  if (!v) {
    if (required) missing(key);
    return std::nullopt;
  }
  if (!v->is_number()) {
    issues_.add("InvalidType", std::string("The field '") + key + "' must be a number.", pathOf(key));
    return std::nullopt;
  }
  const double d = v->get<double>();
  const bool belowMin = min && (minExclusive ? !(d > *min) : !(d >= *min));
  const bool aboveMax = max && !(d <= *max);
  if (!std::isfinite(d) || belowMin || aboveMax) {
    std::string rule;
    if (min) rule += std::string(minExclusive ? "greater than " : "at least ") + Json(*min).dump();
    if (max) rule += std::string(rule.empty() ? "" : " and ") + "at most " + Json(*max).dump();
    issues_.add("InvalidValue", std::string("The field '") + key + "' must be " + rule + ".", pathOf(key));
    return std::nullopt;
  }
  return d;
}

std::optional<bool> ObjectReader::boolean(const char* key, bool required) {
  const Json* v = get(key);
  if (!v) {
    if (required) missing(key);
    return std::nullopt;
  }
  if (!v->is_boolean()) {
    issues_.add("InvalidType", std::string("The field '") + key + "' must be a boolean.", pathOf(key));
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<Instant> ObjectReader::dateTime(const char* key, bool required) {
  const Json* v = get(key);
  if (!v) {
    if (required) missing(key);
    return std::nullopt;
  }
  if (v->is_string()) {
    if (auto t = parseIsoTime(v->get<std::string>())) return t;
  }
  issues_.add("InvalidValue",
              std::string("The field '") + key + "' must be an ISO-8601 date-time such as 2024-01-01T00:00:00Z.",
              pathOf(key));
  return std::nullopt;
}

std::optional<std::string> ObjectReader::enumValue(const char* key, const std::vector<std::string>& allowed,
                                                   bool required, const char* issueCode) {
  const auto text = string(key, required);
  if (!text) return std::nullopt;
  if (auto canonical = canonicalEnum(*text, allowed)) return canonical;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  issues_.add(issueCode, "'" + *text + "' is not a valid value for '" + key + "'. Expected one of: " + list + ".",
              pathOf(key));
  return std::nullopt;
}

const Json* ObjectReader::array(const char* key, bool required) {
  const Json* v = get(key);
  if (!v) {
    if (required) missing(key);
    return nullptr;
  }
  if (!v->is_array()) {
    issues_.add("InvalidType", std::string("The field '") + key + "' must be an array.", pathOf(key));
    return nullptr;
  }
  return v;
}

const Json* ObjectReader::object(const char* key, bool required) {
  const Json* v = get(key);
  if (!v) {
    if (required) missing(key);
    return nullptr;
  }
  if (!v->is_object()) {
    issues_.add("InvalidType", std::string("The field '") + key + "' must be an object.", pathOf(key));
    return nullptr;
  }
  return v;
}

std::optional<Json> ObjectReader::primitive(const char* key, bool required) {
  const Json* v = get(key);
  if (!v) {
    if (required) missing(key);
    return std::nullopt;
  }
  if (!isPrimitive(*v)) {
    issues_.add("InvalidType", std::string("The field '") + key + "' must be a string, number or boolean.",
                pathOf(key));
    return std::nullopt;
  }
  return normalizeNumber(*v);
}

}  // namespace jr
