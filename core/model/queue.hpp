// A queue: where jobs wait; it names the distribution policy (and optionally the exception policy) they follow.
#pragma once

#include <optional>
#include <string>

#include "core/model/labels.hpp"
#include "core/model/references.hpp"

namespace jr {

struct Queue {
  std::optional<std::string> name;
  std::string distributionPolicyId;
  LabelMap labels;  // always holds the automatic "Id" label
  std::optional<std::string> exceptionPolicyId;
  bool operator==(const Queue&) const = default;
};

Queue readQueue(const std::string& id, const Json& merged, const ExistsFn& exists, Issues& issues);
// Writable members only (what a merge patch applies to).
Json writableJson(const Queue& queue);
// The queue as GET answers it, written directly (tests/unit/unit-json-out.cpp holds it against a tree built apart).
void writeQueue(JsonOut& out, const std::string& id, const Queue& queue, const std::string& etag);

}  // namespace jr
