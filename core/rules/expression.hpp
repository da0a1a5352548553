// Evaluator of Power Fx expressions as Job Router rules use them ({"kind": "expression", "language": "powerFx",
// "expression": "..."}): parse once, evaluate many times against job and worker labels. Values, conversions and
// the built-in functions are in powerfx_values.hpp, powerfx_functions.hpp and powerfx_number_format.hpp; the
// README has the table of every function and operator.
//
// Grammar (lowest to highest precedence; binary operators are left-associative):
//   expr     := or
//   or       := and     { ("Or" | "||") and }
//   and      := in      { ("And" | "&&") in }
//   in       := cmp     { ("in" | "exactin") cmp }
//   cmp      := concat  { ("=" | "<>" | "<" | "<=" | ">" | ">=") concat }
//   concat   := add     { "&" add }
//   add      := mul     { ("+" | "-") mul }
//   mul      := unary   { ("*" | "/") unary }
//   unary    := "-" unary | ("Not" | "!") cmp | power       -- see "Not" below
//   power    := postfix { "^" ["-"...] postfix }            -- -2^2 is -(2^2); 2^-1 is allowed
//   postfix  := primary { "%" }
//   primary  := number | "text" | true | false | "(" expr ")" | "[" [expr {"," expr}] "]"
//             | ("job" | "worker") "." (name | 'quoted name')
//             | Function "(" [expr {"," expr}] ")"
//
// Semantic choices (Power Fx's, following the open-source implementation where the formula reference is silent;
// where the emulator differs, it says so):
// - Blank: a label that is absent or null is Blank, like a missing value in Power Fx. Blank() = Blank() is true;
//   Blank compared with "=" to any other value (0, "", false) is false; IsBlank(Blank()) and IsBlank("") are
//   true; in arithmetic and ordering Blank is 0 (-5 < Blank() is true), in "&" it is "", as a condition false.
// - Implicit conversions (powerfx_values.hpp): text that reads as a number works in arithmetic ("2" + 3 = 5);
//   booleans are 1/0 as numbers; numbers are true when non-zero; text is true only when it is "true".
// - "=" / "<>": numbers numerically (1 = 1.0), text exactly (case-sensitive), booleans by value. CHOICE: values
//   of different types are unequal (1 = "1" is false) instead of Power Fx's compile-time error, because a
//   label's type is only known when the rule runs.
// - "<" "<=" ">" ">=": numeric, as in Power Fx: both sides are converted to numbers ("10" > "9" is true; "a" < "b"
//   is an error, as is any text that is not a number).
// - "+" "-" "*" "/" "^" "%" and unary "-": numbers (after conversion), in double precision; division by zero and
//   results out of range are errors. x% is x/100; "^" is Power().
// - "&" joins the text of both sides (numbers as powerfx_values.hpp writes them, booleans "true"/"false").
// - "in" / "exactin": with text on the right, whether the left side's text occurs in it ("in" ignores case);
//   with a table literal on the right (job.Region in ["NA", "EU"]), whether a row equals the left side (text
//   ignoring case for "in"). Tables exist only as literals; they may be used with in, exactin and IsEmpty only.
// - And/Or (operators and functions) short-circuit left to right; Not(x), !x; their operands convert to booleans.
// - If(c1, v1, c2, v2, ..., [else]), Switch(x, m1, r1, ..., [default]), Coalesce(...), IfError(v1, f1, ...,
//   [default]) evaluate only what they need. If/Switch without a match and without a default give Blank.
//   CHOICE: the chosen value is given as it is; Power Fx converts it to the first branch's type at compile time
//   (Coalesce("", 1) is "1" there, 1 here).
//   IfError catches evaluation errors (division by zero, conversion failures, invalid arguments); it does not
//   catch a label holding an object or array, or parse errors.
// - Names: function names are case-sensitive, as in Power Fx ("if(" is an error that suggests "If"). CHOICE: the
//   operator keywords And, Or, Not, in, exactin and the literals true/false are accepted in any case, as this
//   emulator always accepted them, and "not(x)" in lower case is the operator Not. The
//   roots `job` and `worker` and label names are case-sensitive; label names are ASCII letters, digits and '_'
//   (not starting with a digit); any other name is quoted, job.'My Label', with '' for a quote inside it.
// - "Not"/"!": CHOICE: the operand of a prefix Not extends over a whole comparison, so `!job.A = job.B` means
//   `!(job.A = job.B)`; Power Fx binds it as tightly as unary minus. `Not(` is the function Not(x).
// - Literals: numbers are digits with an optional fraction and exponent (12, 1.5, 2e3; not ".5"), converted
//   correctly rounded and locale-independently. Text is double-quoted with "" for a quote; no other escapes.
// - Errors: a label holding an array/object, a worker label where no worker is given (classification), and
//   every evaluation error are failures with a message naming the operator or function and its 1-based
//   column (in characters), or the label, e.g. "Operator '/' at column 7: division by zero".
// - Limits: at most 10,000 characters, at most 200 nested parentheses/calls/tables/prefix operators, and text
//   values of at most 1,000,000 bytes; beyond that parsing or evaluation fails, never the process.
// - Results are Blank (JSON null), boolean, number (integral values as JSON integers) or text; a table is not a
//   result. Evaluation is pure: no clock, no randomness, no locale.
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
  Json value;         // string, number, boolean, or null (Blank)
  std::string error;  // set when !ok
  std::size_t column = 0;  // when !ok: the 1-based column the error names (0 when it names none)
};

namespace expression_detail {
struct Node;
}

class Expression {
 public:
  static constexpr std::size_t kMaxLength = 10000;
  static constexpr int kMaxDepth = 200;
  static constexpr std::size_t kMaxTextBytes = 1000000;

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
