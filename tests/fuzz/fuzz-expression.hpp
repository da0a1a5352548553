// The check behind the libFuzzer target fuzz_expression (fuzz-expression.cpp) and its replay in the unit tests
// (tests/unit/unit-fuzz-corpus.cpp): one input is a Power Fx expression, optionally followed by a line "%%" and
// the job labels as a JSON object (else a fixed set of labels of every type is used). The expression is parsed and
// evaluated twice (directly and through evaluateRule's parse cache); any difference, a value of the wrong type, an
// error without a message or with a column beyond the text, or an exception is a problem.
#pragma once

#include <cmath>
#include <exception>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/rules/expression.hpp"
#include "core/rules/rule_evaluator.hpp"
#include "core/util/json.hpp"

namespace jrfuzz {

inline std::vector<std::string> runExpressionInput(std::string_view input) {
  std::vector<std::string> problems;
  try {
    std::string text(input);
    std::map<std::string, jr::Json> job = {
        {"Region", "NA"}, {"Tier", 3},  {"Score", 2.5},  {"VIP", true},          {"Empty", ""},
        {"Numeric", "42"}, {"Zero", 0}, {"Null", nullptr}, {"Big", 1.7976931348623157e308}, {"List", jr::Json::array({1})}};
    const std::size_t split = text.find("\n%%\n");
    if (split != std::string::npos) {
      const jr::Json labels = jr::parseJsonNoThrow(text.substr(split + 4));
      text.resize(split);
      if (labels.is_object()) {
        job.clear();
        for (const auto& [key, value] : labels.items()) job[key] = value;
      }
    }
    const std::map<std::string, jr::Json> worker = {{"Skill", 5}, {"Languages", "en,fr"}};
    const jr::ExpressionContext ctx{&job, &worker};
    const jr::Expression parsed = jr::Expression::parse(text);
    const jr::ExpressionResult first = parsed.evaluate(ctx);
    const jr::ExpressionResult second = jr::evaluateExpression(text, ctx);
    if (first.ok != second.ok || first.error != second.error || first.value != second.value ||
        first.column != second.column) {
      problems.push_back("two evaluations differ: " + first.error + " / " + second.error);
    }
    if (first.ok) {
      if (!(first.value.is_null() || first.value.is_boolean() || first.value.is_number() || first.value.is_string())) {
        problems.push_back("a result that is not a single value: " + first.value.dump());
      }
      if (first.value.is_number_float() && !std::isfinite(first.value.get<double>())) {
        problems.push_back("a non-finite number");
      }
    } else {
      if (first.error.empty()) problems.push_back("an error without a message");
      if (first.column > text.size() + 1) problems.push_back("a column beyond the text: " + first.error);
    }
    const jr::Json rule = {{"kind", "expression"}, {"language", "powerFx"}, {"expression", text}};
    const jr::RuleOutcome outcome = jr::evaluateRule(rule, jr::RuleInput{&job, &worker});
    const bool outcomeOk = outcome.kind == jr::RuleOutcome::Kind::Value;
    if (outcomeOk != first.ok || (outcomeOk && outcome.value != first.value)) {
      problems.push_back("evaluateRule disagrees with the evaluator: " + outcome.error);
    }
  } catch (const std::exception& e) {
    problems.push_back(std::string("exception: ") + e.what());
  } catch (...) {
    problems.push_back("unknown exception");
  }
  return problems;
}

}  // namespace jrfuzz
