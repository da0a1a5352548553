// A worker: capacity, channels, queues and labels it is matched on, plus the offers and assignments it holds.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model/labels.hpp"
#include "core/model/references.hpp"

namespace jr {

enum class WorkerState { Active, Draining, Inactive };
const char* toString(WorkerState state);

struct Channel {
  std::string channelId;
  std::int64_t capacityCostPerJob = 0;
  std::optional<std::int64_t> maxNumberOfJobs;
  bool operator==(const Channel&) const = default;
};

struct JobOffer {
  std::string offerId;
  std::string jobId;
  std::int64_t capacityCost = 0;
  Instant offeredAt = 0;
  std::optional<Instant> expiresAt;
  bool operator==(const JobOffer&) const = default;
};

struct WorkerAssignment {
  std::string assignmentId;
  std::string jobId;
  std::int64_t capacityCost = 0;
  Instant assignedAt = 0;
  bool operator==(const WorkerAssignment&) const = default;
};

// What the client writes: the members a PUT/PATCH body sets.
struct WorkerSpec {
  std::vector<std::string> queues;
  std::int64_t capacity = 0;
  LabelMap labels;  // always holds the automatic "Id" label
  LabelMap tags;
  std::vector<Channel> channels;
  bool availableForOffers = false;
  bool operator==(const WorkerSpec&) const = default;
};

// What the router owns: no body writes it, and an update keeps it.
struct WorkerRouterState {
  WorkerState state = WorkerState::Inactive;
  std::vector<JobOffer> offers;
  std::vector<WorkerAssignment> assignedJobs;
  std::uint64_t registrationEpoch = 0;  // +1 per registration; clears earlier declines
  Instant idleSince = 0;                // longestIdle order: registration or last offer received
  bool operator==(const WorkerRouterState&) const = default;
};

struct Worker : WorkerSpec, WorkerRouterState {
  WorkerSpec& spec() { return *this; }
  const WorkerSpec& spec() const { return *this; }
  WorkerRouterState& routerState() { return *this; }
  const WorkerRouterState& routerState() const { return *this; }

  std::int64_t usedCapacity() const;
  double loadRatio() const;
  const Channel* channel(const std::string& channelId) const;
  bool operator==(const Worker&) const = default;
};

// Reads the writable members of a merged body.
WorkerSpec readWorker(const std::string& id, const Json& merged, const ExistsFn& exists, Issues& issues);
Json writableJson(const WorkerSpec& worker);
// The worker as GET answers it, written directly (tests/unit/unit-json-out.cpp holds it against a tree built apart).
void writeWorker(JsonOut& out, const std::string& id, const Worker& worker, const std::string& etag);
// The channels array as the worker's JSON shows it (a template: events carry it too, written by their own writer).
template <class Out>
void writeChannels(Out& out, const std::vector<Channel>& channels) {
  out.beginArray();
  for (const auto& c : channels) {
    out.beginObject().key("channelId").string(c.channelId).key("capacityCostPerJob").integer(c.capacityCostPerJob);
    if (c.maxNumberOfJobs) out.key("maxNumberOfJobs").integer(*c.maxNumberOfJobs);
    out.endObject();
  }
  out.endArray();
}

}  // namespace jr
