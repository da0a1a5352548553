#include "core/model/queue.hpp"

namespace jr {

Queue readQueue(const std::string& id, const Json& merged, const ExistsFn& exists, Issues& issues) {
  ObjectReader r(merged, "", issues);
  Queue q;
  q.name = r.string("name");
  if (auto dp = r.string("distributionPolicyId", true)) {
    checkReference(exists, ResourceKind::DistributionPolicy, *dp, "distributionPolicyId", issues);
    q.distributionPolicyId = *dp;
  }
  q.labels = readLabels(r.get("labels"), "labels", issues);
  q.labels["Id"] = id;  // the service always labels a queue with its id
  if (auto ep = r.string("exceptionPolicyId")) {
    checkReference(exists, ResourceKind::ExceptionPolicy, *ep, "exceptionPolicyId", issues);
    q.exceptionPolicyId = *ep;
  }
  return q;
}

Json writableJson(const Queue& queue) {
  Json out = Json::object();
  if (queue.name) out["name"] = *queue.name;
  out["distributionPolicyId"] = queue.distributionPolicyId;
  out["labels"] = labelsToJson(queue.labels);
  if (queue.exceptionPolicyId) out["exceptionPolicyId"] = *queue.exceptionPolicyId;
  return out;
}

void writeQueue(JsonOut& out, const std::string& id, const Queue& queue, const std::string& etag) {
  out.beginObject().key("id").string(id);
  if (queue.name) out.key("name").string(*queue.name);
  out.key("distributionPolicyId").string(queue.distributionPolicyId);
  writeLabels(out.key("labels"), queue.labels);
  if (queue.exceptionPolicyId) out.key("exceptionPolicyId").string(*queue.exceptionPolicyId);
  out.key("etag").string(etag);
  out.endObject();
}

}  // namespace jr
