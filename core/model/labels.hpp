// Labels and tags: maps of primitive values (string, number, boolean).
#pragma once

#include <map>
#include <string>

#include "core/model/field_reader.hpp"
#include "core/util/json_writer.hpp"

namespace jr {

using LabelMap = std::map<std::string, Json>;

// Reads an object of primitive values; reports non-primitive values at "<path>.<key>".
LabelMap readLabels(const Json* value, const std::string& path, Issues& issues);
Json labelsToJson(const LabelMap& labels);
// The object labelsToJson gives, written directly.
void writeLabels(JsonOut& out, const LabelMap& labels);

}  // namespace jr
