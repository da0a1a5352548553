// Distribution policies: defaults, read-only fields, field order, create/update/get/list/delete.
#include "test-support.hpp"

using namespace jrtest;

TEST_CASE("distribution policies: create fills the mode defaults, in the service's field order",
          "[distribution-policies]") {
  Api api;
  Reply r = api.patch("/routing/distributionPolicies/dp1",
                      R"({"offerExpiresAfterSeconds": 60, "mode": {"kind": "longestIdle"}})"_json);
  CHECK_STATUS(r, 201);
  checkResourceHeaders(r);

  ojson body = r.ordered();
  CHECK(keysOf(body) == Keys{"id", "offerExpiresAfterSeconds", "mode", "etag"});
  CHECK(keysOf(body["mode"]) == Keys{"kind", "minConcurrentOffers", "maxConcurrentOffers", "bypassSelectors"});

  json dp = r.body();
  CHECK(dp["id"] == "dp1");
  CHECK(dp["offerExpiresAfterSeconds"] == 60);
  CHECK(dp["mode"] == R"({"kind": "longestIdle", "minConcurrentOffers": 1, "maxConcurrentOffers": 1, "bypassSelectors": false})"_json);
  CHECK_FALSE(dp.contains("name"));
}

TEST_CASE("distribution policies: name comes right after id", "[distribution-policies]") {
  Api api;
  Reply r = api.patch("/routing/distributionPolicies/dp1",
                      R"({"mode": {"kind": "roundRobin"}, "offerExpiresAfterSeconds": 30, "name": "Main"})"_json);
  CHECK_STATUS(r, 201);
  CHECK(keysOf(r.ordered()) == Keys{"id", "name", "offerExpiresAfterSeconds", "mode", "etag"});
  CHECK(r.body()["name"] == "Main");
}

TEST_CASE("distribution policies: unset optionals are absent, never null", "[distribution-policies]") {
  Api api;
  Reply r = api.patch("/routing/distributionPolicies/dp1", R"({"name": "Bare"})"_json);
  CHECK_STATUS(r, 201);
  CHECK(keysOf(r.ordered()) == Keys{"id", "name", "etag"});
  CHECK_FALSE(contains(r.text, "null"));
}

TEST_CASE("distribution policies: bestWorker always has scoringRuleOptions with the defaults",
          "[distribution-policies]") {
  Api api;

  SECTION("no scoring rule and no options") {
    Reply r = api.patch("/routing/distributionPolicies/dp1",
                        R"({"offerExpiresAfterSeconds": 60, "mode": {"kind": "bestWorker"}})"_json);
    CHECK_STATUS(r, 201);
    ojson mode = r.ordered()["mode"];
    CHECK(keysOf(mode) ==
          Keys{"kind", "scoringRuleOptions", "minConcurrentOffers", "maxConcurrentOffers", "bypassSelectors"});
    CHECK(keysOf(mode["scoringRuleOptions"]) == Keys{"scoringParameters", "isBatchScoringEnabled", "descendingOrder"});
    json options = r.body()["mode"]["scoringRuleOptions"];
    CHECK(options == R"({"scoringParameters": ["jobLabels", "workerSelectors"], "isBatchScoringEnabled": false,
                         "descendingOrder": true})"_json);
    CHECK_FALSE(r.body()["mode"].contains("scoringRule"));
  }

  SECTION("some options: the missing ones are filled in; batchSize only when sent") {
    Reply r = api.patch("/routing/distributionPolicies/dp1", R"({"offerExpiresAfterSeconds": 60,
        "mode": {"kind": "bestWorker", "scoringRuleOptions": {"isBatchScoringEnabled": true, "batchSize": 10}}})"_json);
    CHECK_STATUS(r, 201);
    ojson options = r.ordered()["mode"]["scoringRuleOptions"];
    CHECK(keysOf(options) == Keys{"batchSize", "scoringParameters", "isBatchScoringEnabled", "descendingOrder"});
    json o = r.body()["mode"]["scoringRuleOptions"];
    CHECK(o["batchSize"] == 10);
    CHECK(o["isBatchScoringEnabled"] == true);
    CHECK(o["descendingOrder"] == true);
    CHECK(o["scoringParameters"] == R"(["jobLabels", "workerSelectors"])"_json);
  }

  SECTION("scoring parameters as sent") {
    Reply r = api.patch("/routing/distributionPolicies/dp1", R"({
        "mode": {"kind": "bestWorker", "scoringRuleOptions": {"scoringParameters": ["jobLabels"], "descendingOrder": false}}})"_json);
    CHECK_STATUS(r, 201);
    json o = r.body()["mode"]["scoringRuleOptions"];
    CHECK(o["scoringParameters"] == R"(["jobLabels"])"_json);
    CHECK(o["descendingOrder"] == false);
    CHECK(o["isBatchScoringEnabled"] == false);
    CHECK_FALSE(o.contains("batchSize"));
  }

  SECTION("with a scoring rule, kind is emitted first even when sent last") {
    Reply r = api.patchText("/routing/distributionPolicies/dp1", R"({"mode": {
        "bypassSelectors": true,
        "scoringRule": {"functionUri": "https://example.org/api/score", "credential": {"functionKey": "k"}, "kind": "function"},
        "kind": "bestWorker"}})");
    CHECK_STATUS(r, 201);
    ojson mode = r.ordered()["mode"];
    CHECK(keysOf(mode) == Keys{"kind", "scoringRule", "scoringRuleOptions", "minConcurrentOffers",
                               "maxConcurrentOffers", "bypassSelectors"});
    CHECK(keysOf(mode["scoringRule"]) == Keys{"kind", "functionUri", "credential"});
    json m = r.body()["mode"];
    CHECK(m["kind"] == "bestWorker");
    CHECK(m["bypassSelectors"] == true);
    CHECK(m["scoringRule"]["functionUri"] == "https://example.org/api/score");
    CHECK(m["scoringRule"]["credential"] == R"({"functionKey": "k"})"_json);
  }
}

TEST_CASE("distribution policies: the other modes keep what was sent", "[distribution-policies]") {
  Api api;
  Reply r = api.patch("/routing/distributionPolicies/dp1", R"({"offerExpiresAfterSeconds": 45,
      "mode": {"kind": "roundRobin", "minConcurrentOffers": 2, "maxConcurrentOffers": 5, "bypassSelectors": true}})"_json);
  CHECK_STATUS(r, 201);
  CHECK(r.body()["mode"] ==
        R"({"kind": "roundRobin", "minConcurrentOffers": 2, "maxConcurrentOffers": 5, "bypassSelectors": true})"_json);

  SECTION("switching the kind") {
    Reply s = api.patch("/routing/distributionPolicies/dp1", R"({"mode": {"kind": "longestIdle"}})"_json);
    CHECK_STATUS(s, 200);
    json mode = s.body()["mode"];
    CHECK(mode["kind"] == "longestIdle");
    CHECK(mode["maxConcurrentOffers"] == 5);  // merged, not replaced
  }
}

TEST_CASE("distribution policies: offerExpiresAfterSeconds is echoed as sent", "[distribution-policies]") {
  Api api;
  Reply whole = api.patch("/routing/distributionPolicies/dp1", R"({"offerExpiresAfterSeconds": 300.0})"_json);
  CHECK_STATUS(whole, 201);
  CHECK(whole.body()["offerExpiresAfterSeconds"].is_number_integer());
  CHECK(whole.body()["offerExpiresAfterSeconds"] == 300);

  Reply fraction = api.patch("/routing/distributionPolicies/dp2", R"({"offerExpiresAfterSeconds": 2.5})"_json);
  CHECK_STATUS(fraction, 201);
  CHECK(fraction.body()["offerExpiresAfterSeconds"] == 2.5);
}

TEST_CASE("distribution policies: 201 on create, 200 on update, GET and list return the same resource",
          "[distribution-policies]") {
  Api api;
  Reply created = api.patch("/routing/distributionPolicies/dp1", R"({"name": "A", "offerExpiresAfterSeconds": 10})"_json);
  CHECK_STATUS(created, 201);
  Reply updated = api.patch("/routing/distributionPolicies/dp1", R"({"name": "B"})"_json);
  CHECK_STATUS(updated, 200);
  checkResourceHeaders(updated);
  json dp = updated.body();
  CHECK(dp["name"] == "B");
  CHECK(dp["offerExpiresAfterSeconds"] == 10);

  Reply read = api.get("/routing/distributionPolicies/dp1");
  CHECK_STATUS(read, 200);
  checkResourceHeaders(read);
  CHECK(read.body() == dp);
  CHECK(read.header("etag") == updated.header("etag"));
  CHECK(read.header("last-modified") == updated.header("last-modified"));

  json page = api.fetch("/routing/distributionPolicies");
  REQUIRE(page["value"].size() == 1);
  CHECK(page["value"][0] == dp);
}

TEST_CASE("distribution policies: delete", "[distribution-policies]") {
  Api api;
  api.distributionPolicy("dp1");
  Reply r = api.del("/routing/distributionPolicies/dp1");
  CHECK_STATUS(r, 204);
  CHECK(r.text.empty());
  CHECK_FALSE(r.hasHeader("content-type"));
  checkNotFound(api.get("/routing/distributionPolicies/dp1"), "/routing/distributionPolicies/dp1");
  checkNotFound(api.del("/routing/distributionPolicies/dp1"), "/routing/distributionPolicies/dp1");
  CHECK(idsOf(api.fetch("/routing/distributionPolicies")).empty());

  SECTION("a deleted id can be created again (201)") {
    CHECK_STATUS(api.patch("/routing/distributionPolicies/dp1", R"({"offerExpiresAfterSeconds": 5})"_json), 201);
  }
}
