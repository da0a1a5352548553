// Upsert, get and delete of distribution, classification and exception policies.
#include "core/engine/engine.hpp"
#include "core/engine/job_lifecycle.hpp"
#include "core/engine/upsert.hpp"
#include "core/model/policies.hpp"

namespace jr {

Table<Json>& Engine::policyTable(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::DistributionPolicy: return distributionPolicies_;
    case ResourceKind::ClassificationPolicy: return classificationPolicies_;
    default: return exceptionPolicies_;
  }
}

Reply Engine::upsertPolicy(ResourceKind kind, const std::string& id, const CommandInput& in) {
  Table<Json>& table = policyTable(kind);
  return upsertResource(table, id, in, UpsertSteps{
      [](const Json& stored) { return stored; },
      [&](const Json& merged, const Json*) { return readPolicy(kind, merged); },
      [&](Json policy) {
        rematchPolicyQueues(kind, id);
        return createTimestamped(table, id, std::move(policy), policyReply);
      },
      [&](Record<Json>& stored, Json policy) {
        rematchPolicyQueues(kind, id);
        return updateTimestamped(stored, id, std::move(policy), policyReply);
      }});
}

Json Engine::readPolicy(ResourceKind kind, const Json& merged) {
  Issues issues;
  Prng trial = prng_;  // generated ids are committed only if the upsert succeeds
  Json canonical;
  switch (kind) {
    case ResourceKind::DistributionPolicy: canonical = normalizeDistributionPolicy(merged, issues); break;
    case ResourceKind::ClassificationPolicy:
      canonical = normalizeClassificationPolicy(merged, existsFn(), issues);
      break;
    default:
      canonical = normalizeExceptionPolicy(merged, existsFn(), [&trial] { return trial.guid(); }, issues);
      break;
  }
  issues.raiseIfAny();
  prng_ = trial;
  return canonical;
}

void Engine::rematchPolicyQueues(ResourceKind kind, const std::string& id) {
  if (kind != ResourceKind::DistributionPolicy) return;
  for (const auto& [seq, row] : queues_.rows()) {
    if (row.record.value.distributionPolicyId == id) dirtyQueues_.markQueue(row.id);
  }
}

Reply Engine::getPolicy(ResourceKind kind, const std::string& id) {
  const Record<Json>* record = policyTable(kind).find(id);
  if (!record) throwNotFound();
  return policyReply(Outcome::Done, id, *record);
}

Reply Engine::deletePolicy(ResourceKind kind, const std::string& id) {
  Table<Json>& table = policyTable(kind);
  if (!table.contains(id)) throwNotFound();
  if (kind == ResourceKind::DistributionPolicy) {
    for (const auto& [seq, row] : queues_.rows()) {
      if (row.record.value.distributionPolicyId == id) {
        throwBadRequest("QueueExistsWithDistributionPolicy", "There is a queue with this distribution policy");
      }
    }
  } else if (kind == ResourceKind::ExceptionPolicy) {
    for (const auto& [seq, row] : queues_.rows()) {
      if (row.record.value.exceptionPolicyId == id) {
        throwBadRequest("QueueExistsWithExceptionPolicy", "There is a queue with this exception policy");
      }
    }
  } else {
    for (const auto& [seq, row] : jobs_.rows()) {
      const Job& job = row.record.value;
      if (job.classificationPolicyId == id && isActiveForReferences(job.status)) {
        throwBadRequest("ActiveJobWithClassificationPolicyExist",
                         "There is active job with this classification policy");
      }
    }
  }
  table.erase(id);
  return noContentReply();
}

}  // namespace jr
