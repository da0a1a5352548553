// The engine's typed commands and results, apart from the Engine so that the HTTP layer (core/http), which reads
// requests into them and writes their results as responses, needs nothing else of the engine. Nothing here knows
// about HTTP: no routes, query strings, headers, continuation tokens or links.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/model/references.hpp"
#include "core/util/json.hpp"
#include "core/util/time.hpp"

namespace jr {

// Every command but the lists (Engine::list), one per REST operation of the same name, in the operations' order
// (core/engine/commands.inc, generated from scripts/api/operations.json by scripts/gen-api.mjs).
enum class Command {
#define JR_COMMAND(name) name,
#include "core/engine/commands.inc"
};

// What a command did, as the engine reports it; core/http answers it with the operation's success status (200 for
// Done, 201 for Created, 204 for Deleted).
enum class Outcome {
  Done,     // read, updated or acted on: the result is the resource's (or the action's) JSON
  Created,  // an upsert that made the resource
  Deleted,  // nothing to show
};

// What an upsert requires of the stored resource before it changes it (checked by Engine::checkPreconditions).
struct Preconditions {
  // The entity tags (weak ones without their W/), one of which must be the resource's; "*" matches any existing
  // resource. Unset: no requirement.
  std::optional<std::vector<std::string>> ifMatch;
  // The resource must not have changed after this instant (compared at second precision).
  std::optional<Instant> ifUnmodifiedSince;
};

// The bodies of the actions, read and validated by core/http (action_bodies.cpp) before the engine runs.
struct CancelJobBody {
  std::optional<std::string> note;
  std::optional<std::string> dispositionCode;
};
struct CompleteJobBody {
  std::optional<std::string> note;
};
struct CloseJobBody {
  std::optional<std::string> note;
  std::optional<std::string> dispositionCode;
  std::optional<Instant> closeAt;
};
struct UnassignJobBody {
  bool suspendMatching = false;
};
struct DeclineJobOfferBody {
  std::optional<Instant> retryOfferAt;
};
// monostate: a command whose body carries nothing (reads, deletes, reclassify, accept) or an upsert.
using ActionBody =
    std::variant<std::monostate, CancelJobBody, CompleteJobBody, CloseJobBody, UnassignJobBody, DeclineJobOfferBody>;

struct CommandInput {
  Command command = Command::GetJob;
  std::vector<std::string> params;  // the ids the command names, e.g. {workerId, offerId}
  Preconditions preconditions;
  // An upsert's body: a JSON merge patch (RFC 7396), which the engine applies to the stored resource's writable JSON
  // after checking the preconditions against it (upsert.hpp); null when there is none or for another command.
  Json mergePatch;
  ActionBody action;  // an action's body, read (the alternative of its command)
};

// The action body of `input`: the one read, or an empty one (a command made without a body).
template <class Body>
const Body& actionBody(const CommandInput& input) {
  static const Body none{};
  const Body* body = std::get_if<Body>(&input.action);
  return body ? *body : none;
}

// What a list shows: only resources matching every filter set. Values are validated and canonical.
struct ListFilters {
  std::optional<std::string> status;  // jobs: "all", "active" or a job status
  std::optional<Instant> scheduledBefore, scheduledAfter;  // jobs
  std::optional<std::string> state;   // workers: "all", "active", "draining" or "inactive"
  std::optional<bool> hasCapacity;    // workers
  std::optional<std::string> queueId, channelId;  // jobs and workers
  std::optional<std::string> classificationPolicyId;  // jobs
};

// One page of a list. Jobs are listed newest first, everything else in creation order.
struct PageRequest {
  ResourceKind kind = ResourceKind::Job;
  std::int64_t pageSize = 100;
  std::optional<std::uint64_t> after;  // the page starts after the resource of this creation sequence
  ListFilters filters;
};

struct Page {
  std::string items;  // JSON array text of the resources, as GET answers them
  // Set when more resources match after the page: the creation sequence of its last one (the next page's `after`).
  std::optional<std::uint64_t> moreAfter;
};

}  // namespace jr
