// Events are collected while a command runs and published only after it succeeded, in order, each with a
// sequence number. A failed command publishes nothing. Each event's JSON text is written as it is collected (by
// the payload writers of core/events/router_events.cpp), straight after the published ones with the sequence
// number it will have; a failed command's events are cut off again and their numbers not used. On request the
// outbox also records the texts' structure (a JsonTape), which the WebAssembly bindings hand to JS with the text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/events/event_types.hpp"
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
  // returned writer before calling endEvent(). `type` gives the eventType (core/events/event_types.hpp, generated);
  // the subject is the concatenation of `subject`'s pieces.
  TapedJsonOut& beginEvent(EventType type, std::initializer_list<std::string_view> subject, Instant at);
  void endEvent();
  // Publishes the collected events (their sequence numbers are used up).
  void commit();
  // Drops the collected events (a failed command, or an event whose writing threw).
  void discard();
  // The published events since the last drain, as the JSON array text (collected ones stay collected).
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
  void keepOnlyCollected(JsonTape* tape);

  Prng ids_;
  EventLabelText labelText_ = EventLabelText::Json;
  std::uint64_t sequence_ = 0;            // the last published event's sequence number
  std::optional<TapedJsonOut> writer_;    // on text_ while an event is written
  std::string subject_;                   // room to put a subject together
  std::string text_ = "[";                // '[', then the published and the collected events, comma-separated
  JsonTape tape_;                         // their structure (offsets into text_)
  bool tapeOn_ = false;
  // The collected events (not yet published): how many; the published ones end at these sizes of text_ and tape_.
  std::uint64_t collected_ = 0;
  std::size_t publishedText_ = 1;
  std::size_t publishedTape_ = 0;
};

}  // namespace jr
