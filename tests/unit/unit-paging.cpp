// Lists: maxpagesize, nextLink (relative, continuationToken, no api-version), ordering, and every job and
// worker filter.
#include "test-support.hpp"

#include <algorithm>

using namespace jrtest;

namespace {

std::vector<std::string> names(std::initializer_list<const char*> list) {
  return std::vector<std::string>(list.begin(), list.end());
}

}  // namespace

TEST_CASE("paging: maxpagesize and nextLink", "[paging]") {
  Api api;
  for (const std::string id : {"w1", "w2", "w3", "w4", "w5"}) api.worker(id);

  Reply first = api.get("/routing/workers?maxpagesize=2");
  CHECK_STATUS(first, 200);
  checkPlainJsonHeaders(first);
  json page1 = first.body();
  CHECK(idsOf(page1) == names({"w1", "w2"}));
  REQUIRE(page1.contains("nextLink"));
  REQUIRE(page1["nextLink"].is_string());
  const std::string next1 = page1["nextLink"].get<std::string>();
  CHECK(startsWith(next1, "/routing/workers?continuationToken="));
  CHECK_FALSE(contains(next1, "api-version"));
  CHECK(next1.size() > std::string("/routing/workers?continuationToken=").size());

  Reply second = api.get(next1);
  CHECK_STATUS(second, 200);
  json page2 = second.body();
  CHECK(idsOf(page2) == names({"w3", "w4"}));
  REQUIRE(page2.contains("nextLink"));
  const std::string next2 = page2["nextLink"].get<std::string>();
  CHECK(next2 != next1);

  Reply third = api.get(next2);
  CHECK_STATUS(third, 200);
  json page3 = third.body();
  CHECK(idsOf(page3) == names({"w5"}));
  CHECK_FALSE(page3.contains("nextLink"));

  SECTION("a link can be followed again with the same result") {
    CHECK(idsOf(api.fetch(next1)) == names({"w3", "w4"}));
  }
}

TEST_CASE("paging: every collection links to itself", "[paging]") {
  Api api;
  api.distributionPolicy("dp1");
  api.distributionPolicy("dp2");
  api.queue("q1", "dp1");
  api.queue("q2", "dp1");
  api.classificationPolicy("cp1");
  api.classificationPolicy("cp2");
  api.exceptionPolicy("ep1");
  api.exceptionPolicy("ep2");
  api.worker("w1");
  api.worker("w2");
  api.job("j1", "q1");
  api.job("j2", "q1");
  for (const std::string collection :
       {"distributionPolicies", "queues", "classificationPolicies", "exceptionPolicies", "workers", "jobs"}) {
    INFO(collection);
    json page = api.fetch("/routing/" + collection + "?maxpagesize=1");
    CHECK(page["value"].size() == 1);
    REQUIRE(page.contains("nextLink"));
    CHECK(startsWith(page["nextLink"].get<std::string>(), "/routing/" + collection + "?continuationToken="));
    Listing all = listAll(api, "/routing/" + collection + "?maxpagesize=1");
    CHECK(all.ids.size() == 2);
    CHECK(all.pages == 2);
  }
}

TEST_CASE("paging: a page that ends the list has no nextLink", "[paging]") {
  Api api;

  SECTION("empty list") {
    Reply r = api.get("/routing/queues");
    CHECK_STATUS(r, 200);
    CHECK(r.body() == R"({"value": []})"_json);
  }

  SECTION("exactly one full page") {
    api.worker("w1");
    api.worker("w2");
    json page = api.fetch("/routing/workers?maxpagesize=2");
    CHECK(idsOf(page) == names({"w1", "w2"}));
    CHECK_FALSE(page.contains("nextLink"));
  }
}

TEST_CASE("paging: the default page size is 100", "[paging]") {
  Api api;
  for (int i = 0; i < 101; ++i) api.worker("w" + std::to_string(1000 + i));
  json page = api.fetch("/routing/workers");
  CHECK(page["value"].size() == 100);
  REQUIRE(page.contains("nextLink"));
  json rest = api.fetch(page["nextLink"].get<std::string>());
  CHECK(idsOf(rest) == names({"w1100"}));
  CHECK_FALSE(rest.contains("nextLink"));
}

TEST_CASE("paging: jobs are listed newest first, everything else in creation order", "[paging]") {
  Api api;
  api.queue("qb");
  api.queue("qa");
  api.queue("qc");
  CHECK(idsOf(api.fetch("/routing/queues")) == names({"qb", "qa", "qc"}));

  api.job("j-old", "qa");
  api.router.advance(1000);
  api.job("j-mid", "qa");
  api.router.advance(1000);
  api.job("j-new", "qa");
  CHECK(idsOf(api.fetch("/routing/jobs")) == names({"j-new", "j-mid", "j-old"}));
  CHECK(listAll(api, "/routing/jobs?maxpagesize=1").ids == names({"j-new", "j-mid", "j-old"}));
}

TEST_CASE("paging: filters are kept in the continuation token", "[paging]") {
  Api api;
  api.job("a1", "qa");
  api.job("b1", "qb");
  api.job("a2", "qa");
  api.job("b2", "qb");
  api.job("a3", "qa");

  Listing qa = listAll(api, "/routing/jobs?queueId=qa&maxpagesize=1");
  CHECK(qa.pages == 3);
  std::vector<std::string> ids = qa.ids;
  std::sort(ids.begin(), ids.end());
  CHECK(ids == names({"a1", "a2", "a3"}));

  json page = api.fetch("/routing/jobs?queueId=qa&maxpagesize=2");
  REQUIRE(page.contains("nextLink"));
  const std::string next = page["nextLink"].get<std::string>();
  CHECK_FALSE(contains(next, "api-version"));
  json rest = api.fetch(next);  // only the token: the filter and the page size come from it
  CHECK(rest["value"].size() == 1);
  for (const auto& job : rest["value"]) CHECK(job["queueId"] == "qa");
}

TEST_CASE("paging: job filters", "[paging][jobs]") {
  Api api;
  api.queue("q1");
  api.queue("q2");
  api.classificationPolicy("cp1", R"({"fallbackQueueId": "q2"})"_json);

  api.job("voice-q1", "q1");
  api.job("chat-q1", "q1", R"({"channelId": "chat"})"_json);
  api.job("voice-q2", "q2");
  api.job("cancelled", "q1");
  api.cancel("cancelled");
  api.job("suspended", "q1", R"({"matchingMode": {"kind": "suspend"}})"_json);
  api.job("feb", "q1", R"({"matchingMode": {"kind": "scheduleAndSuspend", "scheduleAt": "2024-02-01T00:00:00Z"}})"_json);
  api.job("mar", "q1", R"({"matchingMode": {"kind": "scheduleAndSuspend", "scheduleAt": "2024-03-01T00:00:00Z"}})"_json);
  api.upsert("/routing/jobs/classified", R"({"channelId": "voice", "classificationPolicyId": "cp1"})"_json);

  auto sortedIds = [&](const std::string& query) {
    Listing l = listAll(api, "/routing/jobs?" + query);
    std::vector<std::string> ids = l.ids;
    std::sort(ids.begin(), ids.end());
    return ids;
  };

  CHECK(sortedIds("status=all").size() == 8);
  CHECK(sortedIds("maxpagesize=3").size() == 8);  // default status is all
  CHECK(sortedIds("status=cancelled") == names({"cancelled"}));
  CHECK(sortedIds("status=waitingForActivation") == names({"suspended"}));
  CHECK(sortedIds("status=scheduled") == names({"feb", "mar"}));
  {
    std::vector<std::string> active = sortedIds("status=active");
    CHECK(std::find(active.begin(), active.end(), "cancelled") == active.end());
    CHECK(std::find(active.begin(), active.end(), "voice-q1") != active.end());
    CHECK(std::find(active.begin(), active.end(), "suspended") != active.end());
    CHECK(std::find(active.begin(), active.end(), "feb") != active.end());
    CHECK(active.size() == 7);
  }
  {
    std::vector<std::string> queued = sortedIds("status=queued");
    CHECK(std::find(queued.begin(), queued.end(), "voice-q1") != queued.end());
    CHECK(std::find(queued.begin(), queued.end(), "chat-q1") != queued.end());
    CHECK(std::find(queued.begin(), queued.end(), "cancelled") == queued.end());
    CHECK(std::find(queued.begin(), queued.end(), "suspended") == queued.end());
  }
  CHECK(sortedIds("queueId=q2&status=queued").size() >= 1);
  {
    std::vector<std::string> q2 = sortedIds("queueId=q2");
    CHECK(std::find(q2.begin(), q2.end(), "voice-q2") != q2.end());
    CHECK(std::find(q2.begin(), q2.end(), "voice-q1") == q2.end());
  }
  CHECK(sortedIds("channelId=chat") == names({"chat-q1"}));
  CHECK(sortedIds("channelId=chat&queueId=q2").empty());
  CHECK(sortedIds("classificationPolicyId=cp1") == names({"classified"}));

  // scheduledBefore/After are inclusive bounds on matchingMode.scheduleAt
  CHECK(sortedIds("scheduledBefore=2024-02-01T00:00:00Z") == names({"feb"}));
  CHECK(sortedIds("scheduledBefore=2024-01-31T23:59:59Z").empty());
  CHECK(sortedIds("scheduledAfter=2024-02-01T00:00:00Z") == names({"feb", "mar"}));
  CHECK(sortedIds("scheduledAfter=2024-02-01T00:00:01Z") == names({"mar"}));
  CHECK(sortedIds("scheduledAfter=2024-01-15T00:00:00Z&scheduledBefore=2024-02-15T00:00:00Z") == names({"feb"}));
  // an encoded offset ('+' must be sent as %2B)
  CHECK(sortedIds("scheduledBefore=" + encode("2024-02-01T01:00:00+01:00")) == names({"feb"}));
}

TEST_CASE("paging: worker filters", "[paging][workers]") {
  Api api;
  api.queue("q1");
  api.queue("q2");
  api.worker("active-voice", R"({"availableForOffers": true, "capacity": 10, "queues": ["q1"],
      "channels": [{"channelId": "voice", "capacityCostPerJob": 1}]})"_json);
  api.worker("active-chat", R"({"availableForOffers": true, "capacity": 10, "queues": ["q2"],
      "channels": [{"channelId": "chat", "capacityCostPerJob": 5}]})"_json);
  api.worker("active-full", R"({"availableForOffers": true, "capacity": 0, "queues": ["q1", "q2"],
      "channels": [{"channelId": "voice", "capacityCostPerJob": 1}]})"_json);
  api.worker("inactive", R"({"availableForOffers": false, "capacity": 10, "queues": ["q1"],
      "channels": [{"channelId": "voice", "capacityCostPerJob": 1}]})"_json);

  auto sortedIds = [&](const std::string& query) {
    Listing l = listAll(api, "/routing/workers?" + query);
    std::vector<std::string> ids = l.ids;
    std::sort(ids.begin(), ids.end());
    return ids;
  };

  CHECK(sortedIds("state=all").size() == 4);
  CHECK(sortedIds("state=active") == names({"active-chat", "active-full", "active-voice"}));
  CHECK(sortedIds("state=inactive") == names({"inactive"}));
  CHECK(sortedIds("state=draining").empty());
  CHECK(sortedIds("channelId=chat") == names({"active-chat"}));
  CHECK(sortedIds("channelId=voice") == names({"active-full", "active-voice", "inactive"}));
  CHECK(sortedIds("queueId=q2") == names({"active-chat", "active-full"}));
  CHECK(sortedIds("queueId=q1&state=active") == names({"active-full", "active-voice"}));
  CHECK(sortedIds("hasCapacity=false").size() == 4);
  CHECK(sortedIds("hasCapacity=true&state=active&channelId=voice") == names({"active-voice"}));
  CHECK(sortedIds("hasCapacity=true&state=active") == names({"active-chat", "active-voice"}));

  SECTION("worker filters are kept in the continuation token too") {
    Listing l = listAll(api, "/routing/workers?state=active&maxpagesize=1");
    CHECK(l.pages == 3);
    std::vector<std::string> ids = l.ids;
    std::sort(ids.begin(), ids.end());
    CHECK(ids == names({"active-chat", "active-full", "active-voice"}));
  }
}

TEST_CASE("paging: bad list parameters are 400", "[paging]") {
  Api api;
  api.worker("w1");
  api.job("j1", "q1");
  for (const std::string query :
       {"/routing/workers?maxpagesize=0", "/routing/workers?maxpagesize=-1", "/routing/workers?maxpagesize=abc",
        "/routing/workers?maxpagesize=1.5", "/routing/workers?continuationToken=not-a-token",
        "/routing/jobs?continuationToken=%21%21%21", "/routing/jobs?status=bogus",
        "/routing/jobs?scheduledBefore=yesterday", "/routing/jobs?scheduledAfter=2024-13-45T00:00:00Z",
        "/routing/workers?state=sleeping", "/routing/workers?hasCapacity=maybe"}) {
    INFO(query);
    Reply r = api.get(query);
    CHECK_STATUS(r, 400);
    checkError(r, 400, "BadRequest", "", query.substr(0, query.find('?')));
  }
}
