// Events are collected while a command runs and published only after it succeeded, in order, each with a
// sequence number. A failed command publishes nothing.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/router.hpp"
#include "core/util/json.hpp"
#include "core/util/json_writer.hpp"
#include "core/util/prng.hpp"
#include "core/util/time.hpp"

namespace jr {

inline constexpr const char* kEventTopic =
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/emulator/providers/"
    "Microsoft.Communication/communicationServices/jobrouter-emulator";

class Outbox {
 public:
  explicit Outbox(std::uint64_t seed, EventLabelText labelText = EventLabelText::Json)
      : ids_(seed ^ 0x6576656E74734944ULL), labelText_(labelText) {}

  // How the payload builders write number and boolean label and tag values (the schema wants strings).
  EventLabelText labelText() const { return labelText_; }

  // `name` is the short event name, e.g. "RouterJobQueued".
  void collect(const std::string& name, std::string subject, Json data, Instant at) {
    pending_.push_back(Pending{ids_.guid(), name, std::move(subject), std::move(data), at});
  }
  // Publishes the collected events: each gets the next sequence number and is written out as JSON text at once
  // (the envelope's keys in the order the service sends them).
  void commit() {
    for (const Pending& e : pending_) {
      if (!published_.empty()) published_.push_back(',');
      published_ += "{\"id\":";
      writeJsonString(e.id, published_);
      published_ += ",\"topic\":";
      writeJsonString(kEventTopic, published_);
      published_ += ",\"subject\":";
      writeJsonString(e.subject, published_);
      published_ += ",\"eventType\":";
      writeJsonString("Microsoft.Communication." + e.name, published_);
      published_ += ",\"eventTime\":";
      writeJsonString(formatIsoTime(e.at), published_);
      published_ += ",\"dataVersion\":\"1.0\",\"metadataVersion\":\"1\",\"data\":";
      writeJson(e.data, published_);
      published_ += ",\"sequenceNumber\":";
      published_ += std::to_string(++sequence_);
      published_.push_back('}');
    }
    pending_.clear();
  }
  void discard() { pending_.clear(); }
  // The published events since the last drain, as the JSON array text.
  std::string drain() {
    std::string out;
    out.reserve(published_.size() + 2);
    out.push_back('[');
    out += published_;
    out.push_back(']');
    published_.clear();
    return out;
  }
  std::uint64_t sequence() const { return sequence_; }
  void setSequence(std::uint64_t value) { sequence_ = value; }
  Prng& idGenerator() { return ids_; }
  const Prng& idGenerator() const { return ids_; }

 private:
  struct Pending {
    std::string id;
    std::string name;
    std::string subject;
    Json data;
    Instant at = 0;
  };
  Prng ids_;
  EventLabelText labelText_ = EventLabelText::Json;
  std::uint64_t sequence_ = 0;
  std::vector<Pending> pending_;
  std::string published_;  // events' JSON texts, comma-separated
};

}  // namespace jr
