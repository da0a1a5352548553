#include "core/util/url.hpp"

namespace jr {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF), as JSON text must be.
bool isUtf8(const std::string& text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    std::size_t n = 0;
    unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c < 0x80) n = 0;
    else if (c >= 0xC2 && c <= 0xDF) n = 1;
    else if (c == 0xE0) n = 2, lo = 0xA0;
    else if (c == 0xED) n = 2, hi = 0x9F;
    else if (c >= 0xE1 && c <= 0xEF) n = 2;
    else if (c == 0xF0) n = 3, lo = 0x90;
    else if (c == 0xF4) n = 3, hi = 0x8F;
    else if (c >= 0xF1 && c <= 0xF3) n = 3;
    else return false;
    if (n > 0 && i + n >= text.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const unsigned char b = static_cast<unsigned char>(text[i + k]);
      if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return false;
    }
    i += n + 1;
  }
  return true;
}

}  // namespace

std::optional<std::string> percentDecode(std::string_view text, bool formEncoded) {
  std::string out;
  out.reserve(text.size());
  bool ascii = true;  // ASCII text is well-formed UTF-8: no check needed
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = hexValue(text[i + 1]);
      const int lo = hexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      ascii = ascii && hi < 8;
      i += 2;
    } else if (c == '+' && formEncoded) {
      out.push_back(' ');
    } else {
      out.push_back(c);
      ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    }
  }
  if (!ascii && !isUtf8(out)) return std::nullopt;
  return out;
}

std::string percentEncode(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

const std::string* QueryString::find(std::string_view name) const {
  for (const auto& [key, value] : items) {
    if (key == name) return &value;
  }
  return nullptr;
}

namespace {

// A query name or value: itself when it has no escape and no '+', else percent-decoded.
// True when a query name or value decodes to itself: no escape, no '+', ASCII only.
bool isPlainQueryPart(std::string_view text) {
  unsigned special = 0;  // no early exit: the compiler can scan several bytes at a time
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    special |= static_cast<unsigned>(c == '%') | static_cast<unsigned>(c == '+') | static_cast<unsigned>(c >= 0x80);
  }
  return special == 0;
}

std::optional<std::string> decodeQueryPart(std::string_view text) {
  if (!isPlainQueryPart(text)) return percentDecode(text, true);
  return std::string(text);
}

// A query name or value decoded, as a view: of the text itself when plain, else of `scratch`. False when malformed.
bool viewQueryPart(std::string_view text, std::string& scratch, std::string_view& out) {
  if (isPlainQueryPart(text)) {
    out = text;
    return true;
  }
  auto decoded = percentDecode(text, true);
  if (!decoded) return false;
  scratch = std::move(*decoded);
  out = scratch;
  return true;
}

// Calls visit(name, value) with the raw (still encoded) name and value of each non-empty '&'-separated part of a
// query string, in order; a part without '=' has an empty value.
template <typename Visit>
void forEachQueryPart(std::string_view query, Visit&& visit) {
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view part = query.substr(start, end - start);
    if (!part.empty()) {
      const std::size_t eq = part.find('=');
      visit(part.substr(0, eq), eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1));
    }
    start = end + 1;
  }
}

}  // namespace

QueryString parseQuery(std::string_view query) {
  QueryString result;
  forEachQueryPart(query, [&](std::string_view rawName, std::string_view rawValue) {
    auto name = decodeQueryPart(rawName);
    auto value = decodeQueryPart(rawValue);
    if (!name || !value) {
      result.malformed = true;
    } else if (!result.find(*name)) {
      result.items.emplace_back(std::move(*name), std::move(*value));
    }
  });
  return result;
}

QueryValue findQueryValue(std::string_view query, std::string_view name) {
  QueryValue result;
  std::string nameScratch, valueScratch;
  forEachQueryPart(query, [&](std::string_view rawName, std::string_view rawValue) {
    std::string_view partName, partValue;
    const bool nameOk = viewQueryPart(rawName, nameScratch, partName);
    const bool valueOk = viewQueryPart(rawValue, valueScratch, partValue);
    if (!nameOk || !valueOk) {
      result.malformed = true;
    } else if (!result.found && partName == name) {
      result.found = true;
      result.value.assign(partValue);
    }
  });
  return result;
}

std::string base64Encode(const std::string& bytes) {
  std::string out;
  std::size_t i = 0;
  while (i + 2 < bytes.size()) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += kBase64Alphabet[(v >> 18) & 63];
    out += kBase64Alphabet[(v >> 12) & 63];
    out += kBase64Alphabet[(v >> 6) & 63];
    out += kBase64Alphabet[v & 63];
    i += 3;
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out += kBase64Alphabet[(v >> 18) & 63];
    out += kBase64Alphabet[(v >> 12) & 63];
    out += "==";
  } else if (rest == 2) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += kBase64Alphabet[(v >> 18) & 63];
    out += kBase64Alphabet[(v >> 12) & 63];
    out += kBase64Alphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::optional<std::string> base64Decode(const std::string& text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  std::size_t padding = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '=') {
      if (i + 2 < text.size()) return std::nullopt;
      ++padding;
      continue;
    }
    if (padding) return std::nullopt;
    const char* p = nullptr;
    for (const char* a = kBase64Alphabet; *a; ++a) {
      if (*a == c) { p = a; break; }
    }
    if (!p) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(p - kBase64Alphabet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

}  // namespace jr
