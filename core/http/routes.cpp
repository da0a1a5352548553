#include "core/http/routes.hpp"

#include <array>
#include <optional>

#include "core/util/url.hpp"

namespace jr {
namespace {

// One route: a template of literal segments and parameters ("{}"), an optional ":action" on the last
// segment, and the operation per method.
struct Route {
  std::vector<std::string> segments;  // "{}" marks a parameter
  std::string action;                 // "" when none
  std::vector<std::pair<std::string, Operation>> methods;
};

const std::vector<Route>& routeTable() {
  using O = Operation;
  static const std::vector<Route> routes = [] {
    std::vector<Route> r;
    const std::array<std::pair<const char*, std::array<O, 4>>, 6> collections = {{
        {"classificationPolicies", {O::ListClassificationPolicies, O::GetClassificationPolicy,
                                    O::UpsertClassificationPolicy, O::DeleteClassificationPolicy}},
        {"distributionPolicies", {O::ListDistributionPolicies, O::GetDistributionPolicy,
                                  O::UpsertDistributionPolicy, O::DeleteDistributionPolicy}},
        {"exceptionPolicies", {O::ListExceptionPolicies, O::GetExceptionPolicy, O::UpsertExceptionPolicy,
                               O::DeleteExceptionPolicy}},
        {"queues", {O::ListQueues, O::GetQueue, O::UpsertQueue, O::DeleteQueue}},
        {"workers", {O::ListWorkers, O::GetWorker, O::UpsertWorker, O::DeleteWorker}},
        {"jobs", {O::ListJobs, O::GetJob, O::UpsertJob, O::DeleteJob}},
    }};
    for (const auto& [name, ops] : collections) {
      r.push_back({{"routing", name}, "", {{"GET", ops[0]}}});
      r.push_back({{"routing", name, "{}"}, "", {{"GET", ops[1]}, {"PATCH", ops[2]}, {"DELETE", ops[3]}}});
    }
    r.push_back({{"routing", "queues", "{}", "statistics"}, "", {{"GET", O::GetQueueStatistics}}});
    r.push_back({{"routing", "jobs", "{}"}, "reclassify", {{"POST", O::ReclassifyJob}}});
    r.push_back({{"routing", "jobs", "{}"}, "cancel", {{"POST", O::CancelJob}}});
    r.push_back({{"routing", "jobs", "{}", "assignments", "{}"}, "complete", {{"POST", O::CompleteJob}}});
    r.push_back({{"routing", "jobs", "{}", "assignments", "{}"}, "close", {{"POST", O::CloseJob}}});
    r.push_back({{"routing", "jobs", "{}", "assignments", "{}"}, "unassign", {{"POST", O::UnassignJob}}});
    r.push_back({{"routing", "jobs", "{}", "position"}, "", {{"GET", O::GetInQueuePosition}}});
    r.push_back({{"routing", "workers", "{}", "offers", "{}"}, "accept", {{"POST", O::AcceptJobOffer}}});
    r.push_back({{"routing", "workers", "{}", "offers", "{}"}, "decline", {{"POST", O::DeclineJobOffer}}});
    return r;
  }();
  return routes;
}

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = path.empty() || path[0] != '/' ? 0 : 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  if (!parts.empty() && parts.back().empty()) parts.pop_back();  // tolerate a trailing slash
  return parts;
}

// At most kMaxIdCharacters characters (code points of the UTF-8 text), none of them a control character.
bool isAcceptableId(const std::string& id) {
  std::size_t characters = 0;
  for (unsigned char c : id) {
    if (c < 0x20 || c == 0x7F) return false;
    if ((c & 0xC0) != 0x80) ++characters;
  }
  return characters <= kMaxIdCharacters;
}

}  // namespace

bool isUpsert(Operation op) {
  return op == Operation::UpsertClassificationPolicy || op == Operation::UpsertDistributionPolicy ||
         op == Operation::UpsertExceptionPolicy || op == Operation::UpsertQueue || op == Operation::UpsertWorker ||
         op == Operation::UpsertJob;
}

RouteMatch matchRoute(const std::string& method, const std::string& path) {
  RouteMatch result;
  const std::vector<std::string> raw = splitPath(path);
  if (raw.empty()) return result;
  // A raw ':' in the last segment introduces an action. An id that itself contains a raw ':' is tried
  // as a plain id when no action route matches.
  std::vector<std::pair<std::string, std::string>> candidates;  // (last segment, action)
  if (const auto colon = raw.back().rfind(':'); colon != std::string::npos) {
    candidates.emplace_back(raw.back().substr(0, colon), raw.back().substr(colon + 1));
  }
  candidates.emplace_back(raw.back(), "");
  bool pathMatched = false;
  for (const auto& [last, action] : candidates) {
    for (const Route& route : routeTable()) {
      if (route.segments.size() != raw.size() || route.action != action) continue;
      std::vector<std::string> params;
      bool ok = true;
      for (std::size_t i = 0; i < raw.size() && ok; ++i) {
        const std::string& segment = i + 1 == raw.size() ? last : raw[i];
        if (route.segments[i] == "{}") {
          const auto decoded = percentDecode(segment, false);
          if (!decoded) {
            result.outcome = RouteMatch::Outcome::BadEncoding;
            return result;
          }
          if (decoded->empty()) ok = false;
          if (!isAcceptableId(*decoded)) {
            result.outcome = RouteMatch::Outcome::BadId;
            return result;
          }
          params.push_back(*decoded);
        } else if (route.segments[i] != segment) {
          ok = false;
        }
      }
      if (!ok) continue;
      pathMatched = true;
      for (const auto& [m, op] : route.methods) {
        if (m == method) {
          result.outcome = RouteMatch::Outcome::Matched;
          result.operation = op;
          result.params = std::move(params);
          return result;
        }
      }
    }
    if (pathMatched) break;
  }
  result.outcome = pathMatched ? RouteMatch::Outcome::MethodNotAllowed : RouteMatch::Outcome::NotFound;
  return result;
}

}  // namespace jr
