// Values of the Power Fx expression language (core/rules/expression.hpp) and the implicit conversions between
// them. A value is a Json: null is Blank, then boolean, number and string; an array is a one-column table (only
// table literals such as ["NA", "EU"] make one). Everything here is pure: no locale, no clock.
//
// Conversions (Power Fx's, with the open-source implementation deciding where the formula reference is silent):
// - to number: Blank -> 0; true/false -> 1/0; text is read like Value(): surrounding whitespace ignored, optional
//   sign, digits with optional ',' group separators, optional '.' fraction and exponent, an optional '%' before
//   or after (divides by 100) or a '$' before; "" -> Blank (so 0 in arithmetic); other text is an error.
// - to text: Blank -> ""; true/false -> "true"/"false"; numbers in the shortest form that reads back to the same
//   number (whole numbers below 9e15 without a fraction; JavaScript layout for exponents: 1e+21, 1e-7).
// - to boolean: Blank -> false; numbers -> non-zero; text -> true only for "true" in any case, any other text
//   false (what the implementation does for operators and conditions; the function Boolean() is stricter).
// Text is UTF-8; lengths and positions count Unicode code points. Case mapping (Upper, Lower, Proper, the
// case-insensitive in/StartsWith/EndsWith) covers ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic. Proper is
// the implementation's title casing of the lowered text: a letter after a non-letter is upper-cased, the others
// lowered; an apostrophe inside a word does not end it ("it's" -> "It's", "o'neil" -> "O'neil").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/util/json.hpp"

namespace jr::powerfx {

// "blank", "a boolean", "a number", "a text", "a table", "a record".
std::string typeWithArticle(const Json& v);

// Text -> number as Value() reads it. Returns false for text that is not a number; `blank` is set for ""
// (after trimming), in which case `out` is 0.
bool parseNumberText(const std::string& text, double& out, bool& blank);

// Implicit conversions; on failure they return false and set `error` (a sentence fragment, e.g.
// "the text 'abc' is not a number").
bool toNumber(const Json& v, double& out, std::string& error);
std::string toText(const Json& v);
bool toBoolean(const Json& v, bool& out, std::string& error);

// Shortest round-trip digits, JavaScript layout (see above).
std::string formatNumber(double d);
std::string numberToText(const Json& v);

// -1, 0, 1 for two JSON numbers; exact for integers of either signedness, double comparison otherwise.
int compareNumbers(const Json& a, const Json& b);

// Power Fx '=': Blank equals only Blank; numbers numerically, text exactly, booleans by value; values of
// different types are unequal.
bool valuesEqual(const Json& a, const Json& b);

// UTF-8 helpers. Invalid bytes count as one code point each (labels and literals are valid UTF-8 anyway).
std::vector<std::string> codePoints(const std::string& text);
std::size_t codePointLength(const std::string& text);
std::string upper(const std::string& text);
std::string lower(const std::string& text);
std::string proper(const std::string& text);
bool isLetterCodePoint(const std::string& cp);

}  // namespace jr::powerfx
