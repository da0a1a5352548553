// Reading a snapshot text (state_codec.hpp) into a fresh engine, in one pass over the text.
#include <algorithm>
#include <cstring>
#include <string>

#include "core/engine/state_codec.hpp"
#include "core/engine/state_reader.hpp"

namespace jr {

// Named, not anonymous: StateCodec::Context (external linkage) holds one.
namespace state_decode {

// Required keys of an object, by bit: what is missing is named in the error.
struct Required {
  unsigned seen = 0;
  void mark(int bit) { seen |= 1u << bit; }
  void need(int bit, const char* name) const {
    if (!(seen & (1u << bit))) throw badState(std::string("missing '") + name + "'");
  }
  void check(std::initializer_list<const char*> names) const {
    int bit = 0;
    for (const char* name : names) {
      if (!(seen & (1u << bit))) throw badState(std::string("missing '") + name + "'");
      ++bit;
    }
  }
};

}  // namespace state_decode
using state_decode::Required;

namespace {

// The top-level sections a snapshot must have, in the order a missing one is reported.
const char* const kSections[] = {"now", "prng", "eventIds", "eventSequence", "writeCounter", "enqueueCounter",
                                 "distributionPolicies", "classificationPolicies", "exceptionPolicies", "queues",
                                 "workers", "jobs", "pendingJobs", "timers", "roundRobinCursors", "ruleRequests",
                                 "ruleRequestCounter", "ruleAnswers", "acceptedElsewhere", "assignmentWaits",
                                 "nextSeq", "format", "formatVersion"};
constexpr int kSectionCount = sizeof(kSections) / sizeof(kSections[0]);

const char* const kTables[] = {"distributionPolicies", "classificationPolicies", "exceptionPolicies",
                               "queues", "workers", "jobs"};

// An object key, compared with literals by size first (no strlen, no byte compare of keys of another length).
struct Key : std::string {
  template <std::size_t N>
  bool operator==(const char (&literal)[N]) const {
    return size() == N - 1 && std::memcmp(data(), literal, N - 1) == 0;
  }
};

const ExistsFn& anyExists() {
  static const ExistsFn fn = [](ResourceKind, const std::string&) { return true; };
  return fn;
}

std::optional<std::string> optString(StateReader& r) {
  if (r.null()) return std::nullopt;
  return r.string();
}

std::optional<Instant> optTime(StateReader& r) {
  if (r.null()) return std::nullopt;
  return r.time();
}

// The bookkeeping of a record: id, seq, version, etag, lastModified (and where its value's text was).
struct Meta {
  std::string id;
  Required required;  // id, seq, version, etag, lastModified, value
  std::uint64_t seq = 0;
  std::uint64_t version = 0;
  std::string etag;
  Instant lastModified = 0;
  std::uint64_t valueBytes = 0;

  bool read(StateReader& r, const Key& key) {
    if (key == "id") id = r.string(), required.mark(0);
    else if (key == "seq") seq = r.count(), required.mark(1);
    else if (key == "version") version = r.count(), required.mark(2);
    else if (key == "etag") etag = r.string(), required.mark(3);
    else if (key == "lastModified") lastModified = r.ticks(), required.mark(4);
    else return false;
    return true;
  }
  // The value's JSON, measured.
  Json value(StateReader& r) {
    const char* start = r.valueStart();
    Json v = r.value();
    valueBytes = static_cast<std::uint64_t>(r.position() - start);
    required.mark(5);
    return v;
  }
  // A whole record object {id, seq, version, etag, lastModified, value} (other keys skipped); returns its value.
  Json readItem(StateReader& r) {
    Json v;
    r.beginObject();
    Key key;
    while (r.nextKey(key)) {
      if (read(r, key)) continue;
      if (key == "value") v = value(r);
      else r.skip();
    }
    required.check({"id", "seq", "version", "etag", "lastModified", "value"});
    return v;
  }
  template <class T>
  Record<T> record(T value) {
    required.check({"id", "seq", "version", "etag", "lastModified", "value"});
    Record<T> out;
    out.value = std::move(value);
    out.seq = seq;
    out.version = version;
    out.etag = std::move(etag);
    out.lastModified = lastModified;
    out.accountedBytes = valueBytes;
    return out;
  }
  // Stores the record in its table under this id; a sequence number that another record of the table has is refused.
  template <class T>
  void restore(Table<T>& table, Record<T> record) const {
    if (!table.restore(id, std::move(record))) throw badState("two records have seq " + std::to_string(seq));
  }
};

LabelMap readLabelMap(StateReader& r) {
  LabelMap labels;
  r.beginObject();
  Key key;
  while (r.nextKey(key)) {
    Json v = r.value();
    if (v.is_structured()) r.fail("labels must hold primitive values");
    labels.emplace(key, std::move(v));
  }
  return labels;
}

// Worker selectors with their router-owned state (status, expiresAt).
std::vector<WorkerSelector> readSelectors(StateReader& r) {
  std::vector<WorkerSelector> out;
  r.beginArray();
  while (r.nextItem()) {
    const Json item = r.value();
    Issues issues;
    auto s = readWorkerSelector(item, "", issues);
    if (!s || !issues.empty()) r.fail("invalid worker selector");
    s->expired = item.value("status", "active") == "expired";
    if (auto at = item.find("expiresAt"); at != item.end() && !at->is_null()) {
      const auto t = at->is_string() ? parseIsoTime(at->get<std::string>()) : std::nullopt;
      if (!t) r.fail("expected a date-time");
      s->expiresAt = t;
    }
    out.push_back(std::move(*s));
  }
  return out;
}

JobAssignment readAssignment(StateReader& r) {
  JobAssignment a;
  Required required;
  r.beginObject();
  Key key;
  while (r.nextKey(key)) {
    if (key == "assignmentId") a.assignmentId = r.string(), required.mark(0);
    else if (key == "workerId") a.workerId = r.string(), required.mark(1);
    else if (key == "assignedAt") a.assignedAt = r.time(), required.mark(2);
    else if (key == "completedAt") a.completedAt = optTime(r);
    else if (key == "closedAt") a.closedAt = optTime(r);
    else r.skip();
  }
  required.check({"assignmentId", "workerId", "assignedAt"});
  return a;
}

std::vector<JobNote> readNotes(StateReader& r, Instant now) {
  std::vector<JobNote> notes;
  r.beginArray();
  while (r.nextItem()) {
    JobNote note{std::string(), now};
    Required required;
    r.beginObject();
    Key key;
    while (r.nextKey(key)) {
      if (key == "message") note.message = r.string(), required.mark(0);
      else if (key == "addedAt") note.addedAt = optTime(r).value_or(now);
      else r.skip();
    }
    required.check({"message"});
    notes.push_back(std::move(note));
  }
  std::stable_sort(notes.begin(), notes.end(), [](const JobNote& a, const JobNote& b) { return a.addedAt < b.addedAt; });
  return notes;
}

MatchingMode readMatchingMode(StateReader& r) {
  static const char* const kNames[] = {"queueAndMatch", "scheduleAndSuspend", "suspend"};
  MatchingMode mode;
  std::optional<Instant> scheduleAt;
  Required required;
  r.beginObject();
  Key key;
  while (r.nextKey(key)) {
    if (key == "kind") {
      const std::string kind = r.string();
      const auto at = std::find(std::begin(kNames), std::end(kNames), kind);
      if (at == std::end(kNames)) r.fail("invalid matchingMode kind");
      mode.kind = static_cast<MatchingModeKind>(at - std::begin(kNames));
      required.mark(0);
    } else if (key == "scheduleAt") {
      scheduleAt = optTime(r);
    } else {
      r.skip();
    }
  }
  required.check({"kind"});
  if (mode.kind == MatchingModeKind::ScheduleAndSuspend) {
    if (!scheduleAt) r.fail("a scheduleAndSuspend matchingMode needs scheduleAt");
    mode.scheduleAt = scheduleAt;
  }
  return mode;
}

// A job's value: what GET shows (requestedWorkerSelectors, id and etag come from elsewhere in the record).
void readJobValue(StateReader& r, Job& j, Instant now) {
  Required required;  // status, channelId, attachedWorkerSelectors, assignments
  r.beginObject();
  Key key;
  while (r.nextKey(key)) {
    if (key == "status") {
      const auto status = jobStatusFromName(r.string());
      if (!status) r.fail("invalid job status");
      j.status = *status;
      required.mark(0);
    } else if (key == "channelId") {
      j.channelId = r.string();
      if (j.channelId.empty()) r.fail("a job's channelId must not be empty");
      required.mark(1);
    } else if (key == "attachedWorkerSelectors") j.attachedWorkerSelectors = readSelectors(r), required.mark(2);
    else if (key == "assignments") {
      r.beginObject();
      std::string assignmentId;
      while (r.nextKey(assignmentId)) j.assignments.push_back(readAssignment(r));
      required.mark(3);
    } else if (key == "channelReference") j.channelReference = optString(r);
    else if (key == "enqueuedAt") j.enqueuedAt = optTime(r);
    else if (key == "classificationPolicyId") j.classificationPolicyId = optString(r);
    else if (key == "queueId") j.queueId = optString(r);
    else if (key == "priority") {
      j.priority = r.integer();
      if (j.priority < -100 || j.priority > 100) r.fail("a job's priority must be within -100 and 100");
    } else if (key == "dispositionCode") j.dispositionCode = optString(r);
    else if (key == "labels") j.labels = readLabelMap(r);
    else if (key == "tags") j.tags = readLabelMap(r);
    else if (key == "notes") j.notes = readNotes(r, now);
    else if (key == "scheduledAt") j.scheduledAt = optTime(r);
    else if (key == "matchingMode") j.matchingMode = readMatchingMode(r);
    else r.skip();  // id, etag, requestedWorkerSelectors: the record's own fields say them
  }
  required.check({"status", "channelId", "attachedWorkerSelectors", "assignments"});
  if (!j.queueId && !j.classificationPolicyId) r.fail("a job needs a queueId or a classificationPolicyId");
}

PendingClose readPendingClose(StateReader& r) {
  PendingClose p;
  Required required;
  r.beginObject();
  Key key;
  while (r.nextKey(key)) {
    if (key == "assignmentId") p.assignmentId = r.string(), required.mark(0);
    else if (key == "closeAt") p.closeAt = r.time(), required.mark(1);
    else if (key == "dispositionCode") p.dispositionCode = r.string();
    else r.skip();
  }
  required.check({"assignmentId", "closeAt"});
  return p;
}

// The router-owned part of a job record next to its value; false for a key that is not one of them.
bool readJobState(StateReader& r, const Key& key, Job& j, Required& required) {
  if (key == "requestedSelectorState") j.requestedWorkerSelectors = readSelectors(r), required.mark(0);
  else if (key == "unassignmentCount") j.unassignmentCount = r.integer(), required.mark(1);
  else if (key == "enqueueSequence") j.enqueueSequence = r.count(), required.mark(2);
  else if (key == "activeOffers") {
    r.beginArray();
    while (r.nextItem()) {
      const Json ref = r.value();
      const auto w = ref.find("workerId"), o = ref.find("offerId");
      if (!ref.is_object() || w == ref.end() || o == ref.end() || !w->is_string() || !o->is_string()) {
        r.fail("an active offer needs a workerId and an offerId");
      }
      j.activeOffers.push_back({w->get<std::string>(), o->get<std::string>()});
    }
    required.mark(3);
  } else if (key == "declinedBy") {
    r.beginObject();
    std::string worker;
    while (r.nextKey(worker)) {
      Decline d;
      Required fields;
      r.beginObject();
      Key field;
      while (r.nextKey(field)) {
        if (field == "workerEpoch") d.workerEpoch = r.count(), fields.mark(0);
        else if (field == "retryAt") d.retryAt = optTime(r);
        else r.skip();
      }
      fields.check({"workerEpoch"});
      j.declinedBy[worker] = d;
    }
    required.mark(4);
  } else if (key == "firedExceptionRules") {
    r.beginArray();
    while (r.nextItem()) j.firedExceptionRules.insert(r.string());
    required.mark(5);
  } else if (key == "exceptionSourceQueue") j.exceptionSourceQueue = r.string();
  else if (key == "pendingClose") j.pendingClose = readPendingClose(r);
  else return false;
  return true;
}

}  // namespace

struct StateCodec::Context {
  Required sections;
  std::uint64_t nextSeq[6] = {0, 0, 0, 0, 0, 0};
  std::uint64_t storedBytes = 0;
};

void StateCodec::decodeJob(Engine& e, StateReader& r, Context& ctx) {
  Meta meta;
  Job j;
  Required state;
  r.beginObject();
  Key key;
  while (r.nextKey(key)) {
    if (meta.read(r, key) || readJobState(r, key, j, state)) continue;
    if (key == "value") {
      const char* start = r.valueStart();
      readJobValue(r, j, e.now_);
      meta.valueBytes = static_cast<std::uint64_t>(r.position() - start);
      meta.required.mark(5);
    } else {
      r.skip();
    }
  }
  Record<Job> record = meta.record(std::move(j));
  state.check({"requestedSelectorState", "unassignmentCount", "enqueueSequence", "activeOffers", "declinedBy",
               "firedExceptionRules"});
  ctx.storedBytes += record.accountedBytes;
  if (record.value.status == JobStatus::Queued && record.value.queueId) {
    e.queueIndex_.add(*record.value.queueId, e.queueEntry(meta.id, record.value));
  }
  meta.restore(e.jobs_, std::move(record));
}

void StateCodec::decodeJobs(Engine& e, StateReader& r, Context& ctx) {
  r.beginArray();
  while (r.nextItem()) decodeJob(e, r, ctx);
}

void StateCodec::decodeWorker(Engine& e, StateReader& r, Context& ctx) {
  Meta meta;
  Json v;
  Required extra;  // registrationEpoch, idleSince
  std::uint64_t epoch = 0;
  Instant idleSince = 0;
  r.beginObject();
  Key key;
  while (r.nextKey(key)) {
    if (meta.read(r, key)) continue;
    if (key == "value") v = meta.value(r);
    else if (key == "registrationEpoch") epoch = r.count(), extra.mark(0);
    else if (key == "idleSince") idleSince = r.ticks(), extra.mark(1);
    else r.skip();
  }
  meta.required.check({"id", "seq", "version", "etag", "lastModified", "value"});
  extra.check({"registrationEpoch", "idleSince"});
  Issues issues;
  Worker w{readWorker(meta.id, v, anyExists(), issues), WorkerRouterState{}};
  if (!issues.empty()) throw badState("invalid worker '" + meta.id + "'");
  const auto str = [](const Json& obj, const char* name) {
    const auto it = obj.find(name);
    if (it == obj.end() || !it->is_string()) throw badState(std::string("expected a string '") + name + "'");
    return it->get<std::string>();
  };
  const auto int64 = [](const Json& obj, const char* name) {
    const auto it = obj.find(name);
    if (it == obj.end() || !it->is_number_integer()) throw badState(std::string("expected an integer '") + name + "'");
    return it->get<std::int64_t>();
  };
  const auto instant = [&](const Json& obj, const char* name, bool optional) -> std::optional<Instant> {
    const auto it = obj.find(name);
    if (optional && (it == obj.end() || it->is_null())) return std::nullopt;
    const auto t = it != obj.end() && it->is_string() ? parseIsoTime(it->get<std::string>()) : std::nullopt;
    if (!t) throw badState(std::string("expected a date-time '") + name + "'");
    return t;
  };
  const std::string state = str(v, "state");
  w.state = state == "active" ? WorkerState::Active : state == "draining" ? WorkerState::Draining : WorkerState::Inactive;
  const auto offers = v.find("offers"), assigned = v.find("assignedJobs");
  if (offers == v.end() || !offers->is_array() || assigned == v.end() || !assigned->is_array()) {
    throw badState("a worker needs offers and assignedJobs");
  }
  for (const auto& o : *offers) {
    w.offers.push_back({str(o, "offerId"), str(o, "jobId"), int64(o, "capacityCost"), *instant(o, "offeredAt", false),
                        instant(o, "expiresAt", true)});
  }
  for (const auto& a : *assigned) {
    w.assignedJobs.push_back({str(a, "assignmentId"), str(a, "jobId"), int64(a, "capacityCost"),
                              *instant(a, "assignedAt", false)});
  }
  w.registrationEpoch = epoch;
  w.idleSince = idleSince;
  e.queueWorkers_.index(meta.id, nullptr, &w);
  Record<Worker> record = meta.record(std::move(w));
  ctx.storedBytes += record.accountedBytes;
  meta.restore(e.workers_, std::move(record));
}

void StateCodec::decodeWorkers(Engine& e, StateReader& r, Context& ctx) {
  r.beginArray();
  while (r.nextItem()) decodeWorker(e, r, ctx);
}

void StateCodec::decodeQueues(Engine& e, StateReader& r, Context& ctx) {
  r.beginArray();
  while (r.nextItem()) {
    Meta meta;
    const Json v = meta.readItem(r);
    Issues issues;
    Queue q = readQueue(meta.id, v, anyExists(), issues);
    if (!issues.empty()) throw badState("invalid queue '" + meta.id + "'");
    Record<Queue> record = meta.record(std::move(q));
    ctx.storedBytes += record.accountedBytes;
    meta.restore(e.queues_, std::move(record));
  }
}

}  // namespace jr

namespace jr {

namespace {

int sectionBit(const std::string& key) {
  for (int i = 0; i < kSectionCount; ++i) {
    if (key == kSections[i]) return i;
  }
  return -1;
}

void readWords(StateReader& r, std::uint64_t (&words)[4], const char* name) {
  r.beginArray();
  int n = 0;
  while (r.nextItem()) {
    if (n == 4) r.fail(std::string(name) + " must hold 4 words");
    words[n++] = r.count();
  }
  if (n != 4) r.fail(std::string(name) + " must hold 4 words");
}

void readPolicies(StateReader& r, Table<Json>& table, std::uint64_t& storedBytes) {
  r.beginArray();
  while (r.nextItem()) {
    Meta meta;
    Record<Json> record = meta.record(meta.readItem(r));
    storedBytes += record.accountedBytes;
    meta.restore(table, std::move(record));
  }
}

// An object of string values (roundRobinCursors, acceptedElsewhere).
void readStringMap(StateReader& r, std::map<std::string, std::string>& out) {
  r.beginObject();
  Key key;
  while (r.nextKey(key)) out[key] = r.string();
}

}  // namespace

// format, formatVersion, now, the id generators and the counters; false for another key.
bool StateCodec::decodeCounter(Engine& e, StateReader& r, const std::string& key, Context& ctx) {
  std::uint64_t words[4];
  if (key == "format") {
    if (r.peek() != '"' || r.string() != kStateFormat) throw badState("not a jobrouter-emulator state");
  } else if (key == "formatVersion") {
    if (r.peek() == '"' || r.value() != Json(kStateFormatVersion)) throw badState("unsupported formatVersion");
  } else if (key == "now") {
    e.now_ = r.time();
  } else if (key == "prng") {
    readWords(r, words, "prng");
    e.prng_.setState(words);
  } else if (key == "eventIds") {
    readWords(r, words, "eventIds");
    e.outbox_.idGenerator().setState(words);
  } else if (key == "eventSequence") {
    e.outbox_.setSequence(r.count());
  } else if (key == "writeCounter") {
    e.writeCounter_ = r.count();
  } else if (key == "enqueueCounter") {
    e.enqueueCounter_ = r.count();
  } else if (key == "ruleRequestCounter") {
    e.hostRules_.restoreCounter(r.count());
  } else if (key == "nextSeq") {
    Required seen;
    r.beginObject();
    std::string table;
    while (r.nextKey(table)) {
      const auto at = std::find_if(std::begin(kTables), std::end(kTables), [&](const char* t) { return table == t; });
      if (at == std::end(kTables)) r.skip();
      else ctx.nextSeq[at - std::begin(kTables)] = r.count(), seen.mark(static_cast<int>(at - std::begin(kTables)));
    }
    seen.check({kTables[0], kTables[1], kTables[2], kTables[3], kTables[4], kTables[5]});
  } else {
    return false;
  }
  return true;
}

void StateCodec::decodeFollowUps(Engine& e, StateReader& r, const std::string& key) {
  if (key == "pendingJobs") {
    r.beginArray();
    while (r.nextItem()) e.followUps_.stepJob(r.string());
  } else if (key == "timers") {
    r.beginArray();
    while (r.nextItem()) {
      Timer t;
      Required required;
      r.beginObject();
      Key field;
      while (r.nextKey(field)) {
        if (field == "due") t.due = r.time(), required.mark(0);
        else if (field == "kind") {
          const std::int64_t kind = r.integer();
          if (kind < 0 || kind >= kTimerKindCount) r.fail("unknown timer kind");
          t.kind = static_cast<TimerKind>(kind);
          required.mark(1);
        } else if (field == "a") t.a = r.string(), required.mark(2);
        else if (field == "b") t.b = r.string(), required.mark(3);
        else if (field == "c") t.c = r.string(), required.mark(4);
        else r.skip();
      }
      required.check({"due", "kind", "a", "b", "c"});
      e.timers_.add(std::move(t));
    }
  } else if (key == "roundRobinCursors") {
    readStringMap(r, e.offerHistory_.lastOfferedByPolicy());
  } else if (key == "acceptedElsewhere") {
    readStringMap(r, e.offerHistory_.acceptedElsewhereByOffer());
  } else if (key == "assignmentWaits") {
    r.beginObject();
    std::string queue;
    while (r.nextKey(queue)) {
      std::vector<Instant> samples;
      r.beginArray();
      while (r.nextItem()) samples.push_back(static_cast<Instant>(r.count()));
      e.waitStats_.restore(queue, samples);
    }
  }
}

void StateCodec::decodeRules(Engine& e, StateReader& r, const std::string& key) {
  r.beginArray();
  while (r.nextItem()) {
    std::string requestId, jobId, answerKey, error;
    Json rule, payload, value;
    bool failed = false;
    Required required;
    r.beginObject();
    Key field;
    while (r.nextKey(field)) {
      if (field == "requestId") requestId = r.string(), required.mark(0);
      else if (field == "jobId") jobId = r.string(), required.mark(1);
      else if (field == "key") answerKey = r.string(), required.mark(2);
      else if (field == "rule") rule = r.value(), required.mark(3);
      else if (field == "payload") payload = r.value(), required.mark(4);
      else if (field == "failed") failed = r.boolean(), required.mark(5);
      else if (field == "value") value = r.value(), required.mark(6);
      else if (field == "error") error = r.string(), required.mark(7);
      else r.skip();
    }
    const bool request = key == "ruleRequests";
    if (request) required.need(0, "requestId");
    required.need(1, "jobId");
    required.need(2, "key");
    if (request) {
      required.need(3, "rule");
      required.need(4, "payload");
      e.hostRules_.restoreRequest(requestId, {jobId, answerKey, std::move(rule), std::move(payload)});
    } else {
      required.need(5, "failed");
      required.need(6, "value");
      required.need(7, "error");
      e.hostRules_.restoreAnswer(jobId, answerKey, ExternalAnswer{failed, std::move(value), error});
    }
  }
}

void StateCodec::decodeSection(Engine& e, StateReader& r, const std::string& key, Context& ctx) {
  const int bit = sectionBit(key);
  if (bit < 0) {
    r.skip();  // a key this version does not know
    return;
  }
  ctx.sections.mark(bit);
  if (decodeCounter(e, r, key, ctx)) return;
  if (key == "distributionPolicies") readPolicies(r, e.distributionPolicies_, ctx.storedBytes);
  else if (key == "classificationPolicies") readPolicies(r, e.classificationPolicies_, ctx.storedBytes);
  else if (key == "exceptionPolicies") readPolicies(r, e.exceptionPolicies_, ctx.storedBytes);
  else if (key == "queues") decodeQueues(e, r, ctx);
  else if (key == "workers") decodeWorkers(e, r, ctx);
  else if (key == "jobs") decodeJobs(e, r, ctx);
  else if (key == "ruleRequests" || key == "ruleAnswers") decodeRules(e, r, key);
  else decodeFollowUps(e, r, key);
}

void StateCodec::finish(Engine& e, const Context& ctx) {
  if (!(ctx.sections.seen & (1u << (kSectionCount - 2)))) throw badState("not a jobrouter-emulator state");
  if (!(ctx.sections.seen & (1u << (kSectionCount - 1)))) throw badState("unsupported formatVersion");
  for (int i = 0; i < kSectionCount - 2; ++i) ctx.sections.need(i, kSections[i]);
  Table<Json>* policies[] = {&e.distributionPolicies_, &e.classificationPolicies_, &e.exceptionPolicies_};
  for (int i = 0; i < 3; ++i) policies[i]->setNextSeq(std::max(policies[i]->nextSeq(), ctx.nextSeq[i]));
  e.queues_.setNextSeq(std::max(e.queues_.nextSeq(), ctx.nextSeq[3]));
  e.workers_.setNextSeq(std::max(e.workers_.nextSeq(), ctx.nextSeq[4]));
  e.jobs_.setNextSeq(std::max(e.jobs_.nextSeq(), ctx.nextSeq[5]));
}

std::uint64_t StateCodec::decode(Engine& e, std::string_view text) {
  StateReader r(text);
  Context ctx;
  if (r.peek() != '{') throw badState("not a jobrouter-emulator state");
  r.beginObject();
  Key key;
  while (r.nextKey(key)) decodeSection(e, r, key, ctx);
  r.end();
  finish(e, ctx);
  return ctx.storedBytes;
}

void Engine::importState(const Json& state) {
  try {
    StateCodec::decode(*this, toJsonText(state));
  } catch (const ApiError&) {
    throw;
  } catch (const std::exception& e) {
    throw badState(e.what());
  }
}

}  // namespace jr
