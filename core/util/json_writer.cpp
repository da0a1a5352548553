#include "core/util/json_writer.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <cstdint>
#include <string_view>
#include <utility>

namespace jr {

namespace {

constexpr char kHex[] = "0123456789abcdef";

std::string libraryText(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

// True when one of the 8 bytes of `word` is a control character, '"', '\\' or non-ASCII (bit tricks on all eight
// bytes at once; the usual "has a zero byte" test applied to word ^ '"' and word ^ '\\').
inline bool hasSpecialByte(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  const auto hasZero = [](std::uint64_t x) { return ((x - kOnes) & ~x & kHighs) != 0; };
  const bool control = ((word - kOnes * 0x20) & ~word & kHighs) != 0;  // some byte < 0x20 (or >= 0x80)
  return control || (word & kHighs) != 0 || hasZero(word ^ (kOnes * '"')) || hasZero(word ^ (kOnes * '\\'));
}

}  // namespace

namespace {

// The rest of a string from `from` on (its opening quote and s[0, from) are written), escaped, then the closing quote;
// false (and what was written since `start` taken back) at the first non-ASCII byte.
bool writeEscapedRest(JsonOut& out, std::string_view s, std::size_t from, std::size_t start) {
  std::size_t run = from;  // start of the pending run of characters copied as they are
  for (std::size_t i = from; i < s.size(); ++i) {
    // Skip plain bytes eight at a time.
    while (i + 8 <= s.size()) {
      std::uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if (hasSpecialByte(word)) break;
      i += 8;
    }
    if (i >= s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) continue;
    if (c >= 0x80) {
      out.rewind(start);
      return false;
    }
    out.put(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out.put("\\\"", 2); break;
      case '\\': out.put("\\\\", 2); break;
      case '\b': out.put("\\b", 2); break;
      case '\f': out.put("\\f", 2); break;
      case '\n': out.put("\\n", 2); break;
      case '\r': out.put("\\r", 2); break;
      case '\t': out.put("\\t", 2); break;
      default: {
        const char escape[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0x0f]};
        out.put(escape, 6);
      }
    }
  }
  out.put(s.data() + run, s.size() - run);
  out.put('"');
  return true;
}

}  // namespace

// A quoted, escaped string, as the library escapes an ASCII string: the two-character escapes for \b \f \n \r \t
// " \, \u00xx (lower-case hex) for the other control characters, everything else as it is. Returns false (and
// takes back what it wrote) at the first non-ASCII byte: the caller then asks the library.
//
// Most strings need no escape: they are copied into room made for them at once, eight bytes at a time while no byte
// is special (fixed-size copies, no memcpy call), and only a string with a special byte goes on the slower way.
bool JsonOut::writeAsciiString(std::string_view s) {
  const std::size_t start = mark();
  room(s.size() + 2);
  char* out = pos_;
  *out++ = '"';
  const char* p = s.data();
  const char* const end = p + s.size();
  while (end - p >= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    if (hasSpecialByte(word)) break;
    std::memcpy(out, &word, 8);
    out += 8;
    p += 8;
  }
  for (; p != end; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) {
      pos_ = out;
      return writeEscapedRest(*this, s, static_cast<std::size_t>(p - s.data()), start);
    }
    *out++ = static_cast<char>(c);
  }
  *out++ = '"';
  pos_ = out;
  return true;
}

// A string with a non-ASCII byte gets the library's text (it validates and replaces invalid UTF-8).
void JsonOut::writeString(std::string_view s) {
  if (!writeAsciiString(s)) {
    const std::string text = libraryText(Json(std::string(s)));
    put(text.data(), text.size());
  }
}

namespace {

template <class Integer>
void writeInteger(Integer n, JsonOut& out) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, n);
  out.put(buffer, static_cast<std::size_t>(result.ptr - buffer));
}

void writeValue(const Json& value, JsonOut& out) {
  switch (value.type()) {
    case Json::value_t::object: {
      out.put('{');
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!first) out.put(',');
        first = false;
        out.writeString(it.key());
        out.put(':');
        writeValue(it.value(), out);
      }
      out.put('}');
      return;
    }
    case Json::value_t::array: {
      out.put('[');
      bool first = true;
      for (const Json& item : value) {
        if (!first) out.put(',');
        first = false;
        writeValue(item, out);
      }
      out.put(']');
      return;
    }
    case Json::value_t::string:
      out.writeString(value.get_ref<const std::string&>());
      return;
    case Json::value_t::boolean:
      if (value.get<bool>()) out.put("true", 4);
      else out.put("false", 5);
      return;
    case Json::value_t::number_integer:
      writeInteger(value.get<std::int64_t>(), out);
      return;
    case Json::value_t::number_unsigned:
      writeInteger(value.get<std::uint64_t>(), out);
      return;
    case Json::value_t::null:
      out.put("null", 4);
      return;
    default: {  // floating point, binary, discarded: the library's own text
      const std::string text = libraryText(value);
      out.put(text.data(), text.size());
      return;
    }
  }
}

}  // namespace

JsonOut::JsonOut(std::string& s) : s_(&s) {
  const std::size_t used = s.size();
  s.resize(used + kRoom);
  pos_ = s.data() + used;
  end_ = s.data() + s.size();
}

void JsonOut::finish() {
  if (!s_) return;
  s_->resize(static_cast<std::size_t>(pos_ - s_->data()));
  s_ = nullptr;
}

// The string is sized ahead by a little (zero-filled room; its capacity still grows geometrically).
void JsonOut::grow(std::size_t n) {
  const std::size_t used = static_cast<std::size_t>(pos_ - s_->data());
  s_->resize(used + n + kRoom + used / 4);
  pos_ = s_->data() + used;
  end_ = s_->data() + s_->size();
}

JsonOut& JsonOut::key(const std::string& name) {
  if (comma_) put(',');
  writeString(name);
  put(':');
  comma_ = false;
  return *this;
}

JsonOut& JsonOut::integer(std::int64_t n) {
  separate();
  writeInteger(n, *this);
  return *this;
}

JsonOut& JsonOut::unsignedInteger(std::uint64_t n) {
  separate();
  writeInteger(n, *this);
  return *this;
}

JsonOut& JsonOut::number(double d) {
  if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.0e15) return integer(static_cast<std::int64_t>(d));
  separate();
  const std::string text = libraryText(Json(d));
  return put(text.data(), text.size());
}

// The same instants come again and again (a request's responses and events carry its instant): the last two
// texts are kept, per thread (formatting is a pure function of the instant, so this changes no output).
JsonOut& JsonOut::quoted(std::initializer_list<std::string_view> pieces) {
  separate();
  put('"');
  for (const std::string_view piece : pieces) put(piece.data(), piece.size());
  return put('"');
}

JsonOut& JsonOut::time(Instant t) {
  struct Slot {
    Instant t = 0;
    std::size_t size = 0;  // 0: empty
    char text[48];
  };
  thread_local Slot recent[2];
  separate();
  if (recent[0].size == 0 || recent[0].t != t) {
    if (recent[1].size != 0 && recent[1].t == t) {
      std::swap(recent[0], recent[1]);
    } else {
      const std::string text = formatIsoTime(t);  // digits, '-', ':', 'T', '.', '+': nothing to escape
      if (text.size() + 2 > sizeof recent[0].text) {
        put('"').put(text.data(), text.size());
        return put('"');
      }
      recent[1] = recent[0];
      recent[0].t = t;
      recent[0].text[0] = '"';
      std::memcpy(recent[0].text + 1, text.data(), text.size());
      recent[0].text[text.size() + 1] = '"';
      recent[0].size = text.size() + 2;
    }
  }
  return put(recent[0].text, recent[0].size);
}

JsonOut& JsonOut::json(const Json& value) {
  separate();
  writeValue(value, *this);
  return *this;
}

void writeJson(const Json& value, std::string& out) {
  JsonOut sink(out);
  writeValue(value, sink);
}

void writeJsonString(const std::string& s, std::string& out) {
  JsonOut sink(out);
  sink.writeString(s);
}

std::string toJsonText(const Json& value) {
  std::string out;
  out.reserve(256);
  writeJson(value, out);
  return out;
}

}  // namespace jr
