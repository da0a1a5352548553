// The two ETag formats the service uses (lower-case hex, written by hand: snprintf was ~5 % of a request).
#pragma once

#include <cstdint>
#include <string>

#include "core/util/time.hpp"

namespace jr {

namespace etag_detail {

// Appends `digits` lower-case hex digits of `value`, most significant first.
inline void appendHex(std::string& out, std::uint64_t value, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) out.push_back(kHex[(value >> shift) & 0xF]);
}

}  // namespace etag_detail

// Jobs and workers: "VVVVVVVV-0000-0000-xxxx-xxxxxxxxxxxx", a version counter then the .NET ticks of the
// last change as little-endian bytes.
inline std::string versionedEtag(std::uint64_t version, Instant lastModified) {
  const std::uint64_t ticks = static_cast<std::uint64_t>(lastModified + kDotNetEpochOffsetTicks);
  std::string out;
  out.reserve(38);
  out.push_back('"');
  etag_detail::appendHex(out, version & 0xFFFFFFFFu, 8);
  out.append("-0000-0000-");
  for (int i = 0; i < 8; ++i) {
    if (i == 2) out.push_back('-');
    etag_detail::appendHex(out, (ticks >> (8 * i)) & 0xFF, 2);
  }
  out.push_back('"');
  return out;
}

// Policies and queues: "CCCCCCCC-0000-0700-0000-TTTTTTTT0000", a write counter then Unix seconds.
inline std::string timestampEtag(std::uint64_t counter, Instant lastModified) {
  const std::int64_t seconds = lastModified / kTicksPerSecond;
  std::string out;
  out.reserve(38);
  out.push_back('"');
  etag_detail::appendHex(out, counter & 0xFFFFFFFFu, 8);
  out.append("-0000-0700-0000-");
  etag_detail::appendHex(out, static_cast<std::uint64_t>(seconds) & 0xFFFFFFFFu, 8);
  out.append("0000\"");
  return out;
}

}  // namespace jr
