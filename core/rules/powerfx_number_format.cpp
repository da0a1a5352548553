// Decimal rounding and Text() number formats; the rules are described in powerfx_number_format.hpp.
#include "core/rules/powerfx_number_format.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace jr::powerfx {
namespace {

constexpr int kSignificant = 15;

// |x| as 15 significant decimal digits D and exponent E: |x| = D[0].D[1..14] * 10^E. printf's %e is exact and
// correctly rounded in glibc and musl alike, and the radix character it prints is skipped, so no locale enters.
void decimalDigits(double x, std::string& digits, long& exponent) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*e", kSignificant - 1, std::fabs(x));
  digits.clear();
  const char* p = buffer;
  for (; *p != '\0' && *p != 'e' && *p != 'E'; ++p) {
    if (*p >= '0' && *p <= '9') digits += *p;
  }
  exponent = *p != '\0' ? std::strtol(p + 1, nullptr, 10) : 0;
}

// Adds one to a string of decimal digits ("" counts as 0).
std::string incremented(std::string digits) {
  int i = static_cast<int>(digits.size()) - 1;
  for (; i >= 0; --i) {
    if (digits[static_cast<std::size_t>(i)] == '9') {
      digits[static_cast<std::size_t>(i)] = '0';
    } else {
      ++digits[static_cast<std::size_t>(i)];
      return digits;
    }
  }
  return "1" + digits;
}

// Integer and fraction digits of a non-negative value, with exactly `fractionDigits` fraction digits (from its
// 15 significant digits; positions beyond them are zeros). The integer part has no leading zeros ("" for 0).
void fixedDigits(double v, int fractionDigits, std::string& intPart, std::string& fracPart) {
  intPart.clear();
  fracPart.clear();
  std::string d;
  long e = 0;
  if (v == 0) {
    fracPart.assign(static_cast<std::size_t>(fractionDigits), '0');
    return;
  }
  decimalDigits(v, d, e);
  auto digitAt = [&](long position) -> char {  // digit of 10^position
    const long index = e - position;
    return index >= 0 && index < static_cast<long>(d.size()) ? d[static_cast<std::size_t>(index)] : '0';
  };
  for (long p = e; p >= 0; --p) intPart += digitAt(p);
  const std::size_t nz = intPart.find_first_not_of('0');
  intPart = nz == std::string::npos ? std::string() : intPart.substr(nz);
  for (long p = -1; p >= -static_cast<long>(fractionDigits); --p) fracPart += digitAt(p);
}

bool isAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// One section of a format string, read into prefix literal, digit block and suffix literal.
struct Section {
  std::string prefix, suffix;
  std::string intPlaceholders;   // '0' / '#' in the integer part, in order
  std::string fracPlaceholders;  // '0' / '#' after the decimal point
  bool hasPoint = false, grouping = false;
  int percent = 0, scaleCommas = 0;
  bool hasDigits = false;
};

// Reads a section's characters in order, tracking whether each falls before, in or after the digit block.
class SectionReader {
 public:
  SectionReader(const std::string& text, Section& out, std::string& error) : text_(text), out_(out), error_(error) {}

  bool read() {
    for (std::size_t i = 0; i < text_.size(); ++i) {
      if (!readAt(i)) return false;
    }
    out_.scaleCommas += static_cast<int>(pendingCommas_.size());
    return true;
  }

 private:
  enum class Where { Prefix, Block, Suffix };

  // Reads the character (or quoted text / escape) at text_[i], leaving i on its last byte.
  bool readAt(std::size_t& i) {
    const char c = text_[i];
    if (c == '0' || c == '#') return placeholder(c);
    if (c == '.') {
      point();
    } else if (c == ',') {
      comma();
    } else if (c == '%') {
      ++out_.percent;
      closeScaleCommas();
      literal("%");
    } else if (c == '"') {
      return quoted(i);
    } else if (c == '\\') {
      return escaped(i);
    } else if (isAsciiLetter(c)) {
      error_ = std::string("'") + c +
               "' is not supported (only number formats are: 0 # . , % and literal text; date, time and exponent "
               "formats are not)";
      return false;
    } else {
      closeScaleCommas();
      const std::size_t end = codePointEnd(i + 1);
      literal(text_.substr(i, end - i));
      i = end - 1;
    }
    return true;
  }

  // The end of the UTF-8 continuation bytes from `from` on.
  std::size_t codePointEnd(std::size_t from) const {
    std::size_t end = from;
    while (end < text_.size() && (static_cast<unsigned char>(text_[end]) & 0xC0) == 0x80) ++end;
    return end;
  }

  void literal(const std::string& s) {
    if (where_ == Where::Prefix) {
      out_.prefix += s;
      return;
    }
    where_ = Where::Suffix;
    out_.suffix += s;
  }

  // Commas pending at the end of the digit block divide the value by 1000 each.
  void closeScaleCommas() {
    if (where_ != Where::Block) return;
    out_.scaleCommas += static_cast<int>(pendingCommas_.size());
    pendingCommas_.clear();
  }

  bool placeholder(char c) {
    if (where_ == Where::Suffix) {
      error_ = "text between digit placeholders is not supported";
      return false;
    }
    where_ = Where::Block;
    out_.hasDigits = true;
    if (out_.hasPoint) {
      out_.fracPlaceholders += c;
    } else {
      if (!pendingCommas_.empty() && !out_.intPlaceholders.empty()) out_.grouping = true;
      pendingCommas_.clear();
      out_.intPlaceholders += c;
    }
    return true;
  }

  void point() {
    if (out_.hasPoint || where_ == Where::Suffix) {
      literal(".");
      return;
    }
    out_.hasPoint = true;
    out_.scaleCommas += static_cast<int>(pendingCommas_.size());
    pendingCommas_.clear();
    where_ = Where::Block;
  }

  void comma() {
    if (where_ == Where::Block && !out_.hasPoint) {
      pendingCommas_ += ',';
    } else if (where_ == Where::Block) {
      // a comma among fraction placeholders: ignored, as .NET does
    } else {
      literal(",");
    }
  }

  bool quoted(std::size_t& i) {
    const std::size_t close = text_.find('"', i + 1);
    if (close == std::string::npos) {
      error_ = "a quoted text is not closed";
      return false;
    }
    closeScaleCommas();
    literal(text_.substr(i + 1, close - i - 1));
    i = close;
    return true;
  }

  bool escaped(std::size_t& i) {
    if (i + 1 >= text_.size()) {
      error_ = "the format ends with '\\'";
      return false;
    }
    const std::size_t end = codePointEnd(i + 2);
    closeScaleCommas();
    literal(text_.substr(i + 1, end - i - 1));
    i = end - 1;
    return true;
  }

  const std::string& text_;
  Section& out_;
  std::string& error_;
  Where where_ = Where::Prefix;
  std::string pendingCommas_;  // commas seen in the integer part whose role is not known yet
};

bool readSection(const std::string& text, Section& out, std::string& error) {
  return SectionReader(text, out, error).read();
}

std::vector<std::string> splitSections(const std::string& format) {
  std::vector<std::string> sections(1);
  for (std::size_t i = 0; i < format.size(); ++i) {
    const char c = format[i];
    if (c == '"') {
      const std::size_t close = format.find('"', i + 1);
      const std::size_t end = close == std::string::npos ? format.size() : close + 1;
      sections.back() += format.substr(i, end - i);
      i = end - 1;
    } else if (c == '\\' && i + 1 < format.size()) {
      sections.back() += format.substr(i, 2);
      ++i;
    } else if (c == ';') {
      sections.emplace_back();
    } else {
      sections.back() += c;
    }
  }
  return sections;
}

}  // namespace

double roundDecimal(double x, double digits, RoundMode mode) {
  if (x == 0 || !std::isfinite(x)) return x;
  double truncated = std::trunc(digits);
  if (!(truncated > -400)) truncated = -400;  // also NaN
  if (truncated > 400) truncated = 400;
  const long d = static_cast<long>(truncated);
  std::string digitsText;
  long e = 0;
  decimalDigits(x, digitsText, e);
  const long keep = e + 1 + d;  // significant digits kept
  if (keep >= kSignificant) return x;
  std::string kept;
  bool increment = false;
  if (keep < 0) {
    increment = mode == RoundMode::Up;
  } else {
    kept = digitsText.substr(0, static_cast<std::size_t>(keep));
    const std::string rest = digitsText.substr(static_cast<std::size_t>(keep));
    if (mode == RoundMode::Half) increment = !rest.empty() && rest[0] >= '5';
    if (mode == RoundMode::Up) increment = rest.find_first_not_of('0') != std::string::npos;
  }
  if (increment) kept = incremented(kept);
  if (kept.empty() || kept.find_first_not_of('0') == std::string::npos) return 0.0;
  const std::string text = kept + "e" + std::to_string(-d);
  const double magnitude = std::strtod(text.c_str(), nullptr);
  return x < 0 ? -magnitude : magnitude;
}

bool formatWithPattern(double x, const std::string& format, std::string& out, std::string& error) {
  std::string f = format;
  while (f.size() >= 2 && f[0] == '[' && f[1] == '$') {  // language tag, e.g. [$-en-US]
    const std::size_t close = f.find(']');
    if (close == std::string::npos) break;
    f.erase(0, close + 1);
  }
  const std::vector<std::string> sections = splitSections(f);
  std::size_t index = 0;
  bool showMinus = true;
  if (x < 0 && sections.size() >= 2 && !sections[1].empty()) {
    index = 1;
    showMinus = false;
  } else if (x == 0 && sections.size() >= 3 && !sections[2].empty()) {
    index = 2;
  }
  Section s;
  if (!readSection(sections[index], s, error)) return false;
  if (!s.hasDigits && !s.hasPoint) {
    out = (x < 0 && showMinus ? "-" : "") + s.prefix + s.suffix;
    return true;
  }
  double value = std::fabs(x);
  for (int i = 0; i < s.percent; ++i) value *= 100;
  for (int i = 0; i < s.scaleCommas; ++i) value /= 1000;
  if (!std::isfinite(value)) {
    error = "the number is out of range";
    return false;
  }
  const int fractionDigits = static_cast<int>(s.fracPlaceholders.size());
  value = roundDecimal(value, fractionDigits, RoundMode::Half);
  std::string intPart, fracPart;
  fixedDigits(value, fractionDigits, intPart, fracPart);
  // Trailing '#' placeholders show no trailing zeros.
  while (!fracPart.empty() && s.fracPlaceholders[fracPart.size() - 1] == '#' && fracPart.back() == '0') {
    fracPart.pop_back();
  }
  // Minimum integer digits: from the first '0' placeholder to the decimal point.
  const std::size_t firstZero = s.intPlaceholders.find('0');
  const std::size_t minDigits = firstZero == std::string::npos ? 0 : s.intPlaceholders.size() - firstZero;
  if (intPart.size() < minDigits) intPart.insert(0, minDigits - intPart.size(), '0');
  if (s.grouping && intPart.size() > 3) {
    std::string grouped;
    const std::size_t lead = intPart.size() % 3;
    for (std::size_t i = 0; i < intPart.size(); ++i) {
      if (i > 0 && (i - lead) % 3 == 0 && i >= lead) grouped += ',';
      grouped += intPart[i];
    }
    intPart = grouped;
  }
  const bool zero = value == 0;
  out.clear();
  if (x < 0 && showMinus && !zero) out += '-';
  out += s.prefix + intPart;
  if (!fracPart.empty()) out += "." + fracPart;
  out += s.suffix;
  return true;
}

}  // namespace jr::powerfx
