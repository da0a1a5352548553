#include "core/engine/state_reader.hpp"

#include <charconv>

#include "core/engine/state_codec.hpp"
#include "core/util/json_reader.hpp"
#include "core/util/utf8.hpp"

namespace jr {

void StateReader::fail(const std::string& what) const {
  throw badState(what + " at byte " + std::to_string(p_ - begin_));
}

void StateReader::ws() {
  while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
}

char StateReader::peek() {
  ws();
  if (p_ == end_) fail("unexpected end of the text");
  return *p_;
}

void StateReader::expect(char c) {
  if (peek() != c) fail(std::string("expected '") + c + "'");
  ++p_;
}

void StateReader::beginObject() {
  if (peek() != '{') fail("expected an object");
  ++p_;
  first_ = true;
}

bool StateReader::nextKey(std::string& key) {
  if (peek() == '}') {
    ++p_;
    first_ = false;
    return false;
  }
  if (!first_) expect(',');
  first_ = false;
  if (peek() != '"') fail("expected a key");
  key.clear();
  readString(&key);
  expect(':');
  return true;
}

void StateReader::beginArray() {
  if (peek() != '[') fail("expected an array");
  ++p_;
  first_ = true;
}

bool StateReader::nextItem() {
  if (peek() == ']') {
    ++p_;
    first_ = false;
    return false;
  }
  if (!first_) expect(',');
  first_ = false;
  return true;
}

void StateReader::word(const char* w, std::size_t n) {
  if (static_cast<std::size_t>(end_ - p_) < n || std::string_view(p_, n) != std::string_view(w, n)) {
    fail("invalid literal");
  }
  p_ += n;
}

bool StateReader::null() {
  if (peek() != 'n') return false;
  word("null", 4);
  return true;
}

bool StateReader::boolean() {
  const char c = peek();
  if (c == 't') return word("true", 4), true;
  if (c == 'f') return word("false", 5), false;
  fail("expected a boolean");
}

std::string StateReader::string() {
  if (peek() != '"') fail("expected a string");
  std::string out;
  readString(&out);
  return out;
}

// At the opening quote; appends the decoded text to `out` (nothing when null) and leaves after the closing quote.
void StateReader::readString(std::string* out) {
  ++p_;
  for (;;) {
    const char* run = p_;
    while (p_ < end_ && static_cast<unsigned char>(*p_) >= 0x20 && *p_ != '"' && *p_ != '\\' &&
           static_cast<unsigned char>(*p_) < 0x80) {
      ++p_;
    }
    if (out) out->append(run, static_cast<std::size_t>(p_ - run));
    if (p_ == end_) fail("unterminated string");
    const auto c = static_cast<unsigned char>(*p_);
    if (c == '"') {
      ++p_;
      return;
    }
    if (c == '\\') readEscape(out);
    else if (c >= 0x80) readUtf8(out);
    else fail("control character in a string");
  }
}

namespace {

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

// At a backslash: one escape (\uXXXX with its low surrogate when it is a high one).
void StateReader::readEscape(std::string* out) {
  if (end_ - p_ < 2) fail("unterminated string");
  const char e = p_[1];
  p_ += 2;
  static const std::string_view kSimple = "\"\\/bfnrt";
  static const char kDecoded[] = "\"\\/\b\f\n\r\t";
  if (const auto at = kSimple.find(e); at != std::string_view::npos) {
    if (out) *out += kDecoded[at];
    return;
  }
  if (e != 'u') fail("invalid escape in a string");
  auto hex4 = [this]() {
    if (end_ - p_ < 4) fail("invalid \\u escape");
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const int d = hexDigit(p_[i]);
      if (d < 0) fail("invalid \\u escape");
      v = v * 16 + static_cast<std::uint32_t>(d);
    }
    p_ += 4;
    return v;
  };
  std::uint32_t cp = hex4();
  if (cp >= 0xDC00 && cp <= 0xDFFF) fail("lone surrogate in a string");
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') fail("lone surrogate in a string");
    p_ += 2;
    const std::uint32_t low = hex4();
    if (low < 0xDC00 || low > 0xDFFF) fail("lone surrogate in a string");
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
  }
  if (out) appendUtf8(*out, cp);
}

// At a byte >= 0x80: one UTF-8 sequence, checked as RFC 3629 defines it (no overlong forms, no surrogates).
void StateReader::readUtf8(std::string* out) {
  const auto b0 = static_cast<unsigned char>(*p_);
  int n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) n = 1;
  else if (b0 == 0xE0) n = 2, lo = 0xA0;
  else if (b0 == 0xED) n = 2, hi = 0x9F;
  else if (b0 >= 0xE1 && b0 <= 0xEF) n = 2;
  else if (b0 == 0xF0) n = 3, lo = 0x90;
  else if (b0 == 0xF4) n = 3, hi = 0x8F;
  else if (b0 >= 0xF1 && b0 <= 0xF3) n = 3;
  else fail("invalid UTF-8 in a string");
  if (end_ - p_ <= n) fail("invalid UTF-8 in a string");
  for (int i = 1; i <= n; ++i) {
    const auto b = static_cast<unsigned char>(p_[i]);
    if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF)) fail("invalid UTF-8 in a string");
  }
  if (out) out->append(p_, static_cast<std::size_t>(n + 1));
  p_ += n + 1;
}

// A number's text, checked against JSON's grammar; `integral` when it has no fraction and no exponent.
std::string_view StateReader::numberToken(bool& integral) {
  ws();
  const char* start = p_;
  auto digits = [this]() {
    const char* from = p_;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    if (p_ == from) fail("invalid number");
  };
  if (p_ < end_ && *p_ == '-') ++p_;
  if (p_ < end_ && *p_ == '0') ++p_;
  else digits();
  integral = true;
  if (p_ < end_ && *p_ == '.') {
    ++p_;
    digits();
    integral = false;
  }
  if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
    ++p_;
    if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
    digits();
    integral = false;
  }
  return {start, static_cast<std::size_t>(p_ - start)};
}

std::int64_t StateReader::integer() {
  const char c = peek();
  if (c != '-' && (c < '0' || c > '9')) fail("expected an integer");
  bool integral = false;
  const std::string_view t = numberToken(integral);
  std::int64_t v = 0;
  const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
  if (!integral || r.ec != std::errc() || r.ptr != t.data() + t.size()) fail("expected an integer");
  return v;
}

std::uint64_t StateReader::count() {
  const char c = peek();
  std::uint64_t v = 0;
  if (c == '"') {
    const std::string s = string();
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || s.size() > 20 || r.ec != std::errc() || r.ptr != s.data() + s.size()) {
      fail("expected an unsigned integer");
    }
    return v;
  }
  if (c < '0' || c > '9') fail("expected an unsigned integer");
  bool integral = false;
  const std::string_view t = numberToken(integral);
  const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
  if (!integral || r.ec != std::errc() || r.ptr != t.data() + t.size()) fail("expected an unsigned integer");
  return v;
}

std::int64_t StateReader::ticks() {
  const std::string s = string();
  std::int64_t v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) fail("expected a string of ticks");
  return v;
}

Instant StateReader::time() {
  if (peek() != '"') fail("expected a date-time");
  const auto t = parseIsoTime(string());
  if (!t) fail("expected a date-time");
  return *t;
}

Json StateReader::parsed(std::string_view text) const {
  Json value = readJsonNoThrow(std::string(text));
  if (value.is_discarded()) fail("expected a JSON value");
  return value;
}

Json StateReader::value() {
  const char c = peek();
  if (c == '"') return Json(string());
  if (c == 't' || c == 'f') return Json(boolean());
  if (c == 'n') return word("null", 4), Json(nullptr);
  if (c == '{' || c == '[') return parsed(skip());
  bool integral = false;
  const std::string_view t = numberToken(integral);
  if (integral && t[0] == '-') {
    std::int64_t v = 0;
    const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    if (r.ec == std::errc()) return Json(v);
  } else if (integral) {
    std::uint64_t v = 0;
    const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    if (r.ec == std::errc()) return Json(v);
  }
  return parsed(t);  // fractions, exponents and integers out of range, read as nlohmann's parser reads them
}

std::string_view StateReader::skip() {
  ws();
  const char* start = p_;
  const bool first = first_;
  skipValue(0);
  first_ = first;
  return {start, static_cast<std::size_t>(p_ - start)};
}

void StateReader::skipValue(int depth) {
  if (depth > kMaxDepth) fail("nested too deeply");
  const char c = peek();
  if (c == '"') return readString(nullptr);
  if (c == 't' || c == 'f') return void(boolean());
  if (c == 'n') return word("null", 4);
  if (c == '{') {
    beginObject();
    std::string key;
    while (nextKey(key)) skipValue(depth + 1);
    return;
  }
  if (c == '[') {
    beginArray();
    while (nextItem()) skipValue(depth + 1);
    return;
  }
  if (c == '-' || (c >= '0' && c <= '9')) {
    bool integral = false;
    numberToken(integral);
    return;
  }
  fail("expected a value");
}

const char* StateReader::valueStart() {
  ws();
  return p_;
}

void StateReader::end() {
  ws();
  if (p_ != end_) fail("unexpected text after the snapshot");
}

}  // namespace jr
