// Reading an HTTP request into the engine's typed command: the target (path, query string, api-version), the route,
// the body (size, media type, nesting, JSON: an upsert's merge patch, or an action's members read into its typed
// body, core/http/action_bodies.hpp), the preconditions (If-Match, If-Unmodified-Since) and, for the list
// operations, the page asked for (core/http/paging.hpp).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "core/engine/commands.hpp"
#include "core/http/http_types.hpp"
#include "core/http/paging.hpp"
#include "core/http/routes.hpp"
#include "core/router_types.hpp"

namespace jr {

// Request bodies: far above anything a Job Router resource needs, low enough that no request can exhaust memory
// or, through recursive JSON handling, the stack (WebAssembly's is small).
inline constexpr std::size_t kMaxBodyBytes = 256 * 1024;
inline constexpr int kMaxBodyNesting = 32;

struct Request {
  Operation operation = Operation::GetJob;
  std::optional<ListQuery> list;  // set for the list operations, which the engine answers with a Page
  CommandInput command;           // every other operation (its params are the route's in both cases)
};

// The command a request asks for, validated; throws ApiError. `path` (the target without its query string) is set
// before anything can be refused, for the error response.
Request readRequest(const std::string& method, const std::string& pathAndQuery, const HeaderMap& headers,
                    const std::string& body, bool checkVersion, std::string& path);

}  // namespace jr
