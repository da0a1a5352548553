#include "core/model/worker.hpp"

#include <set>
#include <utility>

namespace jr {

const char* toString(WorkerState state) {
  switch (state) {
    case WorkerState::Active: return "active";
    case WorkerState::Draining: return "draining";
    case WorkerState::Inactive: return "inactive";
  }
  return "inactive";
}

std::int64_t Worker::usedCapacity() const {
  std::int64_t used = 0;
  for (const auto& o : offers) used += o.capacityCost;
  for (const auto& a : assignedJobs) used += a.capacityCost;
  return used;
}

double Worker::loadRatio() const {
  if (capacity <= 0) return usedCapacity() > 0 ? 1.0 : 0.0;
  const double ratio = static_cast<double>(usedCapacity()) / static_cast<double>(capacity);
  return ratio > 1.0 ? 1.0 : ratio;
}

const Channel* Worker::channel(const std::string& channelId) const {
  for (const auto& c : channels) {
    if (c.channelId == channelId) return &c;
  }
  return nullptr;
}

WorkerSpec readWorker(const std::string& id, const Json& merged, const ExistsFn& exists, Issues& issues) {
  ObjectReader r(merged, "", issues);
  WorkerSpec w;
  if (const Json* queues = r.array("queues")) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < queues->size(); ++i) {
      const Json& q = (*queues)[i];
      const std::string path = indexPath("queues", i);
      if (!q.is_string()) {
        issues.add("InvalidType", "Queue ids must be strings.", path);
        continue;
      }
      const std::string queueId = q.get<std::string>();
      checkReference(exists, ResourceKind::Queue, queueId, path, issues);
      if (seen.insert(queueId).second) w.queues.push_back(queueId);
    }
  }
  w.capacity = r.integer("capacity", false, 0, 2147483647).value_or(0);
  w.labels = readLabels(r.get("labels"), "labels", issues);
  w.labels["Id"] = id;  // every worker carries its id as a label
  w.tags = readLabels(r.get("tags"), "tags", issues);
  if (const Json* channels = r.array("channels")) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < channels->size(); ++i) {
      const std::string path = indexPath("channels", i);
      ObjectReader c = ObjectReader::item((*channels)[i], path, issues);
      if (!c.ok()) continue;
      Channel channel;
      const auto channelId = c.string("channelId", true);
      const auto cost = c.integer("capacityCostPerJob", true, 0, 2147483647);
      channel.maxNumberOfJobs = c.integer("maxNumberOfJobs", false, 1, 2147483647);
      if (!channelId || !cost) continue;
      if (!seen.insert(*channelId).second) {
        issues.add("DuplicateId", "Channel '" + *channelId + "' is configured more than once.",
                   joinPath(path, "channelId"));
        continue;
      }
      channel.channelId = *channelId;
      channel.capacityCostPerJob = *cost;
      w.channels.push_back(channel);
    }
  }
  w.availableForOffers = r.boolean("availableForOffers").value_or(false);
  return w;
}

Json writableJson(const WorkerSpec& worker) {
  Json out = Json::object();
  out["queues"] = worker.queues;
  out["capacity"] = worker.capacity;
  out["labels"] = labelsToJson(worker.labels);
  out["tags"] = labelsToJson(worker.tags);
  Json channels = Json::array();
  for (const auto& c : worker.channels) {
    Json item = {{"channelId", c.channelId}, {"capacityCostPerJob", c.capacityCostPerJob}};
    if (c.maxNumberOfJobs) item["maxNumberOfJobs"] = *c.maxNumberOfJobs;
    channels.push_back(std::move(item));
  }
  out["channels"] = std::move(channels);
  out["availableForOffers"] = worker.availableForOffers;
  return out;
}

void writeWorker(JsonOut& out, const std::string& id, const Worker& worker, const std::string& etag) {
  out.beginObject().key("id").string(id).key("state").string(toString(worker.state));
  out.key("queues").beginArray();
  for (const auto& q : worker.queues) out.string(q);
  out.endArray();
  out.key("capacity").integer(worker.capacity);
  writeLabels(out.key("labels"), worker.labels);
  writeLabels(out.key("tags"), worker.tags);
  writeChannels(out.key("channels"), worker.channels);
  out.key("offers").beginArray();
  for (const auto& o : worker.offers) {
    out.beginObject().key("offerId").string(o.offerId).key("jobId").string(o.jobId);
    out.key("capacityCost").integer(o.capacityCost).key("offeredAt").time(o.offeredAt);
    if (o.expiresAt) out.key("expiresAt").time(*o.expiresAt);
    out.endObject();
  }
  out.endArray();
  out.key("assignedJobs").beginArray();
  for (const auto& a : worker.assignedJobs) {
    out.beginObject().key("assignmentId").string(a.assignmentId).key("jobId").string(a.jobId);
    out.key("capacityCost").integer(a.capacityCost).key("assignedAt").time(a.assignedAt).endObject();
  }
  out.endArray();
  out.key("loadRatio").number(worker.loadRatio());
  out.key("availableForOffers").boolean(worker.availableForOffers);
  out.key("etag").string(etag);
  out.endObject();
}

}  // namespace jr
