#include "core/events/outbox.hpp"

#include <charconv>

namespace jr {

namespace {
constexpr char kSequenceNumberKey[] = "sequenceNumber";
}  // namespace

TapedJsonOut& Outbox::beginEvent(std::string_view name, std::initializer_list<std::string_view> subject, Instant at) {
  subject_.clear();
  for (const std::string_view piece : subject) subject_.append(piece.data(), piece.size());
  writer_.emplace(pending_, tapeOn_ ? &pendingTape_ : nullptr);
  TapedJsonOut& out = *writer_;
  // The envelope's keys in the order the service sends them.
  out.beginObject().key("id").string(ids_.guid());
  out.key("topic").quoted({kEventTopic});
  out.key("subject").string(subject_);
  out.key("eventType").quoted({"Microsoft.Communication.", name});
  out.key("eventTime").time(at);
  out.key("dataVersion").literal("1.0").key("metadataVersion").literal("1");
  out.key("data").beginObject();
  return out;
}

void Outbox::endEvent() {
  writer_->endObject();
  writer_.reset();
  pendingEnds_.push_back(pending_.size());
  pendingTapeEnds_.push_back(pendingTape_.size());
}

void Outbox::commit() {
  JsonOut out(published_);
  std::size_t start = 0;
  for (std::size_t i = 0; i < pendingEnds_.size(); ++i) {
    const std::size_t end = pendingEnds_[i];
    if (out.mark() != 0) out.put(',');
    if (tapeOn_) {
      // (+1: drained, the text starts with the array's '[')
      const std::ptrdiff_t shift = static_cast<std::ptrdiff_t>(out.mark()) + 1 - static_cast<std::ptrdiff_t>(start);
      publishedTape_.appendShifted(pendingTape_, i == 0 ? 0 : pendingTapeEnds_[i - 1], pendingTapeEnds_[i], shift);
    }
    out.put(pending_.data() + start, end - start);
    const std::size_t keyAt = out.mark() + 1 + 2;
    out.put(",\"sequenceNumber\":", 18);
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, ++sequence_);
    const std::size_t numberAt = out.mark() + 1;
    out.put(digits, static_cast<std::size_t>(result.ptr - digits)).put('}');
    if (tapeOn_) {
      publishedTape_.addKeyLiteral(kSequenceNumberKey, keyAt, keyAt + sizeof kSequenceNumberKey - 1);
      publishedTape_.addSpan(TapeKind::Number, numberAt, out.mark());
      publishedTape_.add(TapeKind::ObjectEnd);
    }
    start = end;
  }
  out.finish();
  discard();
}

void Outbox::discard() {
  writer_.reset();
  pending_.clear();
  pendingEnds_.clear();
  pendingTape_.clear();
  pendingTapeEnds_.clear();
}

std::string Outbox::drain() {
  std::string out;
  drainInto(out);
  return out;
}

void Outbox::drainInto(std::string& out, JsonTape* tape) {
  // (libc++'s reserve() below the capacity shrinks the string: only ever ask for more)
  const std::size_t needed = out.size() + published_.size() + 2;
  if (out.capacity() < needed) out.reserve(needed);
  out.push_back('[');
  out += published_;
  out.push_back(']');
  if (tape != nullptr) tape->swap(publishedTape_);  // (the caller's old entries go, its capacity stays here)
  published_.clear();
  publishedTape_.clear();
}

}  // namespace jr
