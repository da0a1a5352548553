// ASCII character classes, independent of the C locale.
#pragma once

namespace jr {

inline bool isAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// What std::isspace accepts in the "C" locale: space, \t, \n, \v, \f, \r.
inline bool isAsciiSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

}  // namespace jr
