#include "core/util/json_reader.hpp"

#include <clocale>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <utility>

#include "core/util/ascii.hpp"

namespace jr {
namespace {

// Deeper documents go to nlohmann's parser, which does not recurse.
constexpr int kMaxDepth = 64;


// Reads one JSON document; false when the text is outside what it reads (the caller then asks nlohmann).
class Reader {
 public:
  explicit Reader(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  bool document(Json& out) {
    skipSpace();
    if (!value(out, 0)) return false;
    skipSpace();
    return p_ == end_;
  }

 private:
  void skipSpace() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() || std::memcmp(p_, word.data(), word.size()) != 0) {
      return false;
    }
    p_ += word.size();
    return true;
  }

  bool value(Json& out, int depth) {
    if (p_ == end_ || depth > kMaxDepth) return false;
    switch (*p_) {
      case '{': return object(out, depth);
      case '[': return array(out, depth);
      case '"': {
        std::string text;
        if (!string(text)) return false;
        out = Json(std::move(text));
        return true;
      }
      case 't': out = true; return literal("true");
      case 'f': out = false; return literal("false");
      case 'n': out = nullptr; return literal("null");
      default: return number(out);
    }
  }

  // An object; a repeated name keeps its first place and takes the last value, as nlohmann's parser does.
  bool object(Json& out, int depth) {
    ++p_;  // '{'
    out = Json::object();
    auto& members = out.get_ref<Json::object_t&>();
    skipSpace();
    if (p_ != end_ && *p_ == '}') {
      ++p_;
      return true;
    }
    for (;;) {
      std::string key;
      if (p_ == end_ || *p_ != '"' || !string(key)) return false;
      skipSpace();
      if (p_ == end_ || *p_ != ':') return false;
      ++p_;
      skipSpace();
      Json member;
      if (!value(member, depth + 1)) return false;
      auto same = members.begin();
      while (same != members.end() && same->first != key) ++same;
      if (same != members.end()) same->second = std::move(member);
      else members.emplace_back(std::move(key), std::move(member));
      skipSpace();
      if (p_ == end_) return false;
      if (*p_ == '}') break;
      if (*p_ != ',') return false;
      ++p_;
      skipSpace();
    }
    ++p_;
    return true;
  }

  bool array(Json& out, int depth) {
    ++p_;  // '['
    out = Json::array();
    auto& items = out.get_ref<Json::array_t&>();
    skipSpace();
    if (p_ != end_ && *p_ == ']') {
      ++p_;
      return true;
    }
    for (;;) {
      items.emplace_back();
      if (!value(items.back(), depth + 1)) return false;
      skipSpace();
      if (p_ == end_) return false;
      if (*p_ == ']') break;
      if (*p_ != ',') return false;
      ++p_;
      skipSpace();
    }
    ++p_;
    return true;
  }

  // A string of printable ASCII with the one-letter escapes (a \u escape or a non-ASCII byte: not read here).
  bool string(std::string& out) {
    ++p_;  // '"'
    for (;;) {
      const char* run = p_;
      while (p_ != end_ && *p_ != '"' && *p_ != '\\' && static_cast<unsigned char>(*p_) >= 0x20 &&
             static_cast<unsigned char>(*p_) < 0x80) {
        ++p_;
      }
      out.append(run, static_cast<std::size_t>(p_ - run));
      if (p_ == end_) return false;
      if (*p_ == '"') {
        ++p_;
        return true;
      }
      if (*p_ != '\\' || end_ - p_ < 2) return false;
      const char escaped = unescape(p_[1]);
      if (escaped == 0) return false;
      out.push_back(escaped);
      p_ += 2;
    }
  }

  static char unescape(char c) {
    switch (c) {
      case '"': return '"';
      case '\\': return '\\';
      case '/': return '/';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      default: return 0;
    }
  }

  bool number(Json& out);
  bool floatNumber(const char* start, Json& out);

  const char* p_;
  const char* end_;
};

// A number of the JSON grammar: an integer as nlohmann stores it (unsigned when not negative), a fraction or exponent
// as a double.
bool Reader::number(Json& out) {
  const char* start = p_;
  const bool negative = *p_ == '-';
  if (negative) ++p_;
  if (p_ == end_ || !isAsciiDigit(*p_)) return false;
  if (*p_ == '0') {
    ++p_;
  } else {
    while (p_ != end_ && isAsciiDigit(*p_)) ++p_;
  }
  const char* integerEnd = p_;
  bool fraction = false;
  if (p_ != end_ && *p_ == '.') {
    fraction = true;
    ++p_;
    if (p_ == end_ || !isAsciiDigit(*p_)) return false;
    while (p_ != end_ && isAsciiDigit(*p_)) ++p_;
  }
  if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
    fraction = true;
    ++p_;
    if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
    if (p_ == end_ || !isAsciiDigit(*p_)) return false;
    while (p_ != end_ && isAsciiDigit(*p_)) ++p_;
  }
  if (fraction) return floatNumber(start, out);
  const char* digits = negative ? start + 1 : start;
  if (integerEnd - digits > 18) return false;  // may not fit: nlohmann's parser decides
  std::uint64_t magnitude = 0;
  for (const char* d = digits; d != integerEnd; ++d) magnitude = magnitude * 10 + static_cast<unsigned>(*d - '0');
  if (negative) out = Json(-static_cast<std::int64_t>(magnitude));
  else out = Json(magnitude);
  return true;
}

// As nlohmann's parser: strtod of the token (with the locale's decimal point, read here only when it is '.'); an
// infinite result is an error.
bool Reader::floatNumber(const char* start, Json& out) {
  const auto length = static_cast<std::size_t>(p_ - start);
  char token[64];
  const char* point = std::localeconv()->decimal_point;
  if (length >= sizeof token || point == nullptr || point[0] != '.' || point[1] != '\0') return false;
  std::memcpy(token, start, length);
  token[length] = '\0';
  char* tokenEnd = nullptr;
  const double d = std::strtod(token, &tokenEnd);
  if (tokenEnd != token + length || !std::isfinite(d)) return false;
  out = Json(d);
  return true;
}

}  // namespace

Json readJsonNoThrow(const std::string& text) {
  Json out;
  if (Reader(text).document(out)) return out;
  return parseJsonNoThrow(text);
}

}  // namespace jr
