// Decimal rounding (Round, RoundUp, RoundDown, Trunc) and the number format strings of Text(value, format) for
// the Power Fx expression language. Locale-independent (invariant culture: '.' decimal point, ',' groups).
//
// Rounding works on the number's decimal digits, read to 15 significant digits first (as Excel and Power Fx
// show numbers), so Round(3*0.415, 2) is 1.25 although 3*0.415 is 1.24499999999999994 in binary:
// - Half: halves away from zero (Round(2.5, 0) = 3, Round(-2.5, 0) = -3); Up: away from zero; Down: toward zero.
// - digits may be negative (Round(1234, -2) = 1200); it is truncated toward zero first (1.9 -> 1).
//
// Format strings (numbers only; date and time formats are not supported and are an error):
//   0   a digit, padded with zeros            #   a digit, nothing when not significant
//   .   the decimal point                     ,   group thousands (between digit placeholders), or, right after
//   %   multiply by 100 and show '%'              the last integer placeholder, divide by 1,000 per comma
//   "text", \c   literal text                 ;   sections: positive;negative;zero
//   [$-en-US] (a language tag at the start) is ignored; any other character outside the digit placeholders
//   (space, $, -, (, ), /, :, ...) is shown as is. Letters outside quotes are an error (they would be date
//   codes or an exponent format). Results follow .NET's custom format rules: "#.##" shows 0.5 as ".5" and 5
//   as "5"; a value that rounds to zero shows no minus sign.
#pragma once

#include <string>

namespace jr::powerfx {

enum class RoundMode { Half, Up, Down };

// Rounds x at `digits` decimal places (negative: to tens, hundreds, ...). x must be finite.
double roundDecimal(double x, double digits, RoundMode mode);

// Formats x with a Text() format string. Returns false with `error` for an unsupported or invalid format.
bool formatWithPattern(double x, const std::string& format, std::string& out, std::string& error);

}  // namespace jr::powerfx
