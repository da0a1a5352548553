#include "core/http/action_bodies.hpp"

#include <string>

#include "core/errors.hpp"
#include "core/model/field_reader.hpp"

namespace jr {
namespace {

// An action's body: none, or a JSON object.
const Json& optionalObjectBody(const Json& body) {
  static const Json empty = Json::object();
  return body.is_null() ? empty : requireObjectBody(body);
}

// Reads the members with `read(ObjectReader&)` and raises the issues found, if any.
template <class Body, class Read>
Body readMembers(const Json& body, Read read) {
  Issues issues;
  ObjectReader r(optionalObjectBody(body), "", issues);
  Body out = read(r);
  issues.raiseIfAny();
  return out;
}

}  // namespace

void readActionBody(const Json& body, CommandInput& input) {
  switch (input.command) {
    case Command::CancelJob:
      input.action = readMembers<CancelJobBody>(body, [](ObjectReader& r) {
        CancelJobBody b;
        b.note = r.string("note");
        b.dispositionCode = r.string("dispositionCode");
        return b;
      });
      break;
    case Command::CompleteJob:
      input.action = readMembers<CompleteJobBody>(body, [](ObjectReader& r) { return CompleteJobBody{r.string("note")}; });
      break;
    case Command::CloseJob:
      input.action = readMembers<CloseJobBody>(body, [](ObjectReader& r) {
        CloseJobBody b;
        b.note = r.string("note");
        b.dispositionCode = r.string("dispositionCode");
        b.closeAt = r.dateTime("closeAt");
        return b;
      });
      break;
    case Command::UnassignJob:
      input.action = readMembers<UnassignJobBody>(
          body, [](ObjectReader& r) { return UnassignJobBody{r.boolean("suspendMatching").value_or(false)}; });
      break;
    case Command::DeclineJobOffer:
      input.action = readMembers<DeclineJobOfferBody>(
          body, [](ObjectReader& r) { return DeclineJobOfferBody{r.dateTime("retryOfferAt")}; });
      break;
    case Command::ReclassifyJob:
      optionalObjectBody(body);  // no members of its own
      break;
    default:
      break;
  }
}

}  // namespace jr
