// The engine's parts that keep work and history between commands, on their own: the queues to match again
// (DirtyQueues), the jobs' follow-up steps and queue-length checks (FollowUps), and what is remembered of ended
// offers (OfferHistory). Engine::settle and the matching rely on the orders and the once-only taking shown here.
#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "core/engine/dirty_queues.hpp"
#include "core/engine/follow_ups.hpp"
#include "core/engine/offer_history.hpp"
#include "test-support.hpp"

namespace {

jr::QueueEntry entry(std::uint64_t sequence, const char* jobId) {
  jr::QueueEntry e;
  e.enqueueSequence = sequence;
  e.jobId = jobId;
  return e;
}

}  // namespace

TEST_CASE("engine parts: DirtyQueues hands out each queue once, in id order, whole or by entries", "[engine-parts]") {
  jr::DirtyQueues dirty;
  CHECK(dirty.empty());
  CHECK_FALSE(dirty.takeQueue().has_value());
  dirty.markEntry("q2", entry(1, "j1"));
  dirty.markEntry("q2", entry(2, "j2"));
  dirty.markQueue("q1");
  dirty.markEntry("q1", entry(3, "j3"));  // the whole queue is matched anyway
  dirty.markQueue("q1");
  CHECK_FALSE(dirty.empty());

  CHECK(dirty.takeQueue() == std::optional<std::string>("q1"));
  jr::DirtyQueues::Work q1 = dirty.takeWork("q1");
  CHECK(q1.full);
  CHECK(q1.entries.empty());

  CHECK(dirty.takeQueue() == std::optional<std::string>("q2"));
  jr::DirtyQueues::Work q2 = dirty.takeWork("q2");
  CHECK_FALSE(q2.full);
  CHECK(q2.entries.size() == 2);
  CHECK(dirty.empty());
  CHECK_FALSE(dirty.takeWork("q2").full);  // taken: nothing left of it
}

TEST_CASE("engine parts: FollowUps takes length checks before steps, each job once, in id order", "[engine-parts]") {
  jr::FollowUps followUps;
  CHECK(followUps.empty());
  followUps.stepJob("j2");
  followUps.stepJob("j1");
  followUps.stepJob("j2");
  followUps.stepJob("j3");
  followUps.dropStep("j3");
  followUps.checkQueueLength("j9");
  CHECK_FALSE(followUps.empty());
  CHECK(followUps.steps() == std::set<std::string>{"j1", "j2"});

  CHECK(followUps.takeLengthCheck() == std::optional<std::string>("j9"));
  CHECK_FALSE(followUps.takeLengthCheck().has_value());
  CHECK(followUps.takeStep() == std::optional<std::string>("j1"));
  CHECK(followUps.takeStep() == std::optional<std::string>("j2"));
  CHECK_FALSE(followUps.takeStep().has_value());
  CHECK(followUps.empty());
}

TEST_CASE("engine parts: OfferHistory keeps each roundRobin policy's last worker and offers accepted elsewhere",
          "[engine-parts]") {
  jr::OfferHistory history;
  CHECK(history.lastOffered("dp1") == nullptr);
  history.offered("dp1", "w2");
  history.offered("dp1", "w3");
  history.offered("dp2", "w1");
  REQUIRE(history.lastOffered("dp1") != nullptr);
  CHECK(*history.lastOffered("dp1") == "w3");
  CHECK(*history.lastOffered("dp2") == "w1");

  history.acceptedElsewhere("o1", "w1");
  CHECK(history.wasAcceptedElsewhere("o1", "w1"));
  CHECK_FALSE(history.wasAcceptedElsewhere("o1", "w2"));  // another worker's offer of that id: not found, not 409
  CHECK_FALSE(history.wasAcceptedElsewhere("o2", "w1"));
  // the state codec's view, in id order
  CHECK(history.lastOfferedByPolicy() == jr::OfferHistory::Map{{"dp1", "w3"}, {"dp2", "w1"}});
  CHECK(history.acceptedElsewhereByOffer() == jr::OfferHistory::Map{{"o1", "w1"}});
}
