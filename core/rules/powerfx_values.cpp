// Power Fx values and implicit conversions; the rules are described in powerfx_values.hpp.
#include "core/rules/powerfx_values.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/util/ascii.hpp"
#include "core/util/utf8.hpp"

namespace jr::powerfx {
namespace {


// --- UTF-8 --------------------------------------------------------------------------------------------------

bool isContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

constexpr std::uint32_t kRawByte = 0xFFFD0000u;  // marks an undecodable byte; encode() writes it back as is

// Decodes one code point at i (advancing i); an invalid byte decodes as itself (kRawByte | byte).
std::uint32_t decode(const std::string& s, std::size_t& i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    ++i;
    return c;
  }
  std::size_t extra = 0;
  std::uint32_t cp = 0;
  if (c >= 0xC2 && c < 0xE0) {
    extra = 1;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c < 0xF0) {
    extra = 2;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c < 0xF5) {
    extra = 3;
    cp = c & 0x07;
  } else {
    ++i;
    return kRawByte | c;
  }
  if (i + extra >= s.size()) {
    ++i;
    return kRawByte | c;
  }
  for (std::size_t k = 1; k <= extra; ++k) {
    const unsigned char d = static_cast<unsigned char>(s[i + k]);
    if (!isContinuation(d)) {
      ++i;
      return kRawByte | c;
    }
    cp = (cp << 6) | (d & 0x3F);
  }
  i += extra + 1;
  return cp;
}

void encode(std::uint32_t cp, std::string& out) {
  if ((cp & 0xFFFF0000u) == kRawByte) {
    out += static_cast<char>(cp & 0xFF);
  } else {
    appendUtf8(out, cp);
  }
}

// Simple case mapping for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic.
std::uint32_t toUpperCp(std::uint32_t c) {
  if (c >= 'a' && c <= 'z') return c - 32;
  if ((c >= 0xE0 && c <= 0xFE && c != 0xF7)) return c - 32;
  if (c == 0xFF) return 0x178;
  if (c >= 0x100 && c <= 0x17F) {
    if (c == 0x131) return 'I';  // dotless i
    if (c == 0x17F) return 'S';  // long s
    const bool oddUpperFirst = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    if (oddUpperFirst) return (c % 2 == 0) ? c - 1 : c;
    if (c == 0x138 || c == 0x149) return c;
    return (c % 2 == 1) ? c - 1 : c;
  }
  if (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2) return c - 32;
  if (c == 0x3C2) return 0x3A3;  // final sigma
  if (c >= 0x430 && c <= 0x44F) return c - 32;
  if (c >= 0x450 && c <= 0x45F) return c - 80;
  return c;
}

std::uint32_t toLowerCp(std::uint32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  if (c == 0x178) return 0xFF;
  if (c >= 0x100 && c <= 0x17F) {
    if (c == 0x130) return 'i';
    const bool oddUpperFirst = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    if (oddUpperFirst) return (c % 2 == 1) ? c + 1 : c;
    if (c == 0x138 || c == 0x149 || c == 0x131 || c == 0x17F) return c;
    return (c % 2 == 0) ? c + 1 : c;
  }
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  return c;
}

bool isLetterCp(std::uint32_t c) {
  if ((c & 0xFFFF0000u) == kRawByte) return false;
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  if (c < 0xC0) return c == 0xAA || c == 0xB5 || c == 0xBA;
  if (c == 0xD7 || c == 0xF7) return false;
  return toUpperCp(c) != c || toLowerCp(c) != c || c >= 0x100;  // beyond Latin-1: treated as letters
}

template <class F>
std::string mapCodePoints(const std::string& text, F f) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) encode(f(decode(text, i)), out);
  return out;
}

}  // namespace

std::string typeWithArticle(const Json& v) {
  if (v.is_null()) return "blank";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a text";
  if (v.is_array()) return "a table";
  return "a record";
}

namespace {

// An optional sign, then an optional '$' (also "$-5" and "-$5"), with spaces around them, from s[i] on.
void readSignAndCurrency(const std::string& s, std::size_t& i, bool& negative, bool& currency) {
  auto skipSpaces = [&] {
    while (i < s.size() && isAsciiSpace(s[i])) ++i;
  };
  negative = false;
  currency = false;
  skipSpaces();
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  skipSpaces();
  if (i < s.size() && s[i] == '$') {
    currency = true;
    ++i;
    skipSpaces();
    if (!negative && i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  }
}

// The mantissa's digits from s[i] on, without group separators and with its '.' kept; false when it has no digit.
bool readMantissa(const std::string& s, std::size_t& i, std::string& digits) {
  bool sawDigit = false, sawPoint = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (isAsciiDigit(c)) {
      digits += c;
      sawDigit = true;
    } else if (c == ',' && !sawPoint && sawDigit && i + 1 < s.size() && isAsciiDigit(s[i + 1])) {
      continue;
    } else if (c == '.' && !sawPoint) {
      sawPoint = true;
      digits += c;
    } else {
      break;
    }
  }
  return sawDigit;
}

// An optional exponent from s[i] on, read as "e", its sign and its first digits (8 characters at most; "" when
// there is none); false when the 'e' is not followed by digits.
bool readExponentText(const std::string& s, std::size_t& i, std::string& exponent) {
  if (i >= s.size() || (s[i] != 'e' && s[i] != 'E')) return true;
  std::size_t k = i + 1;
  std::string exp = "e";
  if (k < s.size() && (s[k] == '+' || s[k] == '-')) exp += s[k++];
  if (k >= s.size() || !isAsciiDigit(s[k])) return false;
  while (k < s.size() && isAsciiDigit(s[k]) && exp.size() < 8) exp += s[k++];
  while (k < s.size() && isAsciiDigit(s[k])) ++k;  // absurd exponents: out of range below anyway
  exponent = exp;
  i = k;
  return true;
}

// The value of mantissa digits (with an optional '.') and an exponent text ("" or "e-12"). Locale-independent:
// strtod reads '.' only in the C locale, so it is handed digits and a power of ten instead.
double decimalValue(const std::string& digits, const std::string& exponent) {
  std::string intPart = digits, fracPart;
  const std::size_t point = digits.find('.');
  if (point != std::string::npos) {
    intPart = digits.substr(0, point);
    fracPart = digits.substr(point + 1);
  }
  long exp10 = exponent.empty() ? 0 : std::strtol(exponent.c_str() + 1, nullptr, 10);
  exp10 -= static_cast<long>(fracPart.size());
  const std::string mantissa = intPart + fracPart;
  const std::size_t nz = mantissa.find_first_not_of('0');
  if (nz == std::string::npos) return 0;
  const std::string t = mantissa.substr(nz) + "e" + std::to_string(exp10);
  return std::strtod(t.c_str(), nullptr);
}

}  // namespace

bool parseNumberText(const std::string& text, double& out, bool& blank) {
  out = 0;
  blank = false;
  std::size_t b = 0, e = text.size();
  while (b < e && isAsciiSpace(text[b])) ++b;
  while (e > b && isAsciiSpace(text[e - 1])) --e;
  if (b == e) {
    blank = true;
    return true;
  }
  std::string s = text.substr(b, e - b);
  bool percent = false;
  if (s.front() == '%') {
    percent = true;
    s.erase(0, 1);
  } else if (s.back() == '%') {
    percent = true;
    s.pop_back();
  }
  std::size_t i = 0;
  bool negative = false, currency = false;
  readSignAndCurrency(s, i, negative, currency);
  if (percent && currency) return false;
  std::string digits, exponent;
  if (!readMantissa(s, i, digits)) return false;
  if (!readExponentText(s, i, exponent)) return false;
  if (i != s.size()) return false;
  double value = decimalValue(digits, exponent);
  if (!std::isfinite(value)) return false;
  if (percent) value /= 100;
  out = negative ? -value : value;
  return true;
}

bool toNumber(const Json& v, double& out, std::string& error) {
  if (v.is_null()) {
    out = 0;
    return true;
  }
  if (v.is_boolean()) {
    out = v.get<bool>() ? 1 : 0;
    return true;
  }
  if (v.is_number()) {
    out = v.get<double>();
    return true;
  }
  if (v.is_string()) {
    bool blank = false;
    if (parseNumberText(v.get_ref<const std::string&>(), out, blank)) return true;
    std::string shown = v.get<std::string>();
    if (codePointLength(shown) > 40) shown = shown.substr(0, 40) + "...";
    error = "the text \"" + shown + "\" is not a number";
    return false;
  }
  error = typeWithArticle(v) + " cannot be used as a number";
  return false;
}

std::string formatNumber(double d) {
  const bool negative = std::signbit(d);
  const double magnitude = std::fabs(d);
  if (magnitude == 0) return "0";
  std::string digits;
  long n = 0;  // value = 0.digits * 10^n
  for (int precision = 0; precision <= 16; ++precision) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*e", precision, magnitude);
    std::string candidate;
    const char* p = buffer;
    for (; *p != '\0' && *p != 'e' && *p != 'E'; ++p) {
      if (isAsciiDigit(*p)) candidate += *p;
    }
    const long exponent = *p != '\0' ? std::strtol(p + 1, nullptr, 10) : 0;
    const std::string roundTrip = candidate + "e" + std::to_string(exponent - precision);
    if (std::strtod(roundTrip.c_str(), nullptr) == magnitude || precision == 16) {
      digits = candidate;
      n = exponent + 1;
      break;
    }
  }
  digits.erase(digits.find_last_not_of('0') + 1);
  const long k = static_cast<long>(digits.size());
  std::string out = negative ? "-" : "";
  if (k <= n && n <= 21) {
    out += digits + std::string(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<std::size_t>(n)) + "." + digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0." + std::string(static_cast<std::size_t>(-n), '0') + digits;
  } else {
    const long e = n - 1;
    out += digits.substr(0, 1);
    if (k > 1) {
      out += '.';
      out.append(digits, 1, std::string::npos);
    }
    out += e < 0 ? "e-" : "e+";
    out += std::to_string(e < 0 ? -e : e);
  }
  return out;
}

std::string numberToText(const Json& v) {
  if (v.is_number_unsigned()) return std::to_string(v.get<std::uint64_t>());
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  const Json normalized = normalizeNumber(v);
  if (normalized.is_number_integer()) return std::to_string(normalized.get<std::int64_t>());
  return formatNumber(v.get<double>());
}

std::string toText(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return numberToText(v);
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_null()) return "";
  return v.dump();
}

bool toBoolean(const Json& v, bool& out, std::string& error) {
  if (v.is_null()) {
    out = false;
    return true;
  }
  if (v.is_boolean()) {
    out = v.get<bool>();
    return true;
  }
  if (v.is_number()) {
    out = v.get<double>() != 0;
    return true;
  }
  if (v.is_string()) {
    out = lower(v.get<std::string>()) == "true";
    return true;
  }
  error = typeWithArticle(v) + " cannot be used as a boolean";
  return false;
}

int compareNumbers(const Json& a, const Json& b) {
  auto sign = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  const bool aInt = a.is_number_integer(), bInt = b.is_number_integer();
  if (aInt && bInt) {
    const bool aUnsigned = a.is_number_unsigned(), bUnsigned = b.is_number_unsigned();
    if (!aUnsigned && !bUnsigned) return sign(a.get<std::int64_t>(), b.get<std::int64_t>());
    if (aUnsigned && bUnsigned) return sign(a.get<std::uint64_t>(), b.get<std::uint64_t>());
    if (!aUnsigned) {
      const std::int64_t x = a.get<std::int64_t>();
      return x < 0 ? -1 : sign(static_cast<std::uint64_t>(x), b.get<std::uint64_t>());
    }
    const std::int64_t y = b.get<std::int64_t>();
    return y < 0 ? 1 : sign(a.get<std::uint64_t>(), static_cast<std::uint64_t>(y));
  }
  return sign(a.get<double>(), b.get<double>());
}

bool valuesEqual(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) return compareNumbers(a, b) == 0;
  if (a.is_string() && b.is_string()) return a.get_ref<const std::string&>() == b.get_ref<const std::string&>();
  if (a.is_boolean() && b.is_boolean()) return a.get<bool>() == b.get<bool>();
  return a.is_null() && b.is_null();
}

std::vector<std::string> codePoints(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t start = i;
    decode(text, i);
    out.push_back(text.substr(start, i - start));
  }
  return out;
}

std::size_t codePointLength(const std::string& text) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size();) {
    decode(text, i);
    ++n;
  }
  return n;
}

std::string upper(const std::string& text) { return mapCodePoints(text, toUpperCp); }
std::string lower(const std::string& text) { return mapCodePoints(text, toLowerCp); }

std::string proper(const std::string& text) {
  std::string out;
  bool previousLetter = false;
  for (std::size_t i = 0; i < text.size();) {
    const std::uint32_t cp = decode(text, i);
    const bool letter = isLetterCp(cp);
    encode(letter ? (previousLetter ? toLowerCp(cp) : toUpperCp(cp)) : cp, out);
    // An apostrophe inside a word does not end it ("it's" -> "It's"), as .NET's title casing does.
    const bool apostrophe = cp == '\'' || cp == 0x2019;
    previousLetter = letter || (apostrophe && previousLetter);
  }
  return out;
}

bool isLetterCodePoint(const std::string& cp) {
  std::size_t i = 0;
  return !cp.empty() && isLetterCp(decode(cp, i));
}

}  // namespace jr::powerfx
