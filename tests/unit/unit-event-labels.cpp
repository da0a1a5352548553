// Label and tag values in events: the Event Grid schema types every labels/tags map of the router events as a map
// of strings, so events carry text while the REST API keeps each value's JSON type. Default text: the JSON text
// (true, 2, 2.5); option EventLabelText::DotNet: .NET's ToString() text (True, 2, 2.5, 1E+16).
#include <cmath>
#include <limits>

#include "core/events/label_text.hpp"
#include "test-support.hpp"

using namespace jrtest;

namespace {

const json* find(const json& events, const std::string& shortType) {
  for (const auto& e : events) {
    if (e["eventType"] == "Microsoft.Communication." + shortType) return &e;
  }
  return nullptr;
}

// Every value of every labels/tags map of an event's data is a string.
void requireStringMaps(const json& event) {
  INFO(event.dump());
  const json& d = event["data"];
  for (const char* key : {"labels", "tags", "jobLabels", "jobTags", "workerLabels", "workerTags"}) {
    if (!d.contains(key)) continue;
    REQUIRE(d[key].is_object());
    for (const auto& [k, v] : d[key].items()) CHECK(v.is_string());
  }
  if (d.contains("queueAssignments")) {
    for (const auto& q : d["queueAssignments"]) {
      REQUIRE(q["labels"].is_object());
      for (const auto& [k, v] : q["labels"].items()) CHECK(v.is_string());
    }
  }
  if (d.contains("queueDetails")) {
    REQUIRE(d["queueDetails"]["labels"].is_object());
    for (const auto& [k, v] : d["queueDetails"]["labels"].items()) CHECK(v.is_string());
  }
}

// A queue, a worker and a job with labels and tags of every JSON type; the job is offered to the worker, who
// accepts. Returns every event of the run.
json offeredAndAccepted(Api& api) {
  api.distributionPolicy();
  api.queue("q1", "dp1", R"({"labels": {"Region": "NA", "Level": 3, "Open": false}})"_json);
  api.upsert("/routing/workers/w1", R"({"capacity": 10, "queues": ["q1"], "availableForOffers": true,
      "channels": [{"channelId": "voice", "capacityCostPerJob": 1}],
      "labels": {"Skill": 7, "English": true, "Rating": 4.75}, "tags": {"Team": "blue", "Seniority": 12}})"_json);
  api.job("j1", "q1", R"({"labels": {"Locale": "en-us", "Tier": 2, "Vip": true, "Score": 2.5},
      "tags": {"Attempts": 1, "Source": "web", "Flagged": false}})"_json);
  json events = drainEvents(api);
  const json worker = api.fetch("/routing/workers/w1");
  REQUIRE(worker["offers"].size() == 1);
  const std::string offerId = worker["offers"][0]["offerId"];
  REQUIRE(api.post("/routing/workers/w1/offers/" + offerId + ":accept").status == 200);
  for (const auto& e : drainEvents(api)) events.push_back(e);
  return events;
}

}  // namespace

TEST_CASE("event labels: every labels/tags map of an event carries strings, JSON text by default", "[event-labels]") {
  Api api;
  const json events = offeredAndAccepted(api);
  for (const auto& e : events) requireStringMaps(e);

  const json* received = find(events, "RouterJobReceived");
  REQUIRE(received);
  CHECK((*received)["data"]["labels"] == R"({"Locale": "en-us", "Score": "2.5", "Tier": "2", "Vip": "true"})"_json);
  CHECK((*received)["data"]["tags"] == R"({"Attempts": "1", "Flagged": "false", "Source": "web"})"_json);

  const json* registered = find(events, "RouterWorkerRegistered");
  REQUIRE(registered);
  CHECK((*registered)["data"]["labels"] == R"({"English": "true", "Id": "w1", "Rating": "4.75", "Skill": "7"})"_json);
  CHECK((*registered)["data"]["tags"] == R"({"Seniority": "12", "Team": "blue"})"_json);
  CHECK((*registered)["data"]["queueAssignments"][0]["labels"] ==
        R"({"Id": "q1", "Level": "3", "Open": "false", "Region": "NA"})"_json);
  CHECK((*registered)["data"]["totalCapacity"] == 10);  // other numbers keep their JSON type

  for (const char* type : {"RouterWorkerOfferIssued", "RouterWorkerOfferAccepted"}) {
    INFO(type);
    const json* offer = find(events, type);
    REQUIRE(offer);
    CHECK((*offer)["data"]["jobLabels"]["Tier"] == "2");
    CHECK((*offer)["data"]["jobTags"]["Attempts"] == "1");
    CHECK((*offer)["data"]["workerLabels"]["English"] == "true");
    CHECK((*offer)["data"]["workerTags"]["Seniority"] == "12");
    CHECK((*offer)["data"]["jobPriority"] == 1);
  }

  SECTION("REST responses keep the labels' JSON types") {
    const json job = api.fetch("/routing/jobs/j1");
    CHECK(job["labels"] == R"({"Locale": "en-us", "Tier": 2, "Vip": true, "Score": 2.5})"_json);
    CHECK(job["tags"] == R"({"Attempts": 1, "Source": "web", "Flagged": false})"_json);
    CHECK(api.fetch("/routing/workers/w1")["labels"]["Rating"] == 4.75);
    CHECK(api.fetch("/routing/queues/q1")["labels"]["Level"] == 3);
  }
}

TEST_CASE("event labels: the classified event's queue details and selector values", "[event-labels]") {
  Api api;
  api.distributionPolicy();
  api.queue("q1", "dp1", R"({"labels": {"Tier": 1.5, "Premium": true}})"_json);
  api.classificationPolicy("cp1", R"({"fallbackQueueId": "q1", "workerSelectorAttachments": [{"kind": "static",
      "workerSelector": {"key": "Skill", "labelOperator": "greaterThanOrEqual", "value": 5}}]})"_json);
  drainEvents(api);
  api.upsert("/routing/jobs/j1", R"({"channelId": "voice", "classificationPolicyId": "cp1", "labels": {"n": 10}})"_json);
  const json events = drainEvents(api);
  const json* classified = find(events, "RouterJobClassified");
  REQUIRE(classified);
  requireStringMaps(*classified);
  CHECK((*classified)["data"]["queueDetails"]["labels"] == R"({"Id": "q1", "Premium": "true", "Tier": "1.5"})"_json);
  CHECK((*classified)["data"]["labels"] == R"({"n": "10"})"_json);
  // A selector's value is typed "object" (any JSON value) in the schema, not a string: it keeps its JSON type.
  CHECK((*classified)["data"]["attachedWorkerSelectors"][0]["value"] == 5);
  CHECK((*classified)["data"]["attachedWorkerSelectors"][0]["labelOperator"] == "GreaterThanOrEqual");
}

TEST_CASE("event labels: a null in a merge patch removes a label, so no event carries a null", "[event-labels]") {
  Api api;
  api.job("j1", "q1", R"({"labels": {"a": 1, "b": "x"}})"_json);
  drainEvents(api);
  api.upsert("/routing/jobs/j1", R"({"labels": {"a": null}})"_json);
  const json events = drainEvents(api);
  REQUIRE_FALSE(events.empty());
  for (const auto& e : events) {
    INFO(e.dump());
    CHECK(e["data"]["labels"] == R"({"b": "x"})"_json);
  }
  // Objects and arrays are refused by the REST API, so they never reach an event either.
  CHECK(api.patch("/routing/jobs/j1", R"({"labels": {"o": {"x": 1}}})"_json).status == 400);
  CHECK(api.patch("/routing/jobs/j1", R"({"tags": {"o": [1]}})"_json).status == 400);
}

TEST_CASE("event labels: option DotNet writes booleans and numbers as .NET's ToString() does", "[event-labels]") {
  jr::RouterOptions options;
  options.eventLabelText = jr::EventLabelText::DotNet;
  Api api(options);
  const json events = offeredAndAccepted(api);
  for (const auto& e : events) requireStringMaps(e);
  const json* received = find(events, "RouterJobReceived");
  REQUIRE(received);
  CHECK((*received)["data"]["labels"] == R"({"Locale": "en-us", "Score": "2.5", "Tier": "2", "Vip": "True"})"_json);
  CHECK((*received)["data"]["tags"] == R"({"Attempts": "1", "Flagged": "False", "Source": "web"})"_json);
  const json* issued = find(events, "RouterWorkerOfferIssued");
  REQUIRE(issued);
  CHECK((*issued)["data"]["workerLabels"] == R"({"English": "True", "Id": "w1", "Rating": "4.75", "Skill": "7"})"_json);

  SECTION("large and small numbers") {
    api.upsert("/routing/jobs/j2", R"({"channelId": "voice", "queueId": "q1", "labels": {"big": 1e16, "small": 0.000025,
        "tiny": 0.0001, "neg": -12.5, "huge": 1.7976931348623157e308, "whole": 100000000000000.0, "i64": -9007199254740993}})"_json);
    const json drained = drainEvents(api);
    const json* r = find(drained, "RouterJobReceived");
    REQUIRE(r);
    CHECK((*r)["data"]["labels"] == R"({"big": "1E+16", "huge": "1.7976931348623157E+308", "i64": "-9007199254740993",
        "neg": "-12.5", "small": "2.5E-05", "tiny": "0.0001", "whole": "100000000000000"})"_json);
  }
  SECTION("the REST API is unchanged") {
    CHECK(api.fetch("/routing/jobs/j1")["labels"]["Vip"] == true);
  }
}

TEST_CASE("event labels: the JSON text of numbers is the REST API's text", "[event-labels]") {
  Api api;
  api.job("j2", "q1", R"({"labels": {"big": 1e16, "small": 0.000025, "huge": 1.7976931348623157e308,
      "u64": 18446744073709551615, "whole": 12.0}})"_json);
  const json rest = api.fetch("/routing/jobs/j2")["labels"];
  const json drained = drainEvents(api);
  const json* r = find(drained, "RouterJobReceived");
  REQUIRE(r);
  for (const auto& [key, value] : rest.items()) {
    INFO(key);
    CHECK((*r)["data"]["labels"][key] == value.dump());
  }
  CHECK((*r)["data"]["labels"]["whole"] == "12");
}

TEST_CASE("event labels: .NET Double.ToString() layout", "[event-labels]") {
  using jr::dotNetDoubleText;
  CHECK(dotNetDoubleText(2.5) == "2.5");
  CHECK(dotNetDoubleText(0.1) == "0.1");
  CHECK(dotNetDoubleText(-0.5) == "-0.5");
  CHECK(dotNetDoubleText(123.456) == "123.456");
  CHECK(dotNetDoubleText(100.0) == "100");
  CHECK(dotNetDoubleText(0.0) == "0");
  CHECK(dotNetDoubleText(-0.0) == "-0");
  CHECK(dotNetDoubleText(1e14) == "100000000000000");
  CHECK(dotNetDoubleText(1e15) == "1E+15");  // scale 16 > max(1 digit, 15)
  CHECK(dotNetDoubleText(1234567890123456.0) == "1234567890123456");  // 16 digits: fixed
  CHECK(dotNetDoubleText(1e16) == "1E+16");
  CHECK(dotNetDoubleText(1.5e300) == "1.5E+300");
  CHECK(dotNetDoubleText(0.0001) == "0.0001");
  CHECK(dotNetDoubleText(0.00001) == "1E-05");
  CHECK(dotNetDoubleText(-2.5e-5) == "-2.5E-05");
  CHECK(dotNetDoubleText(5e-324) == "5E-324");
  CHECK(dotNetDoubleText(std::numeric_limits<double>::max()) == "1.7976931348623157E+308");
  CHECK(dotNetDoubleText(std::nan("")) == "NaN");
}
