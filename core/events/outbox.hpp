// Events are collected while a command runs and published only after it succeeded, in order, each with a
// sequence number. A failed command publishes nothing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/util/json.hpp"
#include "core/util/prng.hpp"
#include "core/util/time.hpp"

namespace jr {

inline constexpr const char* kEventTopic =
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/emulator/providers/"
    "Microsoft.Communication/communicationServices/jobrouter-emulator";

class Outbox {
 public:
  explicit Outbox(std::uint64_t seed) : ids_(seed ^ 0x6576656E74734944ULL) {}

  // `name` is the short event name, e.g. "RouterJobQueued".
  void collect(const std::string& name, const std::string& subject, Json data, Instant at) {
    Json e = Json::object();
    e["id"] = ids_.guid();
    e["topic"] = kEventTopic;
    e["subject"] = subject;
    e["eventType"] = "Microsoft.Communication." + name;
    e["eventTime"] = formatIsoTime(at);
    e["dataVersion"] = "1.0";
    e["metadataVersion"] = "1";
    e["data"] = std::move(data);
    pending_.push_back(std::move(e));
  }
  void commit() {
    for (auto& e : pending_) {
      e["sequenceNumber"] = ++sequence_;
      published_.push_back(std::move(e));
    }
    pending_.clear();
  }
  void discard() { pending_.clear(); }
  Json drain() {
    Json out = Json::array();
    for (auto& e : published_) out.push_back(std::move(e));
    published_.clear();
    return out;
  }
  std::uint64_t sequence() const { return sequence_; }
  void setSequence(std::uint64_t value) { sequence_ = value; }
  Prng& idGenerator() { return ids_; }
  const Prng& idGenerator() const { return ids_; }

 private:
  Prng ids_;
  std::uint64_t sequence_ = 0;
  std::vector<Json> pending_;
  std::vector<Json> published_;
};

}  // namespace jr
