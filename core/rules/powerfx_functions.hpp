// The built-in functions of the Power Fx expression language (core/rules/expression.hpp) whose arguments are all
// evaluated before the call. The functions that choose which arguments to evaluate (If, Switch, And, Or,
// IfError, Coalesce) live in the evaluator itself.
//
// Each function takes values (Json: null is Blank) converted as powerfx_values.hpp describes, and either gives a
// value or an error sentence (the evaluator adds the function's name and column). Names are case-sensitive, as
// in Power Fx. The table in the README lists every function with its Blank behaviour.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/util/json.hpp"

namespace jr::powerfx {

using Args = std::vector<Json>;
using FunctionImpl = bool (*)(const Args& args, Json& out, std::string& error);

struct FunctionInfo {
  const char* name;
  std::size_t minArgs;
  std::size_t maxArgs;  // kVariadic: no upper bound
  FunctionImpl impl;
  bool acceptsTables;  // only IsEmpty takes a table argument
};

inline constexpr std::size_t kVariadic = static_cast<std::size_t>(-1);

// Exact (case-sensitive) lookup; nullptr when there is no such function.
const FunctionInfo* findFunction(const std::string& name);

// The correctly spelled name of a function whose name differs only in case ("if" -> "If"), or "".
std::string functionNameIgnoringCase(const std::string& name);

// Every function name the evaluator knows, in alphabetical order (the eager ones above and the lazy ones).
std::vector<std::string> allFunctionNames();

}  // namespace jr::powerfx
