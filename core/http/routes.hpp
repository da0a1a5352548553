// The operations of Job Router 2023-11-01 and the route table that maps a method and path onto them.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/references.hpp"

namespace jr {

// One enumerator per operation, named as the OpenAPI operationId without its group, in the order of
// core/http/operations.inc (generated from scripts/api/operations.json by scripts/gen-api.mjs).
enum class Operation {
#define JR_OPERATION(name, method, route) name,
#include "core/http/operations.inc"
};

inline constexpr std::size_t kMaxIdCharacters = 256;

struct RouteMatch {
  // BadId: a path parameter longer than kMaxIdCharacters or holding a control character.
  enum class Outcome { Matched, NotFound, MethodNotAllowed, BadEncoding, BadId } outcome = Outcome::NotFound;
  Operation operation = Operation::GetJob;
  std::vector<std::string> params;  // decoded path parameters, in template order
};

// `path` is the raw (still percent-encoded) path without the query string.
RouteMatch matchRoute(const std::string& method, const std::string& path);

bool isUpsert(Operation op);  // a PATCH
bool isDelete(Operation op);  // a DELETE
// Whether the operation lists a collection: a GET of "/routing/<collection>" (Engine::list runs it).
bool isList(Operation op);

// The segment after "/routing/" of a kind's routes: "jobs" for Job.
constexpr std::string_view collectionName(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::ClassificationPolicy: return "classificationPolicies";
    case ResourceKind::DistributionPolicy: return "distributionPolicies";
    case ResourceKind::ExceptionPolicy: return "exceptionPolicies";
    case ResourceKind::Queue: return "queues";
    case ResourceKind::Worker: return "workers";
    case ResourceKind::Job: return "jobs";
  }
  return "";
}
// The kind of resource an operation addresses: the collection its route starts with ("/routing/jobs/…" is Job's).
ResourceKind resourceOf(Operation op);

// An operation's path with `params` in its template's parameters, in order, as given (not percent-encoded):
// operationPath(Operation::GetJob, {"j1"}) is "/routing/jobs/j1". The target of an error the facade answers for a
// call of its own (Router::explain, Router::failScheduling).
std::string operationPath(Operation op, std::initializer_list<std::string_view> params);

}  // namespace jr
