// RouterLimits: past a count or stored-bytes limit a write answers 507 EmulatorLimitExceeded in the configured
// error shape, says which limit and how to raise it, and changes nothing; deletes and reads keep working.
#include "test-support.hpp"

using namespace jrtest;

namespace {

jr::RouterOptions withLimits(jr::RouterLimits limits) {
  jr::RouterOptions options;
  options.limits = limits;
  return options;
}

jr::RouterLimits noLimits() { return {0, 0, 0, 0, 0}; }

void checkLimitError(const Reply& r, const std::string& target, const std::string& mentions) {
  CHECK_STATUS(r, 507);
  const json b = r.body();
  REQUIRE(b.contains("communicationError"));
  CHECK(b["communicationError"]["code"] == "EmulatorLimitExceeded");
  CHECK(b["communicationError"]["target"] == target);
  const std::string message = b["communicationError"]["message"];
  INFO(message);
  CHECK(contains(message, mentions));
  CHECK(contains(message, "raise the limit"));
}

}  // namespace

TEST_CASE("limits: the defaults", "[limits]") {
  const jr::RouterLimits d;
  CHECK(d.storedBytes == 256ULL * 1024 * 1024);
  CHECK(d.jobs == 250'000);
  CHECK(d.workers == 50'000);
  CHECK(d.queues == 10'000);
  CHECK(d.policies == 10'000);
}

TEST_CASE("limits: a count limit refuses the next create and changes nothing", "[limits]") {
  jr::RouterLimits limits = noLimits();
  limits.jobs = 2;
  limits.queues = 1;
  limits.workers = 1;
  limits.policies = 1;
  Api api(withLimits(limits));
  CHECK_STATUS(api.patch("/routing/distributionPolicies/dp1",
                         R"({"offerExpiresAfterSeconds":60,"mode":{"kind":"longestIdle"}})"_json), 201);
  CHECK_STATUS(api.patch("/routing/queues/q1", R"({"distributionPolicyId":"dp1"})"_json), 201);
  CHECK_STATUS(api.patch("/routing/workers/w1", R"({"capacity":1,"queues":["q1"]})"_json), 201);
  CHECK_STATUS(api.patch("/routing/jobs/j1", R"({"channelId":"voice","queueId":"q1"})"_json), 201);
  CHECK_STATUS(api.patch("/routing/jobs/j2", R"({"channelId":"voice","queueId":"q1"})"_json), 201);
  api.router.drainEvents();
  const std::string before = api.state();

  checkLimitError(api.patch("/routing/jobs/j3", R"({"channelId":"voice","queueId":"q1"})"_json), "/routing/jobs/j3",
                  "limit of 2 jobs is reached (limits.jobs)");
  checkLimitError(api.patch("/routing/queues/q2", R"({"distributionPolicyId":"dp1"})"_json), "/routing/queues/q2",
                  "limit of 1 queues");
  checkLimitError(api.patch("/routing/workers/w2", R"({"capacity":1})"_json), "/routing/workers/w2",
                  "--max-workers");
  // Policies count per kind: one distribution policy exists, so a second is refused, a first classification one not.
  checkLimitError(api.patch("/routing/distributionPolicies/dp2",
                            R"({"offerExpiresAfterSeconds":60,"mode":{"kind":"longestIdle"}})"_json),
                  "/routing/distributionPolicies/dp2", "limit of 1 distribution policies");
  CHECK(api.state() == before);
  CHECK(api.router.drainEvents() == "[]");

  // Updating an existing resource is not a create.
  CHECK_STATUS(api.patch("/routing/jobs/j1", R"({"priority":5})"_json), 200);
  CHECK_STATUS(api.patch("/routing/classificationPolicies/cp1", R"({"name":"c"})"_json), 201);
  // A delete frees a place.
  CHECK_STATUS(api.post("/routing/jobs/j2:cancel", json::object()), 200);
  CHECK_STATUS(api.del("/routing/jobs/j2"), 204);
  CHECK_STATUS(api.patch("/routing/jobs/j3", R"({"channelId":"voice","queueId":"q1"})"_json), 201);
}

TEST_CASE("limits: the stored-bytes limit counts the resources' JSON and refuses what would pass it", "[limits]") {
  jr::RouterLimits limits = noLimits();
  limits.storedBytes = 4000;
  Api api(withLimits(limits));
  CHECK(api.router.storedBytes() == 0);
  const Reply q = api.patch("/routing/queues/q1", R"({"distributionPolicyId":"dp1"})"_json);
  // A queue may name a distribution policy that does not exist yet? Either answer, the count follows the store.
  if (q.status == 201) CHECK(api.router.storedBytes() == q.text.size());
  CHECK_STATUS(api.patch("/routing/distributionPolicies/dp1",
                         R"({"offerExpiresAfterSeconds":60,"mode":{"kind":"longestIdle"}})"_json), 201);
  CHECK_STATUS(api.patch("/routing/queues/q1", R"({"distributionPolicyId":"dp1"})"_json),
               q.status == 201 ? 200 : 201);
  const std::uint64_t base = api.router.storedBytes();
  CHECK(base > 0);

  const std::string big(1500, 'x');
  const Reply first = api.patch("/routing/jobs/j1", json{{"channelId", "voice"}, {"queueId", "q1"},
                                                         {"labels", {{"text", big}}}});
  CHECK_STATUS(first, 201);
  const std::uint64_t afterFirst = api.router.storedBytes();
  CHECK(afterFirst > base + 1500);
  api.router.drainEvents();
  const std::string before = api.state();

  checkLimitError(api.patch("/routing/jobs/j2", json{{"channelId", "voice"}, {"queueId", "q1"},
                                                     {"labels", {{"text", big + big}}}}),
                  "/routing/jobs/j2", "limit of 4000 stored bytes (limits.storedBytes");
  CHECK(api.state() == before);
  CHECK(api.router.storedBytes() == afterFirst);
  CHECK(api.router.drainEvents() == "[]");

  // Reads and deletes still work; a delete gives the bytes back.
  CHECK_STATUS(api.get("/routing/jobs/j1"), 200);
  CHECK_STATUS(api.post("/routing/jobs/j1:cancel", json::object()), 200);
  CHECK_STATUS(api.del("/routing/jobs/j1"), 204);
  CHECK(api.router.storedBytes() == base);
  CHECK_STATUS(api.patch("/routing/jobs/j2", json{{"channelId", "voice"}, {"queueId", "q1"},
                                                  {"labels", {{"text", big + big}}}}), 201);
}

TEST_CASE("limits: the spec error shape carries the limit code in x-ms-error-code", "[limits]") {
  jr::RouterOptions options = withLimits(noLimits());
  options.limits.workers = 0;
  options.limits.queues = 1;
  options.errorShape = jr::ErrorShape::Spec;
  Api api(options);
  CHECK_STATUS(api.patch("/routing/distributionPolicies/dp1",
                         R"({"offerExpiresAfterSeconds":60,"mode":{"kind":"longestIdle"}})"_json), 201);
  CHECK_STATUS(api.patch("/routing/queues/q1", R"({"distributionPolicyId":"dp1"})"_json), 201);
  const Reply r = api.patch("/routing/queues/q2", R"({"distributionPolicyId":"dp1"})"_json);
  CHECK_STATUS(r, 507);
  CHECK(r.header("x-ms-error-code") == "EmulatorLimitExceeded");
  CHECK(r.body()["error"]["code"] == "EmulatorLimitExceeded");
}

TEST_CASE("limits: an import recounts the stored bytes and keeps a state past the limits", "[limits]") {
  Api full;
  CHECK_STATUS(full.patch("/routing/distributionPolicies/dp1",
                          R"({"offerExpiresAfterSeconds":60,"mode":{"kind":"longestIdle"}})"_json), 201);
  CHECK_STATUS(full.patch("/routing/queues/q1", R"({"distributionPolicyId":"dp1"})"_json), 201);
  CHECK_STATUS(full.patch("/routing/jobs/j1", R"({"channelId":"voice","queueId":"q1"})"_json), 201);
  CHECK_STATUS(full.patch("/routing/jobs/j2", R"({"channelId":"voice","queueId":"q1"})"_json), 201);
  const std::string state = full.state();
  CHECK(full.router.storedBytes() > 0);

  jr::RouterLimits limits = noLimits();
  limits.jobs = 1;
  Api small(withLimits(limits));
  REQUIRE(small.router.importState(state));
  CHECK(small.router.storedBytes() > 0);
  CHECK(small.state() == state);
  checkLimitError(small.patch("/routing/jobs/j3", R"({"channelId":"voice","queueId":"q1"})"_json), "/routing/jobs/j3",
                  "limit of 1 jobs");
  CHECK_STATUS(small.patch("/routing/jobs/j1", R"({"priority":2})"_json), 200);
  small.router.reset();
  CHECK(small.router.storedBytes() == 0);
}
