// Events are collected while a command runs and published only after it succeeded, in order, each with a
// sequence number. A failed command publishes nothing. Each event's JSON text is written as it is collected (by
// the payload writers of core/events/router_events.cpp); publishing appends its sequence number. On request the
// outbox also records the texts' structure (a JsonTape), which the WebAssembly bindings hand to JS with the text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/router_types.hpp"
#include "core/util/json.hpp"
#include "core/util/json_tape.hpp"
#include "core/util/json_writer.hpp"
#include "core/util/taped_json_out.hpp"
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
  // Whether events written from now on are also recorded on a tape (drainInto's `tape`).
  void recordTape(bool on) { tapeOn_ = on; }

  // Starts an event: writes its envelope and opens its data object, whose fields the caller then writes to the
  // returned writer before calling endEvent(). `name` is the short event name, e.g. "RouterJobQueued"; the
  // subject is the concatenation of `subject`'s pieces.
  TapedJsonOut& beginEvent(std::string_view name, std::initializer_list<std::string_view> subject, Instant at);
  void endEvent();
  // Publishes the collected events: each gets the next sequence number, appended to its text.
  void commit();
  // Drops the collected events (a failed command, or an event whose writing threw).
  void discard();
  // The published events since the last drain, as the JSON array text.
  std::string drain();
  // The same text appended to `out` (a buffer the caller keeps: no allocation per drain). With a `tape`, it gets
  // the structure of the events in the text (one value after another, without the array around them), with
  // offsets counted from the text's '['; it is left empty when the events were written without recordTape(true).
  void drainInto(std::string& out, JsonTape* tape = nullptr);
  std::uint64_t sequence() const { return sequence_; }
  void setSequence(std::uint64_t value) { sequence_ = value; }
  Prng& idGenerator() { return ids_; }
  const Prng& idGenerator() const { return ids_; }

 private:
  Prng ids_;
  EventLabelText labelText_ = EventLabelText::Json;
  std::uint64_t sequence_ = 0;
  std::string pending_;                   // collected events' texts, each without its sequence number and last '}'
  std::vector<std::size_t> pendingEnds_;  // where each collected event's text ends in pending_
  std::optional<TapedJsonOut> writer_;    // on pending_ while an event is written
  std::string subject_;                   // room to put a subject together
  std::string published_;                 // events' JSON texts, comma-separated
  bool tapeOn_ = false;
  JsonTape pendingTape_;                   // the collected events' structure (offsets into pending_)
  std::vector<std::size_t> pendingTapeEnds_;  // where each collected event's entries end in pendingTape_
  JsonTape publishedTape_;                 // the published events' structure (offsets into '[' + published_)
};

}  // namespace jr
