// Trying a rule outside a policy; the request and answer are described in rule_tryout.hpp.
#include "core/rules/rule_tryout.hpp"

#include "core/model/labels.hpp"
#include "core/model/rules.hpp"
#include "core/rules/rule_evaluator.hpp"
#include "core/util/json.hpp"
#include "core/util/json_reader.hpp"

namespace jr {
namespace {

std::string errorAnswer(const std::string& message, std::size_t column = 0) {
  Json out = Json::object();
  out["error"] = message;
  if (column > 0) out["column"] = column;
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string firstIssue(const Issues& issues, const std::string& fallback) {
  if (issues.empty()) return fallback;
  const ErrorDetail& d = issues.list().front();
  return d.target.empty() ? d.message : d.target + ": " + d.message;
}

}  // namespace

std::string tryRule(const std::string& requestJson) {
  try {
    const Json request = readJsonNoThrow(requestJson);
    if (!request.is_object()) return errorAnswer("The request must be a JSON object {\"rule\", \"job\", \"worker\"}.");
    const auto ruleIt = request.find("rule");
    if (ruleIt == request.end() || ruleIt->is_null()) return errorAnswer("rule: a rule is required.");
    Issues issues;
    const Json rule = normalizeRule(*ruleIt, "rule", issues);
    if (!issues.empty() || rule.is_null()) return errorAnswer(firstIssue(issues, "rule: the rule is not valid."));

    LabelMap job, worker;
    const auto jobIt = request.find("job");
    const auto workerIt = request.find("worker");
    const bool hasJob = jobIt != request.end() && !jobIt->is_null();
    const bool hasWorker = workerIt != request.end() && !workerIt->is_null();
    if (hasJob) job = readLabels(&*jobIt, "job", issues);
    if (hasWorker) worker = readLabels(&*workerIt, "worker", issues);
    if (!issues.empty()) return errorAnswer(firstIssue(issues, "The labels are not valid."));

    const RuleOutcome outcome = evaluateRule(rule, RuleInput{&job, hasWorker ? &worker : nullptr});
    Json out = Json::object();
    switch (outcome.kind) {
      case RuleOutcome::Kind::Value:
        out["value"] = outcome.value;
        return out.dump(-1, ' ', false, Json::error_handler_t::replace);
      case RuleOutcome::Kind::Error:
        return errorAnswer(outcome.error, outcome.column);
      case RuleOutcome::Kind::External: {
        const std::string kind = rule.value("kind", "");
        Json payload = Json::object();
        payload["job"] = labelsToJson(job);
        if (hasWorker) payload["worker"] = labelsToJson(worker);
        Json external = Json::object();
        external["kind"] = kind;
        external["uri"] = rule.value(kind == "webhook" ? "webhookUri" : "functionUri", "");
        external["rule"] = rule;
        external["payload"] = std::move(payload);
        out["external"] = std::move(external);
        return out.dump(-1, ' ', false, Json::error_handler_t::replace);
      }
    }
    return errorAnswer("The rule could not be evaluated.");
  } catch (...) {
    return errorAnswer("Internal error while evaluating the rule.");
  }
}

}  // namespace jr
