// The core's JSON reader (request bodies, options, snapshots' nested values): it builds exactly the tree nlohmann's
// parser builds from the same text (parseJsonNoThrow: same types, member order and repeated names, the same
// refusals), without recursion and without nlohmann's parser, which the WebAssembly module then does not contain.
// tests/unit/unit-json-reader.cpp holds the two against each other.
#pragma once

#include <string>

#include "core/util/json.hpp"

namespace jr {

// As parseJsonNoThrow(text): the value, or a discarded value when the text is not JSON.
Json readJsonNoThrow(const std::string& text);

}  // namespace jr
