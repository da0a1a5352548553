#include "core/util/time.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <sstream>

#include <date/date.h>

namespace jr {
namespace {

using Ticks = std::chrono::duration<std::int64_t, std::ratio<1, 10'000'000>>;
using TickTime = std::chrono::time_point<std::chrono::system_clock, Ticks>;

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Reads "YYYY-MM-DDTHH:MM:SS" through date::parse, then the fraction and zone by hand
// (date::parse cannot take a variable number of fraction digits followed by "Z" or an offset).
std::optional<Instant> parseIsoImpl(const std::string& text) {
  if (text.size() < 19 || text.size() > 40) return std::nullopt;
  const char sep = text[10];
  if (sep != 'T' && sep != 't' && sep != ' ') return std::nullopt;
  std::string head = text.substr(0, 19);
  head[10] = 'T';
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u, 11u, 12u, 14u, 15u, 17u, 18u}) {
    if (!isDigit(head[i])) return std::nullopt;
  }
  if (head[4] != '-' || head[7] != '-' || head[13] != ':' || head[16] != ':') return std::nullopt;
  std::istringstream in(head);
  date::sys_seconds seconds;
  in >> date::parse("%Y-%m-%dT%H:%M:%S", seconds);
  if (in.fail()) return std::nullopt;
  // date::parse accepts out-of-range fields leniently in some versions; check the round trip.
  if (date::format("%Y-%m-%dT%H:%M:%S", seconds) != head) return std::nullopt;

  std::size_t pos = 19;
  std::int64_t fractionTicks = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t digits = 0;
    std::int64_t scale = 1'000'000;  // first digit = 1e6 ticks (0.1 s)
    while (pos < text.size() && isDigit(text[pos])) {
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
    if (pos + 6 != text.size() || text[pos + 3] != ':' || !isDigit(text[pos + 1]) ||
        !isDigit(text[pos + 2]) || !isDigit(text[pos + 4]) || !isDigit(text[pos + 5])) {
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
  const std::int64_t secs = seconds.time_since_epoch().count() - offsetSeconds;
  return secs * kTicksPerSecond + fractionTicks;
}

}  // namespace

std::optional<Instant> parseIsoTime(const std::string& text) { return parseIsoImpl(text); }

std::string formatIsoTime(Instant t) {
  const TickTime tp{Ticks{t}};
  const auto secs = date::floor<std::chrono::seconds>(tp);
  std::string out = date::format("%Y-%m-%dT%H:%M:%S", secs);
  std::int64_t frac = (tp - secs).count();
  if (frac != 0) {
    char buf[16];
    std::snprintf(buf, sizeof buf, ".%07lld", static_cast<long long>(frac));
    std::string f(buf);
    while (!f.empty() && f.back() == '0') f.pop_back();
    out += f;
  }
  out += "+00:00";
  return out;
}

std::string formatHttpDate(Instant t) {
  const TickTime tp{Ticks{t}};
  const auto secs = date::floor<std::chrono::seconds>(tp);
  return date::format("%a, %d %b %Y %H:%M:%S GMT", secs);
}

std::optional<Instant> parseHttpDate(const std::string& text) {
  std::istringstream in(text);
  date::sys_seconds seconds;
  in >> date::parse("%a, %d %b %Y %H:%M:%S GMT", seconds);
  if (in.fail()) return std::nullopt;
  return seconds.time_since_epoch().count() * kTicksPerSecond;
}

Instant secondsToTicks(double seconds) {
  return static_cast<Instant>(std::llround(seconds * static_cast<double>(kTicksPerSecond)));
}

}  // namespace jr
