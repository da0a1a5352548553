// The core's request-body reader (core/util/json_reader.hpp) against nlohmann's parser (parseJsonNoThrow): the same
// tree — same types (unsigned, integer, float), same member order, repeated names resolved alike — or the same
// refusal, for hand-picked texts, for 20,000 seeded random documents as nlohmann writes them (some pretty-printed),
// and for 60,000 seeded mutations of them (a byte deleted, inserted or replaced).
#include <cmath>
#include <cstdint>
#include <string>

#include "core/util/json_reader.hpp"
#include "core/util/prng.hpp"
#include "test-support.hpp"

using namespace jrtest;
using jr::Json;

namespace {

// Equal values of equal types throughout (Json's == takes 1 and 1u and 1.0 as equal).
bool sameTree(const Json& a, const Json& b) {
  if (a.type() != b.type()) return false;
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    auto ib = b.begin();
    for (auto ia = a.begin(); ia != a.end(); ++ia, ++ib) {
      if (ia.key() != ib.key() || !sameTree(ia.value(), ib.value())) return false;
    }
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!sameTree(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_number_float()) {
    const double x = a.get<double>(), y = b.get<double>();
    return (std::isnan(x) && std::isnan(y)) || (x == y && std::signbit(x) == std::signbit(y));
  }
  if (a.is_discarded()) return true;
  return a == b;
}

void checkSame(const std::string& text) {
  INFO(text);
  CHECK(sameTree(jr::readJsonNoThrow(text), jr::parseJsonNoThrow(text)));
}

std::string randomEscapedString(jr::Prng& prng) {
  static const std::string kPieces[] = {"a", "Z", "0", " ", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\u00e9",
                                        "\\ud83d\\ude00", "\x7f", "é", "€", "😀", "-", ":", "{", "]"};
  std::string s;
  const std::size_t n = prng.next() % 8;
  for (std::size_t i = 0; i < n; ++i) s += kPieces[prng.next() % std::size(kPieces)];
  return Json::parse("\"" + s + "\"").get<std::string>();
}

Json randomReadValue(jr::Prng& prng, int depth) {
  switch (prng.next() % (depth > 3 ? 7 : 9)) {
    case 0: return nullptr;
    case 1: return prng.next() % 2 == 0;
    case 2: return static_cast<std::int64_t>(prng.next()) >> (prng.next() % 64);
    case 3: return prng.next() >> (prng.next() % 64);
    case 4: return (prng.unit() - 0.5) * std::pow(10.0, static_cast<double>(prng.next() % 40) - 20.0);
    case 5: return static_cast<double>(static_cast<std::int64_t>(prng.next() % 2000) - 1000);
    case 6: return randomEscapedString(prng);
    case 7: {
      Json array = Json::array();
      for (std::size_t i = prng.next() % 5; i > 0; --i) array.push_back(randomReadValue(prng, depth + 1));
      return array;
    }
    default: {
      Json object = Json::object();
      for (std::size_t i = prng.next() % 5; i > 0; --i) object[randomEscapedString(prng)] = randomReadValue(prng, depth + 1);
      return object;
    }
  }
}

std::string mutate(jr::Prng& prng, std::string text) {
  static const char kBytes[] = {'"', '\\', '{', '}', '[', ']', ',', ':', '0', '1', '-', '+', '.', 'e', 'E', ' ',
                                '\n', 't', 'n', 'u', '\0', '\x01', '\x7f', '\xc3', '\xff'};
  const std::size_t at = text.empty() ? 0 : prng.next() % text.size();
  const char byte = kBytes[prng.next() % std::size(kBytes)];
  switch (prng.next() % 3) {
    case 0:
      if (!text.empty()) text.erase(at, 1);
      break;
    case 1: text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), byte); break;
    default:
      if (!text.empty()) text[at] = byte;
      break;
  }
  return text;
}

}  // namespace

TEST_CASE("json reader: hand-picked texts give nlohmann's tree or refusal", "[json-reader]") {
  const std::string texts[] = {
      "{}", "[]", "{\"a\":1}", " \t\r\n{ \"a\" : [ 1 , 2 ] } \n", "null", "true", "false", "0", "-0", "-0.0", "1",
      "-1", "123456789012345678", "-123456789012345678", "1234567890123456789", "18446744073709551615",
      "18446744073709551616", "-9223372036854775808", "-9223372036854775809", "1.5", "1e5", "1E+5", "1e-400",
      "1e400", "-1e400", "0.1", "100.0", "01", "-", "1.", ".5", "+1", "1e", "1e+", "00", "-01", "\"\"",
      "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "\"\\ud83d\"", "\"\\x\"", "\"caf\xc3\xa9\"",
      "\"\xff\"", "\"\x7f\"", std::string("\"a\0b\"", 5), std::string("{}\0", 3), "\"a\nb\"", "\"abc", "{\"a\":1,}",
      "[1,]", "[1 2]", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "{a:1}", "{\"a\":1,\"a\":2,\"b\":3}",
      "{\"b\":1,\"a\":{\"x\":true},\"b\":null}", "\xef\xbb\xbf{}", "\xef\xbb{}", "{} x", "[1]]", "nul", "tru",
      "nulll", "[true,false,null]", "/* c */ {}", "{\"distributionPolicyId\":\"dp\",\"labels\":{\"i\":7}}",
      "{\"channelId\":\"voice\",\"queueId\":\"q\",\"priority\":1}", "[[[[[[[[[[[[]]]]]]]]]]]]", "\t", "",
  };
  for (const std::string& text : texts) checkSame(text);
}

TEST_CASE("json reader: UTF-8, \\u escapes, NUL bytes, long numbers and deep documents as nlohmann reads them",
          "[json-reader]") {
  const std::string texts[] = {
      // well-formed UTF-8 at each range's edges, and what RFC 3629 refuses (overlong, surrogates, above U+10FFFF)
      "\"\xc2\x80\xdf\xbf\"", "\"\xe0\xa0\x80\xef\xbf\xbf\"", "\"\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"",
      "\"\xc0\x80\"", "\"\xc1\xbf\"", "\"\xe0\x80\x80\"", "\"\xed\xa0\x80\"", "\"\xed\x9f\xbf\"",
      "\"\xf0\x80\x80\x80\"", "\"\xf4\x90\x80\x80\"", "\"\xf5\x80\x80\x80\"", "\"\x80\"", "\"\xe2\x82\"",
      "\"\xe2\x82", "\"\xf0\x9f\x98\"", "{\"\xc3\xa9\":\"\xe2\x82\xac\"}",
      // \u escapes: NUL, upper-case hex, pairs, lone or misordered surrogates, bad digits
      "\"\\u0000\"", "\"\\u00E9\\u00e9\"", "\"\\uD83D\\uDE00\"", "\"\\uDC00\"", "\"\\uD800\\u0041\"",
      "\"\\uD800\\uDBFF\"", "\"\\uD800x\"", "\"\\u00g0\"", "\"\\u12\"", "\"\\uFFFF\"",
      // NUL bytes where a token is expected: the end of the input for nlohmann's lexer
      std::string("1\0", 2), std::string("[1\0]", 5), std::string("\0", 1), std::string("{} \0x", 5),
      std::string(" \0", 2), std::string("tr\0ue", 6),
      // numbers
      "123.456e+10", "-0e0", "0E-0", "1" + std::string(100, '0') + ".5", "-" + std::string(30, '9'),
      std::string(25, '7'), "9223372036854775807", "-9223372036854775807", "0.000000000000000000000001",
      // repeated names holding containers
      "{\"a\":[1],\"b\":2,\"a\":{\"c\":[]}}", "{\"a\":{\"x\":1},\"a\":{}}",
  };
  for (const std::string& text : texts) checkSame(text);
  // deep documents: the reader does not recurse, as nlohmann's parser does not (compared level by level here, as
  // sameTree and dump() would recurse)
  const auto nesting = [](const Json& value) {
    std::size_t levels = 0;
    for (const Json* at = &value; !at->empty() && (at->is_array() || at->is_object()); at = &*at->begin()) ++levels;
    return levels;
  };
  const std::size_t depth = 100000;
  const std::string arrays = std::string(depth, '[') + std::string(depth, ']');
  CHECK(nesting(jr::readJsonNoThrow(arrays)) == depth - 1);
  CHECK(nesting(jr::parseJsonNoThrow(arrays)) == depth - 1);
  const std::string unclosed = std::string(depth, '[') + std::string(depth - 1, ']');
  CHECK(jr::readJsonNoThrow(unclosed).is_discarded());
  CHECK(jr::parseJsonNoThrow(unclosed).is_discarded());
  std::string objects;
  for (std::size_t i = 0; i < 20000; ++i) objects += "{\"k\":";
  objects += "null" + std::string(20000, '}');
  CHECK(nesting(jr::readJsonNoThrow(objects)) == 20000);
  CHECK(nesting(jr::parseJsonNoThrow(objects)) == 20000);
}

TEST_CASE("json reader: 20,000 random documents and 60,000 mutations of them", "[json-reader]") {
  jr::Prng prng(20261202);
  for (int i = 0; i < 20000; ++i) {
    const Json value = randomReadValue(prng, 0);
    const std::string text = prng.next() % 4 == 0 ? value.dump(2) : value.dump();
    checkSame(text);
    for (int m = 0; m < 3; ++m) checkSame(mutate(prng, text));
  }
}
