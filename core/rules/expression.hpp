// Evaluator for the PowerFx subset used by Job Router expression rules ({"kind": "expression",
// "language": "powerFx", "expression": "..."}): parse once, evaluate many times against job and worker labels.
//
// Grammar (lowest to highest precedence; binary operators are left-associative):
//   expr       := or
//   or         := and   { ("Or"  | "||") and }
//   and        := cmp   { ("And" | "&&") cmp }
//   cmp        := concat { ("=" | "<>" | "<" | "<=" | ">" | ">=") concat }
//   concat     := add   { "&" add }
//   add        := mul   { ("+" | "-") mul }
//   mul        := unary { ("*" | "/") unary }
//   unary      := "-" unary
//               | ("Not" | "!") cmp          -- see "Not" below
//               | primary
//   primary    := number | string | "true" | "false" | "(" expr ")"
//               | ("job" | "worker") "." (name | 'quoted name')
//               | "If" "(" expr "," expr { "," expr } ")"
//               | "Not" "(" expr ")"
//
// Semantic choices (PowerFx-like; where PowerFx itself differs, it says so):
// - Keywords And, Or, Not, If, true, false are case-insensitive ("and", "TRUE", "if" all work). The roots `job` and
//   `worker` and label names are case-sensitive, like PowerFx identifiers. Label names are ASCII letters, digits
//   and '_' (not starting with a digit); any other name is written PowerFx-style in single quotes,
//   job.'My Label', with '' for a quote inside it. A name that is not job/worker, or an unknown function, is a
//   parse error.
// - Literals: numbers are digits with an optional fraction and exponent (12, 1.5, 2e3, 1.5E-2; not ".5"); the
//   conversion is correctly rounded and locale-independent (strtod on a string without a radix character).
//   Strings are double-quoted, "" is an escaped quote; there are no other escapes.
// - "Not"/"!": the operand of a prefix Not extends over a whole comparison, so `!job.A = job.B` means
//   `!(job.A = job.B)` (the precedence asked for by the project). Real PowerFx binds Not/! as tightly as unary
//   minus ((!job.A) = job.B); the two agree whenever the operand is a boolean compared with true/false.
//   `Not(` is parsed as the function Not(x), so `Not(job.X) = false` means `(Not job.X) = false`.
// - "=" / "<>": numbers compare numerically (1 = 1.0), strings exactly (case-sensitive), booleans by value, blank
//   (null) equals only blank; values of different types are unequal (= false, <> true) rather than an error.
// - "<" "<=" ">" ">=": both numbers (numeric) or both strings (byte-wise, i.e. code point order for UTF-8);
//   anything else is an evaluation error.
// - "+" "-" "*" "/" and unary "-": numbers only, computed in double precision (labels holding integers above 2^53
//   lose precision); division by zero and non-finite results are evaluation errors.
// - "&": converts both sides to text and concatenates. Text of a number: whole numbers below 9e15 as integers
//   (3, not 3.0); others with the shortest digits that round-trip, laid out like JavaScript's Number#toString
//   (2.5, 0.1, 1e+21, 1e-7). Booleans become "true"/"false", blank becomes "".
// - And/Or short-circuit left to right: the right side is not evaluated when the left side decides, so a
//   missing label there is no error. Both sides must be booleans (no number-to-boolean coercion).
// - If(c1, v1, c2, v2, ..., [else]): conditions must be booleans and are tried in order; only the chosen value
//   is evaluated. When no condition is true and there is no else value, the result is ok with a null value
//   (PowerFx's Blank()); the caller decides whether that is a failure.
// - A label that is absent (or null) is an evaluation error "Label 'X' is not present on the job" (or worker);
//   a label holding an array/object is an error. A label's value is returned as stored (numbers normalised).
// - Limits: at most 10,000 characters, and at most 200 nested parentheses/function calls/prefix operators;
//   beyond that parse() fails, so hostile input cannot exhaust the stack.
// - Parse errors name a 1-based column counted in characters (UTF-8 code points), e.g.
//   "Unexpected ')' at column 7"; evaluation errors name the operator, function or label involved.
// - Results are string, number (integral values as JSON integers, via normalizeNumber), boolean, or null (the
//   If-without-default case). Evaluation is pure: no clock, no randomness, no locale, same input -> same output.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "core/util/json.hpp"

namespace jr {

struct ExpressionContext {
  const std::map<std::string, Json>* job = nullptr;     // job labels, accessed as job.Key
  const std::map<std::string, Json>* worker = nullptr;  // worker labels, accessed as worker.Key
};

struct ExpressionResult {
  bool ok = false;
  Json value;         // string, number or boolean (null when an If had no matching branch and no default)
  std::string error;  // set when !ok
};

namespace expression_detail {
struct Node;
}

class Expression {
 public:
  static constexpr std::size_t kMaxLength = 10000;
  static constexpr int kMaxDepth = 200;

  // A default-constructed Expression is not ok ("Expression is empty").
  Expression();

  // Never throws; check ok().
  static Expression parse(const std::string& text);

  bool ok() const { return root_ != nullptr; }
  // Parse error message (empty when ok()).
  const std::string& error() const { return error_; }

  // Never throws. On a failed parse, returns !ok with the parse error.
  ExpressionResult evaluate(const ExpressionContext& ctx) const;

 private:
  std::shared_ptr<const expression_detail::Node> root_;  // immutable, shared by copies
  std::string error_;
};

// Convenience: parse + evaluate.
ExpressionResult evaluateExpression(const std::string& text, const ExpressionContext& ctx);

// Text of a value as the & operator produces it (exposed for callers that need the same formatting).
std::string expressionValueToText(const Json& value);

}  // namespace jr
