#include "core/util/json_writer.hpp"

#include <charconv>
#include <cstring>
#include <cstdint>
#include <string_view>

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

// Appends to a std::string through a raw pointer: the string's own push_back/append are out-of-line calls in
// the WebAssembly build (libc++ instantiates them in its library), which made them a large share of writing.
// The string is sized ahead by a little (zero-filled room; its capacity still grows geometrically) and cut to
// what was written when the sink finishes.
class Sink {
 public:
  explicit Sink(std::string& s) : s_(s) {
    const std::size_t used = s_.size();
    s_.resize(used + kRoom);
    pos_ = s_.data() + used;
    end_ = s_.data() + s_.size();
  }
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;
  ~Sink() { s_.resize(static_cast<std::size_t>(pos_ - s_.data())); }

  void put(char c) {
    if (pos_ == end_) grow(1);
    *pos_++ = c;
  }
  void put(const char* data, std::size_t n) {
    if (static_cast<std::size_t>(end_ - pos_) < n) grow(n);
    std::memcpy(pos_, data, n);
    pos_ += n;
  }
  void put(std::string_view text) { put(text.data(), text.size()); }

  // Where the next byte goes, and going back there (dropping what was written since).
  std::size_t mark() const { return static_cast<std::size_t>(pos_ - s_.data()); }
  void rewind(std::size_t at) { pos_ = s_.data() + at; }

 private:
  static constexpr std::size_t kRoom = 128;
  void grow(std::size_t n) {
    const std::size_t used = static_cast<std::size_t>(pos_ - s_.data());
    s_.resize(used + n + kRoom + used / 4);
    pos_ = s_.data() + used;
    end_ = s_.data() + s_.size();
  }
  std::string& s_;
  char* pos_ = nullptr;
  char* end_ = nullptr;
};

// A quoted, escaped string, as the library escapes an ASCII string: the two-character escapes for \b \f \n \r \t
// " \, \u00xx (lower-case hex) for the other control characters, everything else as it is. Returns false (and
// takes back what it wrote) at the first non-ASCII byte: the caller then asks the library.
bool writeAsciiString(std::string_view s, Sink& out) {
  const std::size_t start = out.mark();
  out.put('"');
  std::size_t run = 0;  // start of the pending run of characters copied as they are
  for (std::size_t i = 0; i < s.size(); ++i) {
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

template <class Integer>
void writeInteger(Integer n, Sink& out) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, n);
  out.put(buffer, static_cast<std::size_t>(result.ptr - buffer));
}

// A string with a non-ASCII byte gets the library's text (it validates and replaces invalid UTF-8).
void writeString(const std::string& s, Sink& out) {
  if (!writeAsciiString(s, out)) out.put(libraryText(Json(s)));
}

void writeValue(const Json& value, Sink& out) {
  switch (value.type()) {
    case Json::value_t::object: {
      out.put('{');
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!first) out.put(',');
        first = false;
        writeString(it.key(), out);
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
      writeString(value.get_ref<const std::string&>(), out);
      return;
    case Json::value_t::boolean:
      out.put(value.get<bool>() ? std::string_view("true") : std::string_view("false"));
      return;
    case Json::value_t::number_integer:
      writeInteger(value.get<std::int64_t>(), out);
      return;
    case Json::value_t::number_unsigned:
      writeInteger(value.get<std::uint64_t>(), out);
      return;
    case Json::value_t::null:
      out.put(std::string_view("null"));
      return;
    default:  // floating point, binary, discarded: the library's own text
      out.put(libraryText(value));
      return;
  }
}

}  // namespace

void writeJson(const Json& value, std::string& out) {
  Sink sink(out);
  writeValue(value, sink);
}

void writeJsonString(const std::string& s, std::string& out) {
  Sink sink(out);
  writeString(s, sink);
}

std::string toJsonText(const Json& value) {
  std::string out;
  out.reserve(256);
  writeJson(value, out);
  return out;
}

}  // namespace jr
