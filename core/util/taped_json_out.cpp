#include "core/util/taped_json_out.hpp"

#include <cmath>

namespace jr {

TapedJsonOut& TapedJsonOut::beginObject() {
  JsonOut::beginObject();
  return token(TapeKind::ObjectStart);
}

TapedJsonOut& TapedJsonOut::endObject() {
  JsonOut::endObject();
  return token(TapeKind::ObjectEnd);
}

TapedJsonOut& TapedJsonOut::beginArray() {
  JsonOut::beginArray();
  return token(TapeKind::ArrayStart);
}

TapedJsonOut& TapedJsonOut::endArray() {
  JsonOut::endArray();
  return token(TapeKind::ArrayEnd);
}

TapedJsonOut& TapedJsonOut::key(const std::string& name) {
  const std::size_t at = valueStart();
  JsonOut::key(name);
  if (tape_) quotedSpan(TapeKind::Key, at, mark() - 2, name.size());  // ..."name":
  return *this;
}

TapedJsonOut& TapedJsonOut::string(std::string_view s) {
  const std::size_t at = valueStart();
  JsonOut::string(s);
  if (tape_) quotedSpan(TapeKind::String, at, mark() - 1, s.size());
  return *this;
}

TapedJsonOut& TapedJsonOut::quoted(std::initializer_list<std::string_view> pieces) {
  const std::size_t at = valueStart();
  JsonOut::quoted(pieces);
  if (tape_) tape_->addSpan(TapeKind::String, at + 1, mark() - 1);
  return *this;
}

TapedJsonOut& TapedJsonOut::integer(std::int64_t n) {
  const std::size_t at = valueStart();
  JsonOut::integer(n);
  return span(TapeKind::Number, at);
}

TapedJsonOut& TapedJsonOut::unsignedInteger(std::uint64_t n) {
  const std::size_t at = valueStart();
  JsonOut::unsignedInteger(n);
  return span(TapeKind::Number, at);
}

TapedJsonOut& TapedJsonOut::number(double d) {
  const std::size_t at = valueStart();
  JsonOut::number(d);
  // (NaN and the infinities are written as null)
  return span(std::isfinite(d) ? TapeKind::Number : TapeKind::Json, at);
}

TapedJsonOut& TapedJsonOut::boolean(bool b) {
  JsonOut::boolean(b);
  return token(b ? TapeKind::True : TapeKind::False);
}

TapedJsonOut& TapedJsonOut::null() {
  JsonOut::null();
  return token(TapeKind::Null);
}

TapedJsonOut& TapedJsonOut::time(Instant t) {
  const std::size_t at = valueStart();
  JsonOut::time(t);
  if (tape_) tape_->addSpan(TapeKind::String, at + 1, mark() - 1);
  return *this;
}

TapedJsonOut& TapedJsonOut::json(const Json& value) {
  const std::size_t at = valueStart();
  JsonOut::json(value);
  return span(TapeKind::Json, at);
}

void TapedJsonOut::keyLiteral(const char* name, std::size_t bytes) {
  const std::size_t end = mark() - 2;  // ..."name":
  tape_->addKeyLiteral(name, end - bytes, end);
}

void TapedJsonOut::literalString(std::size_t bytes) {
  const std::size_t end = mark() - 1;
  tape_->addSpan(TapeKind::String, end - bytes, end);
}

TapedJsonOut& TapedJsonOut::token(TapeKind kind) {
  if (tape_) tape_->add(kind);
  return *this;
}

TapedJsonOut& TapedJsonOut::span(TapeKind kind, std::size_t at) {
  if (tape_) tape_->addSpan(kind, at, mark());
  return *this;
}

void TapedJsonOut::quotedSpan(TapeKind kind, std::size_t at, std::size_t end, std::size_t bytes) {
  tape_->addSpan(kind, at + 1, end, end - (at + 1) != bytes);
}

}  // namespace jr
