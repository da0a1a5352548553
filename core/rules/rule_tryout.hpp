// Trying a rule outside a policy (emulator.evaluateRule in JS, POST /emulator/rules/evaluate on the server, the web
// demo's "Try a rule" box): one rule evaluated against given job and worker labels, exactly as classification
// and scoring evaluate it, without touching any router state.
//
// Request (JSON text): {"rule": <router rule>, "job": {<labels>}?, "worker": {<labels>}?}
//   The rule is validated and canonicalised like a rule in a policy (kinds in any spelling the REST API
//   accepts, language defaulting to powerFx); the labels are read like a job's or worker's labels (strings,
//   numbers, booleans; null is an absent label).
// Answer (JSON text), one of:
//   {"value": v}                               static, directMap, expression (Blank is {"value": null})
//   {"error": "...", "column": n}              invalid request or rule, or a failing expression; "column" (1-based,
//                                              in characters of the expression) only when the error names one
//   {"external": {"kind": "function"|"webhook", "uri": "...", "rule": {...}, "payload": {...}}}
//                                              function/webhook rules: the host calls its registered function with
//                                              `payload` ({"job": <labels>}, plus "worker" when one was given) and
//                                              the function's answer is the value
// Pure and deterministic; never throws.
#pragma once

#include <string>

namespace jr {

std::string tryRule(const std::string& requestJson);

}  // namespace jr
