// Error responses: shapes (real and spec), delete rules, malformed bodies, content types. A rejected request
// never changes state.
#include "test-support.hpp"

using namespace jrtest;

namespace {

const std::string kQueueJobReason = "There is active job with this queue";
const std::string kQueueFallbackReason = "There is classification policy with this queue as fallback queue";
const std::string kQueueWorkerReason = "There is an assigned worker to this queue";

std::string queueConflictMessage(const std::vector<std::string>& reasons) {
  std::string message = "Validation failed: ";
  for (const auto& reason : reasons) message += "\r\n -- : " + reason;
  return message;
}

}  // namespace

TEST_CASE("errors: unknown ids are 404 NotFound with the request path (without query) as target", "[errors]") {
  Api api;
  for (const std::string collection :
       {"distributionPolicies", "classificationPolicies", "exceptionPolicies", "queues", "workers", "jobs"}) {
    const std::string path = "/routing/" + collection + "/missing-id";
    INFO(path);
    Reply r = api.send("GET", path + "?api-version=2023-11-01");
    checkNotFound(r, path);
    json b = r.body();
    CHECK(keysOf(r.ordered()) == Keys{"communicationError"});
    CHECK_FALSE(b["communicationError"].contains("details"));
    CHECK(keysOf(r.ordered()["communicationError"]) == Keys{"code", "message", "target"});
    checkNotFound(api.del(path), path);
  }
}

TEST_CASE("errors: the spec error shape option", "[errors]") {
  jr::RouterOptions options;
  options.errorShape = jr::ErrorShape::Spec;
  Api api(options);

  SECTION("404") {
    Reply r = api.get("/routing/jobs/missing");
    CHECK_STATUS(r, 404);
    CHECK(r.header("content-type") == kJsonContentType);
    CHECK(r.header("x-ms-error-code") == "NotFound");
    json b = r.body();
    CHECK_FALSE(b.contains("communicationError"));
    CHECK(keysOf(r.ordered()) == Keys{"error"});
    CHECK(b["error"]["code"] == "NotFound");
    CHECK(b["error"]["message"] == kNotFoundMessage);
    CHECK(b["error"]["target"] == "/routing/jobs/missing");
  }

  SECTION("400 with details") {
    Reply r = api.patch("/routing/queues/q1", R"({"distributionPolicyId": "missing"})"_json);
    CHECK_STATUS(r, 400);
    CHECK(r.header("x-ms-error-code") == "BadRequest");
    json e = r.body()["error"];
    CHECK(e["code"] == "BadRequest");
    CHECK(e["message"] == kValidationMessage);
    CHECK(e["target"] == "/routing/queues/q1");
    REQUIRE(e["details"].is_array());
    REQUIRE_FALSE(e["details"].empty());
    CHECK(e["details"][0]["code"] == "ReferencedResourceNotFound");
    CHECK(e["details"][0]["target"] == "distributionPolicyId");
  }

  SECTION("409") {
    api.job("j1", "q1");
    Reply r = api.del("/routing/queues/q1");
    CHECK_STATUS(r, 409);
    CHECK(r.header("x-ms-error-code") == "Conflict");
    CHECK(r.body()["error"]["message"] == queueConflictMessage({kQueueJobReason}));
  }

  SECTION("api-version errors") {
    Reply r = api.send("GET", "/routing/queues");
    CHECK_STATUS(r, 400);
    CHECK(r.header("x-ms-error-code") == "MissingApiVersionParameter");
    CHECK(r.body()["error"]["code"] == "MissingApiVersionParameter");
  }

  SECTION("successes are unchanged") {
    Reply r = api.patch("/routing/distributionPolicies/dp1", R"({"offerExpiresAfterSeconds": 10})"_json);
    CHECK_STATUS(r, 201);
    CHECK_FALSE(r.hasHeader("x-ms-error-code"));
  }
}

TEST_CASE("errors: the default shape carries no x-ms-error-code header", "[errors]") {
  Api api;
  Reply r = api.patch("/routing/queues/q1", R"({"distributionPolicyId": "missing"})"_json);
  checkValidationError(r, "/routing/queues/q1", "distributionPolicyId", "ReferencedResourceNotFound");
  CHECK_FALSE(r.hasHeader("x-ms-error-code"));
  json detail = detailsOf(r)[0];
  CHECK(detail["message"].is_string());
  CHECK_FALSE(detail["message"].get<std::string>().empty());
}

TEST_CASE("errors: a distribution policy used by a queue cannot be deleted", "[errors][distribution-policies]") {
  Api api;
  api.queue("q1", "dp1");
  Reply r = api.del("/routing/distributionPolicies/dp1");
  checkError(r, 400, "BadRequest", kValidationMessage, "/routing/distributionPolicies/dp1");
  json details = detailsOf(r);
  REQUIRE(details.size() == 1);
  CHECK(details[0]["code"] == "QueueExistsWithDistributionPolicy");
  CHECK(details[0]["message"] == "There is a queue with this distribution policy");
  CHECK_STATUS(api.get("/routing/distributionPolicies/dp1"), 200);

  api.distributionPolicy("dp2");
  api.upsert("/routing/queues/q1", R"({"distributionPolicyId": "dp2"})"_json);
  CHECK_STATUS(api.del("/routing/distributionPolicies/dp1"), 204);
}

TEST_CASE("errors: an exception policy used by a queue cannot be deleted", "[errors][exception-policies]") {
  Api api;
  api.exceptionPolicy("ep1");
  api.queue("q1", "dp1", R"({"exceptionPolicyId": "ep1"})"_json);
  Reply r = api.del("/routing/exceptionPolicies/ep1");
  checkError(r, 400, "BadRequest", kValidationMessage, "/routing/exceptionPolicies/ep1");
  json details = detailsOf(r);
  REQUIRE(details.size() == 1);
  CHECK(details[0]["code"] == "QueueExistsWithExceptionPolicy");
  CHECK(details[0]["message"] == "There is a queue with this exception policy");
  CHECK_STATUS(api.get("/routing/exceptionPolicies/ep1"), 200);
}

TEST_CASE("errors: a classification policy with an active job cannot be deleted", "[errors][classification-policies]") {
  Api api;
  api.queue("q1");
  api.classificationPolicy("cp1", R"({"fallbackQueueId": "q1"})"_json);
  api.upsert("/routing/jobs/j1", R"({"channelId": "voice", "classificationPolicyId": "cp1"})"_json);

  Reply r = api.del("/routing/classificationPolicies/cp1");
  checkError(r, 400, "BadRequest", kValidationMessage, "/routing/classificationPolicies/cp1");
  json details = detailsOf(r);
  REQUIRE(details.size() == 1);
  CHECK(details[0]["code"] == "ActiveJobWithClassificationPolicyExist");
  CHECK(details[0]["message"] == "There is active job with this classification policy");
  CHECK_STATUS(api.get("/routing/classificationPolicies/cp1"), 200);

  api.cancel("j1");
  CHECK_STATUS(api.del("/routing/classificationPolicies/cp1"), 204);
}

TEST_CASE("errors: a queue in use cannot be deleted: 409 with one line per reason", "[errors][queues]") {
  Api api;
  api.queue("q1");

  SECTION("an active job") {
    api.job("j1", "q1");
    Reply r = api.del("/routing/queues/q1");
    checkError(r, 409, "Conflict", queueConflictMessage({kQueueJobReason}), "/routing/queues/q1");
    CHECK_FALSE(errorOf(r).contains("details"));
    CHECK_STATUS(api.get("/routing/queues/q1"), 200);
  }

  SECTION("a classification policy's fallback queue") {
    api.classificationPolicy("cp1", R"({"fallbackQueueId": "q1"})"_json);
    checkError(api.del("/routing/queues/q1"), 409, "Conflict", queueConflictMessage({kQueueFallbackReason}),
               "/routing/queues/q1");
  }

  SECTION("a worker serving it") {
    api.worker("w1", R"({"queues": ["q1"]})"_json);
    checkError(api.del("/routing/queues/q1"), 409, "Conflict", queueConflictMessage({kQueueWorkerReason}),
               "/routing/queues/q1");
  }

  SECTION("all three, in this order") {
    api.worker("w1", R"({"queues": ["q1"]})"_json);
    api.classificationPolicy("cp1", R"({"fallbackQueueId": "q1"})"_json);
    api.job("j1", "q1");
    Reply r = api.del("/routing/queues/q1");
    checkError(r, 409, "Conflict", queueConflictMessage({kQueueJobReason, kQueueFallbackReason, kQueueWorkerReason}),
               "/routing/queues/q1");
    CHECK(contains(r.text, "\\r\\n -- : "));  // real CR LF characters, escaped in the JSON text
  }
}

TEST_CASE("errors: a job that is not in a terminal state cannot be deleted", "[errors][jobs]") {
  Api api;
  api.job("j1", "q1");
  Reply r = api.del("/routing/jobs/j1");
  checkError(r, 400, "BadRequest", kValidationMessage, "/routing/jobs/j1");
  CHECK(hasDetailCode(r, "JobNotInTerminalState"));
  CHECK(api.fetch("/routing/jobs/j1")["status"] == "queued");

  api.cancel("j1");
  CHECK_STATUS(api.del("/routing/jobs/j1"), 204);
}

TEST_CASE("errors: malformed JSON is 400 InvalidJson and changes nothing", "[errors]") {
  Api api;
  api.queue("q1");
  api.worker("w1");
  const std::string before = api.state();

  for (const std::string text : {"{", "{\"name\": }", "{\"name\": \"x\",}", "{'name': 'x'}", "{\"name\": \"x\"} trailing",
                                 "{\"capacity\": 01}", "{\"name\": \"\xff\xfe\"}", "not json at all"}) {
    INFO("body: " << text);
    for (const std::string path : {"/routing/queues/q1", "/routing/workers/w1", "/routing/workers/new-worker"}) {
      INFO(path);
      Reply r = api.patchText(path, text);
      checkError(r, 400, "BadRequest", "", path);
      CHECK(hasDetailCode(r, "InvalidJson"));
    }
  }
  CHECK(api.state() == before);
  CHECK_STATUS(api.get("/routing/workers/new-worker"), 404);
}

TEST_CASE("errors: a JSON body that is not an object is 400 InvalidType with target \"\"", "[errors]") {
  Api api;
  api.queue("q1");
  const std::string before = api.state();
  for (const std::string text : {"[]", "[{\"name\": \"x\"}]", "\"text\"", "42", "true", "null"}) {
    INFO("body: " << text);
    Reply r = api.patchText("/routing/queues/q1", text);
    checkError(r, 400, "BadRequest", kValidationMessage, "/routing/queues/q1");
    CHECK(hasDetail(r, "InvalidType", ""));
  }
  CHECK(api.state() == before);
}

TEST_CASE("errors: PATCH with another content type is 415 UnsupportedMediaType", "[errors]") {
  Api api;
  api.distributionPolicy("dp1");
  const std::string before = api.state();
  for (const std::string type : {"text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data"}) {
    INFO(type);
    Reply r = api.patchText("/routing/queues/q1", R"({"distributionPolicyId": "dp1"})", {{"content-type", type}});
    checkError(r, 415, "UnsupportedMediaType", "", "/routing/queues/q1");
  }
  CHECK(api.state() == before);

  SECTION("accepted content types") {
    int n = 0;
    for (const std::string type : {"application/merge-patch+json", "application/merge-patch+json; charset=utf-8",
                                   "application/json", "application/json; charset=utf-8"}) {
      INFO(type);
      const std::string path = "/routing/queues/q" + std::to_string(++n);
      CHECK_STATUS(api.patchText(path, R"({"distributionPolicyId": "dp1"})", {{"content-type", type}}), 201);
    }
    // no content type at all
    Reply r = api.send("PATCH", withApiVersion("/routing/queues/q9"), {}, R"({"distributionPolicyId": "dp1"})");
    CHECK_STATUS(r, 201);
  }
}

TEST_CASE("errors: hostile input is a 4xx, never a 5xx, and changes nothing", "[errors]") {
  Api api;
  api.queue("q1");
  api.worker("w1");
  const std::string before = api.state();

  std::string deep = "{\"labels\": {\"x\": ";
  for (int i = 0; i < 200; ++i) deep += "{\"a\": ";
  deep += "1";
  for (int i = 0; i < 200; ++i) deep += "}";
  deep += "}}";

  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/routing/workers/w1", deep},
      {"/routing/workers/w1", R"({"capacity": 1e400})"},
      {"/routing/workers/w1", R"({"capacity": 99999999999999999999999})"},
      {"/routing/jobs/j9", R"({"channelId": "voice", "queueId": "q1", "priority": 1e10})"},
      {"/routing/workers/w1", std::string("{\"labels\": {\"a\": \"x") + '\0' + "y\"}}"},
      {"/routing/jobs/j9", R"({"channelId": 5, "queueId": ["q1"]})"},
      {"/routing/queues/q1", R"({"distributionPolicyId": {"id": "dp1"}})"},
      {"/routing/distributionPolicies/dp1", R"({"mode": "longestIdle"})"},
      {"/routing/distributionPolicies/dp1", R"({"mode": {"kind": 7}})"},
      {"/routing/exceptionPolicies/ep9", R"({"exceptionRules": {"id": "r1"}})"},
      {"/routing/classificationPolicies/cp9", R"({"queueSelectorAttachments": [null]})"},
  };
  for (const auto& [path, text] : cases) {
    INFO("PATCH " << path << " " << text.substr(0, 80));
    Reply r = api.patchText(path, text);
    CHECK(r.status >= 400);
    CHECK(r.status < 500);
    CHECK(r.isJson());
  }
  CHECK(api.state() == before);
}
