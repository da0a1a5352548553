#include "core/model/rules.hpp"

#include "core/model/selectors.hpp"

namespace jr {
namespace {

bool looksLikeUri(const std::string& text) {
  return text.rfind("https://", 0) == 0 || text.rfind("http://", 0) == 0;
}

void putUri(ObjectReader& r, Json& out, const char* key, bool required) {
  if (auto uri = r.string(key, required)) {
    if (!looksLikeUri(*uri)) {
      r.issues().add("InvalidValue", std::string("The field '") + key + "' must be an absolute http(s) URI.",
                     r.pathOf(key));
    } else {
      out[key] = *uri;
    }
  }
}

Json stringFields(ObjectReader& parent, const char* key, const std::vector<const char*>& fields) {
  const Json* obj = parent.object(key);
  if (!obj) return Json();
  ObjectReader r(*obj, parent.pathOf(key), parent.issues());
  Json out = Json::object();
  for (const char* f : fields) {
    if (auto v = r.string(f)) out[f] = *v;
  }
  return out;
}

Json weightedAllocations(ObjectReader& r, bool workers) {
  const Json* allocations = r.array("allocations", true);
  Json out = Json::array();
  if (!allocations) return out;
  if (allocations->empty()) {
    r.issues().add("InvalidValue", "At least one allocation is required.", r.pathOf("allocations"));
  }
  double total = 0;
  for (std::size_t i = 0; i < allocations->size(); ++i) {
    const std::string path = indexPath(r.pathOf("allocations"), i);
    ObjectReader a = ObjectReader::item((*allocations)[i], path, r.issues());
    if (!a.ok()) continue;
    Json item = Json::object();
    if (auto weight = a.number("weight", true, 0.0, true, 1.0)) {
      item["weight"] = numberJson(*weight);
      total += *weight;
    }
    const char* listKey = workers ? "workerSelectors" : "queueSelectors";
    const Json* list = a.array(listKey, true);
    if (workers) {
      item[listKey] = toJson(readWorkerSelectors(list, a.pathOf(listKey), r.issues()));
    } else {
      item[listKey] = toJson(readQueueSelectors(list, a.pathOf(listKey), r.issues()));
    }
    out.push_back(item);
  }
  if (!allocations->empty() && (total < 0.999999 || total > 1.000001)) {
    r.issues().add("InvalidValue", "The weights of the allocations must add up to 1.", r.pathOf("allocations"));
  }
  return out;
}

Json normalizeAttachment(const Json& value, const std::string& path, Issues& issues, bool workers) {
  ObjectReader r = ObjectReader::item(value, path, issues);
  if (!r.ok()) return Json();
  static const std::vector<std::string> kinds = {"static", "conditional", "passThrough", "ruleEngine",
                                                 "weightedAllocation"};
  const auto kind = r.enumValue("kind", kinds, true, "UnknownKind");
  if (!kind) return Json();
  Json out = Json::object();
  out["kind"] = *kind;
  if (*kind == "static") {
    const char* key = workers ? "workerSelector" : "queueSelector";
    const Json* selector = r.object(key, true);
    if (selector) {
      if (workers) {
        if (auto s = readWorkerSelector(*selector, r.pathOf(key), issues)) out[key] = toJson(*s);
      } else {
        if (auto s = readQueueSelector(*selector, r.pathOf(key), issues)) out[key] = toJson(*s);
      }
    }
  } else if (*kind == "conditional") {
    const Json* condition = r.object("condition", true);
    if (condition) out["condition"] = normalizeRule(*condition, r.pathOf("condition"), issues);
    const char* key = workers ? "workerSelectors" : "queueSelectors";
    const Json* list = r.array(key, true);
    out[key] = workers ? toJson(readWorkerSelectors(list, r.pathOf(key), issues))
                       : toJson(readQueueSelectors(list, r.pathOf(key), issues));
  } else if (*kind == "passThrough") {
    if (auto key = r.string("key", true)) out["key"] = *key;
    if (auto op = r.enumValue("labelOperator", labelOperatorNames(), true)) out["labelOperator"] = *op;
    if (workers) {
      if (auto seconds = r.number("expiresAfterSeconds", false, 0.0, true)) {
        out["expiresAfterSeconds"] = numberJson(*seconds);
      }
    }
  } else if (*kind == "ruleEngine") {
    const Json* rule = r.object("rule", true);
    if (rule) out["rule"] = normalizeRule(*rule, r.pathOf("rule"), issues);
  } else {
    out["allocations"] = weightedAllocations(r, workers);
  }
  return out;
}

}  // namespace

const std::vector<std::string>& ruleKinds() {
  static const std::vector<std::string> kinds = {"directMap", "expression", "function", "static", "webhook"};
  return kinds;
}

Json normalizeRule(const Json& value, const std::string& path, Issues& issues) {
  ObjectReader r = ObjectReader::item(value, path, issues);
  if (!r.ok()) return Json();
  const auto kind = r.enumValue("kind", ruleKinds(), true, "UnknownKind");
  if (!kind) return Json();
  Json out = Json::object();
  out["kind"] = *kind;
  if (*kind == "static") {
    if (auto v = r.primitive("value")) out["value"] = *v;
  } else if (*kind == "expression") {
    const auto language = r.enumValue("language", {"powerFx"}, false);
    out["language"] = language.value_or("powerFx");
    if (auto expression = r.string("expression", true)) {
      if (expression->empty()) {
        issues.add("InvalidValue", "The field 'expression' must not be empty.", r.pathOf("expression"));
      }
      out["expression"] = *expression;
    }
  } else if (*kind == "function") {
    putUri(r, out, "functionUri", true);
    Json credential = stringFields(r, "credential", {"functionKey", "appKey", "clientId"});
    if (!credential.is_null()) out["credential"] = credential;
  } else if (*kind == "webhook") {
    putUri(r, out, "authorizationServerUri", false);
    Json credential = stringFields(r, "clientCredential", {"clientId", "clientSecret"});
    if (!credential.is_null()) out["clientCredential"] = credential;
    putUri(r, out, "webhookUri", false);
  }
  return out;
}

Json normalizeQueueSelectorAttachment(const Json& value, const std::string& path, Issues& issues) {
  return normalizeAttachment(value, path, issues, false);
}

Json normalizeWorkerSelectorAttachment(const Json& value, const std::string& path, Issues& issues) {
  return normalizeAttachment(value, path, issues, true);
}

}  // namespace jr
