// A pull reader of JSON text, for the state snapshot (state_decode.cpp): the decoder asks for the value it expects
// next and the reader checks it there, so a snapshot is read in one pass with no tree in between. Every value the
// reader passes over is checked as JSON (RFC 8259: UTF-8, escapes, surrogate pairs, number syntax, nesting), so a
// text the reader accepts is one nlohmann's parser accepts too. Any error throws the InvalidState ApiError, naming
// what was expected and the byte offset.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/util/json.hpp"
#include "core/util/time.hpp"

namespace jr {

class StateReader {
 public:
  static constexpr int kMaxDepth = 128;

  explicit StateReader(std::string_view text) : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()) {}

  [[noreturn]] void fail(const std::string& what) const;
  char peek();  // the next character after whitespace (fails at the end of the text)

  // Containers: beginObject(), then `while (nextKey(key)) { read the value }`; beginArray(), then
  // `while (nextItem()) { read the item }`. The loop ends after the closing bracket.
  void beginObject();
  bool nextKey(std::string& key);
  void beginArray();
  bool nextItem();

  bool null();  // consumes a null and returns true, or returns false (and consumes nothing)
  bool boolean();
  std::string string();
  std::int64_t integer();
  std::uint64_t count();    // a non-negative integer, or a string of up to 20 digits
  std::int64_t ticks();     // a string of an integer (Instant ticks)
  Instant time();           // an ISO-8601 date-time string
  Json value();             // any JSON value
  std::string_view skip();  // passes over any value (checked), returns its text
  // Where the next value starts (after whitespace), for measuring a value's text.
  const char* valueStart();
  const char* position() const { return p_; }
  void end();  // only whitespace may follow

 private:
  void ws();
  void expect(char c);
  void readString(std::string* out);
  void readEscape(std::string* out);
  void readUtf8(std::string* out);
  std::string_view numberToken(bool& integral);
  void skipValue(int depth);
  void word(const char* w, std::size_t n);
  // The value of a text skipValue or numberToken checked (as nlohmann's parser reads it).
  Json parsed(std::string_view text) const;

  const char* begin_;
  const char* p_;
  const char* end_;
  bool first_ = false;  // just after an opening bracket: no comma before the next member
};

}  // namespace jr
