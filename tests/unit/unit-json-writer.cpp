// The core's JSON writer (core/util/json_writer.hpp) against nlohmann's dump(-1, ' ', false, replace): the same
// bytes for hand-picked values (every control character, quotes, backslashes, non-ASCII and invalid UTF-8,
// integers at their limits, floats), for 20,000 seeded random documents, and for 2,000 appends of long strings to
// one growing text.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "core/util/json_writer.hpp"
#include "core/util/prng.hpp"
#include "test-support.hpp"

using namespace jrtest;
using jr::Json;

namespace {

std::string library(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::string randomString(jr::Prng& prng) {
  static const std::string kPieces[] = {"a", "Z", "0", " ", "\"", "\\", "/", "\x7f", "é", "€", "😀", "\xff",
                                        "\xc3", "\xe2\x82", "\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80", "\n",
                                        "\t", "\r", "\b", "\f", std::string(1, '\0'), "\x01", "\x1f", "<", "}"};
  std::string s;
  const std::size_t n = prng.next() % 12;
  for (std::size_t i = 0; i < n; ++i) s += kPieces[prng.next() % std::size(kPieces)];
  return s;
}

Json randomValue(jr::Prng& prng, int depth) {
  switch (prng.next() % (depth > 3 ? 6 : 8)) {
    case 0: return nullptr;
    case 1: return prng.next() % 2 == 0;
    case 2: return static_cast<std::int64_t>(prng.next());
    case 3: return prng.next();
    case 4: return (prng.unit() - 0.5) * std::pow(10.0, static_cast<double>(prng.next() % 40) - 20.0);
    case 5: return randomString(prng);
    case 6: {
      Json array = Json::array();
      for (std::size_t i = prng.next() % 5; i > 0; --i) array.push_back(randomValue(prng, depth + 1));
      return array;
    }
    default: {
      Json object = Json::object();
      for (std::size_t i = prng.next() % 5; i > 0; --i) object[randomString(prng)] = randomValue(prng, depth + 1);
      return object;
    }
  }
}

}  // namespace

TEST_CASE("json writer: hand-picked values give the library's text", "[json-writer]") {
  std::string allControls;
  for (int c = 0; c < 0x20; ++c) allControls.push_back(static_cast<char>(c));
  allControls += "\x7f\"\\/ascii";
  const Json values[] = {
      nullptr, true, false, 0, -1, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(),
      std::numeric_limits<std::uint64_t>::max(), 0.5, -0.0, 1e300, 3.141592653589793, 100.0, 1e-7,
      std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(), "", allControls,
      "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "bad \xff\xfe end", "cut \xe2\x82", Json::array(), Json::object(),
      Json::parse(R"({"id":"j1","labels":{"x":1,"y":[true,null,2.5]},"nested":{"a":{"b":{"c":"d"}}}})"),
      Json(Json::value_t::discarded),
  };
  for (const Json& value : values) {
    INFO(library(value));
    CHECK(jr::toJsonText(value) == library(value));
  }
  Json keyed = Json::object();
  keyed[allControls] = 1;
  keyed["\xff"] = "x";
  keyed["é"] = Json::array({"\xe2\x82"});
  CHECK(jr::toJsonText(keyed) == library(keyed));
}

TEST_CASE("json writer: 20,000 random documents give the library's text", "[json-writer]") {
  jr::Prng prng(20261128);
  for (int i = 0; i < 20000; ++i) {
    const Json value = randomValue(prng, 0);
    const std::string expected = library(value);
    const std::string actual = jr::toJsonText(value);
    if (actual != expected) {
      INFO("document " << i << ": " << expected);
      REQUIRE(actual == expected);
    }
  }
  SUCCEED("20,000 documents alike");
}

// The writer appends through room it reserves in the string and grows it as it goes; a string that turns out to
// hold a non-ASCII byte is taken back and handed to the library. Both must leave exactly the library's text after
// what the string already held, whatever its size and capacity.
TEST_CASE("json writer: appending to text already there, long strings, growth and take-backs", "[json-writer]") {
  jr::Prng prng(7);
  std::string out = "prefix:";
  out.reserve(64);
  std::string expected = out;
  for (int i = 0; i < 2000; ++i) {
    const std::size_t length = prng.next() % 3 == 0 ? prng.next() % 3000 : prng.next() % 200;
    std::string s(length, 'a');
    for (char& c : s) c = static_cast<char>('a' + prng.next() % 26);
    switch (prng.next() % 4) {
      case 0: if (length > 0) s[prng.next() % length] = '"'; break;                    // an escape midway
      case 1: s += "\xc3\xa9"; break;                                                 // non-ASCII at the end
      case 2: if (length > 0) s[prng.next() % length] = '\x01'; break;                // \u0001 midway
      default: break;
    }
    if (i % 2 == 0) {
      jr::writeJsonString(s, out);
      expected += library(Json(s));
    } else {
      const Json value = {{"k", s}, {"n", i}, {"list", Json::array({s.substr(0, 20), nullptr, 1.5})}};
      jr::writeJson(value, out);
      expected += library(value);
    }
    if (out != expected) {
      INFO("value " << i << " of length " << length);
      REQUIRE(out == expected);
    }
  }
  SUCCEED("2,000 appends alike, " << out.size() << " bytes");
}
