// The snapshot text (state_codec.hpp), written directly with one JsonOut: the same bytes as the JSON tree the
// export used to build and dump, key for key (the determinism digest and tests/unit/unit-state-roundtrip.cpp hold
// it to that). Jobs and workers are written by the model's writers (the text GET answers).
#include <string>

#include "core/engine/state_codec.hpp"
#include "core/util/json_reader.hpp"
#include "core/util/json_writer.hpp"

namespace jr {

namespace {

void ticks(JsonOut& out, Instant t) { out.string(std::to_string(t)); }

template <class T>
void meta(JsonOut& out, const std::string& id, const Record<T>& r) {
  out.beginObject().key("id").string(id).key("seq").unsignedInteger(r.seq).key("version").unsignedInteger(r.version);
  out.key("etag").string(r.etag).key("lastModified");
  ticks(out, r.lastModified);
  out.key("value");
}

void words(JsonOut& out, const std::uint64_t* w) {
  out.beginArray();
  for (int i = 0; i < 4; ++i) out.string(std::to_string(w[i]));
  out.endArray();
}

void policies(JsonOut& out, const Table<Json>& t) {
  out.beginArray();
  for (const auto& [seq, row] : t.rows()) {
    const auto& r = row.record;
    meta(out, row.id, r);
    out.json(r.value).endObject();
  }
  out.endArray();
}

}  // namespace

void StateCodec::encodeCounters(const Engine& e, JsonOut& out) {
  out.beginObject().key("format").string(kStateFormat).key("formatVersion").integer(kStateFormatVersion);
  out.key("now").time(e.now_).key("prng");
  words(out, e.prng_.state());
  out.key("eventIds");
  words(out, e.outbox_.idGenerator().state());
  out.key("eventSequence").unsignedInteger(e.outbox_.sequence());
  out.key("writeCounter").unsignedInteger(e.writeCounter_);
  out.key("enqueueCounter").unsignedInteger(e.enqueueCounter_);
}

void StateCodec::encodeResources(const Engine& e, JsonOut& out) {
  policies(out.key("distributionPolicies"), e.distributionPolicies_);
  policies(out.key("classificationPolicies"), e.classificationPolicies_);
  policies(out.key("exceptionPolicies"), e.exceptionPolicies_);
  out.key("queues").beginArray();
  for (const auto& [seq, row] : e.queues_.rows()) {
    const auto& r = row.record;
    meta(out, row.id, r);
    out.json(writableJson(r.value)).endObject();
  }
  out.endArray().key("workers").beginArray();
  for (const auto& [seq, row] : e.workers_.rows()) {
    const auto& r = row.record;
    meta(out, row.id, r);
    writeWorker(out, row.id, r.value, r.etag);
    out.key("registrationEpoch").unsignedInteger(r.value.registrationEpoch).key("idleSince");
    ticks(out, r.value.idleSince);
    out.endObject();
  }
  out.endArray();
}

// What a job's GET does not show: selector expiry, counters, offers, declines, fired rules, a pending close.
void StateCodec::encodeJobState(const Job& job, JsonOut& out) {
  out.key("requestedSelectorState");
  writeWorkerSelectors(out, job.requestedWorkerSelectors, SelectorFields::All);  // with expiresAt
  out.key("unassignmentCount").integer(job.unassignmentCount);
  out.key("enqueueSequence").unsignedInteger(job.enqueueSequence);
  out.key("activeOffers").beginArray();
  for (const auto& ref : job.activeOffers) {
    out.beginObject().key("workerId").string(ref.workerId).key("offerId").string(ref.offerId).endObject();
  }
  out.endArray().key("declinedBy").beginObject();
  for (const auto& [worker, d] : job.declinedBy) {
    out.key(worker).beginObject().key("workerEpoch").unsignedInteger(d.workerEpoch);
    if (d.retryAt) out.key("retryAt").time(*d.retryAt);
    out.endObject();
  }
  out.endObject().key("firedExceptionRules").beginArray();
  for (const auto& rule : job.firedExceptionRules) out.string(rule);
  out.endArray();
  if (job.exceptionSourceQueue) out.key("exceptionSourceQueue").string(*job.exceptionSourceQueue);
  if (const auto& pending = job.pendingClose) {
    out.key("pendingClose").beginObject().key("assignmentId").string(pending->assignmentId);
    out.key("closeAt").time(pending->closeAt);
    if (pending->dispositionCode) out.key("dispositionCode").string(*pending->dispositionCode);
    out.endObject();
  }
}

void StateCodec::encodeJobs(const Engine& e, JsonOut& out) {
  out.key("jobs").beginArray();
  for (const auto& [seq, row] : e.jobs_.rows()) {
    const auto& r = row.record;
    meta(out, row.id, r);
    writeJob(out, row.id, r.value, r.etag);
    encodeJobState(r.value, out);
    out.endObject();
  }
  out.endArray();
}

void StateCodec::encodeFollowUps(const Engine& e, JsonOut& out) {
  out.key("timers").beginArray();
  for (const auto& t : e.timers_.all()) {
    out.beginObject().key("due").time(t.due).key("kind").integer(static_cast<int>(t.kind));
    out.key("a").string(t.a).key("b").string(t.b).key("c").string(t.c).endObject();
  }
  out.endArray().key("roundRobinCursors").beginObject();
  for (const auto& [policy, worker] : e.offerHistory_.lastOfferedByPolicy()) out.key(policy).string(worker);
  out.endObject().key("assignmentWaits").beginObject();
  for (const auto& [queue, samples] : e.waitStats_.samples()) {
    out.key(queue).beginArray();
    for (Instant w : samples) ticks(out, w);
    out.endArray();
  }
  out.endObject().key("acceptedElsewhere").beginObject();
  for (const auto& [offer, worker] : e.offerHistory_.acceptedElsewhereByOffer()) out.key(offer).string(worker);
  out.endObject();
}

void StateCodec::encodeRules(const Engine& e, JsonOut& out) {
  out.key("ruleRequests").beginArray();
  for (const auto& [id, r] : e.hostRules_.pending()) {
    out.beginObject().key("requestId").string(id).key("jobId").string(r.jobId).key("key").string(r.key);
    out.key("rule").json(r.rule).key("payload").json(r.payload).endObject();
  }
  out.endArray().key("ruleRequestCounter").unsignedInteger(e.hostRules_.counter());
  out.key("ruleAnswers").beginArray();
  for (const auto& [jobId, byKey] : e.hostRules_.answers()) {
    for (const auto& [key, a] : byKey) {
      out.beginObject().key("jobId").string(jobId).key("key").string(key).key("failed").boolean(a.failed);
      out.key("value").json(a.value).key("error").string(a.error).endObject();
    }
  }
  out.endArray();
}

std::string StateCodec::encode(const Engine& e) {
  std::string text;
  text.reserve(4096 + 800 * e.jobs_.size() + 1000 * e.workers_.size());
  JsonOut out(text);
  encodeCounters(e, out);
  encodeResources(e, out);
  encodeJobs(e, out);
  encodeFollowUps(e, out);
  encodeRules(e, out);
  out.key("pendingJobs").beginArray();
  for (const auto& id : e.followUps_.steps()) out.string(id);
  out.endArray().key("nextSeq").beginObject();
  out.key("distributionPolicies").unsignedInteger(e.distributionPolicies_.nextSeq());
  out.key("classificationPolicies").unsignedInteger(e.classificationPolicies_.nextSeq());
  out.key("exceptionPolicies").unsignedInteger(e.exceptionPolicies_.nextSeq());
  out.key("queues").unsignedInteger(e.queues_.nextSeq());
  out.key("workers").unsignedInteger(e.workers_.nextSeq());
  out.key("jobs").unsignedInteger(e.jobs_.nextSeq());
  out.endObject().endObject();
  out.finish();
  return text;
}

Json Engine::exportState() const { return readJsonNoThrow(StateCodec::encode(*this)); }

}  // namespace jr
