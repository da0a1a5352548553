// Whole-engine snapshots: everything needed to continue exactly where the export left off (clock, id generators,
// counters, every record with its etag and version, pending follow-ups, queue order), as JSON text.
//
// Export (state_encode.cpp) writes the text directly, section by section, with one JsonOut; import (state_decode.cpp) reads it in
// one pass with StateReader, straight into the engine's tables, with no JSON tree of the whole snapshot in between
// (100,000 jobs are about 70 MB of text). Jobs, the bulk of a large state, are read field by field; the few
// policies, queues and workers go through the model's readers as JSON values. A text that is not a valid snapshot
// throws the InvalidState ApiError.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/engine/engine.hpp"
#include "core/util/json_writer.hpp"

namespace jr {

class StateReader;

inline constexpr const char* kStateFormat = "jobrouter-emulator-state";
inline constexpr int kStateFormatVersion = 1;

inline ApiError badState(const std::string& why) {
  return badRequest("InvalidState", "The state snapshot is not valid: " + why);
}

// Friend of Engine: reads and writes its private tables.
struct StateCodec {
  // The snapshot text of an engine.
  static std::string encode(const Engine& e);
  // Loads a snapshot text into a fresh engine; returns the stored bytes it holds (each resource's value as written
  // in the text, which each record also keeps for the Router's storedBytes limit). Throws ApiError (InvalidState).
  static std::uint64_t decode(Engine& e, std::string_view text);

 private:
  struct Context;
  // state_encode.cpp
  static void encodeCounters(const Engine& e, JsonOut& out);
  static void encodeResources(const Engine& e, JsonOut& out);
  static void encodeJobs(const Engine& e, JsonOut& out);
  static void encodeJobState(const Job& job, JsonOut& out);
  static void encodeFollowUps(const Engine& e, JsonOut& out);
  static void encodeRules(const Engine& e, JsonOut& out);
  // state_decode.cpp
  static void decodeSection(Engine& e, StateReader& r, const std::string& key, Context& ctx);
  static bool decodeCounter(Engine& e, StateReader& r, const std::string& key, Context& ctx);
  static void decodeQueues(Engine& e, StateReader& r, Context& ctx);
  static void decodeWorkers(Engine& e, StateReader& r, Context& ctx);
  static void decodeWorker(Engine& e, StateReader& r, Context& ctx);
  static void decodeJobs(Engine& e, StateReader& r, Context& ctx);
  static void decodeJob(Engine& e, StateReader& r, Context& ctx);
  static void decodeFollowUps(Engine& e, StateReader& r, const std::string& key);
  static void decodeRules(Engine& e, StateReader& r, const std::string& key);
  static void finish(Engine& e, const Context& ctx);
};

}  // namespace jr
