#include "core/http/routes.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

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

// One row of core/http/operations.inc.
struct OperationRow {
  Operation operation;
  const char* method;
  const char* route;  // "/routing/jobs/{jobId}/assignments/{assignmentId}:complete"
};

constexpr OperationRow kOperations[] = {
#define JR_OPERATION(name, method, route) {Operation::name, method, route},
#include "core/http/operations.inc"
};

// The segments and action of a route template: "{name}" -> "{}", a ':' in the last segment starts the action.
std::pair<std::vector<std::string>, std::string> parseTemplate(const std::string& route) {
  std::vector<std::string> segments;
  std::string action;
  std::size_t start = 1;  // after the leading '/'
  while (start <= route.size()) {
    std::size_t end = route.find('/', start);
    if (end == std::string::npos) end = route.size();
    std::string segment = route.substr(start, end - start);
    if (end == route.size()) {
      if (const auto colon = segment.rfind(':'); colon != std::string::npos && segment.find('}') < colon) {
        action = segment.substr(colon + 1);
        segment.resize(colon);
      }
    }
    segments.push_back(!segment.empty() && segment.front() == '{' && segment.back() == '}' ? "{}" : segment);
    start = end + 1;
  }
  return {segments, action};
}

const std::vector<Route>& routeTable() {
  static const std::vector<Route> routes = [] {
    std::vector<Route> r;
    for (const OperationRow& row : kOperations) {
      const auto parsed = parseTemplate(row.route);
      auto same = [&](const Route& route) { return route.segments == parsed.first && route.action == parsed.second; };
      auto found = std::find_if(r.begin(), r.end(), same);
      if (found == r.end()) found = r.insert(r.end(), Route{parsed.first, parsed.second, {}});
      found->methods.emplace_back(row.method, row.operation);
    }
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
  for (const OperationRow& row : kOperations) {
    if (row.operation == op) return std::string_view(row.method) == "PATCH";
  }
  return false;
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
