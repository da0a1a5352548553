// Request-target helpers: split path and query, percent-decoding, base64 for continuation tokens.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jr {

// Decodes %XX escapes (and '+' as space when formEncoded). nullopt on a broken escape or when the result is
// not well-formed UTF-8 (ids and query values end up in JSON text).
std::optional<std::string> percentDecode(std::string_view text, bool formEncoded);
std::string percentEncode(const std::string& text);

// Query parameters in order of appearance; names and values decoded. A repeated name keeps the first value.
struct QueryString {
  std::vector<std::pair<std::string, std::string>> items;
  bool malformed = false;
  const std::string* find(std::string_view name) const;
};
QueryString parseQuery(std::string_view query);

// One parameter of a query string read as parseQuery reads it, without keeping the others: malformed when any name
// or value has a malformed percent-encoding; otherwise the first value of `name`, when there is one.
struct QueryValue {
  bool malformed = false;
  bool found = false;
  std::string value;
};
QueryValue findQueryValue(std::string_view query, std::string_view name);

std::string base64Encode(const std::string& bytes);
std::optional<std::string> base64Decode(const std::string& text);

}  // namespace jr
