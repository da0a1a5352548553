// JSON text of a Json value, byte for byte what nlohmann's dump(-1, ' ', false, error_handler_t::replace) gives
// (compact, non-ASCII kept as UTF-8, invalid UTF-8 replaced by U+FFFD), written several times faster: the
// library's serializer runs every byte of every string through its UTF-8 decoder, which was the largest single
// cost of a request. ASCII strings, object keys, integers, booleans and null are written here; floating-point
// numbers and strings holding any non-ASCII byte are handed to the library's serializer, so their text is the
// library's by construction. tests/unit/unit-json-writer.cpp holds the two to the same output.
#pragma once

#include <string>

#include "core/util/json.hpp"

namespace jr {

// Appends the JSON text of `value` to `out`.
void writeJson(const Json& value, std::string& out);

// The JSON text of `value`.
std::string toJsonText(const Json& value);

// Appends the JSON text of the string `s` (quoted and escaped; invalid UTF-8 replaced as above).
void writeJsonString(const std::string& s, std::string& out);

}  // namespace jr
