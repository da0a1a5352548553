// The job lifecycle table, every (status, command) pair: an expectation written out independently here is
// compared with the core's table, and the reachable statuses are driven through the request handler.
#include "test-support.hpp"

#include "core/engine/job_lifecycle.hpp"

using namespace jrtest;
using jr::JobCommand;
using jr::JobStatus;

namespace {

// "-" not allowed; "=" allowed and decided by the command; otherwise the next status.
struct Row {
  JobStatus status;
  const char* cancel;
  const char* complete;
  const char* close;
  const char* unassign;
  const char* reclassify;
  const char* del;
  const char* failScheduling;  // the emulator's fault injection
};

const Row kExpected[] = {
    {JobStatus::PendingClassification, "cancelled", "-", "-", "-", "pendingClassification", "-", "-"},
    {JobStatus::Queued, "cancelled", "-", "-", "-", "pendingClassification", "-", "-"},
    {JobStatus::Assigned, "-", "completed", "-", "=", "-", "-", "-"},
    {JobStatus::Completed, "-", "-", "closed", "-", "-", "-", "-"},
    {JobStatus::Closed, "-", "-", "-", "-", "-", "=", "-"},
    {JobStatus::Cancelled, "-", "-", "-", "-", "-", "=", "-"},
    {JobStatus::ClassificationFailed, "cancelled", "-", "-", "-", "pendingClassification", "=", "-"},
    {JobStatus::Created, "cancelled", "-", "-", "-", "pendingClassification", "-", "-"},
    {JobStatus::PendingSchedule, "cancelled", "-", "-", "-", "-", "-", "scheduleFailed"},
    {JobStatus::Scheduled, "cancelled", "-", "-", "-", "-", "-", "scheduleFailed"},
    {JobStatus::ScheduleFailed, "cancelled", "-", "-", "-", "-", "=", "-"},
    {JobStatus::WaitingForActivation, "cancelled", "-", "-", "-", "pendingClassification", "-", "-"},
};

std::string describe(const jr::JobTransition& t) {
  if (!t.allowed) return "-";
  if (!t.next) return "=";
  return jr::toString(*t.next);
}

}  // namespace

TEST_CASE("lifecycle: the table has the expected outcome for every (status, command) pair", "[lifecycle]") {
  REQUIRE(std::size(kExpected) == static_cast<std::size_t>(jr::kJobStatusCount));
  for (const Row& row : kExpected) {
    const std::pair<JobCommand, const char*> cells[] = {
        {JobCommand::Cancel, row.cancel},     {JobCommand::Complete, row.complete},
        {JobCommand::Close, row.close},       {JobCommand::Unassign, row.unassign},
        {JobCommand::Reclassify, row.reclassify}, {JobCommand::Delete, row.del},
        {JobCommand::FailScheduling, row.failScheduling}};
    for (const auto& [command, expected] : cells) {
      INFO(jr::toString(row.status) << " x " << jr::toString(command));
      CHECK(describe(jr::jobTransition(row.status, command)) == expected);
    }
  }
  CHECK(jr::isTerminal(JobStatus::Closed));
  CHECK(jr::isTerminal(JobStatus::Cancelled));
  CHECK(jr::isTerminal(JobStatus::ClassificationFailed));
  CHECK(jr::isTerminal(JobStatus::ScheduleFailed));
  CHECK_FALSE(jr::isTerminal(JobStatus::Queued));
  CHECK(jr::allowedStatuses(JobCommand::Complete) == "assigned");
  CHECK(jr::allowedStatuses(JobCommand::FailScheduling) == "pendingSchedule, scheduled");
}

namespace {

// Puts a job "j1" into `status` through the API (for the statuses a client can reach without failures).
void reach(Api& api, const std::string& status, std::string& assignmentId) {
  api.queue("q1");
  const json worker = R"({"capacity": 1, "queues": ["q1"], "availableForOffers": true,
                          "channels": [{"channelId": "voice", "capacityCostPerJob": 1}]})"_json;
  if (status == "waitingForActivation") {
    api.job("j1", "q1", R"({"matchingMode": {"kind": "suspend"}})"_json);
  } else if (status == "scheduled") {
    api.job("j1", "q1", R"({"matchingMode": {"kind": "scheduleAndSuspend", "scheduleAt": "2030-01-01T00:00:00Z"}})"_json);
  } else if (status == "scheduleFailed") {
    api.job("j1", "q1", R"({"matchingMode": {"kind": "scheduleAndSuspend", "scheduleAt": "2030-01-01T00:00:00Z"}})"_json);
    REQUIRE(api.router.failScheduling("j1", "injected").status == 200);
  } else if (status == "classificationFailed") {
    api.classificationPolicy("cp1", R"({"queueSelectorAttachments": [{"kind": "static", "queueSelector": {"key": "Id", "labelOperator": "equal", "value": "none"}}]})"_json);
    api.upsert("/routing/jobs/j1", R"({"channelId": "voice", "classificationPolicyId": "cp1"})"_json);
  } else {
    api.job("j1");
    if (status != "queued") {
      api.upsert("/routing/workers/w1", worker);
      const std::string offerId = api.fetch("/routing/workers/w1")["offers"][0]["offerId"];
      assignmentId = api.post("/routing/workers/w1/offers/" + offerId + ":accept").body()["assignmentId"];
      if (status == "completed" || status == "closed") {
        REQUIRE(api.post("/routing/jobs/j1/assignments/" + assignmentId + ":complete").status == 200);
      }
      if (status == "closed") REQUIRE(api.post("/routing/jobs/j1/assignments/" + assignmentId + ":close").status == 200);
    }
  }
  REQUIRE(api.fetch("/routing/jobs/j1")["status"] == status);
}

}  // namespace

TEST_CASE("lifecycle: commands on reachable statuses answer per the table, and refusals change nothing", "[lifecycle]") {
  const char* statuses[] = {"queued", "assigned", "completed", "closed", "waitingForActivation", "scheduled",
                            "classificationFailed", "scheduleFailed"};
  const char* commands[] = {"cancel", "complete", "close", "unassign", "delete"};
  for (const char* status : statuses) {
    for (const char* command : commands) {
      Api api;
      std::string assignmentId = "a-unknown";
      reach(api, status, assignmentId);
      const std::string before = api.state();
      Reply r;
      const std::string c = command;
      if (c == "cancel") r = api.post("/routing/jobs/j1:cancel");
      else if (c == "delete") r = api.del("/routing/jobs/j1");
      else r = api.post("/routing/jobs/j1/assignments/" + assignmentId + ":" + c);

      const JobStatus from = *jr::jobStatusFromName(status);
      const JobCommand cmd = c == "cancel" ? JobCommand::Cancel : c == "complete" ? JobCommand::Complete
                             : c == "close" ? JobCommand::Close : c == "unassign" ? JobCommand::Unassign
                                                                : JobCommand::Delete;
      const bool allowed = jr::jobTransition(from, cmd).allowed;
      const bool hasAssignment = assignmentId != "a-unknown";
      INFO(status << " x " << command << " -> " << r.status << " " << r.text);
      if (allowed) {
        CHECK((r.status == 200 || r.status == 204));
      } else if (c != "cancel" && c != "delete" && !hasAssignment) {
        CHECK(r.status == 404);  // no such assignment on this job
        CHECK(api.state() == before);
      } else if (c == "delete") {
        checkError(r, 400, "BadRequest");
        CHECK(hasDetailCode(r, "JobNotInTerminalState"));
        CHECK(api.state() == before);
      } else {
        checkError(r, 409, "Conflict");
        CHECK(api.state() == before);
      }
    }
  }
}
