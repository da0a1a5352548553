#include "core/http/routes.hpp"

#include <array>
#include <optional>
#include <string_view>

#include "core/util/url.hpp"

namespace jr {
namespace {

// The longest route template has this many segments; a path with more matches none.
constexpr std::size_t kMaxSegments = 5;

// One route: a template of literal segments and parameters ("{}"), an optional ":action" on the last
// segment, and the operation per method. Built once from core/http/operations.inc; views into its literals.
struct Route {
  std::array<std::string_view, kMaxSegments> segments{};  // "{}" marks a parameter
  std::size_t segmentCount = 0;
  std::string_view action;  // "" when none
  std::array<std::pair<std::string_view, Operation>, 4> methods{};
  std::size_t methodCount = 0;
};

// One row of core/http/operations.inc.
struct OperationRow {
  Operation operation;
  std::string_view method;
  std::string_view route;  // "/routing/jobs/{jobId}/assignments/{assignmentId}:complete"
};

constexpr OperationRow kOperations[] = {
#define JR_OPERATION(name, method, route) {Operation::name, method, route},
#include "core/http/operations.inc"
};

// Row i is the operation whose enumerator is i (operationPath looks rows up so).
constexpr bool rowsInOperationOrder() {
  for (std::size_t i = 0; i < std::size(kOperations); ++i) {
    if (static_cast<std::size_t>(kOperations[i].operation) != i) return false;
  }
  return true;
}
static_assert(rowsInOperationOrder(), "core/http/operations.inc lists each operation once, in enumerator order");

// The collection a route starts with: "/routing/jobs/{jobId}:cancel" -> "jobs".
constexpr std::string_view collectionOf(std::string_view route) {
  const std::size_t start = route.find('/', 1) + 1;
  const std::size_t end = route.find_first_of("/:", start);
  return route.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

// The kind whose collectionName is `collection`; nullopt for none.
constexpr std::optional<ResourceKind> kindOfCollection(std::string_view collection) {
  for (int k = 0; k <= static_cast<int>(ResourceKind::Job); ++k) {
    if (collectionName(static_cast<ResourceKind>(k)) == collection) return static_cast<ResourceKind>(k);
  }
  return std::nullopt;
}

constexpr bool everyRouteAddressesACollection() {
  for (const OperationRow& row : kOperations) {
    if (row.route.substr(0, 9) != "/routing/" || !kindOfCollection(collectionOf(row.route))) return false;
  }
  return true;
}
static_assert(everyRouteAddressesACollection(), "every route starts with /routing/ and a resource kind's collection");

constexpr std::string_view kParameter = "{}";

// The segments and action of a route template: "{name}" -> "{}", a ':' in the last segment starts the action.
Route parseTemplate(std::string_view route) {
  Route r;
  std::size_t start = 1;  // after the leading '/'
  while (start <= route.size() && r.segmentCount < kMaxSegments) {
    std::size_t end = route.find('/', start);
    if (end == std::string_view::npos) end = route.size();
    std::string_view segment = route.substr(start, end - start);
    if (end == route.size()) {
      if (const auto colon = segment.rfind(':'); colon != std::string_view::npos && segment.find('}') < colon) {
        r.action = segment.substr(colon + 1);
        segment = segment.substr(0, colon);
      }
    }
    r.segments[r.segmentCount++] =
        !segment.empty() && segment.front() == '{' && segment.back() == '}' ? kParameter : segment;
    start = end + 1;
  }
  return r;
}

bool sameTemplate(const Route& a, const Route& b) {
  if (a.segmentCount != b.segmentCount || a.action != b.action) return false;
  for (std::size_t i = 0; i < a.segmentCount; ++i) {
    if (a.segments[i] != b.segments[i]) return false;
  }
  return true;
}

struct RouteTable {
  std::array<Route, std::size(kOperations)> routes{};
  std::size_t count = 0;
};

// The routes in order of first appearance in core/http/operations.inc, one per template.
const RouteTable& routeTable() {
  static const RouteTable table = [] {
    RouteTable t;
    for (const OperationRow& row : kOperations) {
      const Route parsed = parseTemplate(row.route);
      std::size_t at = 0;
      while (at < t.count && !sameTemplate(t.routes[at], parsed)) ++at;
      if (at == t.count) t.routes[t.count++] = parsed;
      Route& route = t.routes[at];
      if (route.methodCount < route.methods.size()) route.methods[route.methodCount++] = {row.method, row.operation};
    }
    return t;
  }();
  return table;
}

// The segments of a path, a trailing slash tolerated; false when there are more than any route has.
struct Segments {
  std::array<std::string_view, kMaxSegments> parts{};
  std::size_t count = 0;
};

bool splitPath(std::string_view path, Segments& out) {
  std::size_t start = path.empty() || path[0] != '/' ? 0 : 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    // A part past the last one a route has: only an empty last part (a trailing slash) is tolerated.
    if (out.count == kMaxSegments) return end == path.size() && start == end;
    out.parts[out.count++] = path.substr(start, end - start);
    start = end + 1;
  }
  if (out.count > 0 && out.parts[out.count - 1].empty()) --out.count;  // tolerate a trailing slash
  return true;
}

// At most kMaxIdCharacters characters (code points of the UTF-8 text), none of them a control character.
bool isAcceptableId(std::string_view id) {
  std::size_t characters = 0;
  for (unsigned char c : id) {
    if (c < 0x20 || c == 0x7F) return false;
    if ((c & 0xC0) != 0x80) ++characters;
  }
  return characters <= kMaxIdCharacters;
}

// Printable ASCII with no escape: decodes to itself (percentDecode's UTF-8 check passes on ASCII), one character a
// byte, no control character. Scanned without an early exit, which the compiler can do several bytes at a time.
bool isPlainId(std::string_view segment) {
  unsigned bad = 0;
  for (const char ch : segment) {
    const auto c = static_cast<unsigned char>(ch);
    bad |= static_cast<unsigned>(c < 0x20) | static_cast<unsigned>(c >= 0x7F) | static_cast<unsigned>(c == '%');
  }
  return bad == 0;
}

enum class SegmentsOutcome { Matched, Mismatch, BadEncoding, BadId };

// Compares the path's segments (the last one without its action) with a route's template, in order, decoding the
// parameters into `params`; a parameter that cannot be decoded or is not an acceptable id ends the match.
SegmentsOutcome matchSegments(const Route& route, const Segments& raw, std::string_view last,
                              std::vector<std::string>& params) {
  params.clear();
  for (std::size_t i = 0; i < raw.count; ++i) {
    const std::string_view segment = i + 1 == raw.count ? last : raw.parts[i];
    if (route.segments[i] != kParameter) {
      if (route.segments[i] != segment) return SegmentsOutcome::Mismatch;
      continue;
    }
    if (isPlainId(segment)) {
      if (segment.size() > kMaxIdCharacters) return SegmentsOutcome::BadId;
      params.emplace_back(segment);
    } else {
      auto decoded = percentDecode(segment, false);
      if (!decoded) return SegmentsOutcome::BadEncoding;
      if (!isAcceptableId(*decoded)) return SegmentsOutcome::BadId;
      params.push_back(std::move(*decoded));
    }
    if (params.back().empty()) return SegmentsOutcome::Mismatch;
  }
  return SegmentsOutcome::Matched;
}

}  // namespace

bool isUpsert(Operation op) { return kOperations[static_cast<std::size_t>(op)].method == "PATCH"; }

bool isDelete(Operation op) { return kOperations[static_cast<std::size_t>(op)].method == "DELETE"; }

bool isList(Operation op) {
  const OperationRow& row = kOperations[static_cast<std::size_t>(op)];
  return row.method == "GET" && row.route.find('/', 9) == std::string_view::npos;
}

ResourceKind resourceOf(Operation op) {
  return *kindOfCollection(collectionOf(kOperations[static_cast<std::size_t>(op)].route));
}

std::string operationPath(Operation op, std::initializer_list<std::string_view> params) {
  const std::string_view route = kOperations[static_cast<std::size_t>(op)].route;
  std::string path;
  auto param = params.begin();
  for (std::size_t at = 0; at < route.size();) {
    const std::size_t open = route.find('{', at);
    path.append(route.substr(at, open == std::string_view::npos ? std::string_view::npos : open - at));
    if (open == std::string_view::npos) break;
    if (param != params.end()) path.append(*param++);
    at = route.find('}', open) + 1;
  }
  return path;
}

RouteMatch matchRoute(const std::string& method, const std::string& path) {
  RouteMatch result;
  Segments raw;
  if (!splitPath(path, raw) || raw.count == 0) return result;
  // A raw ':' in the last segment introduces an action. An id that itself contains a raw ':' is tried
  // as a plain id when no action route matches.
  const std::string_view lastRaw = raw.parts[raw.count - 1];
  std::array<std::pair<std::string_view, std::string_view>, 2> candidates{};  // (last segment, action)
  std::size_t candidateCount = 0;
  if (const auto colon = lastRaw.rfind(':'); colon != std::string_view::npos) {
    candidates[candidateCount++] = {lastRaw.substr(0, colon), lastRaw.substr(colon + 1)};
  }
  candidates[candidateCount++] = {lastRaw, std::string_view()};
  const RouteTable& table = routeTable();
  std::vector<std::string> params;
  params.reserve(2);
  bool pathMatched = false;
  for (std::size_t c = 0; c < candidateCount && !pathMatched; ++c) {
    const auto& [last, action] = candidates[c];
    for (std::size_t r = 0; r < table.count; ++r) {
      const Route& route = table.routes[r];
      if (route.segmentCount != raw.count || route.action != action) continue;
      switch (matchSegments(route, raw, last, params)) {
        case SegmentsOutcome::Mismatch: continue;
        case SegmentsOutcome::BadEncoding: result.outcome = RouteMatch::Outcome::BadEncoding; return result;
        case SegmentsOutcome::BadId: result.outcome = RouteMatch::Outcome::BadId; return result;
        case SegmentsOutcome::Matched: break;
      }
      pathMatched = true;
      for (std::size_t m = 0; m < route.methodCount; ++m) {
        if (route.methods[m].first == method) {
          result.outcome = RouteMatch::Outcome::Matched;
          result.operation = route.methods[m].second;
          result.params = std::move(params);
          return result;
        }
      }
    }
  }
  result.outcome = pathMatched ? RouteMatch::Outcome::MethodNotAllowed : RouteMatch::Outcome::NotFound;
  return result;
}

}  // namespace jr
