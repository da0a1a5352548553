// The two ETag formats the service uses.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "core/util/time.hpp"

namespace jr {

// Jobs and workers: "VVVVVVVV-0000-0000-xxxx-xxxxxxxxxxxx", a version counter then the .NET ticks of the
// last change as little-endian bytes.
inline std::string versionedEtag(std::uint64_t version, Instant lastModified) {
  const std::uint64_t ticks = static_cast<std::uint64_t>(lastModified + kDotNetEpochOffsetTicks);
  unsigned b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned>((ticks >> (8 * i)) & 0xFF);
  char buf[64];
  std::snprintf(buf, sizeof buf, "\"%08x-0000-0000-%02x%02x-%02x%02x%02x%02x%02x%02x\"",
                static_cast<unsigned>(version & 0xFFFFFFFFu), b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]);
  return buf;
}

// Policies and queues: "CCCCCCCC-0000-0700-0000-TTTTTTTT0000", a write counter then Unix seconds.
inline std::string timestampEtag(std::uint64_t counter, Instant lastModified) {
  char buf[64];
  const std::int64_t seconds = lastModified / kTicksPerSecond;
  std::snprintf(buf, sizeof buf, "\"%08x-0000-0700-0000-%08x0000\"", static_cast<unsigned>(counter & 0xFFFFFFFFu),
                static_cast<unsigned>(seconds & 0xFFFFFFFF));
  return buf;
}

}  // namespace jr
