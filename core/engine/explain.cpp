// Why each worker may or may not be offered a job (RouterEmulator.explain): the matching rules of matching.cpp,
// asked of every worker in creation order. A debugging aid off the request path (compiled for size).
#include "core/engine/engine.hpp"

namespace jr {

Json Engine::explain(const std::string& jobId) {
  const Record<Job>* job = jobs_.find(jobId);
  if (!job) throwNotFound();
  bool bypass = false;
  if (job->value.queueId) {
    if (const Record<Queue>* q = queues_.find(*job->value.queueId)) {
      if (const Record<Json>* p = distributionPolicies_.find(q->value.distributionPolicyId)) {
        bypass = readDistribution(p->value).bypassSelectors;
      }
    }
  }
  Json workers = Json::array();
  for (const auto& [seq, row] : workers_.rows()) {
    const std::string& id = row.id;
    const Worker& w = row.record.value;
    Json item = {{"workerId", id}};
    bool holds = false;
    for (const auto& ref : job->value.activeOffers) holds = holds || ref.workerId == id;
    for (const auto& a : w.assignedJobs) holds = holds || a.jobId == jobId;
    const Eligibility e = eligibility(jobId, job->value, id, w, bypass);
    if (holds) {
      item["eligible"] = false;
      item["code"] = "AlreadyOffered";
      item["reason"] = "The worker holds an offer or an assignment for this job.";
    } else if (e.code.empty()) {
      item["eligible"] = job->value.status == JobStatus::Queued;
      if (job->value.status != JobStatus::Queued) {
        item["code"] = "JobNotQueued";
        item["reason"] = std::string("The job is ") + toString(job->value.status) + ", not queued.";
      }
    } else {
      item["eligible"] = false;
      item["code"] = e.code;
      item["reason"] = e.message;
    }
    workers.push_back(item);
  }
  Json out = Json::object();
  out["jobId"] = jobId;
  out["status"] = toString(job->value.status);
  if (job->value.queueId) out["queueId"] = *job->value.queueId;
  out["workers"] = workers;
  return out;
}

}  // namespace jr
