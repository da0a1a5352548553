// Whole-engine snapshots: everything needed to continue exactly where the export left off (clock, id generator,
// counters, every record with its etag and version, pending follow-ups, queue order).
#include <string>

#include "core/engine/engine.hpp"

namespace jr {

namespace {

constexpr const char* kFormat = "jobrouter-emulator-state";
constexpr int kFormatVersion = 1;

ApiError badState(const std::string& why) {
  return badRequest("InvalidState", "The state snapshot is not valid: " + why);
}

const Json& need(const Json& obj, const char* key) {
  const auto it = obj.find(key);
  if (it == obj.end()) throw badState(std::string("missing '") + key + "'");
  return *it;
}

std::uint64_t u64(const Json& v) {
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  if (v.is_number_integer() && v.get<std::int64_t>() >= 0) return static_cast<std::uint64_t>(v.get<std::int64_t>());
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (!s.empty() && s.size() <= 20 && s.find_first_not_of("0123456789") == std::string::npos) return std::stoull(s);
  }
  throw badState("expected an unsigned integer");
}

std::int64_t i64(const Json& v) {
  if (v.is_number_integer()) return v.get<std::int64_t>();
  throw badState("expected an integer");
}

std::string str(const Json& v) {
  if (!v.is_string()) throw badState("expected a string");
  return v.get<std::string>();
}

Instant instant(const Json& v) {
  auto t = v.is_string() ? parseIsoTime(v.get<std::string>()) : std::nullopt;
  if (!t) throw badState("expected a date-time");
  return *t;
}

std::optional<Instant> optInstant(const Json& obj, const char* key) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  return instant(*it);
}

const ExistsFn& anyExists() {
  static const ExistsFn fn = [](ResourceKind, const std::string&) { return true; };
  return fn;
}

template <class T>
Json recordMeta(const std::string& id, const Record<T>& r) {
  return {{"id", id}, {"seq", r.seq}, {"version", r.version}, {"etag", r.etag},
          {"lastModified", std::to_string(r.lastModified)}};
}

template <class T>
Record<T> readMeta(const Json& item, T value) {
  Record<T> r;
  r.value = std::move(value);
  r.seq = u64(need(item, "seq"));
  r.version = u64(need(item, "version"));
  r.etag = str(need(item, "etag"));
  const Json& lm = need(item, "lastModified");
  if (!lm.is_string()) throw badState("lastModified must be a string of ticks");
  try {
    r.lastModified = std::stoll(lm.get<std::string>());
  } catch (...) {
    throw badState("lastModified must be a string of ticks");
  }
  return r;
}


std::vector<WorkerSelector> readSelectorsState(const Json& list) {
  std::vector<WorkerSelector> out;
  if (!list.is_array()) throw badState("selectors must be an array");
  for (const auto& item : list) {
    Issues issues;
    auto s = readWorkerSelector(item, "", issues);
    if (!s || !issues.empty()) throw badState("invalid worker selector");
    s->expired = item.value("status", "active") == "expired";
    s->expiresAt = optInstant(item, "expiresAt");
    out.push_back(*s);
  }
  return out;
}

}  // namespace

// Friend of Engine: reads and writes its private tables.
struct StateCodec {
  static Json encode(const Engine& e) {
    Json out = Json::object();
    out["format"] = kFormat;
    out["formatVersion"] = kFormatVersion;
    out["now"] = formatIsoTime(e.now_);
    Json prng = Json::array();
    for (int i = 0; i < 4; ++i) prng.push_back(std::to_string(e.prng_.state()[i]));
    out["prng"] = prng;
    Json eventIds = Json::array();
    for (int i = 0; i < 4; ++i) eventIds.push_back(std::to_string(e.outbox_.idGenerator().state()[i]));
    out["eventIds"] = eventIds;
    out["eventSequence"] = e.outbox_.sequence();
    out["writeCounter"] = e.writeCounter_;
    out["enqueueCounter"] = e.enqueueCounter_;
    auto policies = [](const Table<Json>& t) {
      Json list = Json::array();
      for (const auto& [seq, id] : t.bySeq()) {
        const auto& r = *t.find(id);
        Json item = recordMeta(id, r);
        item["value"] = r.value;
        list.push_back(item);
      }
      return list;
    };
    out["distributionPolicies"] = policies(e.distributionPolicies_);
    out["classificationPolicies"] = policies(e.classificationPolicies_);
    out["exceptionPolicies"] = policies(e.exceptionPolicies_);
    Json queues = Json::array();
    for (const auto& [seq, id] : e.queues_.bySeq()) {
      const auto& r = *e.queues_.find(id);
      Json item = recordMeta(id, r);
      item["value"] = writableJson(r.value);
      queues.push_back(item);
    }
    out["queues"] = queues;
    Json workers = Json::array();
    for (const auto& [seq, id] : e.workers_.bySeq()) {
      const auto& r = *e.workers_.find(id);
      Json item = recordMeta(id, r);
      item["value"] = toJson(id, r.value, r.etag);
      item["registrationEpoch"] = r.value.registrationEpoch;
      item["idleSince"] = std::to_string(r.value.idleSince);
      workers.push_back(item);
    }
    out["workers"] = workers;
    Json jobs = Json::array();
    for (const auto& [seq, id] : e.jobs_.bySeq()) {
      const auto& r = *e.jobs_.find(id);
      Json item = recordMeta(id, r);
      item["value"] = toJson(id, r.value, r.etag);
      item["requestedSelectorState"] = toJson(r.value.requestedWorkerSelectors);  // with expiresAt
      item["unassignmentCount"] = r.value.unassignmentCount;
      item["enqueueSequence"] = r.value.enqueueSequence;
      Json offers = Json::array();
      for (const auto& ref : r.value.activeOffers) offers.push_back({{"workerId", ref.workerId}, {"offerId", ref.offerId}});
      item["activeOffers"] = offers;
      Json declines = Json::object();
      for (const auto& [w, d] : r.value.declinedBy) {
        Json decline = {{"workerEpoch", d.workerEpoch}};
        if (d.retryAt) decline["retryAt"] = formatIsoTime(*d.retryAt);
        declines[w] = decline;
      }
      item["declinedBy"] = declines;
      item["firedExceptionRules"] = Json(std::vector<std::string>(r.value.firedExceptionRules.begin(),
                                                                  r.value.firedExceptionRules.end()));
      if (r.value.exceptionSourceQueue) item["exceptionSourceQueue"] = *r.value.exceptionSourceQueue;
      if (r.value.pendingClose) {
        Json pending = {{"assignmentId", r.value.pendingClose->assignmentId},
                        {"closeAt", formatIsoTime(r.value.pendingClose->closeAt)}};
        if (r.value.pendingClose->dispositionCode) pending["dispositionCode"] = *r.value.pendingClose->dispositionCode;
        item["pendingClose"] = pending;
      }
      jobs.push_back(item);
    }
    out["jobs"] = jobs;
    Json timers = Json::array();
    for (const auto& t : e.timers_.all()) {
      timers.push_back({{"due", formatIsoTime(t.due)}, {"kind", static_cast<int>(t.kind)}, {"a", t.a}, {"b", t.b}, {"c", t.c}});
    }
    out["timers"] = timers;
    Json cursors = Json::object();
    for (const auto& [policy, worker] : e.roundRobinCursor_) cursors[policy] = worker;
    out["roundRobinCursors"] = cursors;
    Json waits = Json::object();
    for (const auto& [queue, samples] : e.assignmentWaits_) {
      Json list = Json::array();
      for (Instant w : samples) list.push_back(std::to_string(w));
      waits[queue] = list;
    }
    out["assignmentWaits"] = waits;
    Json elsewhere = Json::object();
    for (const auto& [offer, worker] : e.acceptedElsewhere_) elsewhere[offer] = worker;
    out["acceptedElsewhere"] = elsewhere;
    Json requests = Json::array();
    for (const auto& [id, r] : e.ruleRequests_) {
      requests.push_back({{"requestId", id}, {"jobId", r.jobId}, {"key", r.key}, {"rule", r.rule}, {"payload", r.payload}});
    }
    out["ruleRequests"] = requests;
    out["ruleRequestCounter"] = e.ruleRequestCounter_;
    Json answers = Json::array();
    for (const auto& [jobId, byKey] : e.ruleAnswers_) {
      for (const auto& [key, a] : byKey) {
        answers.push_back({{"jobId", jobId}, {"key", key}, {"failed", a.failed}, {"value", a.value}, {"error", a.error}});
      }
    }
    out["ruleAnswers"] = answers;
    out["pendingJobs"] = Json(std::vector<std::string>(e.pendingJobs_.begin(), e.pendingJobs_.end()));
    out["nextSeq"] = {{"distributionPolicies", e.distributionPolicies_.nextSeq()},
                      {"classificationPolicies", e.classificationPolicies_.nextSeq()},
                      {"exceptionPolicies", e.exceptionPolicies_.nextSeq()},
                      {"queues", e.queues_.nextSeq()},
                      {"workers", e.workers_.nextSeq()},
                      {"jobs", e.jobs_.nextSeq()}};
    return out;
  }

  static void decode(Engine& e, const Json& in) {
    if (!in.is_object() || in.value("format", "") != kFormat) throw badState("not a jobrouter-emulator state");
    if (in.value("formatVersion", 0) != kFormatVersion) throw badState("unsupported formatVersion");
    e.now_ = instant(need(in, "now"));
    const Json& prng = need(in, "prng");
    if (!prng.is_array() || prng.size() != 4) throw badState("prng must hold 4 words");
    std::uint64_t words[4];
    for (int i = 0; i < 4; ++i) words[i] = u64(prng[i]);
    e.prng_.setState(words);
    const Json& eventIds = need(in, "eventIds");
    if (!eventIds.is_array() || eventIds.size() != 4) throw badState("eventIds must hold 4 words");
    for (int i = 0; i < 4; ++i) words[i] = u64(eventIds[i]);
    e.outbox_.idGenerator().setState(words);
    e.outbox_.setSequence(u64(need(in, "eventSequence")));
    e.writeCounter_ = u64(need(in, "writeCounter"));
    e.enqueueCounter_ = u64(need(in, "enqueueCounter"));
    auto policies = [](Table<Json>& t, const Json& list) {
      if (!list.is_array()) throw badState("policies must be an array");
      for (const auto& item : list) t.restore(str(need(item, "id")), readMeta(item, need(item, "value")));
    };
    policies(e.distributionPolicies_, need(in, "distributionPolicies"));
    policies(e.classificationPolicies_, need(in, "classificationPolicies"));
    policies(e.exceptionPolicies_, need(in, "exceptionPolicies"));
    for (const auto& item : need(in, "queues")) {
      const std::string id = str(need(item, "id"));
      Issues issues;
      Queue q = readQueue(id, need(item, "value"), anyExists(), issues);
      if (!issues.empty()) throw badState("invalid queue '" + id + "'");
      e.queues_.restore(id, readMeta(item, std::move(q)));
    }
    for (const auto& item : need(in, "workers")) {
      const std::string id = str(need(item, "id"));
      const Json& v = need(item, "value");
      Issues issues;
      Worker w = readWorker(id, v, anyExists(), issues);
      if (!issues.empty()) throw badState("invalid worker '" + id + "'");
      const std::string state = str(need(v, "state"));
      w.state = state == "active" ? WorkerState::Active : state == "draining" ? WorkerState::Draining
                                                                              : WorkerState::Inactive;
      for (const auto& o : need(v, "offers")) {
        w.offers.push_back({str(need(o, "offerId")), str(need(o, "jobId")), i64(need(o, "capacityCost")),
                            instant(need(o, "offeredAt")), optInstant(o, "expiresAt")});
      }
      for (const auto& a : need(v, "assignedJobs")) {
        w.assignedJobs.push_back({str(need(a, "assignmentId")), str(need(a, "jobId")), i64(need(a, "capacityCost")),
                                  instant(need(a, "assignedAt"))});
      }
      w.registrationEpoch = u64(need(item, "registrationEpoch"));
      try {
        w.idleSince = std::stoll(str(need(item, "idleSince")));
      } catch (const std::exception&) {
        throw badState("idleSince must be a string of ticks");
      }
      e.indexWorker(id, nullptr, &w);
      e.workers_.restore(id, readMeta(item, std::move(w)));
    }
    for (const auto& item : need(in, "jobs")) {
      const std::string id = str(need(item, "id"));
      const Json& v = need(item, "value");
      Issues issues;
      Job j = readJob(v, anyExists(), e.now_, issues);
      if (!issues.empty()) throw badState("invalid job '" + id + "'");
      const auto status = jobStatusFromName(str(need(v, "status")));
      if (!status) throw badState("invalid job status");
      j.status = *status;
      j.enqueuedAt = optInstant(v, "enqueuedAt");
      j.scheduledAt = optInstant(v, "scheduledAt");
      j.requestedWorkerSelectors = readSelectorsState(need(item, "requestedSelectorState"));
      j.attachedWorkerSelectors = readSelectorsState(need(v, "attachedWorkerSelectors"));
      const Json& assignments = need(v, "assignments");
      for (auto it = assignments.begin(); it != assignments.end(); ++it) {
        j.assignments.push_back({str(need(*it, "assignmentId")), str(need(*it, "workerId")),
                                 instant(need(*it, "assignedAt")), optInstant(*it, "completedAt"),
                                 optInstant(*it, "closedAt")});
      }
      j.unassignmentCount = i64(need(item, "unassignmentCount"));
      j.enqueueSequence = u64(need(item, "enqueueSequence"));
      for (const auto& ref : need(item, "activeOffers")) {
        j.activeOffers.push_back({str(need(ref, "workerId")), str(need(ref, "offerId"))});
      }
      const Json& declines = need(item, "declinedBy");
      if (!declines.is_object()) throw badState("declinedBy must be an object");
      for (auto it = declines.begin(); it != declines.end(); ++it) {
        j.declinedBy[it.key()] = Decline{u64(need(*it, "workerEpoch")), optInstant(*it, "retryAt")};
      }
      for (const auto& rule : need(item, "firedExceptionRules")) j.firedExceptionRules.insert(str(rule));
      if (auto source = item.find("exceptionSourceQueue"); source != item.end()) j.exceptionSourceQueue = str(*source);
      if (auto pending = item.find("pendingClose"); pending != item.end()) {
        std::optional<std::string> code;
        if (auto c = pending->find("dispositionCode"); c != pending->end()) code = str(*c);
        j.pendingClose = PendingClose{str(need(*pending, "assignmentId")), code, instant(need(*pending, "closeAt"))};
      }
      Record<Job> record = readMeta(item, std::move(j));
      if (record.value.status == JobStatus::Queued && record.value.queueId) {
        e.queueIndex_.add(*record.value.queueId, e.queueEntry(id, record.value));
      }
      e.jobs_.restore(id, std::move(record));
    }
    for (const auto& id : need(in, "pendingJobs")) e.pendingJobs_.insert(str(id));
    for (const auto& t : need(in, "timers")) {
      const std::int64_t kind = i64(need(t, "kind"));
      if (kind < 0 || kind >= kTimerKindCount) throw badState("unknown timer kind");
      e.timers_.add({instant(need(t, "due")), static_cast<TimerKind>(kind), str(need(t, "a")), str(need(t, "b")),
                     str(need(t, "c"))});
    }
    const Json& cursors = need(in, "roundRobinCursors");
    if (!cursors.is_object()) throw badState("roundRobinCursors must be an object");
    for (auto it = cursors.begin(); it != cursors.end(); ++it) e.roundRobinCursor_[it.key()] = str(*it);
    for (const auto& r : need(in, "ruleRequests")) {
      const std::string id = str(need(r, "requestId"));
      e.ruleRequests_[id] = Engine::RuleRequest{str(need(r, "jobId")), str(need(r, "key")), need(r, "rule"), need(r, "payload")};
      e.unpublishedRuleRequests_.push_back(id);  // the host sees pending requests again after an import
    }
    e.ruleRequestCounter_ = u64(need(in, "ruleRequestCounter"));
    for (const auto& a : need(in, "ruleAnswers")) {
      const Json& failed = need(a, "failed");
      if (!failed.is_boolean()) throw badState("ruleAnswers.failed must be a boolean");
      e.ruleAnswers_[str(need(a, "jobId"))][str(need(a, "key"))] =
          ExternalAnswer{failed.get<bool>(), need(a, "value"), str(need(a, "error"))};
    }
    const Json& elsewhere = need(in, "acceptedElsewhere");
    if (!elsewhere.is_object()) throw badState("acceptedElsewhere must be an object");
    for (auto it = elsewhere.begin(); it != elsewhere.end(); ++it) e.acceptedElsewhere_[it.key()] = str(*it);
    const Json& waits = need(in, "assignmentWaits");
    if (!waits.is_object()) throw badState("assignmentWaits must be an object");
    for (auto it = waits.begin(); it != waits.end(); ++it) {
      for (const auto& w : *it) e.assignmentWaits_[it.key()].push_back(static_cast<Instant>(u64(w)));
    }
    const Json& next = need(in, "nextSeq");
    e.distributionPolicies_.setNextSeq(std::max(e.distributionPolicies_.nextSeq(), u64(need(next, "distributionPolicies"))));
    e.classificationPolicies_.setNextSeq(std::max(e.classificationPolicies_.nextSeq(), u64(need(next, "classificationPolicies"))));
    e.exceptionPolicies_.setNextSeq(std::max(e.exceptionPolicies_.nextSeq(), u64(need(next, "exceptionPolicies"))));
    e.queues_.setNextSeq(std::max(e.queues_.nextSeq(), u64(need(next, "queues"))));
    e.workers_.setNextSeq(std::max(e.workers_.nextSeq(), u64(need(next, "workers"))));
    e.jobs_.setNextSeq(std::max(e.jobs_.nextSeq(), u64(need(next, "jobs"))));
  }
};

Json Engine::exportState() const { return StateCodec::encode(*this); }

void Engine::importState(const Json& state) {
  try {
    StateCodec::decode(*this, state);
  } catch (const ApiError&) {
    throw;
  } catch (const std::exception& e) {
    throw badState(e.what());
  }
}

}  // namespace jr
