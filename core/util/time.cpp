#include "core/util/time.hpp"

// Dates are parsed and formatted by hand, with the proleptic Gregorian calendar: no streams or locales, which
// keeps them cheap on every response and event and keeps iostreams out of the WebAssembly module.
#include <cmath>
#include <cstdint>

#include "core/util/ascii.hpp"

namespace jr {
namespace {


// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil algorithm).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<std::uint64_t>(y - era * 400);
  const std::uint64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const std::uint64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool isLeapYear(std::int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

unsigned lastDayOfMonth(std::int64_t y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && isLeapYear(y) ? 29u : kDays[m - 1];
}

// Seconds since the epoch of a valid date and time of day, or nullopt when a field is out of range.
std::optional<std::int64_t> civilSeconds(std::int64_t y, int mo, int d, int h, int mi, int s) {
  if (mo < 1 || mo > 12 || d < 1 || static_cast<unsigned>(d) > lastDayOfMonth(y, static_cast<unsigned>(mo))) {
    return std::nullopt;
  }
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return std::nullopt;
  return daysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + s;
}

int digitsAt(const std::string& text, std::size_t pos, std::size_t count) {
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) value = value * 10 + (text[pos + i] - '0');
  return value;
}

// "YYYY-MM-DDTHH:MM:SS" (a valid date and time of day), an optional fraction, then "Z" or an offset.
std::optional<Instant> parseIsoImpl(const std::string& text) {
  if (text.size() < 19 || text.size() > 40) return std::nullopt;
  const char sep = text[10];
  if (sep != 'T' && sep != 't' && sep != ' ') return std::nullopt;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u, 11u, 12u, 14u, 15u, 17u, 18u}) {
    if (!isAsciiDigit(text[i])) return std::nullopt;
  }
  if (text[4] != '-' || text[7] != '-' || text[13] != ':' || text[16] != ':') return std::nullopt;
  const auto seconds = civilSeconds(digitsAt(text, 0, 4), digitsAt(text, 5, 2), digitsAt(text, 8, 2),
                                    digitsAt(text, 11, 2), digitsAt(text, 14, 2), digitsAt(text, 17, 2));
  if (!seconds) return std::nullopt;

  std::size_t pos = 19;
  std::int64_t fractionTicks = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t digits = 0;
    std::int64_t scale = 1'000'000;  // first digit = 1e6 ticks (0.1 s)
    while (pos < text.size() && isAsciiDigit(text[pos])) {
      if (digits >= 9) return std::nullopt;
      if (digits < 7) {
        fractionTicks += (text[pos] - '0') * scale;
        scale /= 10;
      }
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
  }
  std::int64_t offsetSeconds = 0;
  if (pos >= text.size()) return std::nullopt;  // a zone is required
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    const int sign = text[pos] == '-' ? -1 : 1;
    if (pos + 6 != text.size() || text[pos + 3] != ':' || !isAsciiDigit(text[pos + 1]) ||
        !isAsciiDigit(text[pos + 2]) || !isAsciiDigit(text[pos + 4]) || !isAsciiDigit(text[pos + 5])) {
      return std::nullopt;
    }
    const int hours = (text[pos + 1] - '0') * 10 + (text[pos + 2] - '0');
    const int minutes = (text[pos + 4] - '0') * 10 + (text[pos + 5] - '0');
    if (hours > 23 || minutes > 59) return std::nullopt;
    offsetSeconds = sign * (hours * 3600 + minutes * 60);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  const std::int64_t secs = *seconds - offsetSeconds;
  return secs * kTicksPerSecond + fractionTicks;
}

}  // namespace

std::optional<Instant> parseIsoTime(const std::string& text) { return parseIsoImpl(text); }

namespace {

// Proleptic Gregorian calendar from days since 1970-01-01 (H. Hinnant's civil_from_days algorithm).
struct Civil {
  std::int64_t year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};

Civil civilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<std::uint64_t>(z - era * 146097);
  const std::uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::uint64_t mp = (5 * doy + 2) / 153;
  const auto day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  const auto month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  const std::int64_t year = static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
  return {year, month, day};
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// A short text written in place, made into a string once (dates are on every response and event).
struct TextBuffer {
  char data[64];
  std::size_t size = 0;
  void put(char c) { data[size++] = c; }
  void put(const char* text) {
    while (*text) data[size++] = *text++;
  }
  std::string str() const { return std::string(data, size); }
};

void appendDigits(TextBuffer& out, std::uint64_t value, int width) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  for (int i = n; i < width; ++i) out.put('0');
  while (n > 0) out.put(buf[--n]);
}

// "%Y" as the date library prints it: at least 4 digits, zero-padded, with a leading '-' when negative.
void appendYear(TextBuffer& out, std::int64_t year) {
  if (year < 0) out.put('-');
  appendDigits(out, static_cast<std::uint64_t>(year < 0 ? -year : year), 4);
}

// Date and time of day of an instant at second precision, plus the remaining ticks (0..9'999'999).
struct Split {
  Civil date;
  std::int64_t secondOfDay;
  std::int64_t weekday;  // 0 = Sunday
  std::int64_t fraction;
};

Split split(Instant t) {
  const std::int64_t seconds = floorDiv(t, kTicksPerSecond);
  const std::int64_t days = floorDiv(seconds, 86400);
  Split s;
  s.fraction = t - seconds * kTicksPerSecond;
  s.secondOfDay = seconds - days * 86400;
  s.date = civilFromDays(days);
  s.weekday = ((days % 7) + 11) % 7;  // 1970-01-01 was a Thursday (4)
  return s;
}

void appendTimeOfDay(TextBuffer& out, std::int64_t secondOfDay) {
  appendDigits(out, static_cast<std::uint64_t>(secondOfDay / 3600), 2);
  out.put(':');
  appendDigits(out, static_cast<std::uint64_t>(secondOfDay / 60 % 60), 2);
  out.put(':');
  appendDigits(out, static_cast<std::uint64_t>(secondOfDay % 60), 2);
}

}  // namespace

// Formatting is on every response and event, so it is done by hand (no streams or locales).
std::string formatIsoTime(Instant t) {
  const Split s = split(t);
  TextBuffer out;
  appendYear(out, s.date.year);
  out.put('-');
  appendDigits(out, s.date.month, 2);
  out.put('-');
  appendDigits(out, s.date.day, 2);
  out.put('T');
  appendTimeOfDay(out, s.secondOfDay);
  if (s.fraction != 0) {
    std::int64_t frac = s.fraction;
    int digits = 7;
    while (frac % 10 == 0) {
      frac /= 10;
      --digits;
    }
    out.put('.');
    appendDigits(out, static_cast<std::uint64_t>(frac), digits);
  }
  out.put("+00:00");
  return out.str();
}

// The same instant comes again and again (every response of a request, and the requests until the clock moves): the
// last text is kept, per thread (formatting is a pure function of the instant, so this changes no output).
std::string formatHttpDate(Instant t) {
  static const char* const kWeekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  struct Last {
    Instant second = 0;
    TextBuffer text;  // empty: nothing kept yet
  };
  thread_local Last last;
  const std::int64_t second = floorDiv(t, kTicksPerSecond);  // the text has second precision
  if (last.text.size != 0 && last.second == second) return last.text.str();
  const Split s = split(t);
  TextBuffer& out = last.text;
  out.size = 0;
  last.second = second;
  out.put(kWeekdays[s.weekday]);
  out.put(", ");
  appendDigits(out, s.date.day, 2);
  out.put(' ');
  out.put(kMonths[s.date.month - 1]);
  out.put(' ');
  appendYear(out, s.date.year);
  out.put(' ');
  appendTimeOfDay(out, s.secondOfDay);
  out.put(" GMT");
  return out.str();
}

namespace {

// Matches a day or month name at `pos`, abbreviated or in full, case-insensitively; returns its index or -1.
int matchName(const std::string& text, std::size_t& pos, const char* const* names, int count) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  auto matches = [&](const std::string& name) {
    if (pos + name.size() > text.size()) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
      if (lower(text[pos + i]) != name[i]) return false;
    }
    return true;
  };
  for (int i = 0; i < count; ++i) {
    const std::string full = names[i];
    if (matches(full)) {
      pos += full.size();
      return i;
    }
    if (matches(full.substr(0, 3))) {
      pos += 3;
      return i;
    }
  }
  return -1;
}

void skipSpaces(const std::string& text, std::size_t& pos) {
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
}

// 1..maxDigits digits.
std::optional<int> readNumber(const std::string& text, std::size_t& pos, std::size_t maxDigits) {
  std::size_t n = 0;
  int value = 0;
  while (n < maxDigits && pos < text.size() && isAsciiDigit(text[pos])) {
    value = value * 10 + (text[pos] - '0');
    ++pos;
    ++n;
  }
  if (n == 0) return std::nullopt;
  return value;
}

bool expect(const std::string& text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

// RFC 1123 ("Sun, 06 Nov 1994 08:49:37 GMT"): day and month names abbreviated or in full (any case), a day of
// 1-2 digits, a year of up to 4 digits; the weekday must be the date's. Anything after "GMT" is ignored.
std::optional<Instant> parseHttpDate(const std::string& text) {
  static const char* const kWeekdays[] = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
                                          "saturday"};
  static const char* const kMonths[] = {"january", "february", "march",     "april",   "may",      "june",
                                        "july",    "august",   "september", "october", "november", "december"};
  std::size_t pos = 0;
  const int weekday = matchName(text, pos, kWeekdays, 7);
  if (weekday < 0 || !expect(text, pos, ',')) return std::nullopt;
  skipSpaces(text, pos);
  const auto day = readNumber(text, pos, 2);
  skipSpaces(text, pos);
  const int month = matchName(text, pos, kMonths, 12);
  skipSpaces(text, pos);
  const auto year = readNumber(text, pos, 4);
  skipSpaces(text, pos);
  const auto hour = readNumber(text, pos, 2);
  const bool colon1 = expect(text, pos, ':');
  const auto minute = readNumber(text, pos, 2);
  const bool colon2 = expect(text, pos, ':');
  const auto second = readNumber(text, pos, 2);
  skipSpaces(text, pos);
  if (!day || month < 0 || !year || !hour || !colon1 || !minute || !colon2 || !second) return std::nullopt;
  if (text.compare(pos, 3, "GMT") != 0) return std::nullopt;
  const auto seconds = civilSeconds(*year, month + 1, *day, *hour, *minute, *second);
  if (!seconds) return std::nullopt;
  const std::int64_t days = seconds.value() >= 0 ? *seconds / 86400 : (*seconds - 86399) / 86400;
  if (((days % 7) + 11) % 7 != weekday) return std::nullopt;
  return *seconds * kTicksPerSecond;
}

Instant secondsToTicks(double seconds) {
  return static_cast<Instant>(std::llround(seconds * static_cast<double>(kTicksPerSecond)));
}

}  // namespace jr
