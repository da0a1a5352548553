// Evaluation of canonical router rules (as stored by core/model/rules.cpp) and the one label comparison used by
// queue and worker selectors.
//
// Rules (canonical JSON, camelCase kinds):
// - {"kind":"static","value":v}        -> v; a static rule without a value yields JSON null.
// - {"kind":"directMap"}               -> the job labels as a JSON object (keys in label-map order).
// - {"kind":"expression","language":"powerFx","expression":"..."}
//                                       -> the Power Fx value (core/rules/expression.hpp), evaluated against the job
//                                          labels (job.X) and worker labels (worker.X); an absent label is Blank.
//                                          Parse and evaluation errors become Kind::Error with the evaluator's
//                                          message and column. Blank gives a null value; the caller decides what
//                                          null means.
// - {"kind":"function",...} / {"kind":"webhook",...}
//                                       -> Kind::External: the engine resolves those through host callbacks.
// - Anything else (not an object, no or unknown kind) -> Kind::Error.
//
// Parsed expressions are cached per expression text (bounded, guarded by a mutex); parsing is pure, so the cache
// never changes a result. Evaluation uses no clock, no randomness and no locale.
#pragma once

#include <optional>
#include <string>

#include "core/model/labels.hpp"
#include "core/model/selectors.hpp"
#include "core/util/json.hpp"

namespace jr {

struct RuleInput {
  const LabelMap* job = nullptr;
  const LabelMap* worker = nullptr;
};

struct RuleOutcome {
  enum class Kind { Value, Error, External } kind = Kind::Error;
  Json value;          // Kind::Value
  std::string error;   // Kind::Error
  std::size_t column = 0;  // Kind::Error from an expression: the 1-based column the error names (0: none)
};

RuleOutcome evaluateRule(const Json& rule, const RuleInput& input);

// Label comparison used by queue and worker selectors (the single implementation; matching uses it too):
// - equal / notEqual on any primitive: numbers compare numerically (1 == 1.0, integers exactly), strings
//   byte-for-byte, booleans by value; values of different types are not equal ("1" vs 1, true vs 1).
// - lessThan / lessThanOrEqual / greaterThan / greaterThanOrEqual only between two numbers (numeric) or two
//   strings (byte order, i.e. code point order for UTF-8); any other pairing does not match.
// - A missing label (absent, or JSON null): notEqual is satisfied, every other operator is not.
// - A selector without a value (nullopt or JSON null) is compared as null: it equals nothing present, so equal is
//   false and notEqual true for any present label; ordering operators are false.
bool labelMatches(const LabelMap& labels, const std::string& key, LabelOperator op, const std::optional<Json>& value);

// The comparison itself, for callers that already hold both values (label must not be null/absent).
bool compareLabelValue(const Json& label, LabelOperator op, const Json& selectorValue);

}  // namespace jr
