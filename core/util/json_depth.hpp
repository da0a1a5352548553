// How deeply JSON text nests, measured before parsing it (the parser recurses, and WebAssembly's stack is small).
#pragma once

#include <string>

namespace jr {

// The deepest nesting of arrays and objects in JSON text (strings skipped); stops counting past `limit`.
inline int nestingDepth(const std::string& text, int limit) {
  int depth = 0, deepest = 0;
  bool inString = false, escaped = false;
  for (char c : text) {
    if (inString) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') inString = false;
    } else if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) break;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

}  // namespace jr
