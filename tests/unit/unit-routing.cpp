// Request routing: the 33 route templates, api-version handling, unknown routes, wrong methods,
// percent-encoded ids and query-string parsing.
#include "core/http/request.hpp"
#include "core/http/routes.hpp"
#include "test-support.hpp"

using namespace jrtest;

namespace {

// Creates whatever a resource of `collection` needs and returns a valid create body for it.
json prepareCreateBody(Api& api, const std::string& collection) {
  if (collection == "distributionPolicies") return R"({"offerExpiresAfterSeconds": 30, "mode": {"kind": "roundRobin"}})"_json;
  if (collection == "classificationPolicies") return R"({"name": "Sales"})"_json;
  if (collection == "exceptionPolicies") return R"({"name": "Escalation", "exceptionRules": []})"_json;
  if (collection == "queues") {
    api.distributionPolicy("dp1");
    return R"({"distributionPolicyId": "dp1"})"_json;
  }
  if (collection == "workers") return R"({"capacity": 5})"_json;
  // jobs
  api.queue("q1");
  return R"({"channelId": "voice", "queueId": "q1"})"_json;
}

const std::vector<std::string> kRoutedCollections = {"distributionPolicies", "classificationPolicies", "exceptionPolicies",
                                               "queues",               "workers",                "jobs"};

}  // namespace

TEST_CASE("routing: PATCH, GET and DELETE reach the upsert, get and delete operations of all six collections",
          "[routing]") {
  for (const auto& collection : kRoutedCollections) {
    DYNAMIC_SECTION(collection) {
      Api api;
      const std::string path = "/routing/" + collection + "/res-1";
      json createBody = prepareCreateBody(api, collection);

      Reply created = api.patch(path, createBody);
      CHECK_STATUS(created, 201);
      checkResourceHeaders(created);
      json createdBody = created.body();
      CHECK(createdBody["id"] == "res-1");

      Reply read = api.get(path);
      CHECK_STATUS(read, 200);
      checkResourceHeaders(read);
      if (collection == "jobs") {
        CHECK(read.body()["id"] == "res-1");  // a job moves on (created -> queued) before the next request
      } else {
        CHECK(read.body() == createdBody);
      }

      if (collection == "jobs") api.cancel("res-1");  // only terminal jobs can be deleted

      Reply deleted = api.del(path);
      CHECK_STATUS(deleted, 204);
      CHECK(deleted.text.empty());
      CHECK_FALSE(deleted.hasHeader("content-type"));
      CHECK_FALSE(deleted.hasHeader("etag"));

      checkNotFound(api.get(path), path);
    }
  }
}

TEST_CASE("routing: GET on each collection reaches its list operation", "[routing]") {
  for (const auto& collection : kRoutedCollections) {
    DYNAMIC_SECTION(collection) {
      Api api;
      api.upsert("/routing/" + collection + "/item-1", prepareCreateBody(api, collection));

      Reply list = api.get("/routing/" + collection);
      CHECK_STATUS(list, 200);
      checkPlainJsonHeaders(list);
      json page = list.body();
      REQUIRE(page["value"].is_array());
      CHECK(idsOf(page) == std::vector<std::string>{"item-1"});
      CHECK_FALSE(page.contains("nextLink"));
      // list items have the same shape as single GETs, etag included
      CHECK(page["value"][0] == api.fetch("/routing/" + collection + "/item-1"));
    }
  }
}

TEST_CASE("routing: action, position and statistics routes reach their operations", "[routing]") {
  Api api;

  SECTION("on unknown ids every one of them answers 'item not found' rather than 'route not found'") {
    struct Call {
      std::string method;
      std::string path;
    };
    const std::vector<Call> calls = {
        {"POST", "/routing/jobs/nope:cancel"},
        {"POST", "/routing/jobs/nope:reclassify"},
        {"POST", "/routing/jobs/nope/assignments/a1:complete"},
        {"POST", "/routing/jobs/nope/assignments/a1:close"},
        {"POST", "/routing/jobs/nope/assignments/a1:unassign"},
        {"POST", "/routing/workers/nope/offers/o1:accept"},
        {"POST", "/routing/workers/nope/offers/o1:decline"},
        {"GET", "/routing/jobs/nope/position"},
        {"GET", "/routing/queues/nope/statistics"},
        {"GET", "/routing/jobs/nope"},
        {"DELETE", "/routing/jobs/nope"},
        {"GET", "/routing/workers/nope"},
        {"DELETE", "/routing/workers/nope"},
        {"GET", "/routing/queues/nope"},
        {"DELETE", "/routing/queues/nope"},
        {"GET", "/routing/distributionPolicies/nope"},
        {"DELETE", "/routing/distributionPolicies/nope"},
        {"GET", "/routing/classificationPolicies/nope"},
        {"DELETE", "/routing/classificationPolicies/nope"},
        {"GET", "/routing/exceptionPolicies/nope"},
        {"DELETE", "/routing/exceptionPolicies/nope"},
    };
    for (const auto& call : calls) {
      INFO(call.method << " " << call.path);
      Headers headers;
      if (call.method == "POST") headers["content-length"] = "0";
      checkNotFound(api.send(call.method, withApiVersion(call.path), headers), call.path);
    }
  }

  SECTION("on existing resources") {
    api.job("j1", "q1");
    api.worker("w1");

    Reply position = api.get("/routing/jobs/j1/position");
    CHECK_STATUS(position, 200);
    checkPlainJsonHeaders(position);
    json pos = position.body();
    CHECK(pos["jobId"] == "j1");
    CHECK(pos["queueId"] == "q1");
    CHECK(pos["position"] == 1);
    CHECK(pos["queueLength"] == 1);
    CHECK(pos["estimatedWaitTimeMinutes"].is_number());

    Reply statistics = api.get("/routing/queues/q1/statistics");
    CHECK_STATUS(statistics, 200);
    checkPlainJsonHeaders(statistics);
    json stats = statistics.body();
    CHECK(stats["queueId"] == "q1");
    CHECK(stats["length"] == 1);

    checkNotFound(api.post("/routing/jobs/j1/assignments/a1:complete"), "/routing/jobs/j1/assignments/a1:complete");
    checkNotFound(api.post("/routing/jobs/j1/assignments/a1:close"), "/routing/jobs/j1/assignments/a1:close");
    checkNotFound(api.post("/routing/jobs/j1/assignments/a1:unassign"), "/routing/jobs/j1/assignments/a1:unassign");
    checkError(api.post("/routing/workers/w1/offers/o1:accept"), 404, "NotFound",
               "AcceptOfferCommandHandler: Offer not found. OfferId: o1, WorkerId: w1",
               "/routing/workers/w1/offers/o1:accept");
    checkError(api.post("/routing/workers/w1/offers/o1:decline"), 404, "NotFound",
               "DeclineOfferCommandHandler: Offer not found. OfferId: o1, WorkerId: w1",
               "/routing/workers/w1/offers/o1:decline");

    Reply cancelled = api.post("/routing/jobs/j1:cancel");
    CHECK_STATUS(cancelled, 200);
    checkPlainJsonHeaders(cancelled);
    CHECK(cancelled.body() == json::object());
  }
}

TEST_CASE("routing: api-version is required and must be 2023-11-01", "[routing][api-version]") {
  Api api;
  api.distributionPolicy("dp1");

  SECTION("missing") {
    for (const std::string path : {"/routing/distributionPolicies/dp1", "/routing/distributionPolicies",
                                   "/routing/jobs/j1/position"}) {
      INFO(path);
      Reply r = api.send("GET", path);
      checkError(r, 400, "MissingApiVersionParameter", "", path);
      CHECK(contains(errorOf(r)["message"].get<std::string>(), "2023-11-01"));
    }
    // also on writes, which then change nothing
    const std::string before = api.state();
    Reply r = api.send("PATCH", "/routing/queues/q1", {{"content-type", kMergePatchContentType}},
                       R"({"distributionPolicyId":"dp1"})");
    checkError(r, 400, "MissingApiVersionParameter", "", "/routing/queues/q1");
    CHECK(api.state() == before);
    CHECK(api.get("/routing/queues/q1").status == 404);
  }

  SECTION("another value") {
    const std::string path = "/routing/distributionPolicies/dp1";
    Reply r = api.send("GET", path + "?api-version=2022-07-18-preview");
    checkError(r, 400, "UnsupportedApiVersionValue", "", path);
    const std::string message = errorOf(r)["message"].get<std::string>();
    CHECK(contains(message, "2022-07-18-preview"));
    CHECK(contains(message, "2023-11-01"));

    Reply later = api.send("GET", path + "?api-version=2024-01-18-preview");
    checkError(later, 400, "UnsupportedApiVersionValue", "", path);
  }

  SECTION("the supported value in any query position") {
    Reply r = api.send("GET", "/routing/distributionPolicies?maxpagesize=5&api-version=2023-11-01");
    CHECK_STATUS(r, 200);
    CHECK(idsOf(r.body()) == std::vector<std::string>{"dp1"});
  }

  SECTION("the check can be turned off") {
    jr::RouterOptions options;
    options.checkApiVersion = false;
    Api relaxed(options);
    Reply created = relaxed.send("PATCH", "/routing/distributionPolicies/dp9",
                                 {{"content-type", kMergePatchContentType}}, R"({"offerExpiresAfterSeconds": 10})");
    CHECK_STATUS(created, 201);
    CHECK_STATUS(relaxed.send("GET", "/routing/distributionPolicies/dp9"), 200);
    CHECK_STATUS(relaxed.send("GET", "/routing/distributionPolicies/dp9?api-version=1999-01-01"), 200);
    CHECK_STATUS(relaxed.send("GET", "/routing/distributionPolicies"), 200);
  }
}

TEST_CASE("routing: an unknown route is 404 NotFound 'The requested route was not found.'", "[routing]") {
  Api api;
  api.job("j1", "q1");
  for (const std::string path : {"/routing/unknown", "/routing/jobs/j1/unknown", "/routing/queues/q1/statistics/more",
                                 "/routing/workers/w1/offers", "/routing/jobs/j1/assignments/a1"}) {
    INFO(path);
    checkError(api.get(path), 404, "NotFound", kRouteNotFoundMessage, path);
  }
  checkError(api.send("GET", "/not-routing"), 404, "NotFound", kRouteNotFoundMessage, "/not-routing");
}

TEST_CASE("routing: a known route with a wrong method is 405 MethodNotAllowed", "[routing]") {
  Api api;
  api.job("j1", "q1");
  struct Call {
    std::string method;
    std::string path;
  };
  const std::vector<Call> calls = {
      {"POST", "/routing/queues/q1"},        {"PUT", "/routing/jobs/j1"},
      {"DELETE", "/routing/workers"},        {"PATCH", "/routing/jobs"},
      {"POST", "/routing/distributionPolicies"}, {"PATCH", "/routing/jobs/j1/position"},
      {"DELETE", "/routing/queues/q1/statistics"}, {"PUT", "/routing/classificationPolicies/cp1"},
  };
  const std::string before = api.state();
  for (const auto& call : calls) {
    INFO(call.method << " " << call.path);
    checkError(api.send(call.method, withApiVersion(call.path), {{"content-type", "application/json"}}, "{}"), 405,
               "MethodNotAllowed", "", call.path);
  }
  CHECK(api.state() == before);
}

TEST_CASE("routing: ids in the path are percent-decoded", "[routing]") {
  Api api;

  Reply created = api.patch("/routing/distributionPolicies/dp%201", R"({"offerExpiresAfterSeconds": 10})"_json);
  CHECK_STATUS(created, 201);
  CHECK(created.body()["id"] == "dp 1");

  Reply read = api.get("/routing/distributionPolicies/dp%201");
  CHECK_STATUS(read, 200);
  CHECK(read.body()["id"] == "dp 1");
  CHECK(idsOf(api.fetch("/routing/distributionPolicies")) == std::vector<std::string>{"dp 1"});

  // the decoded id is the one references use
  Reply queue = api.patch("/routing/queues/caf%C3%A9", R"({"distributionPolicyId": "dp 1"})"_json);
  CHECK_STATUS(queue, 201);
  json q = queue.body();
  CHECK(q["id"] == "caf\xC3\xA9");
  CHECK(q["labels"]["Id"] == "caf\xC3\xA9");
  // hex digits of an escape are case-insensitive
  CHECK_STATUS(api.get("/routing/queues/caf%c3%a9"), 200);
}

TEST_CASE("routing: query strings are parsed", "[routing]") {
  Api api;
  api.job("j1", "q 1");
  api.job("j2", "q2");

  SECTION("percent-encoded filter values") {
    Reply r = api.get("/routing/jobs?queueId=q%201");
    CHECK_STATUS(r, 200);
    CHECK(idsOf(r.body()) == std::vector<std::string>{"j1"});
  }

  SECTION("parameters in any order") {
    Reply r = api.send("GET", "/routing/jobs?api-version=2023-11-01&queueId=q2&maxpagesize=10");
    CHECK_STATUS(r, 200);
    CHECK(idsOf(r.body()) == std::vector<std::string>{"j2"});
  }

  SECTION("unknown parameters are ignored") {
    Reply r = api.get("/routing/queues/q2?foo=bar");
    CHECK_STATUS(r, 200);
    CHECK(r.body()["id"] == "q2");
  }
}

TEST_CASE("routing: operationPath fills a route template, and an error outside a route names the job's path",
          "[routing]") {
  CHECK(jr::operationPath(jr::Operation::GetJob, {"j1"}) == "/routing/jobs/j1");
  CHECK(jr::operationPath(jr::Operation::CompleteJob, {"j 1", "a1"}) == "/routing/jobs/j 1/assignments/a1:complete");
  CHECK(jr::operationPath(jr::Operation::ListQueues, {}) == "/routing/queues");
  // a template filled with parameters routes back to its operation (ids that need no encoding)
  struct Filled {
    jr::Operation op;
    const char* method;
    std::string path;
  };
  const Filled filled[] = {{jr::Operation::UpsertWorker, "PATCH", jr::operationPath(jr::Operation::UpsertWorker, {"w1"})},
                           {jr::Operation::AcceptJobOffer, "POST",
                            jr::operationPath(jr::Operation::AcceptJobOffer, {"w1", "o1"})},
                           {jr::Operation::GetQueueStatistics, "GET",
                            jr::operationPath(jr::Operation::GetQueueStatistics, {"q1"})}};
  for (const Filled& f : filled) {
    const jr::RouteMatch match = jr::matchRoute(f.method, f.path);
    INFO(f.path);
    CHECK(match.outcome == jr::RouteMatch::Outcome::Matched);
    CHECK(match.operation == f.op);
  }
  jr::RouterOptions options;
  options.errorShape = jr::ErrorShape::Spec;
  jr::Router router(options);
  const jr::HttpResponse missing = router.failScheduling("nope", "r");
  CHECK(missing.status == 404);
  CHECK(json::parse(missing.body)["error"]["target"] == "/routing/jobs/nope");
  CHECK(json::parse(router.explain("nope"))["error"]["target"] == "/routing/jobs/nope");
}

TEST_CASE("routing: what the route table says of an operation — its resource kind, list, upsert or delete",
          "[routing]") {
  using jr::Operation;
  using jr::ResourceKind;
  CHECK(jr::resourceOf(Operation::ListClassificationPolicies) == ResourceKind::ClassificationPolicy);
  CHECK(jr::resourceOf(Operation::UpsertDistributionPolicy) == ResourceKind::DistributionPolicy);
  CHECK(jr::resourceOf(Operation::DeleteExceptionPolicy) == ResourceKind::ExceptionPolicy);
  CHECK(jr::resourceOf(Operation::GetQueueStatistics) == ResourceKind::Queue);
  CHECK(jr::resourceOf(Operation::AcceptJobOffer) == ResourceKind::Worker);
  CHECK(jr::resourceOf(Operation::CompleteJob) == ResourceKind::Job);
  CHECK(jr::resourceOf(Operation::GetInQueuePosition) == ResourceKind::Job);

  const Operation lists[] = {Operation::ListClassificationPolicies, Operation::ListDistributionPolicies,
                             Operation::ListExceptionPolicies,      Operation::ListQueues,
                             Operation::ListWorkers,                Operation::ListJobs};
  for (Operation op : lists) CHECK(jr::isList(op));
  CHECK_FALSE(jr::isList(Operation::GetJob));
  CHECK_FALSE(jr::isList(Operation::GetQueueStatistics));  // a GET below a resource
  CHECK(jr::isUpsert(Operation::UpsertWorker));
  CHECK_FALSE(jr::isUpsert(Operation::CancelJob));
  CHECK(jr::isDelete(Operation::DeleteQueue));
  CHECK_FALSE(jr::isDelete(Operation::DeclineJobOffer));
  // the collection names are the routes' (a list's path is /routing/ and its kind's collection)
  for (Operation op : lists) {
    CHECK(jr::operationPath(op, {}) == "/routing/" + std::string(jr::collectionName(jr::resourceOf(op))));
  }
}

TEST_CASE("routing: an action's body is read into its command's typed body, an upsert's kept as its merge patch",
          "[routing]") {
  const jr::HeaderMap json{{"content-type", "application/json"}};
  std::string path;
  const auto read = [&](const char* method, const char* target, const std::string& body) {
    return jr::readRequest(method, std::string(target) + "?api-version=2023-11-01", json, body, true, path);
  };
  const jr::Request close = read("POST", "/routing/jobs/j1/assignments/a1:close",
                                 R"({"note":"n","dispositionCode":"done","closeAt":"2026-01-02T03:04:05Z"})");
  CHECK(close.command.command == jr::Command::CloseJob);
  CHECK(close.command.params == std::vector<std::string>{"j1", "a1"});
  const auto* closeBody = std::get_if<jr::CloseJobBody>(&close.command.action);
  REQUIRE(closeBody != nullptr);
  CHECK(closeBody->note == std::optional<std::string>("n"));
  CHECK(closeBody->dispositionCode == std::optional<std::string>("done"));
  CHECK(closeBody->closeAt == jr::parseIsoTime("2026-01-02T03:04:05Z"));
  CHECK(close.command.mergePatch.is_null());

  // no body: the action's empty body
  const jr::Request unassign = read("POST", "/routing/jobs/j1/assignments/a1:unassign", "");
  REQUIRE(std::holds_alternative<jr::UnassignJobBody>(unassign.command.action));
  CHECK_FALSE(std::get<jr::UnassignJobBody>(unassign.command.action).suspendMatching);
  const jr::Request decline = read("POST", "/routing/workers/w1/offers/o1:decline", R"({"retryOfferAt":null})");
  REQUIRE(std::holds_alternative<jr::DeclineJobOfferBody>(decline.command.action));
  CHECK_FALSE(std::get<jr::DeclineJobOfferBody>(decline.command.action).retryOfferAt.has_value());

  // members the service refuses: a 400 before any engine runs, with every issue
  try {
    read("POST", "/routing/jobs/j1:cancel", R"({"note":5,"dispositionCode":[]})");
    FAIL("no error");
  } catch (const jr::ApiError& error) {
    CHECK(error.kind == jr::ErrorKind::Invalid);
    REQUIRE(error.details.size() == 2);
    CHECK(error.details[0].target == "note");
    CHECK(error.details[1].target == "dispositionCode");
  }
  CHECK_THROWS_AS(read("POST", "/routing/jobs/j1:reclassify", "[1]"), jr::ApiError);

  const jr::Request upsert = read("PATCH", "/routing/jobs/j1", R"({"priority":2})");
  CHECK(upsert.command.mergePatch == jr::Json::parse(R"({"priority":2})"));
  CHECK(std::holds_alternative<std::monostate>(upsert.command.action));
}
