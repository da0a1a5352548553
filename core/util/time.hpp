// Instants on the virtual clock: 100-nanosecond ticks since the Unix epoch (the service's precision).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace jr {

using Instant = std::int64_t;  // ticks of 100 ns since 1970-01-01T00:00:00Z

constexpr Instant kTicksPerMillisecond = 10'000;
constexpr Instant kTicksPerSecond = 10'000'000;
constexpr Instant kTicksPerMinute = 60 * kTicksPerSecond;
// .NET ticks count from 0001-01-01; ETags of jobs and workers embed them.
constexpr Instant kDotNetEpochOffsetTicks = 621'355'968'000'000'000;

// ISO-8601 / RFC 3339 date-time with "Z" or an offset and 0-9 fraction digits.
std::optional<Instant> parseIsoTime(const std::string& text);
// "2024-01-01T00:00:05.5+00:00": fraction trimmed of trailing zeros, as the service writes dates.
std::string formatIsoTime(Instant t);
// RFC 1123 at second precision: "Mon, 01 Jan 2024 00:00:00 GMT".
std::string formatHttpDate(Instant t);
std::optional<Instant> parseHttpDate(const std::string& text);

Instant secondsToTicks(double seconds);

}  // namespace jr
