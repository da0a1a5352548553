// A JsonOut that also records each token it writes on a JsonTape (core/util/json_tape.hpp), with offsets into the
// string it writes to; with no tape it writes exactly what JsonOut writes. The events' writers use it (the
// WebAssembly bindings hand the events' tape to JS with their text); other writers use JsonOut itself, which
// records nothing and carries none of this code.
//
// Each method shadows JsonOut's and returns TapedJsonOut&, so chained calls stay recorded. The base is private: a
// TapedJsonOut cannot be passed where a JsonOut& is taken (what that wrote would be missing from the tape), so a
// writer shared with responses is a template over the writer (writeChannels).
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/util/json_tape.hpp"
#include "core/util/json_writer.hpp"

namespace jr {

class TapedJsonOut : private JsonOut {
 public:
  TapedJsonOut(std::string& s, JsonTape* tape) : JsonOut(s), tape_(tape) {}
  using JsonOut::finish;
  using JsonOut::mark;
  using JsonOut::needsComma;

  // (out of line, but for the templates: the events' writers make many calls, each of which would otherwise
  // carry the recording code)
  TapedJsonOut& beginObject();
  TapedJsonOut& endObject();
  TapedJsonOut& beginArray();
  TapedJsonOut& endArray();
  template <std::size_t N>
  TapedJsonOut& key(const char (&name)[N]) {
    JsonOut::key(name);
    if (tape_) keyLiteral(name, N - 1);
    return *this;
  }
  TapedJsonOut& key(const std::string& name);
  TapedJsonOut& string(std::string_view s);
  TapedJsonOut& quoted(std::initializer_list<std::string_view> pieces);
  template <std::size_t N>
  TapedJsonOut& literal(const char (&text)[N]) {
    JsonOut::literal(text);
    if (tape_) literalString(N - 1);
    return *this;
  }
  TapedJsonOut& integer(std::int64_t n);
  TapedJsonOut& unsignedInteger(std::uint64_t n);
  TapedJsonOut& number(double d);
  TapedJsonOut& boolean(bool b);
  TapedJsonOut& null();
  TapedJsonOut& time(Instant t);
  TapedJsonOut& json(const Json& value);

 private:
  // Where the next value's text starts (after the comma it needs).
  std::size_t valueStart() const { return mark() + (needsComma() ? 1 : 0); }
  // The key just written from the literal `name` of `bytes` bytes; the string literal just written.
  void keyLiteral(const char* name, std::size_t bytes);
  void literalString(std::size_t bytes);
  TapedJsonOut& token(TapeKind kind);
  TapedJsonOut& span(TapeKind kind, std::size_t at);
  // A quoted key or string written from `at` (its opening quote) to `end` (its closing quote), whose unescaped
  // text has `bytes` bytes: escaped when the text between the quotes is longer.
  void quotedSpan(TapeKind kind, std::size_t at, std::size_t end, std::size_t bytes);

  JsonTape* tape_;
};

}  // namespace jr
