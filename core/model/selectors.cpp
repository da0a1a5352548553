#include "core/model/selectors.hpp"

namespace jr {

const std::vector<std::string>& labelOperatorNames() {
  static const std::vector<std::string> names = {"equal",       "notEqual",    "lessThan",
                                                 "lessThanOrEqual", "greaterThan", "greaterThanOrEqual"};
  return names;
}

const std::string& toString(LabelOperator op) { return labelOperatorNames()[static_cast<int>(op)]; }

LabelOperator labelOperatorFromName(const std::string& canonicalName) {
  const auto& names = labelOperatorNames();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == canonicalName) return static_cast<LabelOperator>(i);
  }
  return LabelOperator::Equal;
}

std::optional<QueueSelector> readQueueSelector(const Json& value, const std::string& path, Issues& issues) {
  if (value.is_null()) {
    issues.add("MissingRequiredField", "A queue selector is required.", path);
    return std::nullopt;
  }
  ObjectReader r(value, path, issues);
  if (!r.ok()) return std::nullopt;
  QueueSelector s;
  const auto key = r.string("key", true);
  const auto op = r.enumValue("labelOperator", labelOperatorNames(), true);
  s.value = r.primitive("value");
  if (!key || !op) return std::nullopt;
  s.key = *key;
  s.labelOperator = labelOperatorFromName(*op);
  return s;
}

std::optional<WorkerSelector> readWorkerSelector(const Json& value, const std::string& path, Issues& issues) {
  if (value.is_null()) {
    issues.add("MissingRequiredField", "A worker selector is required.", path);
    return std::nullopt;
  }
  ObjectReader r(value, path, issues);
  if (!r.ok()) return std::nullopt;
  WorkerSelector s;
  const auto key = r.string("key", true);
  const auto op = r.enumValue("labelOperator", labelOperatorNames(), true);
  s.value = r.primitive("value");
  s.expiresAfterSeconds = r.number("expiresAfterSeconds", false, 0.0, true);
  s.expedite = r.boolean("expedite").value_or(false);
  if (!key || !op) return std::nullopt;
  s.key = *key;
  s.labelOperator = labelOperatorFromName(*op);
  return s;
}

std::vector<QueueSelector> readQueueSelectors(const Json* array, const std::string& path, Issues& issues) {
  std::vector<QueueSelector> out;
  if (!array) return out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    if (auto s = readQueueSelector((*array)[i], indexPath(path, i), issues)) out.push_back(*s);
  }
  return out;
}

std::vector<WorkerSelector> readWorkerSelectors(const Json* array, const std::string& path, Issues& issues) {
  std::vector<WorkerSelector> out;
  if (!array) return out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    if (auto s = readWorkerSelector((*array)[i], indexPath(path, i), issues)) out.push_back(*s);
  }
  return out;
}

Json toJson(const QueueSelector& selector) {
  Json out = Json::object();
  out["key"] = selector.key;
  out["labelOperator"] = toString(selector.labelOperator);
  if (selector.value) out["value"] = *selector.value;
  return out;
}

// Field order as the service writes it: expiresAfterSeconds, expedite, status, expiresAt, key, labelOperator, value.
Json toJson(const WorkerSelector& selector) {
  Json out = Json::object();
  if (selector.expiresAfterSeconds) out["expiresAfterSeconds"] = numberJson(*selector.expiresAfterSeconds);
  out["expedite"] = selector.expedite;
  out["status"] = selector.expired ? "expired" : "active";
  if (selector.expiresAt) out["expiresAt"] = formatIsoTime(*selector.expiresAt);
  out["key"] = selector.key;
  out["labelOperator"] = toString(selector.labelOperator);
  if (selector.value) out["value"] = *selector.value;
  return out;
}

Json toJson(const std::vector<WorkerSelector>& selectors) {
  Json out = Json::array();
  for (const auto& s : selectors) out.push_back(toJson(s));
  return out;
}

Json toJson(const std::vector<QueueSelector>& selectors) {
  Json out = Json::array();
  for (const auto& s : selectors) out.push_back(toJson(s));
  return out;
}

void writeWorkerSelectors(JsonOut& out, const std::vector<WorkerSelector>& selectors, SelectorFields fields) {
  out.beginArray();
  for (const auto& s : selectors) {
    out.beginObject();
    if (s.expiresAfterSeconds) out.key("expiresAfterSeconds").number(*s.expiresAfterSeconds);
    out.key("expedite").boolean(s.expedite);
    if (fields != SelectorFields::Writable) {
      out.key("status");
      if (s.expired) out.literal("expired");
      else out.literal("active");
    }
    if (fields == SelectorFields::All && s.expiresAt) out.key("expiresAt").time(*s.expiresAt);
    out.key("key").string(s.key);
    out.key("labelOperator").string(toString(s.labelOperator));
    if (s.value) out.key("value").json(*s.value);
    out.endObject();
  }
  out.endArray();
}

void writeQueueSelectors(JsonOut& out, const std::vector<QueueSelector>& selectors) {
  out.beginArray();
  for (const auto& s : selectors) {
    out.beginObject().key("key").string(s.key).key("labelOperator").string(toString(s.labelOperator));
    if (s.value) out.key("value").json(*s.value);
    out.endObject();
  }
  out.endArray();
}

}  // namespace jr
