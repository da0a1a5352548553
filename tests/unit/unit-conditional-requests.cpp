// Conditional PATCH: If-Match and If-Unmodified-Since, 412 PreconditionFailed, and a failed conditional
// request changes nothing.
#include "test-support.hpp"

using namespace jrtest;

namespace {

// One resource of each collection, created in `api`; returns the path of each.
std::vector<std::pair<std::string, json>> createOneOfEach(Api& api) {
  api.distributionPolicy("dp1");
  api.queue("q1", "dp1");
  api.classificationPolicy("cp1");
  api.exceptionPolicy("ep1");
  api.worker("w1");
  api.job("j1", "q1");
  return {
      {"/routing/distributionPolicies/dp1", R"({"name": "changed"})"_json},
      {"/routing/queues/q1", R"({"name": "changed"})"_json},
      {"/routing/classificationPolicies/cp1", R"({"name": "changed"})"_json},
      {"/routing/exceptionPolicies/ep1", R"({"name": "changed"})"_json},
      {"/routing/workers/w1", R"({"capacity": 99})"_json},
      {"/routing/jobs/j1", R"({"priority": 42})"_json},
  };
}

void checkPreconditionFailed(const Reply& r, const std::string& path) {
  checkError(r, 412, "PreconditionFailed", kPreconditionMessage, path);
}

}  // namespace

TEST_CASE("conditional requests: If-Match with the current etag proceeds", "[conditional]") {
  Api api;
  for (const auto& [path, change] : createOneOfEach(api)) {
    INFO(path);
    Reply current = api.get(path);
    REQUIRE(current.status == 200);
    Reply r = api.patch(path, change, {{"if-match", current.header("etag")}});
    CHECK_STATUS(r, 200);
    CHECK(r.header("etag") != current.header("etag"));
  }
}

TEST_CASE("conditional requests: If-Match with another etag is 412 and changes nothing", "[conditional]") {
  Api api;
  for (const auto& [path, change] : createOneOfEach(api)) {
    INFO(path);
    Reply current = api.get(path);
    REQUIRE(current.status == 200);
    const std::string before = api.state();
    Reply r = api.patch(path, change, {{"if-match", "\"00000000-0000-0000-0000-000000000000\""}});
    checkPreconditionFailed(r, path);
    Reply after = api.get(path);
    CHECK(after.text == current.text);
    CHECK(after.header("etag") == current.header("etag"));
    CHECK(after.header("last-modified") == current.header("last-modified"));
    CHECK(api.state() == before);
  }
}

TEST_CASE("conditional requests: a stale etag is rejected after another update", "[conditional]") {
  Api api;
  api.queue("q1");
  const std::string stale = api.get("/routing/queues/q1").header("etag");
  api.upsert("/routing/queues/q1", R"({"name": "first writer"})"_json);
  Reply r = api.patch("/routing/queues/q1", R"({"name": "second writer"})"_json, {{"if-match", stale}});
  checkPreconditionFailed(r, "/routing/queues/q1");
  CHECK(api.fetch("/routing/queues/q1")["name"] == "first writer");
}

TEST_CASE("conditional requests: If-Match * matches any existing resource", "[conditional]") {
  Api api;
  for (const auto& [path, change] : createOneOfEach(api)) {
    INFO(path);
    CHECK_STATUS(api.patch(path, change, {{"if-match", "*"}}), 200);
  }
}

TEST_CASE("conditional requests: If-Match on a missing resource is 412 and creates nothing", "[conditional]") {
  Api api;
  api.queue("q1");
  const std::string before = api.state();

  for (const std::string etag : {"*", "\"00000000-0000-0000-0000-000000000000\""}) {
    INFO("If-Match: " << etag);
    checkPreconditionFailed(api.patch("/routing/workers/new-worker", R"({"capacity": 1})"_json, {{"if-match", etag}}),
                            "/routing/workers/new-worker");
    checkPreconditionFailed(api.patch("/routing/jobs/new-job", R"({"channelId": "voice", "queueId": "q1"})"_json,
                                      {{"if-match", etag}}),
                            "/routing/jobs/new-job");
    checkPreconditionFailed(api.patch("/routing/distributionPolicies/new-dp", R"({"offerExpiresAfterSeconds": 5})"_json,
                                      {{"if-match", etag}}),
                            "/routing/distributionPolicies/new-dp");
  }
  CHECK(api.state() == before);
  CHECK(api.get("/routing/workers/new-worker").status == 404);
  CHECK(api.get("/routing/jobs/new-job").status == 404);
  CHECK(api.get("/routing/distributionPolicies/new-dp").status == 404);
}

TEST_CASE("conditional requests: If-Unmodified-Since", "[conditional]") {
  for (const std::string path : {"/routing/distributionPolicies/dp1", "/routing/workers/w1"}) {
    const bool isWorker = contains(path, "workers");
    auto change = [&](int n) { return isWorker ? json{{"capacity", n}} : json{{"name", "v" + std::to_string(n)}}; };
    // A resource last modified at the start time, with the clock then moved 10 s on.
    auto setUp = [&](Api& api) {
      if (isWorker) {
        api.worker("w1");
      } else {
        api.distributionPolicy("dp1", R"({"name": "v0"})"_json);
      }
      CHECK(api.get(path).header("last-modified") == kStartHttpDate);
      api.router.advance(10000);
    };

    DYNAMIC_SECTION("a date before the last modification: 412, nothing changes " << path) {
      Api api;
      setUp(api);
      const std::string before = api.state();
      checkPreconditionFailed(api.patch(path, change(1), {{"if-unmodified-since", "Sun, 31 Dec 2023 23:59:59 GMT"}}),
                              path);
      CHECK(api.state() == before);
    }

    DYNAMIC_SECTION("a date at or after the last modification proceeds " << path) {
      Api api;
      setUp(api);
      Reply same = api.patch(path, change(2), {{"if-unmodified-since", kStartHttpDate}});
      CHECK_STATUS(same, 200);
      // that write happened 10 s after the start
      CHECK(same.header("last-modified") == "Mon, 01 Jan 2024 00:00:10 GMT");

      checkPreconditionFailed(api.patch(path, change(3), {{"if-unmodified-since", "Mon, 01 Jan 2024 00:00:05 GMT"}}),
                              path);
      CHECK_STATUS(api.patch(path, change(4), {{"if-unmodified-since", "Mon, 01 Jan 2024 00:00:10 GMT"}}), 200);
      CHECK_STATUS(api.patch(path, change(5), {{"if-unmodified-since", "Tue, 02 Jan 2024 00:00:00 GMT"}}), 200);
    }

    DYNAMIC_SECTION("an unparsable date is ignored " << path) {
      Api api;
      setUp(api);
      CHECK_STATUS(api.patch(path, change(6), {{"if-unmodified-since", "yesterday"}}), 200);
      CHECK_STATUS(api.patch(path, change(7), {{"if-unmodified-since", "31/12/2023 23:59"}}), 200);
    }
  }
}

TEST_CASE("conditional requests: both headers must hold", "[conditional]") {
  Api api;
  api.queue("q1");
  const std::string etag = api.get("/routing/queues/q1").header("etag");
  checkPreconditionFailed(api.patch("/routing/queues/q1", R"({"name": "x"})"_json,
                                    {{"if-match", etag}, {"if-unmodified-since", "Sun, 31 Dec 2023 00:00:00 GMT"}}),
                          "/routing/queues/q1");
  checkPreconditionFailed(api.patch("/routing/queues/q1", R"({"name": "x"})"_json,
                                    {{"if-match", "\"nope\""}, {"if-unmodified-since", "Tue, 02 Jan 2024 00:00:00 GMT"}}),
                          "/routing/queues/q1");
  CHECK_STATUS(api.patch("/routing/queues/q1", R"({"name": "x"})"_json,
                         {{"if-match", etag}, {"if-unmodified-since", "Tue, 02 Jan 2024 00:00:00 GMT"}}),
               200);
}

TEST_CASE("conditional requests: header names are case-insensitive", "[conditional]") {
  Api api;
  api.queue("q1");
  checkPreconditionFailed(api.patch("/routing/queues/q1", R"({"name": "x"})"_json, {{"If-Match", "\"nope\""}}),
                          "/routing/queues/q1");
  checkPreconditionFailed(
      api.patch("/routing/queues/q1", R"({"name": "x"})"_json, {{"IF-UNMODIFIED-SINCE", "Sun, 31 Dec 2023 00:00:00 GMT"}}),
      "/routing/queues/q1");
  CHECK_FALSE(api.fetch("/routing/queues/q1").contains("name"));
}

TEST_CASE("conditional requests: the 412 body in the spec error shape", "[conditional][errors]") {
  jr::RouterOptions options;
  options.errorShape = jr::ErrorShape::Spec;
  Api api(options);
  api.queue("q1");
  Reply r = api.patch("/routing/queues/q1", R"({"name": "x"})"_json, {{"if-match", "\"nope\""}});
  CHECK_STATUS(r, 412);
  CHECK(r.header("x-ms-error-code") == "PreconditionFailed");
  json b = r.body();
  CHECK(b["error"]["code"] == "PreconditionFailed");
  CHECK(b["error"]["message"] == kPreconditionMessage);
  CHECK(b["error"]["target"] == "/routing/queues/q1");
}
