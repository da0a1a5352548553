#include "core/events/outbox.hpp"


namespace jr {

TapedJsonOut& Outbox::beginEvent(EventType type, std::initializer_list<std::string_view> subject, Instant at) {
  subject_.clear();
  for (const std::string_view piece : subject) subject_.append(piece.data(), piece.size());
  if (text_.size() > 1) text_.push_back(',');
  writer_.emplace(text_, tapeOn_ ? &tape_ : nullptr);
  TapedJsonOut& out = *writer_;
  // The envelope's keys in the order the service sends them.
  out.beginObject().key("id").string(ids_.guid());
  out.key("topic").quoted({kEventTopic});
  out.key("subject").string(subject_);
  out.key("eventType").quoted({kEventTypePrefix, eventTypeName(type)});
  out.key("eventTime").time(at);
  out.key("dataVersion").literal("1.0").key("metadataVersion").literal("1");
  out.key("data").beginObject();
  return out;
}

void Outbox::endEvent() {
  TapedJsonOut& out = *writer_;
  out.endObject();
  // the number it gets when the command succeeds
  out.key("sequenceNumber").unsignedInteger(sequence_ + collected_ + 1).endObject();
  writer_.reset();
  ++collected_;
}

void Outbox::commit() {
  writer_.reset();
  sequence_ += collected_;
  collected_ = 0;
  publishedText_ = text_.size();
  publishedTape_ = tape_.size();
}

void Outbox::discard() {
  writer_.reset();  // (cuts text_ to what was written)
  text_.resize(publishedText_);
  tape_.truncate(publishedTape_);
  collected_ = 0;
}

std::string Outbox::drain() {
  std::string out;
  drainInto(out);
  return out;
}

void Outbox::drainInto(std::string& out, JsonTape* tape) {
  writer_.reset();
  // (libc++'s reserve() below the capacity shrinks the string: only ever ask for more)
  const std::size_t needed = out.size() + publishedText_ + 1;
  if (out.capacity() < needed) out.reserve(needed);
  out.append(text_, 0, publishedText_);
  out.push_back(']');
  if (collected_ == 0) {
    if (tape != nullptr) tape->swap(tape_);  // (the caller's old entries go, its capacity stays here)
    text_.resize(1);
    tape_.clear();
  } else {
    keepOnlyCollected(tape);
  }
  publishedText_ = 1;
  publishedTape_ = 0;
}

// A drain while events are collected (a command that threw past its discard): the published events go, the
// collected ones move to the front.
void Outbox::keepOnlyCollected(JsonTape* tape) {
  if (tape != nullptr) {
    tape->clear();
    tape->appendShifted(tape_, 0, publishedTape_, 0);
  }
  // the published texts and the comma after them
  const std::size_t cut = publishedText_ > 1 ? publishedText_ : 0;
  JsonTape rest;
  rest.appendShifted(tape_, publishedTape_, tape_.size(), -static_cast<std::ptrdiff_t>(cut));
  if (cut > 0) text_.erase(1, cut);
  tape_.swap(rest);
}

}  // namespace jr
