// A distribution policy read for matching: mode, offer limits, expiry, scoring.
#pragma once

#include <algorithm>
#include <optional>
#include <string>

#include "core/util/json.hpp"

namespace jr {

enum class DistributionKind { LongestIdle, RoundRobin, BestWorker };

struct DistributionSettings {
  DistributionKind kind = DistributionKind::LongestIdle;
  std::int64_t minConcurrentOffers = 1;
  std::int64_t maxConcurrentOffers = 1;
  bool bypassSelectors = false;
  std::optional<double> offerExpiresAfterSeconds;
  Json scoringRule;  // null: default scoring
  bool descendingOrder = true;
  bool scoreJobLabels = true;        // scoringParameters contains jobLabels
  bool scoreWorkerSelectors = true;  // scoringParameters contains workerSelectors
  bool batchScoring = false;         // isBatchScoringEnabled
  std::int64_t batchSize = 20;
};

// From a canonical distribution policy (see model/policies.cpp). A policy without a mode distributes as
// longestIdle with one offer at a time.
inline DistributionSettings readDistribution(const Json& policy) {
  DistributionSettings s;
  if (auto it = policy.find("offerExpiresAfterSeconds"); it != policy.end() && it->is_number()) {
    s.offerExpiresAfterSeconds = it->get<double>();
  }
  const auto mode = policy.find("mode");
  if (mode == policy.end() || !mode->is_object()) return s;
  const std::string kind = mode->value("kind", "longestIdle");
  s.kind = kind == "roundRobin" ? DistributionKind::RoundRobin
           : kind == "bestWorker" ? DistributionKind::BestWorker
                                  : DistributionKind::LongestIdle;
  s.minConcurrentOffers = mode->value("minConcurrentOffers", std::int64_t{1});
  s.maxConcurrentOffers = mode->value("maxConcurrentOffers", std::int64_t{1});
  s.bypassSelectors = mode->value("bypassSelectors", false);
  if (auto rule = mode->find("scoringRule"); rule != mode->end()) s.scoringRule = *rule;
  if (auto options = mode->find("scoringRuleOptions"); options != mode->end() && options->is_object()) {
    s.descendingOrder = options->value("descendingOrder", true);
    s.batchScoring = options->value("isBatchScoringEnabled", false);
    s.batchSize = std::max<std::int64_t>(1, options->value("batchSize", std::int64_t{20}));
    if (auto params = options->find("scoringParameters"); params != options->end() && params->is_array()) {
      s.scoreJobLabels = s.scoreWorkerSelectors = false;
      for (const auto& p : *params) {
        if (p == "jobLabels") s.scoreJobLabels = true;
        if (p == "workerSelectors") s.scoreWorkerSelectors = true;
      }
    }
  }
  return s;
}

}  // namespace jr
