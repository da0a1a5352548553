// Cross-resource references that an upsert checks (a queue's distribution policy, a job's queue, …).
#pragma once

#include <functional>
#include <string>

#include "core/model/field_reader.hpp"

namespace jr {

enum class ResourceKind { DistributionPolicy, ClassificationPolicy, ExceptionPolicy, Queue, Worker, Job };

using ExistsFn = std::function<bool(ResourceKind, const std::string&)>;

inline const char* displayName(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::DistributionPolicy: return "Distribution policy";
    case ResourceKind::ClassificationPolicy: return "Classification policy";
    case ResourceKind::ExceptionPolicy: return "Exception policy";
    case ResourceKind::Queue: return "Queue";
    case ResourceKind::Worker: return "Worker";
    case ResourceKind::Job: return "Job";
  }
  return "Resource";
}

inline void checkReference(const ExistsFn& exists, ResourceKind kind, const std::string& id,
                           const std::string& path, Issues& issues) {
  if (!exists(kind, id)) {
    issues.add("ReferencedResourceNotFound",
               std::string(displayName(kind)) + " with id '" + id + "' was not found.", path);
  }
}

}  // namespace jr
