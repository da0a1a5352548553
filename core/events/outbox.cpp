#include "core/events/outbox.hpp"

#include <charconv>

namespace jr {

JsonOut& Outbox::beginEvent(std::string_view name, std::initializer_list<std::string_view> subject, Instant at) {
  subject_.clear();
  for (const std::string_view piece : subject) subject_.append(piece.data(), piece.size());
  writer_.emplace(pending_);
  JsonOut& out = *writer_;
  // The envelope's keys in the order the service sends them.
  out.beginObject().key("id").string(ids_.guid());
  out.key("topic").beginValue().put('"').put(kEventTopic, std::char_traits<char>::length(kEventTopic)).put('"');
  out.key("subject").string(subject_);
  out.key("eventType").beginValue().put("\"Microsoft.Communication.", 25).put(name.data(), name.size()).put('"');
  out.key("eventTime").time(at);
  out.key("dataVersion").literal("1.0").key("metadataVersion").literal("1");
  out.key("data").beginObject();
  return out;
}

void Outbox::endEvent() {
  writer_->endObject();
  writer_.reset();
  pendingEnds_.push_back(pending_.size());
}

void Outbox::commit() {
  JsonOut out(published_);
  std::size_t start = 0;
  for (const std::size_t end : pendingEnds_) {
    if (out.mark() != 0) out.put(',');
    out.put(pending_.data() + start, end - start);
    out.put(",\"sequenceNumber\":", 18);
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, ++sequence_);
    out.put(digits, static_cast<std::size_t>(result.ptr - digits)).put('}');
    start = end;
  }
  out.finish();
  discard();
}

void Outbox::discard() {
  writer_.reset();
  pending_.clear();
  pendingEnds_.clear();
}

std::string Outbox::drain() {
  std::string out;
  drainInto(out);
  return out;
}

void Outbox::drainInto(std::string& out) {
  out.reserve(out.size() + published_.size() + 2);
  out.push_back('[');
  out += published_;
  out.push_back(']');
  published_.clear();
}

}  // namespace jr
