#include "core/engine/job_lifecycle.hpp"

namespace jr {
namespace {

using S = JobStatus;
constexpr JobTransition no{false, std::nullopt};
constexpr JobTransition to(S next) { return {true, next}; }
constexpr JobTransition decided{true, std::nullopt};

// Rows: statuses in enum order. Columns: Cancel, Complete, Close, Unassign, Reclassify, Delete, FailScheduling.
// scheduleFailed is a failure the application resolves, like classificationFailed: it may cancel or delete the
// job, or PATCH its matchingMode to activate or schedule it again (job_commands.cpp).
constexpr std::array<std::array<JobTransition, kJobCommandCount>, kJobStatusCount> kTable = {{
    /* pendingClassification */ {to(S::Cancelled), no, no, no, to(S::PendingClassification), no, no},
    /* queued                */ {to(S::Cancelled), no, no, no, to(S::PendingClassification), no, no},
    /* assigned              */ {no, to(S::Completed), no, decided, no, no, no},
    /* completed             */ {no, no, to(S::Closed), no, no, no, no},
    /* closed                */ {no, no, no, no, no, decided, no},
    /* cancelled             */ {no, no, no, no, no, decided, no},
    /* classificationFailed  */ {to(S::Cancelled), no, no, no, to(S::PendingClassification), decided, no},
    /* created               */ {to(S::Cancelled), no, no, no, to(S::PendingClassification), no, no},
    /* pendingSchedule       */ {to(S::Cancelled), no, no, no, no, no, to(S::ScheduleFailed)},
    /* scheduled             */ {to(S::Cancelled), no, no, no, no, no, to(S::ScheduleFailed)},
    /* scheduleFailed        */ {to(S::Cancelled), no, no, no, no, decided, no},
    /* waitingForActivation  */ {to(S::Cancelled), no, no, no, to(S::PendingClassification), no, no},
}};

}  // namespace

const char* toString(JobCommand command) {
  switch (command) {
    case JobCommand::Cancel: return "cancel";
    case JobCommand::Complete: return "complete";
    case JobCommand::Close: return "close";
    case JobCommand::Unassign: return "unassign";
    case JobCommand::Reclassify: return "reclassify";
    case JobCommand::Delete: return "delete";
    case JobCommand::FailScheduling: return "failScheduling";
  }
  return "";
}

const JobTransition& jobTransition(JobStatus from, JobCommand command) {
  return kTable[static_cast<int>(from)][static_cast<int>(command)];
}

std::string allowedStatuses(JobCommand command) {
  std::string out;
  for (int s = 0; s < kJobStatusCount; ++s) {
    if (kTable[s][static_cast<int>(command)].allowed) {
      out += (out.empty() ? "" : ", ") + std::string(toString(static_cast<JobStatus>(s)));
    }
  }
  return out;
}

bool isTerminal(JobStatus status) { return jobTransition(status, JobCommand::Delete).allowed; }

bool isActiveForReferences(JobStatus s) { return s != JobStatus::Closed && s != JobStatus::Cancelled; }

}  // namespace jr
