#include "core/model/policies.hpp"

#include <set>

#include "core/model/labels.hpp"
#include "core/model/rules.hpp"
#include "core/model/selectors.hpp"

namespace jr {
namespace {

constexpr std::int64_t kInt32Max = 2147483647;

Json normalizeDistributionMode(const Json& value, const std::string& path, Issues& issues) {
  ObjectReader r = ObjectReader::item(value, path, issues);
  if (!r.ok()) return Json();
  const auto kind = r.enumValue("kind", {"bestWorker", "longestIdle", "roundRobin"}, true, "UnknownKind");
  const auto minOffers = r.integer("minConcurrentOffers", false, 1, kInt32Max);
  const auto maxOffers = r.integer("maxConcurrentOffers", false, 1, kInt32Max);
  const auto bypass = r.boolean("bypassSelectors");
  if (!kind) return Json();
  Json out = Json::object();
  out["kind"] = *kind;
  if (*kind == "bestWorker") {
    if (const Json* rule = r.object("scoringRule")) {
      out["scoringRule"] = normalizeRule(*rule, r.pathOf("scoringRule"), issues);
    }
    Json options = Json::object();
    static const Json kAbsent;
    const Json* given = r.object("scoringRuleOptions");
    ObjectReader o(given ? *given : kAbsent, r.pathOf("scoringRuleOptions"), issues);
    if (auto batchSize = o.integer("batchSize", false, 1, kInt32Max)) options["batchSize"] = *batchSize;
    Json parameters = Json::array({"jobLabels", "workerSelectors"});
    if (const Json* list = o.array("scoringParameters")) {
      parameters = Json::array();
      for (std::size_t i = 0; i < list->size(); ++i) {
        const Json& item = (*list)[i];
        std::optional<std::string> canonical;
        if (item.is_string()) canonical = canonicalEnum(item.get<std::string>(), {"jobLabels", "workerSelectors"});
        if (!canonical) {
          issues.add("InvalidValue", "Scoring parameters must be 'jobLabels' or 'workerSelectors'.",
                     indexPath(o.pathOf("scoringParameters"), i));
        } else {
          parameters.push_back(*canonical);
        }
      }
    }
    options["scoringParameters"] = parameters;
    options["isBatchScoringEnabled"] = o.boolean("isBatchScoringEnabled").value_or(false);
    options["descendingOrder"] = o.boolean("descendingOrder").value_or(true);
    out["scoringRuleOptions"] = options;
  }
  const std::int64_t minValue = minOffers.value_or(1);
  const std::int64_t maxValue = maxOffers.value_or(1);
  if (minOffers && maxOffers && minValue > maxValue) {
    issues.add("InvalidValue", "minConcurrentOffers must not be greater than maxConcurrentOffers.",
               r.pathOf("minConcurrentOffers"));
  }
  out["minConcurrentOffers"] = minValue;
  out["maxConcurrentOffers"] = std::max(maxValue, minOffers && !maxOffers ? minValue : maxValue);
  out["bypassSelectors"] = bypass.value_or(false);
  return out;
}

Json normalizeExceptionAction(const Json& value, const std::string& path, const ExistsFn& exists,
                              const std::function<std::string()>& newId, Issues& issues) {
  ObjectReader r = ObjectReader::item(value, path, issues);
  if (!r.ok()) return Json();
  const auto kind = r.enumValue("kind", {"cancel", "manualReclassify", "reclassify"}, true, "UnknownKind");
  const auto id = r.string("id");
  if (!kind) return Json();
  Json out = Json::object();
  out["kind"] = *kind;
  if (*kind == "cancel") {
    if (auto note = r.string("note")) out["note"] = *note;
    if (auto code = r.string("dispositionCode")) out["dispositionCode"] = *code;
  } else if (*kind == "manualReclassify") {
    if (auto queueId = r.string("queueId")) {
      checkReference(exists, ResourceKind::Queue, *queueId, r.pathOf("queueId"), issues);
      out["queueId"] = *queueId;
    }
    if (auto priority = r.integer("priority", false, -100, 100)) out["priority"] = *priority;
    if (const Json* selectors = r.array("workerSelectors")) {
      out["workerSelectors"] = toJson(readWorkerSelectors(selectors, r.pathOf("workerSelectors"), issues));
    }
  } else {
    if (auto cp = r.string("classificationPolicyId")) {
      checkReference(exists, ResourceKind::ClassificationPolicy, *cp, r.pathOf("classificationPolicyId"), issues);
      out["classificationPolicyId"] = *cp;
    }
    if (const Json* labels = r.object("labelsToUpsert")) {
      out["labelsToUpsert"] = labelsToJson(readLabels(labels, r.pathOf("labelsToUpsert"), issues));
    }
  }
  out["id"] = id && !id->empty() ? *id : newId();
  return out;
}

Json normalizeTrigger(const Json& value, const std::string& path, Issues& issues) {
  ObjectReader r = ObjectReader::item(value, path, issues);
  if (!r.ok()) return Json();
  const auto kind = r.enumValue("kind", {"queueLength", "waitTime"}, true, "UnknownKind");
  if (!kind) return Json();
  Json out = Json::object();
  out["kind"] = *kind;
  if (*kind == "queueLength") {
    if (auto threshold = r.integer("threshold", true, 0, kInt32Max)) out["threshold"] = *threshold;
  } else {
    if (auto seconds = r.number("thresholdSeconds", true, 0.0, false)) out["thresholdSeconds"] = numberJson(*seconds);
  }
  return out;
}

}  // namespace

Json normalizeDistributionPolicy(const Json& merged, Issues& issues) {
  ObjectReader r(merged, "", issues);
  Json out = Json::object();
  if (auto name = r.string("name")) out["name"] = *name;
  if (auto seconds = r.number("offerExpiresAfterSeconds", false, 0.0, true)) {
    out["offerExpiresAfterSeconds"] = numberJson(*seconds);
  }
  if (const Json* mode = r.object("mode")) {
    Json normalized = normalizeDistributionMode(*mode, "mode", issues);
    if (!normalized.is_null()) out["mode"] = normalized;
  }
  return out;
}

Json normalizeClassificationPolicy(const Json& merged, const ExistsFn& exists, Issues& issues) {
  ObjectReader r(merged, "", issues);
  Json out = Json::object();
  if (auto name = r.string("name")) out["name"] = *name;
  if (auto fallback = r.string("fallbackQueueId")) {
    checkReference(exists, ResourceKind::Queue, *fallback, "fallbackQueueId", issues);
    out["fallbackQueueId"] = *fallback;
  }
  Json queueAttachments = Json::array();
  if (const Json* list = r.array("queueSelectorAttachments")) {
    for (std::size_t i = 0; i < list->size(); ++i) {
      queueAttachments.push_back(
          normalizeQueueSelectorAttachment((*list)[i], indexPath("queueSelectorAttachments", i), issues));
    }
  }
  out["queueSelectorAttachments"] = queueAttachments;
  if (const Json* rule = r.object("prioritizationRule")) {
    out["prioritizationRule"] = normalizeRule(*rule, "prioritizationRule", issues);
  }
  Json workerAttachments = Json::array();
  if (const Json* list = r.array("workerSelectorAttachments")) {
    for (std::size_t i = 0; i < list->size(); ++i) {
      workerAttachments.push_back(
          normalizeWorkerSelectorAttachment((*list)[i], indexPath("workerSelectorAttachments", i), issues));
    }
  }
  out["workerSelectorAttachments"] = workerAttachments;
  return out;
}

Json normalizeExceptionPolicy(const Json& merged, const ExistsFn& exists,
                              const std::function<std::string()>& newId, Issues& issues) {
  ObjectReader r(merged, "", issues);
  Json out = Json::object();
  if (auto name = r.string("name")) out["name"] = *name;
  Json rules = Json::array();
  std::set<std::string> ruleIds;
  if (const Json* list = r.array("exceptionRules")) {
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string path = indexPath("exceptionRules", i);
      ObjectReader rule = ObjectReader::item((*list)[i], path, issues);
      if (!rule.ok()) continue;
      Json item = Json::object();
      if (auto id = rule.string("id", true)) {
        if (id->empty()) {
          issues.add("InvalidValue", "The field 'id' must not be empty.", rule.pathOf("id"));
        } else if (!ruleIds.insert(*id).second) {
          issues.add("DuplicateId", "Exception rule id '" + *id + "' is used more than once.", rule.pathOf("id"));
        }
        item["id"] = *id;
      }
      if (const Json* trigger = rule.object("trigger", true)) {
        item["trigger"] = normalizeTrigger(*trigger, rule.pathOf("trigger"), issues);
      }
      Json actions = Json::array();
      if (const Json* actionList = rule.array("actions", true)) {
        for (std::size_t k = 0; k < actionList->size(); ++k) {
          actions.push_back(normalizeExceptionAction((*actionList)[k], indexPath(rule.pathOf("actions"), k),
                                                     exists, newId, issues));
        }
      }
      item["actions"] = actions;
      rules.push_back(item);
    }
  }
  out["exceptionRules"] = rules;
  return out;
}

// A canonical form holds neither "id" nor "etag"; should a hand-made snapshot's, they keep the places and values a
// tree would give them with its keys assigned in order (the id first, the canonical members, the etag last).
void writePolicy(JsonOut& out, const std::string& id, const Json& canonical, const std::string& etag) {
  const auto storedId = canonical.find("id");
  out.beginObject().key("id");
  if (storedId != canonical.end()) out.json(*storedId);
  else out.string(id);
  for (auto it = canonical.begin(); it != canonical.end(); ++it) {
    if (it.key() == "id") continue;
    if (it.key() == "etag") out.key("etag").string(etag);
    else out.key(it.key()).json(*it);
  }
  if (!canonical.contains("etag")) out.key("etag").string(etag);
  out.endObject();
}

}  // namespace jr
