#include "core/model/job.hpp"

#include <algorithm>
#include <utility>

namespace jr {
namespace {

const char* const kStatusNames[kJobStatusCount] = {
    "pendingClassification", "queued",      "assigned",       "completed",
    "closed",                "cancelled",   "classificationFailed", "created",
    "pendingSchedule",       "scheduled",   "scheduleFailed", "waitingForActivation"};

const std::vector<std::string>& matchingModeNames() {
  static const std::vector<std::string> names = {"queueAndMatch", "scheduleAndSuspend", "suspend"};
  return names;
}

void sortNotes(std::vector<JobNote>& notes) {
  std::stable_sort(notes.begin(), notes.end(),
                   [](const JobNote& a, const JobNote& b) { return a.addedAt < b.addedAt; });
}

Json matchingModeJson(const MatchingMode& mode) {
  Json out = Json::object();
  out["kind"] = matchingModeNames()[static_cast<int>(mode.kind)];
  if (mode.kind == MatchingModeKind::ScheduleAndSuspend && mode.scheduleAt) {
    out["scheduleAt"] = formatIsoTime(*mode.scheduleAt);
  }
  return out;
}

Json notesJson(const std::vector<JobNote>& notes) {
  Json out = Json::array();
  for (const auto& n : notes) out.push_back({{"message", n.message}, {"addedAt", formatIsoTime(n.addedAt)}});
  return out;
}

void writeMatchingMode(JsonOut& out, const MatchingMode& mode) {
  out.beginObject().key("kind").string(matchingModeNames()[static_cast<int>(mode.kind)]);
  if (mode.kind == MatchingModeKind::ScheduleAndSuspend && mode.scheduleAt) out.key("scheduleAt").time(*mode.scheduleAt);
  out.endObject();
}

void writeNotes(JsonOut& out, const std::vector<JobNote>& notes) {
  out.beginArray();
  for (const auto& n : notes) out.beginObject().key("message").string(n.message).key("addedAt").time(n.addedAt).endObject();
  out.endArray();
}

// An object keyed by assignment id. Ids are unique (generated); should a hand-made snapshot repeat one, the key
// keeps its first place and the last assignment's value, as assigning to a JSON object's key does.
void writeAssignments(JsonOut& out, const std::vector<JobAssignment>& assignments) {
  out.beginObject();
  for (std::size_t i = 0; i < assignments.size(); ++i) {
    const std::string& id = assignments[i].assignmentId;
    bool seen = false;
    for (std::size_t j = 0; j < i && !seen; ++j) seen = assignments[j].assignmentId == id;
    if (seen) continue;
    const JobAssignment* a = &assignments[i];
    for (std::size_t j = i + 1; j < assignments.size(); ++j) {
      if (assignments[j].assignmentId == id) a = &assignments[j];
    }
    out.key(id).beginObject().key("assignmentId").string(a->assignmentId).key("workerId").string(a->workerId);
    out.key("assignedAt").time(a->assignedAt);
    if (a->completedAt) out.key("completedAt").time(*a->completedAt);
    if (a->closedAt) out.key("closedAt").time(*a->closedAt);
    out.endObject();
  }
  out.endObject();
}

}  // namespace

const char* toString(JobStatus status) { return kStatusNames[static_cast<int>(status)]; }

std::optional<JobStatus> jobStatusFromName(const std::string& name) {
  for (int i = 0; i < kJobStatusCount; ++i) {
    if (name == kStatusNames[i]) return static_cast<JobStatus>(i);
  }
  return std::nullopt;
}

JobAssignment* Job::assignment(const std::string& assignmentId) {
  for (auto& a : assignments) {
    if (a.assignmentId == assignmentId) return &a;
  }
  return nullptr;
}

void addNote(Job& job, std::string message, Instant at) {
  job.notes.push_back({std::move(message), at});
  sortNotes(job.notes);
}

JobSpec readJob(const Json& merged, const ExistsFn& exists, Instant now, Issues& issues) {
  ObjectReader r(merged, "", issues);
  JobSpec job;
  job.channelReference = r.string("channelReference");
  if (auto channel = r.string("channelId", true)) {
    if (channel->empty()) issues.add("InvalidValue", "The field 'channelId' must not be empty.", "channelId");
    job.channelId = *channel;
  }
  job.classificationPolicyId = r.string("classificationPolicyId");
  if (job.classificationPolicyId) {
    checkReference(exists, ResourceKind::ClassificationPolicy, *job.classificationPolicyId,
                   "classificationPolicyId", issues);
  }
  job.queueId = r.string("queueId");
  if (job.queueId) checkReference(exists, ResourceKind::Queue, *job.queueId, "queueId", issues);
  if (!job.queueId && !job.classificationPolicyId && r.ok()) {
    issues.add("MissingRequiredField", "A job needs a queueId or a classificationPolicyId.", "queueId");
  }
  job.priority = r.integer("priority", false, -100, 100).value_or(1);
  job.dispositionCode = r.string("dispositionCode");
  job.requestedWorkerSelectors =
      readWorkerSelectors(r.array("requestedWorkerSelectors"), "requestedWorkerSelectors", issues);
  job.labels = readLabels(r.get("labels"), "labels", issues);
  job.tags = readLabels(r.get("tags"), "tags", issues);
  if (const Json* notes = r.array("notes")) {
    for (std::size_t i = 0; i < notes->size(); ++i) {
      ObjectReader n = ObjectReader::item((*notes)[i], indexPath("notes", i), issues);
      if (!n.ok()) continue;
      const auto message = n.string("message", true);
      const auto addedAt = n.dateTime("addedAt");
      if (message) job.notes.push_back({*message, addedAt.value_or(now)});
    }
    sortNotes(job.notes);
  }
  if (const Json* mode = r.object("matchingMode")) {
    ObjectReader m(*mode, "matchingMode", issues);
    if (auto kind = m.enumValue("kind", matchingModeNames(), true, "UnknownKind")) {
      const auto& names = matchingModeNames();
      job.matchingMode.kind =
          static_cast<MatchingModeKind>(std::find(names.begin(), names.end(), *kind) - names.begin());
      if (job.matchingMode.kind == MatchingModeKind::ScheduleAndSuspend) {
        job.matchingMode.scheduleAt = m.dateTime("scheduleAt", true);
      }
    }
  }
  return job;
}

Json writableJson(const JobSpec& job) {
  Json out = Json::object();
  if (job.channelReference) out["channelReference"] = *job.channelReference;
  out["channelId"] = job.channelId;
  if (job.classificationPolicyId) out["classificationPolicyId"] = *job.classificationPolicyId;
  if (job.queueId) out["queueId"] = *job.queueId;
  out["priority"] = job.priority;
  if (job.dispositionCode) out["dispositionCode"] = *job.dispositionCode;
  Json selectors = Json::array();
  for (const auto& s : job.requestedWorkerSelectors) {
    Json item = toJson(s);
    item.erase("status");
    item.erase("expiresAt");
    selectors.push_back(std::move(item));
  }
  out["requestedWorkerSelectors"] = std::move(selectors);
  out["labels"] = labelsToJson(job.labels);
  out["tags"] = labelsToJson(job.tags);
  out["notes"] = notesJson(job.notes);
  out["matchingMode"] = matchingModeJson(job.matchingMode);
  return out;
}

void writeJob(JsonOut& out, const std::string& id, const Job& job, const std::string& etag) {
  out.beginObject().key("id").string(id);
  if (job.channelReference) out.key("channelReference").string(*job.channelReference);
  out.key("status").string(toString(job.status));
  if (job.enqueuedAt) out.key("enqueuedAt").time(*job.enqueuedAt);
  out.key("channelId").string(job.channelId);
  if (job.classificationPolicyId) out.key("classificationPolicyId").string(*job.classificationPolicyId);
  if (job.queueId) out.key("queueId").string(*job.queueId);
  out.key("priority").integer(job.priority);
  if (job.dispositionCode) out.key("dispositionCode").string(*job.dispositionCode);
  writeWorkerSelectors(out.key("requestedWorkerSelectors"), job.requestedWorkerSelectors, SelectorFields::NoExpiresAt);
  writeWorkerSelectors(out.key("attachedWorkerSelectors"), job.attachedWorkerSelectors, SelectorFields::All);
  writeLabels(out.key("labels"), job.labels);
  writeAssignments(out.key("assignments"), job.assignments);
  writeLabels(out.key("tags"), job.tags);
  writeNotes(out.key("notes"), job.notes);
  if (job.scheduledAt) out.key("scheduledAt").time(*job.scheduledAt);
  writeMatchingMode(out.key("matchingMode"), job.matchingMode);
  out.key("etag").string(etag);
  out.endObject();
}

}  // namespace jr
