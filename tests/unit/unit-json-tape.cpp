// The events' tape (core/util/json_tape.hpp, written by TapedJsonOut): the values rebuilt from a text's tape must
// be the values the text parses to, for every kind of token the event writers use — escaped and plain keys and
// strings, numbers, booleans, null, whole JSON values — and for the events of a session that publishes every event
// type the scenario reaches. js/json-tape.js builds JS values from the same tape the same way.
#include <cstdint>
#include <string>
#include <vector>

#include "core/events/label_text.hpp"
#include "core/events/outbox.hpp"
#include "core/util/json_tape.hpp"
#include "core/util/prng.hpp"
#include "core/util/taped_json_out.hpp"
#include "test-support.hpp"

using namespace jrtest;
using jr::Json;
using jr::JsonTape;
using jr::TapeKind;

namespace {

// The text between a span's quotes (or the span itself), as its value.
Json spanText(const std::string& text, const jr::TapeEntry& e) {
  const std::string piece = text.substr(static_cast<std::size_t>(e.a), static_cast<std::size_t>(e.b - e.a));
  if (e.c == 0) return Json(piece);
  return Json::parse("\"" + piece + "\"");  // escaped: the JSON string around it
}

// The values a tape describes, one after another (what js/json-tape.js's valuesOfTape does, in C++).
Json valuesOfTape(const std::string& text, const JsonTape& tape) {
  Json values = Json::array();
  std::vector<Json*> stack{&values};
  std::string key;
  for (std::size_t i = 0; i < tape.size(); ++i) {
    const jr::TapeEntry& e = tape[i];
    Json value;
    switch (static_cast<TapeKind>(e.kind)) {
      case TapeKind::ObjectStart: value = Json::object(); break;
      case TapeKind::ArrayStart: value = Json::array(); break;
      case TapeKind::ObjectEnd:
      case TapeKind::ArrayEnd:
        REQUIRE(stack.size() > 1);
        stack.pop_back();
        continue;
      case TapeKind::KeyLiteral:
        // the literal's text is the span's text
        key = text.substr(static_cast<std::size_t>(e.a), static_cast<std::size_t>(e.b - e.a));
        CHECK(key.find_first_of("\"\\") == std::string::npos);
        continue;
      case TapeKind::Key: key = spanText(text, e).get<std::string>(); continue;
      case TapeKind::String: value = spanText(text, e); break;
      case TapeKind::Number:
      case TapeKind::Json:
        value = Json::parse(text.substr(static_cast<std::size_t>(e.a), static_cast<std::size_t>(e.b - e.a)));
        break;
      case TapeKind::True: value = true; break;
      case TapeKind::False: value = false; break;
      case TapeKind::Null: value = nullptr; break;
      default: FAIL("unknown tape entry kind " << e.kind);
    }
    Json& container = *stack.back();
    Json* added = nullptr;
    if (container.is_array()) {
      container.push_back(std::move(value));
      added = &container.back();
    } else {
      container[key] = std::move(value);
      added = &container[key];
    }
    if (added->is_structured() && (e.kind == static_cast<std::int32_t>(TapeKind::ObjectStart) ||
                                   e.kind == static_cast<std::int32_t>(TapeKind::ArrayStart))) {
      stack.push_back(added);
    }
  }
  CHECK(stack.size() == 1);
  return values;
}

std::string randomTapeText(jr::Prng& prng) {
  static const std::string kPieces[] = {"a", "Z", "0", " ", "\"", "\\", "/", "\n", "\x01", "\t", "queue-", "{}", "__proto__"};
  std::string s;
  const std::size_t n = prng.next() % 5;
  for (std::size_t i = 0; i < n; ++i) s += kPieces[prng.next() % std::size(kPieces)];
  return s;
}

}  // namespace

TEST_CASE("json tape: every token kind rebuilds the written values, escapes included", "[json-tape]") {
  jr::Prng prng(21);
  for (int round = 0; round < 300; ++round) {
    std::string text = "[";
    JsonTape tape;
    {
      jr::TapedJsonOut out(text, &tape);
      out.beginObject().key("plain").string(randomTapeText(prng)).key(randomTapeText(prng)).integer(static_cast<std::int64_t>(prng.next() % 2000) - 1000);
      out.key("n").number(static_cast<double>(prng.next() % 1000) / 8.0).key("flag").boolean(prng.next() % 2 == 0);
      out.key("none").null().key("when").time(static_cast<jr::Instant>(prng.next() % 100000) * 10'000'000LL);
      out.key("topic").quoted({"Microsoft.", "Communication"}).key("state").literal("active");
      out.key("list").beginArray().string(randomTapeText(prng)).integer(7).json(Json::parse(R"({"a":[1,2.5,"x\"y"]})")).endArray();
      jr::LabelMap labels;
      for (int i = 0; i < 3; ++i) labels[randomTapeText(prng)] = i == 0 ? Json(randomTapeText(prng)) : Json(i * 1.5);
      jr::writeEventLabels(out.key("labels"), labels, jr::EventLabelText::Json);
      out.key("empty").json(Json::object()).endObject();
      out.finish();
    }
    // the tape's offsets count from the text's start, here its '['
    text += "]";
    INFO(text);
    CHECK(valuesOfTape(text, tape) == Json::parse(text));
  }
}

TEST_CASE("json tape: a router's drained events rebuild from their tape; without recordEventTape it stays empty",
          "[json-tape]") {
  jr::RouterOptions options;
  options.seed = 7;
  options.startTime = "2025-01-01T00:00:00Z";
  jr::Router taped(options);
  jr::Router plain(options);
  taped.recordEventTape(true);
  std::string offerId;
  const auto both = [&](const std::string& method, const std::string& path, const std::string& body) {
    const std::string target = path + "?api-version=2023-11-01";
    const jr::HeaderMap headers{{"content-type", "application/merge-patch+json"}};
    const jr::HttpResponse a = taped.handle(method, target, headers, body);
    const jr::HttpResponse b = plain.handle(method, target, headers, body);
    REQUIRE(a.status == b.status);
    REQUIRE(a.body == b.body);
    std::string text = "ignored prefix ";
    const std::size_t start = text.size();
    JsonTape tape;
    taped.drainEventsInto(text, &tape);
    const std::string events = text.substr(start);
    CHECK(events == plain.drainEvents());  // the tape changes no text
    INFO(method << " " << path << ": " << events);
    CHECK(valuesOfTape(events, tape) == Json::parse(events));
    for (const Json& event : Json::parse(events)) {
      if (event["eventType"] == "Microsoft.Communication.RouterWorkerOfferIssued") offerId = event["data"]["offerId"];
    }
    return a;
  };
  both("PATCH", "/routing/distributionPolicies/dp", R"({"offerExpiresAfterSeconds": 30, "mode": {"kind": "longestIdle"}})");
  both("PATCH", "/routing/queues/q", R"({"distributionPolicyId": "dp", "labels": {"tier \"gold\"": "a\\b"}})");
  both("PATCH", "/routing/workers/w", R"({"capacity": 2, "queues": ["q"], "availableForOffers": true,
      "labels": {"level": 3, "ok": true, "__proto__": "x", "1": "one"},
      "channels": [{"channelId": "voice", "capacityCostPerJob": 1}]})");
  both("PATCH", "/routing/jobs/j1", R"({"channelId": "voice", "queueId": "q", "priority": 2,
      "labels": {"k\n": "v\t", "n": 2.5}, "tags": {"t": false},
      "requestedWorkerSelectors": [{"key": "level", "labelOperator": "greaterThan", "value": 1, "expiresAfterSeconds": 20}]})");
  REQUIRE_FALSE(offerId.empty());
  const jr::HttpResponse accepted = both("POST", "/routing/workers/w/offers/" + offerId + ":accept", "");
  const std::string assignmentId = Json::parse(accepted.body)["assignmentId"];
  both("POST", "/routing/jobs/j1/assignments/" + assignmentId + ":complete", "{}");
  both("POST", "/routing/jobs/j1/assignments/" + assignmentId + ":close", R"({"dispositionCode": "done \"ok\""})");
  both("PATCH", "/routing/jobs/j2", R"({"channelId": "voice", "queueId": "q"})");
  both("POST", "/routing/jobs/j2:cancel", R"({"note": "n", "dispositionCode": "c"})");
  both("PATCH", "/routing/workers/w", R"({"availableForOffers": false})");
  both("DELETE", "/routing/jobs/j2", "");

  std::string text;
  JsonTape tape;
  plain.handle("PATCH", "/routing/jobs/j3?api-version=2023-11-01", {{"content-type", "application/merge-patch+json"}},
               R"({"channelId": "voice", "queueId": "q"})");
  plain.drainEventsInto(text, &tape);
  CHECK(text != "[]");
  CHECK(tape.size() == 0);
}

TEST_CASE("json tape: the outbox's drains after commits, a discard, and a drain while events are collected",
          "[json-tape][events]") {
  jr::Outbox outbox(5);
  outbox.recordTape(true);
  const auto event = [&](jr::EventType type, const std::string& id) {
    outbox.beginEvent(type, {"job/", id}, 0).key("jobId").string(id);
    outbox.endEvent();
  };
  const auto drained = [&](std::vector<std::string> ids, std::vector<int> sequence) {
    std::string text = "x";
    JsonTape tape;
    outbox.drainInto(text, &tape);
    const std::string events = text.substr(1);
    INFO(events);
    const Json values = valuesOfTape(events, tape);
    CHECK(values == Json::parse(events));
    REQUIRE(values.size() == ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      CHECK(values[i]["data"]["jobId"] == ids[i]);
      CHECK(values[i]["sequenceNumber"] == sequence[i]);
    }
  };
  event(jr::EventType::RouterJobReceived, "a");
  event(jr::EventType::RouterJobQueued, "b");
  outbox.commit();
  event(jr::EventType::RouterJobReceived, "dropped");
  outbox.discard();
  event(jr::EventType::RouterJobReceived, "c");
  outbox.commit();
  drained({"a", "b", "c"}, {1, 2, 3});
  drained({}, {});
  outbox.discard();  // nothing collected: nothing changes
  event(jr::EventType::RouterJobReceived, "d");
  outbox.commit();
  event(jr::EventType::RouterJobQueued, "e");  // collected, not yet published: a drain leaves it
  drained({"d"}, {4});
  outbox.commit();
  event(jr::EventType::RouterJobClosed, "f");
  outbox.commit();
  drained({"e", "f"}, {5, 6});
  CHECK(outbox.sequence() == 6);
}
