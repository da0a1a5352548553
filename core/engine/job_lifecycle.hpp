// The job lifecycle as data: for each (status, command) pair, whether it is allowed and the status it leads to.
// Commands that need more than a status change (offers, classification) read the target from here too.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "core/model/job.hpp"

namespace jr {

// FailScheduling is no REST operation: the emulator's fault injection (Router::failScheduling).
enum class JobCommand { Cancel, Complete, Close, Unassign, Reclassify, Delete, FailScheduling };
constexpr int kJobCommandCount = 7;
const char* toString(JobCommand command);

struct JobTransition {
  bool allowed = false;
  std::optional<JobStatus> next;  // nullopt with allowed: the command decides (e.g. unassign) or removes the job
};

const JobTransition& jobTransition(JobStatus from, JobCommand command);
// Statuses from which `command` is allowed, comma separated (for error messages and docs).
std::string allowedStatuses(JobCommand command);
bool isTerminal(JobStatus status);        // closed, cancelled, classificationFailed, scheduleFailed: deletable
bool isActiveForReferences(JobStatus s);  // not closed or cancelled: blocks deleting its queue / policy

}  // namespace jr
