// Router rules (static, directMap, expression, function, webhook) and the selector attachments built on them,
// validated and written in the service's canonical form (kind first, camelCase kinds, defaults filled in).
#pragma once

#include "core/model/field_reader.hpp"

namespace jr {

// nullopt-like: returns a null Json when invalid (issues collected).
Json normalizeRule(const Json& value, const std::string& path, Issues& issues);
Json normalizeQueueSelectorAttachment(const Json& value, const std::string& path, Issues& issues);
Json normalizeWorkerSelectorAttachment(const Json& value, const std::string& path, Issues& issues);

const std::vector<std::string>& ruleKinds();

}  // namespace jr
