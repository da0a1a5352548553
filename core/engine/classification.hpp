// The classification step as a pure function: given a job, its classification policy (canonical JSON, as stored
// by normalizeClassificationPolicy), all queues and the PRNG, decide the queue, the priority and the attached
// worker selectors — or fail, or wait for an external (function/webhook) rule.
//
// Order of work (this fixes the order of PRNG draws, hence determinism):
//   1. queueSelectorAttachments in array order, 2. prioritizationRule, 3. workerSelectorAttachments in array order.
// Each weightedAllocation attachment draws exactly one prng.unit(); nothing else draws. A classification that
// fails or is pending may already have drawn for earlier attachments.
//
// Queue selector attachments (each contributes zero or more {key, labelOperator, value} selectors):
// - static: its queueSelector.
// - conditional: the condition rule must yield a boolean; true -> its queueSelectors, false -> nothing. CHOICE: null
//   (an expression's Blank, e.g. If(job.X = 1, true) when X is not 1) counts as false, as Blank does in a Power Fx
//   condition; any other value (numbers, strings such as "true", objects) -> Failed.
// - passThrough: {key, labelOperator, value = job.labels[key]}. CHOICE: a missing job label -> Failed
//   ("Label 'k' required by a passThrough attachment is missing").
// - ruleEngine: the rule result must be an array of selectors {key, labelOperator, value} (operators in any
//   spelling canonicalEnum accepts), or an object (directMap, or a function returning a label map) whose entries
//   become `equal` selectors. Anything else, or an invalid selector, -> Failed. null -> Failed.
// - weightedAllocation: one draw u = prng.unit() in [0,1); the first allocation (array order) whose cumulative
//   weight exceeds u is chosen (zero weights are never chosen); if rounding leaves u above the total, the last
//   allocation with a positive weight (else the last one) is chosen. Its queueSelectors are used.
// All collected selectors are ANDed over each queue's labels (labelMatches; the engine supplies the labels, which
// include the automatic "Id" label).
//
// Queue resolution:
// - Some selectors were collected: the matching queues; CHOICE: several matches -> the smallest queue id. No
//   match -> fallbackQueueId if set, else the job's own queueId if set, else Failed.
// - No selectors at all: the job's own queueId if set, else fallbackQueueId, else Failed. (Evidence: a job with
//   both queueId and a policy holding only a fallback ended in its own queue.)
// - CHOICE: the resolved queue id must be one of `queues`; otherwise Failed (e.g. a job queueId whose queue was
//   deleted since).
//
// Priority: without prioritizationRule, `priority` is nullopt (the job keeps its own). Otherwise the rule result
// must be an integer number (2 or 2.0) or a numeric string ("2", "-5", "+3", "2.0"; CHOICE: strings are
// coerced, with optional sign, ASCII digits and an optional all-digit fraction, no spaces or exponents), with a
// whole value in -100..100 (the service's priority range); anything else -> Failed.
//
// Worker selector attachments (results go to attachedWorkerSelectors, in order):
// - static: its workerSelector; conditional: its workerSelectors when the condition is true (non-boolean ->
//   Failed); passThrough: {key, labelOperator, value = job label, expiresAfterSeconds} (missing label -> Failed);
//   ruleEngine: array of worker selectors ({key, labelOperator, value, expiresAfterSeconds?, expedite?}) or an
//   object of equal selectors; weightedAllocation: one allocation (one draw, as above).
// - Each attached selector gets expiresAt = now + expiresAfterSeconds when that is set; expired = false.
//
// Rules are evaluated with evaluateRule (core/rules/rule_evaluator.hpp) against the job labels (no worker).
// External rules (function/webhook): payload {"job": <job labels object>} is passed to `external(rule, payload)`.
// nullopt -> Pending at once (the engine calls classify again when the answer is available); failed -> Failed
// with the answer's error; otherwise the answer's value is used exactly like an evaluated rule's value. An empty
// `external` function -> Failed ("no resolver for function/webhook rules").
//
// Failures have errorCode "ClassificationFailed" and a message that starts with the part that failed, e.g.
// "queueSelectorAttachments[1].condition: Operator '/' at column 12: division by zero".
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/model/job.hpp"
#include "core/model/labels.hpp"
#include "core/model/selectors.hpp"
#include "core/util/json.hpp"
#include "core/util/prng.hpp"
#include "core/util/time.hpp"

namespace jr {

struct QueueView {
  std::string id;
  const LabelMap* labels = nullptr;  // nullptr is treated as no labels
};  // all queues, sorted by id

// Answer for a function/webhook rule; the resolver returns nullopt while the host has not answered yet.
struct ExternalAnswer {
  bool failed = false;
  Json value;
  std::string error;
};
using ExternalRuleResolver = std::function<std::optional<ExternalAnswer>(const Json& rule, const Json& payload)>;

struct ClassificationResult {
  enum class Outcome { Classified, Failed, Pending } outcome = Outcome::Failed;
  std::optional<std::string> queueId;                   // chosen queue (Classified)
  std::optional<std::int64_t> priority;                 // from prioritizationRule, when the policy has one
  std::vector<WorkerSelector> attachedWorkerSelectors;  // from workerSelectorAttachments
  std::string errorCode, errorMessage;                  // Failed
};

inline constexpr const char* kClassificationFailedCode = "ClassificationFailed";

ClassificationResult classify(const Job& job, const Json& policy, const std::vector<QueueView>& queues, Prng& prng,
                              Instant now, const ExternalRuleResolver& external);

}  // namespace jr
