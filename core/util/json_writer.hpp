// JSON text written directly, byte for byte what nlohmann's dump(-1, ' ', false, error_handler_t::replace) gives
// (compact, non-ASCII kept as UTF-8, invalid UTF-8 replaced by U+FFFD), without building a tree first.
//
// JsonOut appends to a std::string through a raw pointer into room it reserves (the string's own push_back and
// append are out-of-line calls in the WebAssembly build) and puts the commas itself:
//
//   JsonOut out(text);
//   out.beginObject().key("id").string(id).key("priority").integer(2).key("labels").json(labels).endObject();
//   out.finish();  // or let it go out of scope: the string is cut to what was written
//
// Strings are escaped as the library escapes them: ASCII strings here (scanned 8 bytes at a time), strings with a
// non-ASCII byte and floating-point numbers by the library's own serializer, so their text is the library's by
// construction. tests/unit/unit-json-writer.cpp holds the two to the same output.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/util/json.hpp"
#include "core/util/time.hpp"

namespace jr {

class JsonOut {
 public:
  explicit JsonOut(std::string& s);
  JsonOut(const JsonOut&) = delete;
  JsonOut& operator=(const JsonOut&) = delete;
  ~JsonOut() { finish(); }
  // Cuts the string to what was written; the writer must not be used afterwards.
  void finish();

  JsonOut& beginObject() { return open('{'); }
  JsonOut& endObject() { return close('}'); }
  JsonOut& beginArray() { return open('['); }
  JsonOut& endArray() { return close(']'); }

  // An object key given as a literal: plain ASCII that needs no escaping (not checked).
  template <std::size_t N>
  JsonOut& key(const char (&name)[N]) {
    room(N + 3);
    if (comma_) *pos_++ = ',';
    *pos_++ = '"';
    std::memcpy(pos_, name, N - 1);
    pos_ += N - 1;
    *pos_++ = '"';
    *pos_++ = ':';
    comma_ = false;
    return *this;
  }
  // Any key (escaped).
  JsonOut& key(const std::string& name);

  JsonOut& string(std::string_view s) {
    separate();
    writeString(s);
    return *this;
  }
  // A string made of pieces: plain ASCII that needs no escaping (not checked).
  JsonOut& quoted(std::initializer_list<std::string_view> pieces);
  // A literal: plain ASCII that needs no escaping (not checked).
  template <std::size_t N>
  JsonOut& literal(const char (&text)[N]) {
    separate();
    room(N + 1);
    *pos_++ = '"';
    std::memcpy(pos_, text, N - 1);
    pos_ += N - 1;
    *pos_++ = '"';
    return *this;
  }
  JsonOut& integer(std::int64_t n);
  JsonOut& unsignedInteger(std::uint64_t n);
  JsonOut& boolean(bool b) {
    separate();
    return b ? put("true", 4) : put("false", 5);
  }
  JsonOut& null() {
    separate();
    return put("null", 4);
  }
  // The service's number text: whole-valued doubles as integers (100.0 -> 100), others as the library writes them
  // (what normalizeNumber then dump give).
  JsonOut& number(double d);
  // An instant as formatIsoTime writes it, as a JSON string.
  JsonOut& time(Instant t);
  // A stored JSON value (labels, policies, …), written as it is.
  JsonOut& json(const Json& value);
  // JSON text known to be valid (another writer's output), as one value.
  JsonOut& raw(std::string_view text) {
    separate();
    return put(text.data(), text.size());
  }

  // A value written piece by piece with put(): puts the comma it needs first.
  JsonOut& beginValue() {
    separate();
    return *this;
  }
  // Low level: bytes as they are, no comma handling.
  JsonOut& put(const char* data, std::size_t n) {
    if (n == 0) return *this;  // data may be null then (an empty string_view), which memcpy must not get
    room(n);
    std::memcpy(pos_, data, n);
    pos_ += n;
    return *this;
  }
  JsonOut& put(char c) {
    room(1);
    *pos_++ = c;
    return *this;
  }
  // Whether the next key or value gets a comma before it.
  bool needsComma() const { return comma_; }
  // Where the next byte goes, and going back there (dropping what was written since).
  std::size_t mark() const { return static_cast<std::size_t>(pos_ - s_->data()); }
  void rewind(std::size_t at) { pos_ = s_->data() + at; }

  // A quoted, escaped string with no comma handling (the library's text for non-ASCII).
  void writeString(std::string_view s);

 private:
  static constexpr std::size_t kRoom = 128;
  void separate() {
    if (comma_) put(',');
    comma_ = true;
  }
  JsonOut& open(char c) {
    separate();
    put(c);
    comma_ = false;
    return *this;
  }
  JsonOut& close(char c) {
    put(c);
    comma_ = true;
    return *this;
  }
  void room(std::size_t n) {
    if (static_cast<std::size_t>(end_ - pos_) < n) grow(n);
  }
  void grow(std::size_t n);
  bool writeAsciiString(std::string_view s);

  std::string* s_;
  char* pos_ = nullptr;
  char* end_ = nullptr;
  bool comma_ = false;  // the next key or value needs a comma before it
};

// Appends the JSON text of `value` to `out`.
void writeJson(const Json& value, std::string& out);

// The JSON text of `value`.
std::string toJsonText(const Json& value);

// Appends the JSON text of the string `s` (quoted and escaped; invalid UTF-8 replaced as above).
void writeJsonString(const std::string& s, std::string& out);

}  // namespace jr
