// bestWorker distribution: the default score of a worker for a job, the scores a function/webhook scoring rule
// returns, and the order they give. Off the hot path of the other distribution modes, so this file is compiled for
// size in WebAssembly (CMakeLists.txt).
#include <algorithm>
#include <cmath>

#include "core/engine/engine.hpp"
#include "core/rules/rule_evaluator.hpp"

namespace jr {
namespace {

double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

double Engine::defaultScore(const Job& job, const Worker& worker, const DistributionSettings& settings) const {
  // With worker selectors: each selector scores 1 when an equal/notEqual one is satisfied, and a logistic of the
  // relative difference for ordering operators; the score is their mean. Otherwise: the share of the job's labels
  // the worker has with the same value.
  std::vector<const WorkerSelector*> selectors;
  if (settings.scoreWorkerSelectors) {
    for (const auto* list : {&job.requestedWorkerSelectors, &job.attachedWorkerSelectors}) {
      for (const auto& s : *list) {
        if (s.active()) selectors.push_back(&s);
      }
    }
  }
  if (!selectors.empty()) {
    double sum = 0;
    for (const WorkerSelector* s : selectors) {
      const auto label = worker.labels.find(s->key);
      const bool numeric = s->value && s->value->is_number() && label != worker.labels.end() &&
                           label->second.is_number() && s->value->get<double>() != 0.0;
      if (numeric && (s->labelOperator == LabelOperator::GreaterThan ||
                      s->labelOperator == LabelOperator::GreaterThanOrEqual)) {
        const double v = s->value->get<double>();
        sum += logistic((label->second.get<double>() - v) / v);
      } else if (numeric && (s->labelOperator == LabelOperator::LessThan ||
                             s->labelOperator == LabelOperator::LessThanOrEqual)) {
        const double v = s->value->get<double>();
        sum += logistic((v - label->second.get<double>()) / v);
      } else {
        sum += labelMatches(worker.labels, s->key, s->labelOperator, s->value) ? 1.0 : 0.0;
      }
    }
    return sum / static_cast<double>(selectors.size());
  }
  if (settings.scoreJobLabels && !job.labels.empty()) {
    int same = 0;
    for (const auto& [key, value] : job.labels) {
      const auto it = worker.labels.find(key);
      if (it != worker.labels.end() && labelMatches(worker.labels, key, LabelOperator::Equal, value)) ++same;
    }
    return static_cast<double>(same) / static_cast<double>(job.labels.size());
  }
  return 0.0;
}

std::optional<std::map<std::string, double>> Engine::hostScores(const DistributionSettings& settings,
                                                               const std::string& jobId, const Job& job,
                                                               const std::vector<std::string>& candidates) {
  // The payload the service sends a scoring function: job labels as "job", the job's worker selectors as
  // "selectors", and one worker's labels as "worker" (or, with batch scoring, up to batchSize as "workers").
  Json base = Json::object();
  if (settings.scoreJobLabels) base["job"] = labelsToJson(job.labels);
  if (settings.scoreWorkerSelectors) {
    Json selectors = Json::array();
    for (const auto* list : {&job.requestedWorkerSelectors, &job.attachedWorkerSelectors}) {
      for (const auto& s : *list) {
        if (s.active()) selectors.push_back(toJson(s));
      }
    }
    base["selectors"] = selectors;
  }
  auto scoreOf = [](const Json& v) {
    return v.is_number() ? v.get<double>() : 0.0;  // a failed or non-numeric answer scores 0
  };
  std::map<std::string, double> scores;
  bool waiting = false;
  if (!settings.batchScoring) {
    for (const auto& id : candidates) {
      Json payload = base;
      payload["worker"] = labelsToJson(workers_.find(id)->value.labels);
      const auto answer = hostRules_.answer(jobId, settings.scoringRule, payload);
      if (!answer) waiting = true;
      else scores[id] = answer->failed ? 0.0 : scoreOf(answer->value);
    }
  } else {
    const auto size = static_cast<std::size_t>(settings.batchSize);
    for (std::size_t start = 0; start < candidates.size(); start += size) {
      const std::size_t end = std::min(candidates.size(), start + size);
      Json payload = base;
      Json list = Json::array();
      for (std::size_t i = start; i < end; ++i) list.push_back(labelsToJson(workers_.find(candidates[i])->value.labels));
      payload["workers"] = list;
      const auto answer = hostRules_.answer(jobId, settings.scoringRule, payload);
      if (!answer) {
        waiting = true;
        continue;
      }
      // A batch answer maps worker Id → score (an array of scores in payload order is accepted too).
      for (std::size_t i = start; i < end; ++i) {
        double score = 0.0;
        if (!answer->failed && answer->value.is_object() && answer->value.contains(candidates[i])) {
          score = scoreOf(answer->value[candidates[i]]);
        } else if (!answer->failed && answer->value.is_array() && i - start < answer->value.size()) {
          score = scoreOf(answer->value[i - start]);
        }
        scores[candidates[i]] = score;
      }
    }
  }
  if (waiting) return std::nullopt;
  return scores;
}

std::vector<std::string> Engine::bestWorkerOrder(const DistributionSettings& settings, const std::string& jobId,
                                                 const Job& job, std::vector<std::string> candidates) {
  std::map<std::string, double> scores;
  const std::string ruleKind = settings.scoringRule.is_object() ? settings.scoringRule.value("kind", "") : "";
  if (ruleKind == "function" || ruleKind == "webhook") {
    auto host = hostScores(settings, jobId, job, candidates);
    if (!host) return {};  // no offer until the host has scored every candidate
    scores = std::move(*host);
  }
  for (const auto& id : candidates) {
    if (scores.count(id)) continue;
    const Worker& w = workers_.find(id)->value;
    double score = 0;
    if (settings.scoringRule.is_object()) {
      const RuleOutcome outcome = evaluateRule(settings.scoringRule, RuleInput{&job.labels, &w.labels});
      if (outcome.kind == RuleOutcome::Kind::Value && outcome.value.is_number()) score = outcome.value.get<double>();
    } else {
      score = defaultScore(job, w, settings);
    }
    scores[id] = score;
  }
  std::sort(candidates.begin(), candidates.end(), [&](const std::string& a, const std::string& b) {
    const double sa = scores[a], sb = scores[b];
    if (sa != sb) return settings.descendingOrder ? sa > sb : sa < sb;
    return longestIdleBefore(a, b);
  });
  return candidates;
}

}  // namespace jr
