// The core formats and parses dates with its own civil-calendar arithmetic (no string streams: they are
// slow and large in WebAssembly). This suite holds it to Howard Hinnant's date library, the reference
// implementation of the same calendar algorithms, over many seeded instants from year 1 to 9999.
#include <catch2/catch.hpp>
#include <date/date.h>

#include <chrono>
#include <string>

#include "core/util/prng.hpp"
#include "core/util/time.hpp"

namespace {

using Ticks = std::chrono::duration<std::int64_t, std::ratio<1, 10'000'000>>;
using TickTime = date::sys_time<Ticks>;

// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.9999999Z in ticks since the Unix epoch.
constexpr jr::Instant kMin = -621'355'968'000'000'000;
constexpr jr::Instant kMax = 2'534'023'007'999'999'999;

jr::Instant randomInstant(jr::Prng& prng, int round) {
  const auto span = static_cast<std::uint64_t>(kMax - kMin);
  jr::Instant t = kMin + static_cast<jr::Instant>(prng.next() % (span + 1));
  // Every fourth instant lands on a whole second, millisecond or day, where trimming matters.
  switch (round % 4) {
    case 1: t -= t % jr::kTicksPerSecond; break;
    case 2: t -= t % jr::kTicksPerMillisecond; break;
    case 3: t -= t % (86'400 * jr::kTicksPerSecond); break;
    default: break;
  }
  return t < kMin ? kMin : t;
}

std::string referenceIso(jr::Instant t) {
  std::string text = date::format("%Y-%m-%dT%H:%M:%S", TickTime{Ticks{t}});  // 7 fraction digits
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text + "+00:00";
}

std::string referenceHttp(jr::Instant t) {
  const auto seconds = date::floor<std::chrono::seconds>(TickTime{Ticks{t}});
  return date::format("%a, %d %b %Y %H:%M:%S GMT", seconds);
}

}  // namespace

TEST_CASE("ISO-8601 and RFC 1123 output agree with the date library from year 1 to 9999", "[time]") {
  jr::Prng prng(20241128);
  for (int round = 0; round < 20'000; ++round) {
    const jr::Instant t = randomInstant(prng, round);
    INFO("ticks " << t);
    REQUIRE(jr::formatIsoTime(t) == referenceIso(t));
    REQUIRE(jr::formatHttpDate(t) == referenceHttp(t));
  }
  CHECK(jr::formatIsoTime(0) == "1970-01-01T00:00:00+00:00");
  CHECK(jr::formatIsoTime(kMax) == "9999-12-31T23:59:59.9999999+00:00");
  CHECK(jr::formatHttpDate(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
}

TEST_CASE("parsing reads back what the date library writes, with Z, offsets and any fraction length", "[time]") {
  jr::Prng prng(7);
  for (int round = 0; round < 20'000; ++round) {
    const jr::Instant t = randomInstant(prng, round);
    INFO("ticks " << t);
    const TickTime tp{Ticks{t}};
    REQUIRE(jr::parseIsoTime(date::format("%Y-%m-%dT%H:%M:%SZ", tp)) == t);
    REQUIRE(jr::parseIsoTime(jr::formatIsoTime(t)) == t);
    // The same instant written at +05:30 and at -08:00.
    if (t > kMin + 86'400 * jr::kTicksPerSecond && t < kMax - 86'400 * jr::kTicksPerSecond) {
      const auto east = tp + std::chrono::hours{5} + std::chrono::minutes{30};
      const auto west = tp - std::chrono::hours{8};
      REQUIRE(jr::parseIsoTime(date::format("%Y-%m-%dT%H:%M:%S+05:30", east)) == t);
      REQUIRE(jr::parseIsoTime(date::format("%Y-%m-%dT%H:%M:%S-08:00", west)) == t);
    }
    const jr::Instant second = t - (((t % jr::kTicksPerSecond) + jr::kTicksPerSecond) % jr::kTicksPerSecond);
    REQUIRE(jr::parseHttpDate(referenceHttp(t)) == second);
  }
}

TEST_CASE("fractions are truncated to 100 ns and malformed dates are refused", "[time]") {
  CHECK(jr::parseIsoTime("2040-01-01T01:01:01.000000001Z") == jr::parseIsoTime("2040-01-01T01:01:01Z"));
  CHECK(jr::formatIsoTime(*jr::parseIsoTime("2022-09-01T03:00:00.0000000Z")) == "2022-09-01T03:00:00+00:00");
  for (const char* bad : {"", "2024-13-01T00:00:00Z", "2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z",
                          "2024-01-01T24:00:01Z", "2024-01-01 00:00:00", "yesterday", "2024-01-01T00:00:00+25:00"}) {
    INFO(bad);
    CHECK_FALSE(jr::parseIsoTime(bad).has_value());
  }
  CHECK(jr::parseIsoTime("2024-02-29T00:00:00Z").has_value());
  CHECK_FALSE(jr::parseHttpDate("Tue, 01 Jan 2024 00:00:00 GMT").has_value());  // 2024-01-01 was a Monday
}
