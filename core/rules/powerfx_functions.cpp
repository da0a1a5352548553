// Built-in Power Fx functions with eagerly evaluated arguments; see powerfx_functions.hpp and the README's table.
#include "core/rules/powerfx_functions.hpp"

#include <algorithm>
#include <cmath>

#include "core/rules/powerfx_number_format.hpp"
#include "core/rules/powerfx_values.hpp"

namespace jr::powerfx {
namespace {

// Functions the evaluator implements itself because they choose which arguments to evaluate.
const char* const kLazyFunctions[] = {"And", "Coalesce", "If", "IfError", "Or", "Switch"};

// Text results are checked while they are built, so no function can allocate far beyond the limit.
constexpr std::size_t kMaxTextBytes = 1000000;

std::string tooLong() { return "the text would be longer than " + std::to_string(kMaxTextBytes) + " bytes"; }

std::string ordinal(std::size_t i) {
  static const char* const kNames[] = {"first", "second", "third", "fourth", "fifth"};
  return i < 5 ? std::string(kNames[i]) + " argument" : "argument " + std::to_string(i + 1);
}

bool number(const Args& a, std::size_t i, double& out, std::string& error) {
  std::string why;
  if (toNumber(a[i], out, why)) return true;
  error = "the " + ordinal(i) + " must be a number, but " + why;
  return false;
}

bool result(double d, Json& out, std::string& error) {
  if (!std::isfinite(d)) {
    error = "the result is out of range";
    return false;
  }
  out = numberJson(d == 0 ? 0.0 : d);  // no negative zero
  return true;
}

// A whole count or position argument (truncated toward zero, as Power Fx does).
bool whole(const Args& a, std::size_t i, double& out, std::string& error) {
  if (!number(a, i, out, error)) return false;
  out = std::trunc(out);
  return true;
}

std::string join(const std::vector<std::string>& cps, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to && i < cps.size(); ++i) out += cps[i];
  return out;
}

// Positions in code points of `needle` in `haystack` starting at code point `from`; npos when absent.
std::size_t findCodePoints(const std::vector<std::string>& haystack, const std::vector<std::string>& needle,
                           std::size_t from) {
  if (needle.empty()) return from <= haystack.size() ? from : std::string::npos;
  for (std::size_t i = from; i + needle.size() <= haystack.size(); ++i) {
    if (std::equal(needle.begin(), needle.end(), haystack.begin() + static_cast<std::ptrdiff_t>(i))) return i;
  }
  return std::string::npos;
}

// ---- Blank and tables --------------------------------------------------------------------------------------

bool fnBlank(const Args&, Json& out, std::string&) {
  out = nullptr;
  return true;
}

bool fnIsBlank(const Args& a, Json& out, std::string&) {
  out = a[0].is_null() || (a[0].is_string() && a[0].get_ref<const std::string&>().empty());
  return true;
}

bool fnIsEmpty(const Args& a, Json& out, std::string& error) {
  if (a[0].is_array()) {
    out = a[0].empty();
    return true;
  }
  if (a[0].is_null()) {
    out = true;
    return true;
  }
  error = "the argument must be a table, such as [\"a\", \"b\"], but it is " + typeWithArticle(a[0]) +
          " (use IsBlank for a single value)";
  return false;
}

bool fnNot(const Args& a, Json& out, std::string& error) {
  bool b = false;
  std::string why;
  if (!toBoolean(a[0], b, why)) {
    error = "the argument must be a boolean, but " + why;
    return false;
  }
  out = !b;
  return true;
}

// ---- Text --------------------------------------------------------------------------------------------------

bool fnLen(const Args& a, Json& out, std::string&) {
  out = static_cast<std::int64_t>(codePointLength(toText(a[0])));
  return true;
}

bool fnUpper(const Args& a, Json& out, std::string&) {
  out = upper(toText(a[0]));
  return true;
}

bool fnLower(const Args& a, Json& out, std::string&) {
  out = lower(toText(a[0]));
  return true;
}

bool fnProper(const Args& a, Json& out, std::string&) {
  out = proper(toText(a[0]));
  return true;
}

// White space as .NET's char.IsWhiteSpace sees it (the implementation trims with it).
bool isWhiteSpace(const std::string& cp) {
  static const char* const kSpaces[] = {
      " ", "\t", "\n", "\v", "\f", "\r", "\xC2\x85", "\xC2\xA0", "\xE1\x9A\x80", "\xE2\x80\x80", "\xE2\x80\x81",
      "\xE2\x80\x82", "\xE2\x80\x83", "\xE2\x80\x84", "\xE2\x80\x85", "\xE2\x80\x86", "\xE2\x80\x87", "\xE2\x80\x88",
      "\xE2\x80\x89", "\xE2\x80\x8A", "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80"};
  for (const char* s : kSpaces) {
    if (cp == s) return true;
  }
  return false;
}

// TrimEnds: white space off both ends. Trim: first every run of white space other than line breaks (\n \v \f
// \r) and no-break spaces (U+00A0) becomes one space, as in Excel, then both ends are trimmed.
std::string trimText(const std::string& s, bool inner) {
  std::vector<std::string> cps = codePoints(s);
  if (inner) {
    std::vector<std::string> collapsed;
    for (const std::string& cp : cps) {
      const bool collapsible = isWhiteSpace(cp) && cp != "\n" && cp != "\v" && cp != "\f" && cp != "\r" &&
                               cp != "\xC2\xA0";
      if (!collapsible) {
        collapsed.push_back(cp);
      } else if (collapsed.empty() || collapsed.back() != " ") {
        collapsed.emplace_back(" ");
      }
    }
    cps = std::move(collapsed);
  }
  std::size_t b = 0, e = cps.size();
  while (b < e && isWhiteSpace(cps[b])) ++b;
  while (e > b && isWhiteSpace(cps[e - 1])) --e;
  return join(cps, b, e);
}

bool fnTrim(const Args& a, Json& out, std::string&) {
  out = trimText(toText(a[0]), true);
  return true;
}

bool fnTrimEnds(const Args& a, Json& out, std::string&) {
  out = trimText(toText(a[0]), false);
  return true;
}

bool leftOrRight(const Args& a, Json& out, std::string& error, bool left) {
  double n = 0;
  if (!whole(a, 1, n, error)) return false;
  if (n < 0) {
    error = "the number of characters must be 0 or more, but it is " + formatNumber(n);
    return false;
  }
  const std::vector<std::string> cps = codePoints(toText(a[0]));
  const std::size_t count = n >= static_cast<double>(cps.size()) ? cps.size() : static_cast<std::size_t>(n);
  out = left ? join(cps, 0, count) : join(cps, cps.size() - count, cps.size());
  return true;
}

bool fnLeft(const Args& a, Json& out, std::string& error) { return leftOrRight(a, out, error, true); }
bool fnRight(const Args& a, Json& out, std::string& error) { return leftOrRight(a, out, error, false); }

bool fnMid(const Args& a, Json& out, std::string& error) {
  double start = 0, count = 0;
  if (!whole(a, 1, start, error)) return false;
  if (start < 1) {
    error = "the start must be 1 or more, but it is " + formatNumber(start);
    return false;
  }
  const std::vector<std::string> cps = codePoints(toText(a[0]));
  count = static_cast<double>(cps.size());
  if (a.size() > 2) {
    if (!whole(a, 2, count, error)) return false;
    if (count < 0) {
      error = "the number of characters must be 0 or more, but it is " + formatNumber(count);
      return false;
    }
  }
  if (start > static_cast<double>(cps.size())) {
    out = "";
    return true;
  }
  const std::size_t from = static_cast<std::size_t>(start) - 1;
  const std::size_t n = count >= static_cast<double>(cps.size()) ? cps.size() : static_cast<std::size_t>(count);
  out = join(cps, from, from + n);
  return true;
}

bool fnFind(const Args& a, Json& out, std::string& error) {
  const std::vector<std::string> needle = codePoints(toText(a[0]));
  const std::vector<std::string> haystack = codePoints(toText(a[1]));
  double start = 1;
  if (a.size() > 2) {
    if (a[2].is_null()) {  // Find(x, y, Blank()) is Blank in the implementation
      out = nullptr;
      return true;
    }
    if (!whole(a, 2, start, error)) return false;
  }
  if (start < 1 || start > static_cast<double>(haystack.size()) + 1) {
    error = "the start must be between 1 and the length of the text plus 1 (" +
            std::to_string(haystack.size() + 1) + "), but it is " + formatNumber(start);
    return false;
  }
  const std::size_t at = findCodePoints(haystack, needle, static_cast<std::size_t>(start) - 1);
  if (at == std::string::npos) {
    out = nullptr;
  } else {
    out = static_cast<std::int64_t>(at + 1);
  }
  return true;
}

bool fnSubstitute(const Args& a, Json& out, std::string& error) {
  const std::vector<std::string> text = codePoints(toText(a[0]));
  const std::vector<std::string> old = codePoints(toText(a[1]));
  const std::string replacement = toText(a[2]);
  double instance = 0;  // 0: every occurrence
  if (a.size() > 3 && !a[3].is_null()) {
    if (!whole(a, 3, instance, error)) return false;
    if (instance < 1) {
      error = "the instance must be 1 or more, but it is " + formatNumber(instance);
      return false;
    }
  }
  if (old.empty()) {
    out = join(text, 0, text.size());
    return true;
  }
  std::string result;
  std::size_t pos = 0;
  double seen = 0;
  while (true) {
    const std::size_t at = findCodePoints(text, old, pos);
    if (at == std::string::npos) break;
    ++seen;
    result += join(text, pos, at);
    if (instance == 0 || seen == instance) {
      result += replacement;
    } else {
      result += join(text, at, at + old.size());
    }
    if (result.size() > kMaxTextBytes) {
      error = tooLong();
      return false;
    }
    pos = at + old.size();
    if (instance != 0 && seen == instance) break;
  }
  result += join(text, pos, text.size());
  out = result;
  return true;
}

bool fnReplace(const Args& a, Json& out, std::string& error) {
  double start = 0, count = 0;
  if (!whole(a, 1, start, error) || !whole(a, 2, count, error)) return false;
  if (start < 1) {
    error = "the start must be 1 or more, but it is " + formatNumber(start);
    return false;
  }
  if (count < 0) {
    error = "the number of characters must be 0 or more, but it is " + formatNumber(count);
    return false;
  }
  const std::vector<std::string> text = codePoints(toText(a[0]));
  const std::size_t size = text.size();
  const std::size_t from = start - 1 >= static_cast<double>(size) ? size : static_cast<std::size_t>(start) - 1;
  const std::size_t to = static_cast<double>(from) + count >= static_cast<double>(size)
                             ? size
                             : from + static_cast<std::size_t>(count);
  out = join(text, 0, from) + toText(a[3]) + join(text, to, size);
  return true;
}

bool fnStartsWith(const Args& a, Json& out, std::string&) {
  const std::string text = lower(toText(a[0])), prefix = lower(toText(a[1]));
  out = text.compare(0, prefix.size(), prefix) == 0 && text.size() >= prefix.size();
  return true;
}

bool fnEndsWith(const Args& a, Json& out, std::string&) {
  const std::string text = lower(toText(a[0])), suffix = lower(toText(a[1]));
  out = text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
  return true;
}

bool fnConcatenate(const Args& a, Json& out, std::string& error) {
  std::string s;
  for (const Json& v : a) {
    s += toText(v);
    if (s.size() > kMaxTextBytes) {
      error = tooLong();
      return false;
    }
  }
  out = s;
  return true;
}

bool fnText(const Args& a, Json& out, std::string& error) {
  if (a[0].is_null()) {
    out = nullptr;
    return true;
  }
  if (a.size() < 2 || a[1].is_null() || (a[1].is_string() && a[1].get_ref<const std::string&>().empty())) {
    out = toText(a[0]);
    return true;
  }
  double x = 0;
  if (!number(a, 0, x, error)) return false;
  std::string text, why;
  if (!formatWithPattern(x, toText(a[1]), text, why)) {
    error = "the format \"" + toText(a[1]) + "\" is not supported: " + why;
    return false;
  }
  out = text;
  return true;
}

bool fnValue(const Args& a, Json& out, std::string& error) {
  if (a[0].is_null()) {
    out = nullptr;
    return true;
  }
  if (a[0].is_string()) {
    double d = 0;
    bool blank = false;
    if (!parseNumberText(a[0].get_ref<const std::string&>(), d, blank)) {
      std::string why;
      toNumber(a[0], d, why);
      error = why;
      return false;
    }
    if (blank) {
      out = nullptr;
      return true;
    }
    return result(d, out, error);
  }
  if (a[0].is_number()) {
    out = a[0];
    return true;
  }
  double d = 0;
  if (!number(a, 0, d, error)) return false;
  return result(d, out, error);
}

bool fnBoolean(const Args& a, Json& out, std::string& error) {
  const Json& v = a[0];
  if (v.is_null()) {
    out = nullptr;
  } else if (v.is_boolean()) {
    out = v;
  } else if (v.is_number()) {
    out = v.get<double>() != 0;
  } else if (v.is_string()) {
    const std::string t = lower(v.get<std::string>());
    if (t.empty()) {
      out = nullptr;
    } else if (t == "true" || t == "false") {
      out = t == "true";
    } else {
      error = "the text \"" + v.get<std::string>() + "\" is neither \"true\" nor \"false\"";
      return false;
    }
  } else {
    error = "the argument must be a boolean, number or text, but it is " + typeWithArticle(v);
    return false;
  }
  return true;
}

// ---- Numbers -----------------------------------------------------------------------------------------------

bool fnInt(const Args& a, Json& out, std::string& error) {
  double x = 0;
  return number(a, 0, x, error) && result(std::floor(x), out, error);
}

bool rounding(const Args& a, Json& out, std::string& error, RoundMode mode) {
  double x = 0, digits = 0;
  if (!number(a, 0, x, error)) return false;
  if (a.size() > 1 && !number(a, 1, digits, error)) return false;
  if (!std::isfinite(digits)) digits = digits > 0 ? 400 : -400;
  return result(roundDecimal(x, digits, mode), out, error);
}

bool fnTrunc(const Args& a, Json& out, std::string& error) { return rounding(a, out, error, RoundMode::Down); }
bool fnRound(const Args& a, Json& out, std::string& error) { return rounding(a, out, error, RoundMode::Half); }
bool fnRoundUp(const Args& a, Json& out, std::string& error) { return rounding(a, out, error, RoundMode::Up); }
bool fnRoundDown(const Args& a, Json& out, std::string& error) {
  return rounding(a, out, error, RoundMode::Down);
}

bool fnAbs(const Args& a, Json& out, std::string& error) {
  double x = 0;
  return number(a, 0, x, error) && result(std::fabs(x), out, error);
}

bool fnMod(const Args& a, Json& out, std::string& error) {
  double n = 0, d = 0;
  if (!number(a, 0, n, error) || !number(a, 1, d, error)) return false;
  if (d == 0) {
    error = "division by zero (the divisor is 0)";
    return false;
  }
  double r = std::fmod(n, d);
  if (r != 0 && ((r < 0) != (d < 0))) r += d;  // the result takes the divisor's sign
  return result(r, out, error);
}

bool fnPower(const Args& a, Json& out, std::string& error) {
  double x = 0, y = 0;
  if (!number(a, 0, x, error) || !number(a, 1, y, error)) return false;
  if (x == 0 && y < 0) {
    error = "division by zero (0 to a negative power)";
    return false;
  }
  const double r = std::pow(x, y);
  if (std::isnan(r)) {
    error = "a negative number to a fractional power has no real result";
    return false;
  }
  return result(r, out, error);
}

bool fnSqrt(const Args& a, Json& out, std::string& error) {
  double x = 0;
  if (!number(a, 0, x, error)) return false;
  if (x < 0) {
    error = "the number must not be negative, but it is " + formatNumber(x);
    return false;
  }
  return result(std::sqrt(x), out, error);
}

bool fnExp(const Args& a, Json& out, std::string& error) {
  double x = 0;
  return number(a, 0, x, error) && result(std::exp(x), out, error);
}

bool fnLn(const Args& a, Json& out, std::string& error) {
  double x = 0;
  if (!number(a, 0, x, error)) return false;
  if (x <= 0) {
    error = "the number must be greater than 0, but it is " + formatNumber(x);
    return false;
  }
  return result(std::log(x), out, error);
}

// Numbers of an aggregate's arguments; Blank and "" are skipped, as Power Fx skips blank values.
bool aggregateNumbers(const Args& a, std::vector<double>& values, std::string& error) {
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].is_null()) continue;
    if (a[i].is_string()) {
      double d = 0;
      bool blank = false;
      if (parseNumberText(a[i].get_ref<const std::string&>(), d, blank) && blank) continue;
    }
    double d = 0;
    if (!number(a, i, d, error)) return false;
    values.push_back(d);
  }
  return true;
}

bool minOrMax(const Args& a, Json& out, std::string& error, bool isMin) {
  std::vector<double> values;
  if (!aggregateNumbers(a, values, error)) return false;
  if (values.empty()) return result(0, out, error);  // Max(Blank()) is 0 in the implementation
  double best = values[0];
  for (double v : values) best = isMin ? std::min(best, v) : std::max(best, v);
  return result(best, out, error);
}

bool fnMin(const Args& a, Json& out, std::string& error) { return minOrMax(a, out, error, true); }
bool fnMax(const Args& a, Json& out, std::string& error) { return minOrMax(a, out, error, false); }

bool fnSum(const Args& a, Json& out, std::string& error) {
  std::vector<double> values;
  if (!aggregateNumbers(a, values, error)) return false;
  double sum = 0;
  for (double v : values) sum += v;
  return result(sum, out, error);
}

bool fnAverage(const Args& a, Json& out, std::string& error) {
  std::vector<double> values;
  if (!aggregateNumbers(a, values, error)) return false;
  if (values.empty()) {
    error = "division by zero (every argument is blank)";
    return false;
  }
  double sum = 0;
  for (double v : values) sum += v;
  return result(sum / static_cast<double>(values.size()), out, error);
}

// Sorted by name (binary search).
const FunctionInfo kFunctions[] = {
    {"Abs", 1, 1, fnAbs, false},
    {"Average", 1, kVariadic, fnAverage, false},
    {"Blank", 0, 0, fnBlank, false},
    {"Boolean", 1, 1, fnBoolean, false},
    {"Concatenate", 1, kVariadic, fnConcatenate, false},
    {"EndsWith", 2, 2, fnEndsWith, false},
    {"Exp", 1, 1, fnExp, false},
    {"Find", 2, 3, fnFind, false},
    {"Int", 1, 1, fnInt, false},
    {"IsBlank", 1, 1, fnIsBlank, false},
    {"IsEmpty", 1, 1, fnIsEmpty, true},
    {"Left", 2, 2, fnLeft, false},
    {"Len", 1, 1, fnLen, false},
    {"Ln", 1, 1, fnLn, false},
    {"Lower", 1, 1, fnLower, false},
    {"Max", 1, kVariadic, fnMax, false},
    {"Mid", 2, 3, fnMid, false},
    {"Min", 1, kVariadic, fnMin, false},
    {"Mod", 2, 2, fnMod, false},
    {"Not", 1, 1, fnNot, false},
    {"Power", 2, 2, fnPower, false},
    {"Proper", 1, 1, fnProper, false},
    {"Replace", 4, 4, fnReplace, false},
    {"Right", 2, 2, fnRight, false},
    {"Round", 2, 2, fnRound, false},
    {"RoundDown", 2, 2, fnRoundDown, false},
    {"RoundUp", 2, 2, fnRoundUp, false},
    {"Sqrt", 1, 1, fnSqrt, false},
    {"StartsWith", 2, 2, fnStartsWith, false},
    {"Substitute", 3, 4, fnSubstitute, false},
    {"Sum", 1, kVariadic, fnSum, false},
    {"Text", 1, 2, fnText, false},
    {"Trim", 1, 1, fnTrim, false},
    {"TrimEnds", 1, 1, fnTrimEnds, false},
    {"Trunc", 1, 2, fnTrunc, false},
    {"Upper", 1, 1, fnUpper, false},
    {"Value", 1, 1, fnValue, false},
};

}  // namespace

const FunctionInfo* findFunction(const std::string& name) {
  for (const FunctionInfo& f : kFunctions) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

std::string functionNameIgnoringCase(const std::string& name) {
  const std::string wanted = lower(name);
  for (const std::string& candidate : allFunctionNames()) {
    if (lower(candidate) == wanted) return candidate;
  }
  return "";
}

std::vector<std::string> allFunctionNames() {
  std::vector<std::string> names;
  for (const FunctionInfo& f : kFunctions) names.emplace_back(f.name);
  for (const char* n : kLazyFunctions) names.emplace_back(n);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace jr::powerfx
