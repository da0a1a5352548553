// The one upsert every resource kind runs (a PUT or PATCH body is a JSON merge patch): find the stored resource,
// check the request's preconditions against it, merge the body into the resource's writable JSON, read the result,
// then create the resource or update it. Each kind supplies those steps (UpsertSteps).
#pragma once

#include <utility>

#include "core/model/field_reader.hpp"
#include "core/engine/engine.hpp"

namespace jr {

// A kind's steps, for a resource of type T stored in a Table<T>:
//   writable(const T& stored) -> Json            the stored resource's writable JSON, which the body patches
//   read(const Json& merged, const T* stored)    the validated resource or spec; throws ApiError (nothing changed)
//   create(spec) -> Reply                        a new resource (201)
//   update(Record<T>& stored, spec) -> Reply     the stored resource changed (200)
template <class Writable, class Read, class Create, class Update>
struct UpsertSteps {
  Writable writable;
  Read read;
  Create create;
  Update update;
};
template <class Writable, class Read, class Create, class Update>
UpsertSteps(Writable, Read, Create, Update) -> UpsertSteps<Writable, Read, Create, Update>;

template <class T, class Steps>
Reply Engine::upsertResource(Table<T>& table, const std::string& id, const CommandInput& in, Steps steps) {
  Record<T>* existing = table.find(id);
  checkPreconditions(in.preconditions, existing ? &existing->etag : nullptr,
                     existing ? &existing->lastModified : nullptr);
  const Json& patch = requireObjectBody(in.mergePatch);
  Json merged;  // stays null when the patch is the merged body
  if (existing || !mergesAsItself(patch)) {
    merged = existing ? steps.writable(existing->value) : Json::object();
    merged.merge_patch(patch);
  }
  auto spec = steps.read(merged.is_null() ? patch : merged, existing ? &existing->value : nullptr);
  if (!existing) return steps.create(std::move(spec));
  return steps.update(*existing, std::move(spec));
}

// Creating and updating a resource the router owns nothing of (policies, queues): it is the value read, and an
// update that changes nothing leaves its ETag and Last-Modified.
template <class T, class MakeReply>
Reply Engine::createTimestamped(Table<T>& table, const std::string& id, T value, MakeReply reply) {
  Record<T> record;
  record.value = std::move(value);
  stampTimestamped(record);
  return reply(Outcome::Created, id, table.insert(id, std::move(record)));
}

template <class T, class MakeReply>
Reply Engine::updateTimestamped(Record<T>& stored, const std::string& id, T value, MakeReply reply) {
  if (!(value == stored.value)) {
    stored.value = std::move(value);
    stampTimestamped(stored);
  }
  return reply(Outcome::Done, id, stored);
}

}  // namespace jr
