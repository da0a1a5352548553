// The two ETag formats the service uses (lower-case hex, written by hand: snprintf was ~5 % of a request).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/util/time.hpp"

namespace jr {

namespace etag_detail {

// Writes `digits` lower-case hex digits of `value` at `out`, most significant first; returns the end.
inline char* putHex(char* out, std::uint64_t value, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) *out++ = kHex[(value >> shift) & 0xF];
  return out;
}

inline char* putText(char* out, const char* text) {
  while (*text) *out++ = *text++;
  return out;
}

inline constexpr std::size_t kEtagBytes = 38;  // quotes included

}  // namespace etag_detail

// Jobs and workers: "VVVVVVVV-0000-0000-xxxx-xxxxxxxxxxxx", a version counter then the .NET ticks of the
// last change as little-endian bytes.
inline std::string versionedEtag(std::uint64_t version, Instant lastModified) {
  using namespace etag_detail;
  const std::uint64_t ticks = static_cast<std::uint64_t>(lastModified + kDotNetEpochOffsetTicks);
  char buffer[kEtagBytes];
  char* out = buffer;
  *out++ = '"';
  out = putHex(out, version & 0xFFFFFFFFu, 8);
  out = putText(out, "-0000-0000-");
  for (int i = 0; i < 8; ++i) {
    if (i == 2) *out++ = '-';
    out = putHex(out, (ticks >> (8 * i)) & 0xFF, 2);
  }
  *out++ = '"';
  return std::string(buffer, static_cast<std::size_t>(out - buffer));
}

// Policies and queues: "CCCCCCCC-0000-0700-0000-TTTTTTTT0000", a write counter then Unix seconds.
inline std::string timestampEtag(std::uint64_t counter, Instant lastModified) {
  using namespace etag_detail;
  const std::int64_t seconds = lastModified / kTicksPerSecond;
  char buffer[kEtagBytes];
  char* out = buffer;
  *out++ = '"';
  out = putHex(out, counter & 0xFFFFFFFFu, 8);
  out = putText(out, "-0000-0700-0000-");
  out = putHex(out, static_cast<std::uint64_t>(seconds) & 0xFFFFFFFFu, 8);
  out = putText(out, "0000\"");
  return std::string(buffer, static_cast<std::size_t>(out - buffer));
}

}  // namespace jr
