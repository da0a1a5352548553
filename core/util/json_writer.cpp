#include "core/util/json_writer.hpp"

#include <charconv>
#include <cstring>
#include <cstdint>
#include <string_view>

namespace jr {

namespace {

constexpr char kHex[] = "0123456789abcdef";

std::string libraryText(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

// A quoted, escaped string, as the library escapes an ASCII string: the two-character escapes for \b \f \n \r \t
// " \, \u00xx (lower-case hex) for the other control characters, everything else as it is. Returns false (and
// leaves `out` as it was) at the first non-ASCII byte: the caller then asks the library.
// True when one of the 8 bytes of `word` is a control character, '"', '\\' or non-ASCII (bit tricks on all eight
// bytes at once; the usual "has a zero byte" test applied to word ^ '"' and word ^ '\\').
inline bool hasSpecialByte(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  const auto hasZero = [](std::uint64_t x) { return ((x - kOnes) & ~x & kHighs) != 0; };
  const bool control = ((word - kOnes * 0x20) & ~word & kHighs) != 0;  // some byte < 0x20 (or >= 0x80)
  return control || (word & kHighs) != 0 || hasZero(word ^ (kOnes * '"')) || hasZero(word ^ (kOnes * '\\'));
}

bool writeAsciiString(std::string_view s, std::string& out) {
  const std::size_t start = out.size();
  out.push_back('"');
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
      out.resize(start);
      return false;
    }
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default:
        out.append("\\u00");
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0x0f]);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
  return true;
}

void writeString(const std::string& s, std::string& out) {
  if (!writeAsciiString(s, out)) out += libraryText(Json(s));
}

template <class Integer>
void writeInteger(Integer n, std::string& out) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, n);
  out.append(buffer, result.ptr);
}

}  // namespace

void writeJson(const Json& value, std::string& out) {
  switch (value.type()) {
    case Json::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!first) out.push_back(',');
        first = false;
        writeString(it.key(), out);
        out.push_back(':');
        writeJson(it.value(), out);
      }
      out.push_back('}');
      return;
    }
    case Json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const Json& item : value) {
        if (!first) out.push_back(',');
        first = false;
        writeJson(item, out);
      }
      out.push_back(']');
      return;
    }
    case Json::value_t::string:
      writeString(value.get_ref<const std::string&>(), out);
      return;
    case Json::value_t::boolean:
      out.append(value.get<bool>() ? "true" : "false");
      return;
    case Json::value_t::number_integer:
      writeInteger(value.get<std::int64_t>(), out);
      return;
    case Json::value_t::number_unsigned:
      writeInteger(value.get<std::uint64_t>(), out);
      return;
    case Json::value_t::null:
      out.append("null");
      return;
    default:  // floating point, binary, discarded: the library's own text
      out += libraryText(value);
      return;
  }
}

std::string toJsonText(const Json& value) {
  std::string out;
  out.reserve(256);
  writeJson(value, out);
  return out;
}

}  // namespace jr
