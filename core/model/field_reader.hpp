// Reads typed fields out of a request JSON object and collects every problem with its JSON path, so a
// validation failure reports all bad fields at once (400 with details), and nothing is changed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/util/json.hpp"
#include "core/util/time.hpp"

namespace jr {

// A request body that must be a JSON object (an upsert's merge patch, an action's body when sent): refused with 400
// MissingRequestBody when null, InvalidType when of another type.
const Json& requireObjectBody(const Json& body);

class Issues {
 public:
  void add(std::string code, std::string message, std::string target) {
    list_.push_back({std::move(code), std::move(message), std::move(target)});
  }
  bool empty() const { return list_.empty(); }
  const std::vector<ErrorDetail>& list() const { return list_; }
  // Throws the 400 when anything was collected.
  void raiseIfAny() const {
    if (!list_.empty()) throw validationFailed(list_);
  }

 private:
  std::vector<ErrorDetail> list_;
};

std::string joinPath(const std::string& base, const std::string& key);
std::string indexPath(const std::string& base, std::size_t index);

// Maps a discriminator or enum spelling (camelCase, kebab-case, any letter case) onto the canonical camelCase
// value from `allowed`; nullopt when it is none of them.
std::optional<std::string> canonicalEnum(const std::string& given, const std::vector<std::string>& allowed);

class ObjectReader {
 public:
  // For items of arrays and required nested objects: JSON null is reported as an invalid item.
  static ObjectReader item(const Json& value, std::string path, Issues& issues) {
    if (value.is_null()) issues.add("InvalidType", "Expected a JSON object but found null.", path);
    return ObjectReader(value, std::move(path), issues);
  }

  // `value` may be null or absent (treated as an empty object) when `required` is false.
  ObjectReader(const Json& value, std::string path, Issues& issues);

  bool ok() const { return isObject_; }
  const std::string& path() const { return path_; }
  std::string pathOf(const char* key) const { return joinPath(path_, key); }
  Issues& issues() { return issues_; }

  // nullptr when absent or JSON null.
  const Json* get(const char* key) const;

  std::optional<std::string> string(const char* key, bool required = false);
  std::optional<std::int64_t> integer(const char* key, bool required, std::int64_t min, std::int64_t max);
  // Finite number; `minExclusive` / `min` bounds are optional.
  std::optional<double> number(const char* key, bool required, std::optional<double> min,
                               bool minExclusive, std::optional<double> max = std::nullopt);
  std::optional<bool> boolean(const char* key, bool required = false);
  std::optional<Instant> dateTime(const char* key, bool required = false);
  std::optional<std::string> enumValue(const char* key, const std::vector<std::string>& allowed,
                                       bool required, const char* issueCode = "InvalidValue");
  const Json* array(const char* key, bool required = false);
  const Json* object(const char* key, bool required = false);
  // A primitive (string/number/boolean) value; absent or null gives nullopt.
  std::optional<Json> primitive(const char* key, bool required = false);

  void missing(const char* key);

 private:
  const Json& value_;
  std::string path_;
  Issues& issues_;
  bool isObject_;
};

}  // namespace jr
