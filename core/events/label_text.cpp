#include "core/events/label_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace jr {

std::string dotNetDoubleText(double value) {
  if (!std::isfinite(value)) return std::isnan(value) ? "NaN" : (value < 0 ? "-Infinity" : "Infinity");  // not from JSON
  // The shortest round-trip digits come from the JSON library's text of the double ("2.5", "1e+21", "1.5e-05",
  // "100.0"); they are re-laid out the way .NET Core 3.0 and later format a double with ToString().
  const std::string json = Json(value).dump();
  std::size_t i = 0;
  const bool negative = !json.empty() && json[0] == '-';
  if (negative) ++i;
  std::string digits;
  long pointAt = -1;  // digits before the decimal point in the library's text
  for (; i < json.size() && json[i] != 'e' && json[i] != 'E'; ++i) {
    if (json[i] == '.') {
      pointAt = static_cast<long>(digits.size());
    } else {
      digits.push_back(json[i]);
    }
  }
  if (pointAt < 0) pointAt = static_cast<long>(digits.size());
  long exponent = 0;
  if (i < json.size()) exponent = std::strtol(json.c_str() + i + 1, nullptr, 10);
  // scale: where the decimal point sits relative to the first digit (value = 0.d1d2d3... x 10^scale).
  long scale = pointAt + exponent;
  std::size_t lead = 0;
  while (lead < digits.size() && digits[lead] == '0') ++lead;
  digits.erase(0, lead);
  scale -= static_cast<long>(lead);
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  const std::string sign = negative ? "-" : "";
  if (digits.empty()) return sign + "0";  // .NET Core 3.0+ keeps the sign of negative zero: "-0"

  const long n = static_cast<long>(digits.size());
  std::string out = sign;
  if (scale > std::max<long>(n, 15) || scale < -3) {
    out += digits[0];
    if (n > 1) {
      out += '.';
      out.append(digits, 1, std::string::npos);
    }
    const long e = scale - 1;
    out += e < 0 ? "E-" : "E+";
    const std::string magnitude = std::to_string(e < 0 ? -e : e);
    if (magnitude.size() < 2) out += '0';
    out += magnitude;
    return out;
  }
  if (scale <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-scale), '0');
    out += digits;
  } else if (scale < n) {
    out.append(digits, 0, static_cast<std::size_t>(scale));
    out += '.';
    out.append(digits, static_cast<std::size_t>(scale), std::string::npos);
  } else {
    out += digits;
    out.append(static_cast<std::size_t>(scale - n), '0');
  }
  return out;
}

std::string eventLabelValue(const Json& value, EventLabelText mode) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) {
    const bool b = value.get<bool>();
    if (mode == EventLabelText::DotNet) return b ? "True" : "False";
    return b ? "true" : "false";
  }
  if (value.is_number_float() && mode == EventLabelText::DotNet) return dotNetDoubleText(value.get<double>());
  // Integers (both modes), doubles as JSON text, and anything else as its JSON text.
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void writeEventLabels(TapedJsonOut& out, const LabelMap& labels, EventLabelText mode) {
  out.beginObject();
  for (const auto& [key, value] : labels) {
    if (value.is_null()) continue;
    out.key(key);
    if (value.is_string()) out.string(value.get_ref<const std::string&>());
    else out.string(eventLabelValue(value, mode));
  }
  out.endObject();
}

}  // namespace jr
