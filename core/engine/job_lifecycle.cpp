#include "core/engine/job_lifecycle.hpp"

namespace jr {
namespace {

using S = JobStatus;
constexpr JobTransition no{false, std::nullopt};
constexpr JobTransition to(S next) { return {true, next}; }
constexpr JobTransition decided{true, std::nullopt};

// Rows: statuses in enum order. Columns: Cancel, Complete, Close, Unassign, Reclassify, Delete.
constexpr std::array<std::array<JobTransition, kJobCommandCount>, kJobStatusCount> kTable = {{
    /* pendingClassification */ {to(S::Cancelled), no, no, no, to(S::PendingClassification), no},
    /* queued                */ {to(S::Cancelled), no, no, no, to(S::PendingClassification), no},
    /* assigned              */ {no, to(S::Completed), no, decided, no, no},
    /* completed             */ {no, no, to(S::Closed), no, no, no},
    /* closed                */ {no, no, no, no, no, decided},
    /* cancelled             */ {no, no, no, no, no, decided},
    /* classificationFailed  */ {to(S::Cancelled), no, no, no, to(S::PendingClassification), decided},
    /* created               */ {to(S::Cancelled), no, no, no, to(S::PendingClassification), no},
    /* pendingSchedule       */ {to(S::Cancelled), no, no, no, no, no},
    /* scheduled             */ {to(S::Cancelled), no, no, no, no, no},
    /* scheduleFailed        */ {to(S::Cancelled), no, no, no, no, no},
    /* waitingForActivation  */ {to(S::Cancelled), no, no, no, to(S::PendingClassification), no},
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
