// Responses and events are written directly as text (JsonOut and the writers next to each model); their text must
// be the library's dump of trees built apart from them (jobTree, workerTree, queueTree below: the resources as the
// library would write them, from the model's writable JSON and the router-owned fields), byte for byte. Held here for seeded
// random resources (non-ASCII and invalid UTF-8 strings, floats, nulls, optional fields present and absent), and
// for the writer's own commas, numbers and dates.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/events/label_text.hpp"
#include "core/model/job.hpp"
#include "core/model/policies.hpp"
#include "core/model/queue.hpp"
#include "core/model/worker.hpp"
#include "core/util/json_writer.hpp"
#include "core/util/prng.hpp"
#include "test-support.hpp"

using jr::Json;
using jr::JsonOut;

namespace {

std::string libraryText(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

// The resources as trees, key by key in the order GET answers them: the oracles the direct writers are held to.
Json jobTree(const std::string& id, const jr::Job& job, const std::string& etag) {
  Json writable = jr::writableJson(job.spec());
  Json out = Json::object();
  out["id"] = id;
  if (job.channelReference) out["channelReference"] = *job.channelReference;
  out["status"] = jr::toString(job.status);
  if (job.enqueuedAt) out["enqueuedAt"] = jr::formatIsoTime(*job.enqueuedAt);
  out["channelId"] = job.channelId;
  if (job.classificationPolicyId) out["classificationPolicyId"] = *job.classificationPolicyId;
  if (job.queueId) out["queueId"] = *job.queueId;
  out["priority"] = job.priority;
  if (job.dispositionCode) out["dispositionCode"] = *job.dispositionCode;
  // requested selectors show their status, not their expiresAt (recorded with expiresAfterSeconds set)
  Json requested = jr::toJson(job.requestedWorkerSelectors);
  for (auto& selector : requested) selector.erase("expiresAt");
  out["requestedWorkerSelectors"] = std::move(requested);
  out["attachedWorkerSelectors"] = jr::toJson(job.attachedWorkerSelectors);
  out["labels"] = std::move(writable["labels"]);
  Json assignments = Json::object();
  for (const auto& a : job.assignments) {
    Json item = {{"assignmentId", a.assignmentId}, {"workerId", a.workerId},
                 {"assignedAt", jr::formatIsoTime(a.assignedAt)}};
    if (a.completedAt) item["completedAt"] = jr::formatIsoTime(*a.completedAt);
    if (a.closedAt) item["closedAt"] = jr::formatIsoTime(*a.closedAt);
    assignments[a.assignmentId] = std::move(item);
  }
  out["assignments"] = std::move(assignments);
  out["tags"] = std::move(writable["tags"]);
  out["notes"] = std::move(writable["notes"]);
  if (job.scheduledAt) out["scheduledAt"] = jr::formatIsoTime(*job.scheduledAt);
  out["matchingMode"] = std::move(writable["matchingMode"]);
  out["etag"] = etag;
  return out;
}

Json workerTree(const std::string& id, const jr::Worker& worker, const std::string& etag) {
  Json writable = jr::writableJson(worker.spec());
  Json out = Json::object();
  out["id"] = id;
  out["state"] = jr::toString(worker.state);
  out["queues"] = std::move(writable["queues"]);
  out["capacity"] = worker.capacity;
  out["labels"] = std::move(writable["labels"]);
  out["tags"] = std::move(writable["tags"]);
  out["channels"] = std::move(writable["channels"]);
  Json offers = Json::array();
  for (const auto& o : worker.offers) {
    Json item = {{"offerId", o.offerId}, {"jobId", o.jobId}, {"capacityCost", o.capacityCost},
                 {"offeredAt", jr::formatIsoTime(o.offeredAt)}};
    if (o.expiresAt) item["expiresAt"] = jr::formatIsoTime(*o.expiresAt);
    offers.push_back(std::move(item));
  }
  out["offers"] = std::move(offers);
  Json assigned = Json::array();
  for (const auto& a : worker.assignedJobs) {
    assigned.push_back({{"assignmentId", a.assignmentId}, {"jobId", a.jobId}, {"capacityCost", a.capacityCost},
                        {"assignedAt", jr::formatIsoTime(a.assignedAt)}});
  }
  out["assignedJobs"] = std::move(assigned);
  out["loadRatio"] = jr::numberJson(worker.loadRatio());
  out["availableForOffers"] = worker.availableForOffers;
  out["etag"] = etag;
  return out;
}

// {"id", …canonical…, "etag"}, assigned in that order (a canonical "id" or "etag" keeps its place, takes the value).
Json policyTree(const std::string& id, const Json& canonical, const std::string& etag) {
  Json out = Json::object();
  out["id"] = id;
  for (auto it = canonical.begin(); it != canonical.end(); ++it) out[it.key()] = *it;
  out["etag"] = etag;
  return out;
}

Json queueTree(const std::string& id, const jr::Queue& queue, const std::string& etag) {
  Json out = Json::object();
  out["id"] = id;
  if (queue.name) out["name"] = *queue.name;
  out["distributionPolicyId"] = queue.distributionPolicyId;
  out["labels"] = jr::labelsToJson(queue.labels);
  if (queue.exceptionPolicyId) out["exceptionPolicyId"] = *queue.exceptionPolicyId;
  out["etag"] = etag;
  return out;
}

template <class Write>
std::string written(Write&& write) {
  std::string text;
  JsonOut out(text);
  write(out);
  out.finish();
  return text;
}

template <class Write>
std::string writtenTaped(Write&& write) {
  std::string text;
  jr::TapedJsonOut out(text, nullptr);
  write(out);
  out.finish();
  return text;
}

std::string randomText(jr::Prng& prng) {
  static const std::string kPieces[] = {"a", "Z", "0", " ", "\"", "\\", "/", "é", "€", "😀", "\xff", "\xc3",
                                        "\n", "\x01", "queue-", "worker ", "{}", "long text without escapes"};
  std::string s;
  const std::size_t n = prng.next() % 6;
  for (std::size_t i = 0; i < n; ++i) s += kPieces[prng.next() % std::size(kPieces)];
  return s;
}

std::optional<std::string> maybeText(jr::Prng& prng) {
  if (prng.next() % 3 == 0) return std::nullopt;
  return randomText(prng);
}

jr::Instant randomInstant(jr::Prng& prng) {
  const jr::Instant base = 1704067200LL * jr::kTicksPerSecond;
  switch (prng.next() % 3) {
    case 0: return base + static_cast<jr::Instant>(prng.next() % 1000) * jr::kTicksPerSecond;
    case 1: return base + static_cast<jr::Instant>(prng.next() % 100'000'000'000ULL);
    default: return base - static_cast<jr::Instant>(prng.next() % 10'000'000'000'000ULL);
  }
}

std::optional<jr::Instant> maybeInstant(jr::Prng& prng) {
  if (prng.next() % 2 == 0) return std::nullopt;
  return randomInstant(prng);
}

Json randomPrimitive(jr::Prng& prng) {
  switch (prng.next() % 7) {
    case 0: return randomText(prng);
    case 1: return prng.next() % 2 == 0;
    case 2: return static_cast<std::int64_t>(prng.next() % 2000) - 1000;
    case 3: return (prng.unit() - 0.5) * std::pow(10.0, static_cast<double>(prng.next() % 40) - 20.0);
    case 4: return 100.0;
    case 5: return nullptr;  // not from a request, but a stored value may hold one (hand-made snapshot)
    default: return prng.next();
  }
}

jr::LabelMap randomLabels(jr::Prng& prng) {
  jr::LabelMap labels;
  for (std::size_t i = prng.next() % 4; i > 0; --i) labels[randomText(prng)] = randomPrimitive(prng);
  return labels;
}

std::vector<jr::WorkerSelector> randomSelectors(jr::Prng& prng) {
  std::vector<jr::WorkerSelector> list;
  for (std::size_t i = prng.next() % 3; i > 0; --i) {
    jr::WorkerSelector s;
    s.key = randomText(prng);
    s.labelOperator = static_cast<jr::LabelOperator>(prng.next() % 6);
    if (prng.next() % 4 != 0) s.value = randomPrimitive(prng);
    if (prng.next() % 2 == 0) s.expiresAfterSeconds = prng.next() % 2 == 0 ? 30.0 : prng.unit() * 100.0;
    s.expedite = prng.next() % 2 == 0;
    s.expired = prng.next() % 2 == 0;
    s.expiresAt = maybeInstant(prng);
    list.push_back(s);
  }
  return list;
}

jr::Job randomJob(jr::Prng& prng) {
  jr::Job job;
  job.channelReference = maybeText(prng);
  job.channelId = randomText(prng);
  job.classificationPolicyId = maybeText(prng);
  job.queueId = maybeText(prng);
  job.priority = static_cast<std::int64_t>(prng.next() % 201) - 100;
  job.dispositionCode = maybeText(prng);
  job.requestedWorkerSelectors = randomSelectors(prng);
  job.attachedWorkerSelectors = randomSelectors(prng);
  job.labels = randomLabels(prng);
  job.tags = randomLabels(prng);
  for (std::size_t i = prng.next() % 3; i > 0; --i) job.notes.push_back({randomText(prng), randomInstant(prng)});
  job.matchingMode.kind = static_cast<jr::MatchingModeKind>(prng.next() % 3);
  job.matchingMode.scheduleAt = maybeInstant(prng);
  job.status = static_cast<jr::JobStatus>(prng.next() % jr::kJobStatusCount);
  job.enqueuedAt = maybeInstant(prng);
  job.scheduledAt = maybeInstant(prng);
  for (std::size_t i = prng.next() % 4; i > 0; --i) {
    // Now and then an id used twice (only a hand-made snapshot could do that).
    const std::string id = prng.next() % 5 == 0 && !job.assignments.empty() ? job.assignments.front().assignmentId
                                                                             : prng.guid();
    job.assignments.push_back({id, randomText(prng), randomInstant(prng), maybeInstant(prng), maybeInstant(prng)});
  }
  return job;
}

jr::Worker randomWorker(jr::Prng& prng) {
  jr::Worker w;
  for (std::size_t i = prng.next() % 3; i > 0; --i) w.queues.push_back(randomText(prng));
  w.capacity = static_cast<std::int64_t>(prng.next() % 7);
  w.labels = randomLabels(prng);
  w.tags = randomLabels(prng);
  for (std::size_t i = prng.next() % 3; i > 0; --i) {
    jr::Channel c{randomText(prng), static_cast<std::int64_t>(prng.next() % 4), std::nullopt};
    if (prng.next() % 2 == 0) c.maxNumberOfJobs = static_cast<std::int64_t>(prng.next() % 5) + 1;
    w.channels.push_back(c);
  }
  w.availableForOffers = prng.next() % 2 == 0;
  w.state = static_cast<jr::WorkerState>(prng.next() % 3);
  for (std::size_t i = prng.next() % 3; i > 0; --i) {
    w.offers.push_back({prng.guid(), randomText(prng), static_cast<std::int64_t>(prng.next() % 4),
                        randomInstant(prng), maybeInstant(prng)});
  }
  for (std::size_t i = prng.next() % 3; i > 0; --i) {
    w.assignedJobs.push_back({prng.guid(), randomText(prng), static_cast<std::int64_t>(prng.next() % 4),
                              randomInstant(prng)});
  }
  return w;
}

}  // namespace

TEST_CASE("json out: commas, keys, literals and raw text", "[json-out]") {
  const std::string text = written([](JsonOut& out) {
    out.beginObject().key("a").integer(-5).key("b").beginArray().endArray().key("c").beginObject().endObject();
    out.key(std::string("k\"\xc3\xa9")).beginArray().string("x").null().boolean(false).literal("lit").endArray();
    out.key("r").raw("{\"n\":1}").key("u").unsignedInteger(std::numeric_limits<std::uint64_t>::max());
    out.key("v").beginValue().put("\"piece", 6).put('"').endObject();
  });
  CHECK(text == "{\"a\":-5,\"b\":[],\"c\":{},\"k\\\"\xc3\xa9\":[\"x\",null,false,\"lit\"],\"r\":{\"n\":1},"
                "\"u\":18446744073709551615,\"v\":\"piece\"}");
  // Appends after what the string already holds.
  std::string prefix = "[1,";
  {
    JsonOut out(prefix);
    out.beginObject().key("x").json(Json::parse(R"({"y":[1.5,"z",null]})")).endObject();
  }
  CHECK(prefix == "[1,{\"x\":{\"y\":[1.5,\"z\",null]}}");
}

TEST_CASE("json out: numbers as the service writes them, dates as formatIsoTime", "[json-out]") {
  const double doubles[] = {0.0, -0.0, 1.0, 100.0, -3.0, 2.5, 10.01, 1e-7, 1e15, 8.9e15, 9.1e15, 1e300, 0.1 + 0.2,
                            std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()};
  for (const double d : doubles) {
    INFO(d);
    CHECK(written([d](JsonOut& out) { out.number(d); }) == libraryText(jr::numberJson(d)));
  }
  jr::Prng prng(16);
  for (int i = 0; i < 1000; ++i) {
    const jr::Instant t = randomInstant(prng);
    CHECK(written([t](JsonOut& out) { out.time(t); }) == libraryText(Json(jr::formatIsoTime(t))));
  }
}

TEST_CASE("json out: jobs, workers and queues are written as their trees", "[json-out]") {
  jr::Prng prng(20261202);
  for (int i = 0; i < 3000; ++i) {
    const std::string id = randomText(prng);
    const std::string etag = "\"" + prng.guid() + "\"";
    const jr::Job job = randomJob(prng);
    const std::string jobText = written([&](JsonOut& out) { jr::writeJob(out, id, job, etag); });
    if (jobText != libraryText(jobTree(id, job, etag))) {
      INFO("job " << i);
      REQUIRE(jobText == libraryText(jobTree(id, job, etag)));
    }
    const jr::Worker worker = randomWorker(prng);
    const std::string workerText = written([&](JsonOut& out) { jr::writeWorker(out, id, worker, etag); });
    if (workerText != libraryText(workerTree(id, worker, etag))) {
      INFO("worker " << i);
      REQUIRE(workerText == libraryText(workerTree(id, worker, etag)));
    }
    jr::Queue queue{maybeText(prng), randomText(prng), randomLabels(prng), maybeText(prng)};
    CHECK(written([&](JsonOut& out) { jr::writeQueue(out, id, queue, etag); }) ==
          libraryText(queueTree(id, queue, etag)));
  }
  SUCCEED("3,000 of each alike");
}

TEST_CASE("json out: selectors and labels as their trees", "[json-out]") {
  jr::Prng prng(5);
  for (int i = 0; i < 1000; ++i) {
    const auto selectors = randomSelectors(prng);
    Json all = jr::toJson(selectors);
    CHECK(written([&](JsonOut& out) { jr::writeWorkerSelectors(out, selectors, jr::SelectorFields::All); }) ==
          libraryText(all));
    for (auto& s : all) s.erase("expiresAt");
    CHECK(written([&](JsonOut& out) { jr::writeWorkerSelectors(out, selectors, jr::SelectorFields::NoExpiresAt); }) ==
          libraryText(all));
    for (auto& s : all) s.erase("status");
    CHECK(written([&](JsonOut& out) { jr::writeWorkerSelectors(out, selectors, jr::SelectorFields::Writable); }) ==
          libraryText(all));
    std::vector<jr::QueueSelector> queueSelectors;
    for (const auto& s : selectors) queueSelectors.push_back({s.key, s.labelOperator, s.value});
    CHECK(written([&](JsonOut& out) { jr::writeQueueSelectors(out, queueSelectors); }) ==
          libraryText(jr::toJson(queueSelectors)));
    const jr::LabelMap labels = randomLabels(prng);
    CHECK(written([&](JsonOut& out) { jr::writeLabels(out, labels); }) == libraryText(jr::labelsToJson(labels)));
  }
}

TEST_CASE("json out: event labels carry each value's text, nulls left out", "[json-out]") {
  jr::Prng prng(9);
  for (int i = 0; i < 1000; ++i) {
    const jr::LabelMap labels = randomLabels(prng);
    for (const auto mode : {jr::EventLabelText::Json, jr::EventLabelText::DotNet}) {
      Json expected = Json::object();
      for (const auto& [key, value] : labels) {
        if (!value.is_null()) expected[key] = jr::eventLabelValue(value, mode);
      }
      CHECK(writtenTaped([&](jr::TapedJsonOut& out) { jr::writeEventLabels(out, labels, mode); }) == libraryText(expected));
    }
  }
}

TEST_CASE("json out: policies keep their tree's keys, values and order", "[json-out]") {
  const Json canonicals[] = {
      Json::parse(R"({"name":"dp","offerExpiresAfterSeconds":10.5,"mode":{"kind":"longestIdle","minConcurrentOffers":1}})"),
      Json::object(),
      // A hand-made snapshot's canonical form could hold an id or an etag: places and values as the tree's.
      Json::parse(R"({"name":"x","etag":"old","id":"stored","rules":[{"id":"r1"}]})"),
      Json::parse(R"({"id":5,"name":"\u00e9\ud83d\ude00"})"),
  };
  for (const Json& canonical : canonicals) {
    INFO(libraryText(canonical));
    CHECK(written([&](JsonOut& out) { jr::writePolicy(out, "p\xc3\xa9", canonical, "\"etag\""); }) ==
          libraryText(policyTree("p\xc3\xa9", canonical, "\"etag\"")));
  }
}
