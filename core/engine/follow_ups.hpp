// The work the service does right after a request, per job, as Engine::settle runs it: a job's next status step
// (created → queued, pendingClassification → classified, pendingSchedule → scheduled) and, for jobs just queued,
// the check of their queue's queueLength exception rules. Each job is taken once however often it was marked, in
// id order; length checks go before status steps (settle takes them first).
#pragma once

#include <optional>
#include <set>
#include <string>

namespace jr {

class FollowUps {
 public:
  // The job's status moves on at the next settle.
  void stepJob(const std::string& jobId) { steps_.insert(jobId); }
  // It does not any more (deleted, cancelled, or changed so that the step no longer applies).
  void dropStep(const std::string& jobId) { steps_.erase(jobId); }
  // The job was just queued where a queueLength exception rule applies.
  void checkQueueLength(const std::string& jobId) { lengthChecks_.insert(jobId); }

  bool empty() const { return steps_.empty() && lengthChecks_.empty(); }
  // The first job (in id order) whose length rules to check, no longer marked; nullopt when none is.
  std::optional<std::string> takeLengthCheck() { return takeFirst(lengthChecks_); }
  // The first job (in id order) whose status to move on, no longer marked; nullopt when none is.
  std::optional<std::string> takeStep() { return takeFirst(steps_); }

  // The jobs with a status step due, in id order (the state's "pendingJobs"; length checks never outlive a settle).
  const std::set<std::string>& steps() const { return steps_; }

 private:
  static std::optional<std::string> takeFirst(std::set<std::string>& ids) {
    if (ids.empty()) return std::nullopt;
    std::string id = *ids.begin();
    ids.erase(ids.begin());
    return id;
  }

  std::set<std::string> steps_;
  std::set<std::string> lengthChecks_;
};

}  // namespace jr
