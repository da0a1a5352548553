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

std::string base64Encode(const std::string& bytes);
std::optional<std::string> base64Decode(const std::string& text);

}  // namespace jr
