// ETags and Last-Modified: header == body, the two formats, growing counters, no-op writes.
#include "test-support.hpp"

#include <regex>

using namespace jrtest;

namespace {

const std::regex kJobWorkerEtag("^\"([0-9a-f]{8})-0000-0000-([0-9a-f]{4})-([0-9a-f]{12})\"$");
const std::regex kPolicyQueueEtag("^\"([0-9a-f]{8})-0000-0700-0000-([0-9a-f]{8})0000\"$");

struct JobWorkerEtag {
  bool ok = false;
  std::uint64_t version = 0;
  std::string ticksHex;  // the last 8 bytes, as 16 hex digits
};

JobWorkerEtag parseJobWorkerEtag(const std::string& etag) {
  JobWorkerEtag out;
  std::smatch m;
  if (!std::regex_match(etag, m, kJobWorkerEtag)) return out;
  out.ok = true;
  out.version = std::stoull(m[1].str(), nullptr, 16);
  out.ticksHex = m[2].str() + m[3].str();
  return out;
}

struct PolicyQueueEtag {
  bool ok = false;
  std::uint64_t counter = 0;
  std::string secondsHex;
};

PolicyQueueEtag parsePolicyQueueEtag(const std::string& etag) {
  PolicyQueueEtag out;
  std::smatch m;
  if (!std::regex_match(etag, m, kPolicyQueueEtag)) return out;
  out.ok = true;
  out.counter = std::stoull(m[1].str(), nullptr, 16);
  out.secondsHex = m[2].str();
  return out;
}

}  // namespace

TEST_CASE("etags: the etag header equals the body etag on PATCH, GET and in lists", "[etags]") {
  Api api;
  api.distributionPolicy("dp1");
  api.queue("q1", "dp1");
  api.classificationPolicy("cp1");
  api.exceptionPolicy("ep1");
  api.worker("w1");
  api.job("j1", "q1");
  for (const std::string collection :
       {"distributionPolicies", "queues", "classificationPolicies", "exceptionPolicies", "workers", "jobs"}) {
    INFO(collection);
    const std::string id = collection == "distributionPolicies"     ? "dp1"
                           : collection == "queues"                 ? "q1"
                           : collection == "classificationPolicies" ? "cp1"
                           : collection == "exceptionPolicies"      ? "ep1"
                           : collection == "workers"                ? "w1"
                                                                    : "j1";
    const std::string path = "/routing/" + collection + "/" + id;
    Reply patched = api.patch(path, R"({"name": "renamed"})"_json);  // unknown to workers/jobs: ignored
    CHECK_STATUS(patched, 200);
    checkResourceHeaders(patched);
    CHECK(startsWith(patched.header("etag"), "\""));

    Reply read = api.get(path);
    checkResourceHeaders(read);
    json listed = api.fetch("/routing/" + collection)["value"][0];
    CHECK(listed["etag"] == read.header("etag"));
  }
}

TEST_CASE("etags: jobs and workers carry a version counter and the .NET ticks of Last-Modified", "[etags]") {
  Api api;

  SECTION("worker") {
    Reply created = api.patch("/routing/workers/w1", R"({"capacity": 1})"_json);
    REQUIRE(created.status == 201);
    JobWorkerEtag e0 = parseJobWorkerEtag(created.header("etag"));
    INFO("etag " << created.header("etag"));
    REQUIRE(e0.ok);
    CHECK(e0.version == 0);
    CHECK(e0.ticksHex == ticksLittleEndianHex(kStartUnixSeconds));
    CHECK(created.header("last-modified") == kStartHttpDate);

    Reply updated = api.patch("/routing/workers/w1", R"({"capacity": 2})"_json);
    JobWorkerEtag e1 = parseJobWorkerEtag(updated.header("etag"));
    REQUIRE(e1.ok);
    CHECK(e1.version == 1);

    api.router.advance(5500);
    Reply later = api.patch("/routing/workers/w1", R"({"capacity": 3})"_json);
    JobWorkerEtag e2 = parseJobWorkerEtag(later.header("etag"));
    INFO("etag " << later.header("etag"));
    REQUIRE(e2.ok);
    CHECK(e2.version == 2);
    CHECK(e2.ticksHex == ticksLittleEndianHex(kStartUnixSeconds + 5, 5000000));
    CHECK(later.header("last-modified") == "Mon, 01 Jan 2024 00:00:05 GMT");
  }

  SECTION("job: the counter also grows with internal changes") {
    api.queue("q1");
    Reply created = api.patch("/routing/jobs/j1", R"({"channelId": "voice", "queueId": "q1"})"_json);
    REQUIRE(created.status == 201);
    JobWorkerEtag e0 = parseJobWorkerEtag(created.header("etag"));
    INFO("etag " << created.header("etag"));
    REQUIRE(e0.ok);
    CHECK(e0.version == 0);
    CHECK(e0.ticksHex == ticksLittleEndianHex(kStartUnixSeconds));

    Reply queued = api.get("/routing/jobs/j1");  // created -> queued happened in between
    REQUIRE(queued.body()["status"] == "queued");
    JobWorkerEtag e1 = parseJobWorkerEtag(queued.header("etag"));
    REQUIRE(e1.ok);
    CHECK(e1.version > e0.version);

    Reply updated = api.patch("/routing/jobs/j1", R"({"priority": 9})"_json);
    JobWorkerEtag e2 = parseJobWorkerEtag(updated.header("etag"));
    REQUIRE(e2.ok);
    CHECK(e2.version > e1.version);
  }
}

TEST_CASE("etags: policies and queues carry a global write counter and the Unix seconds of Last-Modified", "[etags]") {
  Api api;
  const std::string startHex = hexOf(static_cast<std::uint64_t>(kStartUnixSeconds), 8);
  REQUIRE(startHex == "65920080");

  std::vector<std::string> etags;
  etags.push_back(api.patch("/routing/distributionPolicies/dp1", R"({"offerExpiresAfterSeconds": 5})"_json).header("etag"));
  etags.push_back(api.patch("/routing/queues/q1", R"({"distributionPolicyId": "dp1"})"_json).header("etag"));
  etags.push_back(api.patch("/routing/classificationPolicies/cp1", json::object()).header("etag"));
  etags.push_back(api.patch("/routing/exceptionPolicies/ep1", R"({"exceptionRules": []})"_json).header("etag"));
  etags.push_back(api.patch("/routing/distributionPolicies/dp1", R"({"name": "changed"})"_json).header("etag"));

  std::uint64_t previous = 0;
  for (std::size_t i = 0; i < etags.size(); ++i) {
    INFO("write " << i << " etag " << etags[i]);
    PolicyQueueEtag e = parsePolicyQueueEtag(etags[i]);
    REQUIRE(e.ok);
    CHECK(e.secondsHex == startHex);
    if (i > 0) CHECK(e.counter > previous);
    previous = e.counter;
  }

  api.router.advance(7000);
  Reply later = api.patch("/routing/queues/q1", R"({"name": "later"})"_json);
  PolicyQueueEtag e = parsePolicyQueueEtag(later.header("etag"));
  INFO("etag " << later.header("etag"));
  REQUIRE(e.ok);
  CHECK(e.secondsHex == hexOf(static_cast<std::uint64_t>(kStartUnixSeconds + 7), 8));
  CHECK(e.counter > previous);
  CHECK(later.header("last-modified") == "Mon, 01 Jan 2024 00:00:07 GMT");
}

TEST_CASE("etags: re-sending identical content changes neither etag nor Last-Modified", "[etags]") {
  Api api;
  api.queue("q1");
  struct Case {
    std::string path;
    json body;
  };
  const std::vector<Case> cases = {
      {"/routing/distributionPolicies/dp9",
       R"({"name": "D", "offerExpiresAfterSeconds": 30, "mode": {"kind": "bestWorker", "scoringRuleOptions": {"batchSize": 3}}})"_json},
      {"/routing/queues/q9", R"({"name": "Q", "distributionPolicyId": "dp1", "labels": {"region": "EU"}})"_json},
      {"/routing/classificationPolicies/cp9",
       R"({"fallbackQueueId": "q1", "workerSelectorAttachments": [{"kind": "static",
           "workerSelector": {"key": "k", "labelOperator": "equal", "value": 1}}]})"_json},
      {"/routing/exceptionPolicies/ep9", R"({"exceptionRules": [{"id": "r1", "trigger": {"kind": "queueLength", "threshold": 3},
           "actions": [{"kind": "cancel", "id": "fixed-action-id"}]}]})"_json},
      {"/routing/workers/w9", R"({"capacity": 3, "labels": {"a": 1}, "tags": {"b": 2}, "queues": ["q1"],
           "channels": [{"channelId": "voice", "capacityCostPerJob": 1}]})"_json},
      {"/routing/jobs/j9", R"({"channelId": "voice", "queueId": "q1", "priority": 4, "labels": {"x": "y"},
           "requestedWorkerSelectors": [{"key": "k", "labelOperator": "equal", "value": 1}]})"_json},
  };
  for (const auto& c : cases) {
    INFO(c.path);
    CHECK_STATUS(api.patch(c.path, c.body), 201);
    Reply current = api.get(c.path);  // after any follow-up processing
    REQUIRE(current.status == 200);
    api.router.advance(3000);

    Reply again = api.patch(c.path, c.body);
    CHECK_STATUS(again, 200);
    CHECK(again.header("etag") == current.header("etag"));
    CHECK(again.header("last-modified") == current.header("last-modified"));
    CHECK(again.body() == current.body());

    Reply empty = api.patch(c.path, json::object());
    CHECK_STATUS(empty, 200);
    CHECK(empty.header("etag") == current.header("etag"));
  }
}

TEST_CASE("etags: a real change gives a new etag and Last-Modified", "[etags]") {
  Api api;
  api.queue("q1");
  Reply before = api.get("/routing/queues/q1");
  api.router.advance(2000);
  Reply after = api.patch("/routing/queues/q1", R"({"labels": {"new": true}})"_json);
  CHECK_STATUS(after, 200);
  CHECK(after.header("etag") != before.header("etag"));
  CHECK(after.header("last-modified") == "Mon, 01 Jan 2024 00:00:02 GMT");
  CHECK(before.header("last-modified") == kStartHttpDate);
  CHECK(api.get("/routing/queues/q1").header("etag") == after.header("etag"));
}

TEST_CASE("etags: a rejected PATCH leaves the etag alone", "[etags]") {
  Api api;
  api.worker("w1");
  const std::string etag = api.get("/routing/workers/w1").header("etag");
  CHECK_STATUS(api.patch("/routing/workers/w1", R"({"capacity": -5})"_json), 400);
  CHECK_STATUS(api.patchText("/routing/workers/w1", "{"), 400);
  CHECK(api.get("/routing/workers/w1").header("etag") == etag);
  // the next real write is version 1, not 3
  JobWorkerEtag next = parseJobWorkerEtag(api.patch("/routing/workers/w1", R"({"capacity": 4})"_json).header("etag"));
  REQUIRE(next.ok);
  CHECK(next.version == 1);
}
