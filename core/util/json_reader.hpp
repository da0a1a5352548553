// A fast reader of request bodies into the core's Json tree, for the common case (ASCII strings with simple escapes,
// integers of up to 18 digits, floats): it builds exactly the tree nlohmann's parser builds. Any other text — \u
// escapes, non-ASCII bytes, longer integers, a byte-order mark, anything malformed — is handed to nlohmann's parser,
// which decides, so the result is always the one parseJsonNoThrow gives.
#pragma once

#include <string>

#include "core/util/json.hpp"

namespace jr {

// As parseJsonNoThrow(text): the value, or a discarded value when the text is not JSON.
Json readJsonNoThrow(const std::string& text);

}  // namespace jr
