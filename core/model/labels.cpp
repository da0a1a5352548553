#include "core/model/labels.hpp"

namespace jr {

LabelMap readLabels(const Json* value, const std::string& path, Issues& issues) {
  LabelMap labels;
  if (!value || value->is_null()) return labels;
  if (!value->is_object()) {
    issues.add("InvalidType", "Expected an object of labels but found " + std::string(jsonTypeName(*value)) + ".",
               path);
    return labels;
  }
  for (auto it = value->begin(); it != value->end(); ++it) {
    if (it->is_null()) continue;  // merge patch: null removes the key
    if (!isPrimitive(*it)) {
      issues.add("InvalidType",
                 "The value of '" + it.key() + "' must be a string, number or boolean.", joinPath(path, it.key()));
      continue;
    }
    labels[it.key()] = normalizeNumber(*it);
  }
  return labels;
}

Json labelsToJson(const LabelMap& labels) {
  Json out = Json::object();
  for (const auto& [key, value] : labels) out[key] = value;
  return out;
}

void writeLabels(JsonOut& out, const LabelMap& labels) {
  out.beginObject();
  for (const auto& [key, value] : labels) out.key(key).json(value);
  out.endObject();
}

}  // namespace jr
