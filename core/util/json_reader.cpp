#include "core/util/json_reader.hpp"

#include <charconv>
#include <clocale>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <utility>
#include <vector>

#include "core/util/ascii.hpp"

namespace jr {
namespace {

// Reads one JSON document without recursion (a container's depth costs a pointer on a vector, never stack), to the
// tree nlohmann's parser builds from the same text, or to nothing where nlohmann's parser refuses the text.
class Reader {
 public:
  explicit Reader(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  bool document(Json& out) {
    if (!skipByteOrderMark()) return false;
    std::vector<Json*> open;  // the containers being read, innermost last
    Json* slot = &out;        // where the next value goes
    for (;;) {
      skipSpace();
      if (p_ == end_) return false;
      bool opened = false;
      if (!value(*slot, opened)) return false;
      if (opened) {
        open.push_back(slot);
        skipSpace();
        if (closes(*slot)) {
          open.pop_back();
        } else {
          slot = firstSlot(*slot);
          if (slot == nullptr) return false;
          continue;
        }
      }
      // A value is complete: close what it completes, then find the next slot.
      for (;;) {
        if (open.empty()) {
          skipSpace();
          // nlohmann's lexer ends the input at a NUL byte (text after it is not read)
          return p_ == end_ || *p_ == '\0';
        }
        Json& container = *open.back();
        skipSpace();
        if (p_ == end_) return false;
        if (*p_ == ',') {
          ++p_;
          skipSpace();
          slot = nextSlot(container);
          if (slot == nullptr) return false;
          break;
        }
        if (*p_ != (container.is_object() ? '}' : ']')) return false;
        ++p_;
        open.pop_back();
      }
    }
  }

 private:
  // nlohmann's parser skips a UTF-8 byte-order mark at the start, and refuses a part of one.
  bool skipByteOrderMark() {
    if (p_ == end_ || static_cast<unsigned char>(*p_) != 0xEF) return true;
    if (end_ - p_ < 3 || static_cast<unsigned char>(p_[1]) != 0xBB || static_cast<unsigned char>(p_[2]) != 0xBF) {
      return false;
    }
    p_ += 3;
    return true;
  }

  void skipSpace() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() || word.compare(0, word.size(), p_, word.size()) != 0) {
      return false;
    }
    p_ += word.size();
    return true;
  }

  // A value at p_ into `out`; an object or array is only begun (`opened`): its members follow.
  bool value(Json& out, bool& opened) {
    switch (*p_) {
      case '{': ++p_; out = Json::object(); opened = true; return true;
      case '[': ++p_; out = Json::array(); opened = true; return true;
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

  // true (and the bracket read) when a container just begun is empty.
  bool closes(const Json& container) {
    if (p_ != end_ && *p_ == (container.is_object() ? '}' : ']')) {
      ++p_;
      return true;
    }
    return false;
  }

  Json* firstSlot(Json& container) { return nextSlot(container); }

  // The slot of the container's next item, or of the member whose name is read here ("name" :). A repeated name
  // keeps its first place and takes the last value, as nlohmann's parser does.
  Json* nextSlot(Json& container) {
    if (container.is_array()) {
      auto& items = container.get_ref<Json::array_t&>();
      items.emplace_back();
      return &items.back();
    }
    std::string key;
    if (p_ == end_ || *p_ != '"' || !string(key)) return nullptr;
    skipSpace();
    if (p_ == end_ || *p_ != ':') return nullptr;
    ++p_;
    auto& members = container.get_ref<Json::object_t&>();
    for (auto& member : members) {
      if (member.first == key) {
        member.second = Json();
        return &member.second;
      }
    }
    members.emplace_back(std::move(key), Json());
    return &members.back().second;
  }

  // A string, as nlohmann's lexer reads one: no control characters, the JSON escapes (a \u escape of a UTF-16
  // surrogate only as a pair), well-formed UTF-8 only (RFC 3629).
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
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c == '\\') {
        if (!escape(out)) return false;
      } else if (c < 0x20 || !utf8Sequence(out)) {
        return false;
      }
    }
  }

  bool escape(std::string& out) {
    if (end_ - p_ < 2) return false;
    const char c = p_[1];
    p_ += 2;
    switch (c) {
      case '"': out.push_back('"'); return true;
      case '\\': out.push_back('\\'); return true;
      case '/': out.push_back('/'); return true;
      case 'b': out.push_back('\b'); return true;
      case 'f': out.push_back('\f'); return true;
      case 'n': out.push_back('\n'); return true;
      case 'r': out.push_back('\r'); return true;
      case 't': out.push_back('\t'); return true;
      case 'u': return unicodeEscape(out);
      default: return false;
    }
  }

  // The four hex digits of a \u escape (after "\u"); -1 when they are not.
  int hex4() {
    if (end_ - p_ < 4) return -1;
    int value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = *p_++;
      int digit = -1;
      if (c >= '0' && c <= '9') digit = c - '0';
      else if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
      if (digit < 0) return -1;
      value = value * 16 + digit;
    }
    return value;
  }

  bool unicodeEscape(std::string& out) {
    const int first = hex4();
    if (first < 0) return false;
    std::uint32_t code = static_cast<std::uint32_t>(first);
    if (code >= 0xDC00 && code <= 0xDFFF) return false;  // a low surrogate first
    if (code >= 0xD800 && code <= 0xDBFF) {
      if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
      p_ += 2;
      const int second = hex4();
      if (second < 0xDC00 || second > 0xDFFF) return false;
      code = 0x10000 + ((code - 0xD800) << 10) + (static_cast<std::uint32_t>(second) - 0xDC00);
    }
    appendUtf8(out, code);
    return true;
  }

  static void appendUtf8(std::string& out, std::uint32_t code) {
    if (code < 0x80) {
      out.push_back(static_cast<char>(code));
    } else if (code < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (code >> 6)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (code >> 12)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (code >> 18)));
      out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
  }

  // One UTF-8 sequence of a non-ASCII character, copied; false when it is not well-formed.
  bool utf8Sequence(std::string& out) {
    const auto lead = static_cast<unsigned char>(*p_);
    int continuation = 0;
    unsigned char low = 0x80, high = 0xBF;  // the range of the byte after the lead
    if (lead >= 0xC2 && lead <= 0xDF) {
      continuation = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      continuation = 2;
      if (lead == 0xE0) low = 0xA0;
      if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      continuation = 3;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    if (end_ - p_ <= continuation) return false;
    for (int i = 1; i <= continuation; ++i) {
      const auto byte = static_cast<unsigned char>(p_[i]);
      if (byte < (i == 1 ? low : 0x80) || byte > (i == 1 ? high : 0xBF)) return false;
    }
    out.append(p_, static_cast<std::size_t>(continuation + 1));
    p_ += continuation + 1;
    return true;
  }

  bool number(Json& out);

  const char* p_;
  const char* end_;
};

// A number of the JSON grammar, stored as nlohmann's lexer stores it: an integer that fits as unsigned (not negative)
// or signed (negative) 64 bits, anything else as the double strtod gives (with the locale's decimal point, as
// nlohmann's lexer does); an infinite double is refused, as nlohmann's parser refuses it.
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
  if (!fraction) {
    if (negative) {
      std::int64_t value = 0;
      if (std::from_chars(start, p_, value).ec == std::errc()) return out = Json(value), true;
    } else {
      std::uint64_t value = 0;
      if (std::from_chars(start, p_, value).ec == std::errc()) return out = Json(value), true;
    }
  }
  std::string token(start, p_);
  const char* point = std::localeconv()->decimal_point;
  if (point != nullptr && point[0] != '\0' && point[0] != '.') {
    for (char& c : token) {
      if (c == '.') c = point[0];
    }
  }
  char* tokenEnd = nullptr;
  const double d = std::strtod(token.c_str(), &tokenEnd);
  if (tokenEnd != token.c_str() + token.size() || !std::isfinite(d)) return false;
  out = Json(d);
  return true;
}

}  // namespace

Json readJsonNoThrow(const std::string& text) {
  Json out;
  if (Reader(text).document(out)) return out;
  return Json(Json::value_t::discarded);
}

}  // namespace jr
