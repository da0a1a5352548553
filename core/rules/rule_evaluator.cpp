// Router rule evaluation and label comparison; semantics are described in rule_evaluator.hpp.
#include "core/rules/rule_evaluator.hpp"

#include <cstdint>
#include <map>
#include <mutex>

#include "core/rules/expression.hpp"

namespace jr {
namespace {

// ---------------------------------------------------------------------------------------------------------------
// Expression cache
// ---------------------------------------------------------------------------------------------------------------

constexpr std::size_t kMaxCachedExpressions = 512;

// Returns a (cheap, shared) copy of the parsed expression for `text`. The cache is emptied when it is full, so
// it stays bounded; results never depend on whether an entry was cached.
Expression parsedExpression(const std::string& text) {
  static std::mutex mutex;
  static std::map<std::string, Expression> cache;
  {
    std::lock_guard<std::mutex> lock(mutex);
    const auto it = cache.find(text);
    if (it != cache.end()) return it->second;
  }
  Expression parsed = Expression::parse(text);
  std::lock_guard<std::mutex> lock(mutex);
  if (cache.size() >= kMaxCachedExpressions) cache.clear();
  cache.emplace(text, parsed);
  return parsed;
}

RuleOutcome valueOutcome(Json value) {
  RuleOutcome out;
  out.kind = RuleOutcome::Kind::Value;
  out.value = std::move(value);
  return out;
}

RuleOutcome errorOutcome(std::string message) {
  RuleOutcome out;
  out.kind = RuleOutcome::Kind::Error;
  out.error = std::move(message);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------------------------

// -1, 0 or 1. Two integers compare exactly (signed or unsigned, any magnitude); otherwise as doubles.
int compareNumbers(const Json& a, const Json& b) {
  if (a.is_number_integer() && b.is_number_integer()) {
    const bool aUnsigned = a.is_number_unsigned();
    const bool bUnsigned = b.is_number_unsigned();
    if (aUnsigned && bUnsigned) {
      const auto x = a.get<std::uint64_t>(), y = b.get<std::uint64_t>();
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    if (!aUnsigned && !bUnsigned) {
      const auto x = a.get<std::int64_t>(), y = b.get<std::int64_t>();
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    // One signed, one unsigned.
    if (!aUnsigned) {
      const auto x = a.get<std::int64_t>();
      if (x < 0) return -1;
      const auto ux = static_cast<std::uint64_t>(x), y = b.get<std::uint64_t>();
      return ux < y ? -1 : (ux > y ? 1 : 0);
    }
    const auto y = b.get<std::int64_t>();
    if (y < 0) return 1;
    const auto x = a.get<std::uint64_t>(), uy = static_cast<std::uint64_t>(y);
    return x < uy ? -1 : (x > uy ? 1 : 0);
  }
  const double x = a.get<double>(), y = b.get<double>();
  return x < y ? -1 : (x > y ? 1 : 0);
}

bool applyOrdering(int cmp, LabelOperator op) {
  switch (op) {
    case LabelOperator::Equal: return cmp == 0;
    case LabelOperator::NotEqual: return cmp != 0;
    case LabelOperator::LessThan: return cmp < 0;
    case LabelOperator::LessThanOrEqual: return cmp <= 0;
    case LabelOperator::GreaterThan: return cmp > 0;
    case LabelOperator::GreaterThanOrEqual: return cmp >= 0;
  }
  return false;
}

bool sameValue(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) return compareNumbers(a, b) == 0;
  if (a.is_string() && b.is_string()) return a.get_ref<const std::string&>() == b.get_ref<const std::string&>();
  if (a.is_boolean() && b.is_boolean()) return a.get<bool>() == b.get<bool>();
  if (a.is_null() && b.is_null()) return true;
  return false;  // different types (or non-primitives)
}

}  // namespace

bool compareLabelValue(const Json& label, LabelOperator op, const Json& selectorValue) {
  if (op == LabelOperator::Equal) return sameValue(label, selectorValue);
  if (op == LabelOperator::NotEqual) return !sameValue(label, selectorValue);
  if (label.is_number() && selectorValue.is_number()) return applyOrdering(compareNumbers(label, selectorValue), op);
  if (label.is_string() && selectorValue.is_string()) {
    // std::string::compare orders bytes as unsigned char (char_traits<char>), i.e. UTF-8 code point order.
    const int c = label.get_ref<const std::string&>().compare(selectorValue.get_ref<const std::string&>());
    return applyOrdering(c < 0 ? -1 : (c > 0 ? 1 : 0), op);
  }
  return false;
}

bool labelMatches(const LabelMap& labels, const std::string& key, LabelOperator op,
                  const std::optional<Json>& value) {
  const auto it = labels.find(key);
  if (it == labels.end() || it->second.is_null()) return op == LabelOperator::NotEqual;
  static const Json kNull;
  return compareLabelValue(it->second, op, value ? *value : kNull);
}

RuleOutcome evaluateRule(const Json& rule, const RuleInput& input) {
  if (!rule.is_object()) return errorOutcome(std::string("A rule must be a JSON object, found ") + jsonTypeName(rule) + ".");
  const auto kindIt = rule.find("kind");
  if (kindIt == rule.end() || !kindIt->is_string()) return errorOutcome("The rule has no kind.");
  const std::string& kind = kindIt->get_ref<const std::string&>();

  if (kind == "static") {
    const auto v = rule.find("value");
    return valueOutcome(v == rule.end() ? Json() : normalizeNumber(*v));
  }
  if (kind == "directMap") {
    Json labels = Json::object();
    if (input.job) labels = labelsToJson(*input.job);
    return valueOutcome(std::move(labels));
  }
  if (kind == "expression") {
    const auto e = rule.find("expression");
    if (e == rule.end() || !e->is_string()) return errorOutcome("The expression rule has no expression.");
    const auto language = rule.find("language");
    if (language != rule.end() && !(language->is_string() && language->get_ref<const std::string&>() == "powerFx")) {
      return errorOutcome("Unsupported expression language; only powerFx is supported.");
    }
    const Expression parsed = parsedExpression(e->get_ref<const std::string&>());
    const ExpressionResult result = parsed.evaluate(ExpressionContext{input.job, input.worker});
    if (!result.ok) {
      RuleOutcome out = errorOutcome(parsed.ok() ? result.error : "Invalid expression: " + result.error);
      out.column = result.column;
      return out;
    }
    return valueOutcome(result.value);
  }
  if (kind == "function" || kind == "webhook") {
    RuleOutcome out;
    out.kind = RuleOutcome::Kind::External;
    return out;
  }
  return errorOutcome("Unknown rule kind '" + kind + "'.");
}

}  // namespace jr
