// The bodies of the actions (cancel, complete, close, unassign, decline, reclassify), read into the engine's typed
// command. An action's body is optional and, when sent, a JSON object; its members are validated as the service
// does, and an invalid one is a 400 before the engine runs.
#pragma once

#include "core/engine/commands.hpp"
#include "core/util/json.hpp"

namespace jr {

// Reads `body` (null: none sent) into input.action for an action command; nothing for another command.
void readActionBody(const Json& body, CommandInput& input);

}  // namespace jr
