// Queue and worker selectors: conditions over labels.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model/field_reader.hpp"
#include "core/util/json_writer.hpp"

namespace jr {

enum class LabelOperator { Equal, NotEqual, LessThan, LessThanOrEqual, GreaterThan, GreaterThanOrEqual };

const std::vector<std::string>& labelOperatorNames();
const std::string& toString(LabelOperator op);
LabelOperator labelOperatorFromName(const std::string& canonicalName);

struct QueueSelector {
  std::string key;
  LabelOperator labelOperator = LabelOperator::Equal;
  std::optional<Json> value;
  bool operator==(const QueueSelector&) const = default;
};

struct WorkerSelector {
  std::string key;
  LabelOperator labelOperator = LabelOperator::Equal;
  std::optional<Json> value;
  std::optional<double> expiresAfterSeconds;
  bool expedite = false;
  // Read-only, owned by the router.
  bool expired = false;
  std::optional<Instant> expiresAt;

  // Same request (what the client controls), ignoring the router-owned fields.
  bool sameRequest(const WorkerSelector& other) const {
    return key == other.key && labelOperator == other.labelOperator && value == other.value &&
           expiresAfterSeconds == other.expiresAfterSeconds && expedite == other.expedite;
  }
  // Not expired: the selector still takes part in matching.
  bool active() const { return !expired; }
  bool operator==(const WorkerSelector&) const = default;
};

std::optional<QueueSelector> readQueueSelector(const Json& value, const std::string& path, Issues& issues);
std::optional<WorkerSelector> readWorkerSelector(const Json& value, const std::string& path, Issues& issues);
std::vector<QueueSelector> readQueueSelectors(const Json* array, const std::string& path, Issues& issues);
std::vector<WorkerSelector> readWorkerSelectors(const Json* array, const std::string& path, Issues& issues);

Json toJson(const QueueSelector& selector);
Json toJson(const WorkerSelector& selector);
Json toJson(const std::vector<WorkerSelector>& selectors);
Json toJson(const std::vector<QueueSelector>& selectors);

// What a written worker selector shows: everything (toJson), all but expiresAt (a job's requested selectors in
// responses; the service does not return it), or the writable fields only (neither status nor expiresAt).
enum class SelectorFields { All, NoExpiresAt, Writable };
void writeWorkerSelectors(JsonOut& out, const std::vector<WorkerSelector>& selectors, SelectorFields fields);
void writeQueueSelectors(JsonOut& out, const std::vector<QueueSelector>& selectors);

}  // namespace jr
