// Queues: the automatic Id label, field order, merge behaviour, statistics, create/update/delete.
#include "test-support.hpp"

using namespace jrtest;

TEST_CASE("queues: create adds the Id label, in the service's field order", "[queues]") {
  Api api;
  api.distributionPolicy("dp1");

  SECTION("no labels sent") {
    Reply r = api.patch("/routing/queues/q1", R"({"distributionPolicyId": "dp1"})"_json);
    CHECK_STATUS(r, 201);
    checkResourceHeaders(r);
    CHECK(keysOf(r.ordered()) == Keys{"id", "distributionPolicyId", "labels", "etag"});
    json q = r.body();
    CHECK(q["id"] == "q1");
    CHECK(q["distributionPolicyId"] == "dp1");
    CHECK(q["labels"] == R"({"Id": "q1"})"_json);
  }

  SECTION("empty labels sent") {
    Reply r = api.patch("/routing/queues/q1", R"({"distributionPolicyId": "dp1", "labels": {}})"_json);
    CHECK_STATUS(r, 201);
    CHECK(r.body()["labels"] == R"({"Id": "q1"})"_json);
  }

  SECTION("every field") {
    api.exceptionPolicy("ep1");
    Reply r = api.patch("/routing/queues/q1", R"({"exceptionPolicyId": "ep1", "labels": {"region": "EU", "tier": 2},
                                                 "distributionPolicyId": "dp1", "name": "Sales"})"_json);
    CHECK_STATUS(r, 201);
    CHECK(keysOf(r.ordered()) == Keys{"id", "name", "distributionPolicyId", "labels", "exceptionPolicyId", "etag"});
    json q = r.body();
    CHECK(q["name"] == "Sales");
    CHECK(q["exceptionPolicyId"] == "ep1");
    CHECK(q["labels"] == R"({"Id": "q1", "region": "EU", "tier": 2})"_json);
    CHECK_FALSE(contains(r.text, "null"));
  }
}

TEST_CASE("queues: label values keep their JSON types", "[queues]") {
  Api api;
  json q = api.queue("q1", "dp1", R"({"labels": {"s": "x", "i": 7, "d": 10.01, "whole": 100.0, "b": true}})"_json);
  CHECK(q["labels"]["s"] == "x");
  CHECK(q["labels"]["i"] == 7);
  CHECK(q["labels"]["d"] == 10.01);
  CHECK(q["labels"]["whole"].is_number_integer());
  CHECK(q["labels"]["whole"] == 100);
  CHECK(q["labels"]["b"] == true);
}

TEST_CASE("queues: update is 200 and keeps what was not sent", "[queues]") {
  Api api;
  api.distributionPolicy("dp1");
  api.distributionPolicy("dp2");
  api.queue("q1", "dp1", R"({"name": "Sales", "labels": {"region": "EU"}})"_json);

  Reply r = api.patch("/routing/queues/q1", R"({"distributionPolicyId": "dp2", "labels": {}})"_json);
  CHECK_STATUS(r, 200);
  checkResourceHeaders(r);
  json q = r.body();
  CHECK(q["distributionPolicyId"] == "dp2");
  CHECK(q["name"] == "Sales");
  CHECK(q["labels"] == R"({"Id": "q1", "region": "EU"})"_json);
  CHECK(api.fetch("/routing/queues/q1") == q);

  Reply unnamed = api.patch("/routing/queues/q1", R"({"name": null})"_json);
  CHECK_STATUS(unnamed, 200);
  CHECK(keysOf(unnamed.ordered()) == Keys{"id", "distributionPolicyId", "labels", "etag"});
}

TEST_CASE("queues: statistics", "[queues]") {
  Api api;
  api.queue("q1");

  SECTION("empty queue") {
    Reply r = api.get("/routing/queues/q1/statistics");
    CHECK_STATUS(r, 200);
    checkPlainJsonHeaders(r);
    json stats = r.body();
    CHECK(stats["queueId"] == "q1");
    CHECK(stats["length"] == 0);
    Keys keys = keysOf(r.ordered());
    REQUIRE(keys.size() >= 2);
    CHECK(keys[0] == "queueId");
    CHECK(keys[1] == "length");
  }

  SECTION("queued jobs are counted, cancelled ones are not") {
    api.job("j1", "q1");
    api.job("j2", "q1");
    CHECK(api.fetch("/routing/queues/q1/statistics")["length"] == 2);
    api.cancel("j1");
    CHECK(api.fetch("/routing/queues/q1/statistics")["length"] == 1);
  }
}

TEST_CASE("queues: delete", "[queues]") {
  Api api;
  api.queue("q1");

  SECTION("an unused queue") {
    Reply r = api.del("/routing/queues/q1");
    CHECK_STATUS(r, 204);
    CHECK(r.text.empty());
    CHECK_FALSE(r.hasHeader("content-type"));
    checkNotFound(api.get("/routing/queues/q1"), "/routing/queues/q1");
    checkNotFound(api.get("/routing/queues/q1/statistics"), "/routing/queues/q1/statistics");
  }

  SECTION("a queue whose only job is cancelled") {
    api.job("j1", "q1");
    api.cancel("j1");
    CHECK_STATUS(api.del("/routing/queues/q1"), 204);
  }

  SECTION("then its distribution policy can be deleted") {
    CHECK_STATUS(api.del("/routing/queues/q1"), 204);
    CHECK_STATUS(api.del("/routing/distributionPolicies/dp1"), 204);
  }
}
