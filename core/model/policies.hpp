// The three policies are configuration: they are validated and stored in the service's canonical JSON form
// (field order, defaults, camelCase kinds). The routing engine reads them from there.
#pragma once

#include <functional>

#include "core/model/references.hpp"
#include "core/util/json_writer.hpp"

namespace jr {

// Each takes the merged (merge-patched) body and returns the canonical resource without id and etag.
Json normalizeDistributionPolicy(const Json& merged, Issues& issues);
Json normalizeClassificationPolicy(const Json& merged, const ExistsFn& exists, Issues& issues);
Json normalizeExceptionPolicy(const Json& merged, const ExistsFn& exists,
                              const std::function<std::string()>& newId, Issues& issues);

// The policy as GET answers it, {"id", …canonical…, "etag"}, written directly.
void writePolicy(JsonOut& out, const std::string& id, const Json& canonical, const std::string& etag);

}  // namespace jr
