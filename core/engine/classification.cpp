// The classification step; its semantics and choices are described in classification.hpp.
#include "core/engine/classification.hpp"

#include <cmath>
#include <type_traits>
#include <utility>

#include "core/rules/rule_evaluator.hpp"

namespace jr {
namespace {

constexpr std::int64_t kMinPriority = -100;
constexpr std::int64_t kMaxPriority = 100;

const Json* member(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string stringMember(const Json& object, const char* key) {
  const Json* v = member(object, key);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

std::string describe(const Json& value) {
  if (value.is_null()) return "null";
  if (value.is_string()) return "the string " + value.dump();
  return std::string("the ") + jsonTypeName(value) + " " + value.dump();
}

// "2", "-5", "+3", "2.0", "007": optional sign, ASCII digits, optional '.' and digits. Returns the whole value (or
// nullopt when the text is not such a number, or has a non-zero fraction, or is far out of range).
std::optional<std::int64_t> wholeNumberFromText(const std::string& text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  std::int64_t value = 0;
  std::size_t digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
    if (value < 1'000'000'000) value = value * 10 + (text[i] - '0');  // saturates far outside the priority range
  }
  if (digits == 0) return std::nullopt;
  if (i < text.size() && text[i] == '.') {
    ++i;
    std::size_t fractionDigits = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++fractionDigits) {
      if (text[i] != '0') return std::nullopt;  // not a whole number
    }
    if (fractionDigits == 0) return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  return negative ? -value : value;
}

std::optional<std::int64_t> priorityFrom(const Json& value) {
  std::optional<std::int64_t> whole;
  if (value.is_number_unsigned()) {
    const auto u = value.get<std::uint64_t>();
    if (u <= static_cast<std::uint64_t>(kMaxPriority)) whole = static_cast<std::int64_t>(u);
  } else if (value.is_number_integer()) {
    whole = value.get<std::int64_t>();
  } else if (value.is_number_float()) {
    const double d = value.get<double>();
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) <= 1.0e9) whole = static_cast<std::int64_t>(d);
  } else if (value.is_string()) {
    whole = wholeNumberFromText(value.get_ref<const std::string&>());
  }
  if (!whole || *whole < kMinPriority || *whole > kMaxPriority) return std::nullopt;
  return whole;
}

// Queue and worker attachments differ only in field names and in how one selector is read.
struct QueueTraits {
  using Selector = QueueSelector;
  static constexpr const char* kSingle = "queueSelector";
  static constexpr const char* kList = "queueSelectors";
  static constexpr const char* kNoun = "queue selector";
  static std::optional<Selector> read(const Json& v, const std::string& path, Issues& issues) {
    return readQueueSelector(v, path, issues);
  }
};

struct WorkerTraits {
  using Selector = WorkerSelector;
  static constexpr const char* kSingle = "workerSelector";
  static constexpr const char* kList = "workerSelectors";
  static constexpr const char* kNoun = "worker selector";
  static std::optional<Selector> read(const Json& v, const std::string& path, Issues& issues) {
    return readWorkerSelector(v, path, issues);
  }
};

class Classifier {
 public:
  Classifier(const Job& job, Prng& prng, Instant now, const ExternalRuleResolver& external)
      : job_(job), prng_(prng), now_(now), external_(external) {}

  ClassificationResult result;

  // Each step returns false when classification stops (result.outcome is then Failed or Pending).

  bool fail(const std::string& message) {
    result.outcome = ClassificationResult::Outcome::Failed;
    result.errorCode = kClassificationFailedCode;
    result.errorMessage = message;
    result.queueId.reset();
    result.priority.reset();
    result.attachedWorkerSelectors.clear();
    return false;
  }

  bool pending() {
    result.outcome = ClassificationResult::Outcome::Pending;
    result.queueId.reset();
    result.priority.reset();
    result.attachedWorkerSelectors.clear();
    return false;
  }

  bool evalRule(const Json* rule, const std::string& path, Json& out) {
    if (!rule) return fail(path + ": the rule is missing.");
    const RuleOutcome o = evaluateRule(*rule, RuleInput{&job_.labels, nullptr});
    switch (o.kind) {
      case RuleOutcome::Kind::Value: out = o.value; return true;
      case RuleOutcome::Kind::Error: return fail(path + ": " + o.error);
      case RuleOutcome::Kind::External: break;
    }
    const std::string kind = stringMember(*rule, "kind");
    if (!external_) return fail(path + ": no resolver is configured for " + kind + " rules.");
    if (payload_.is_null()) {
      payload_ = Json::object();
      payload_["job"] = labelsToJson(job_.labels);
    }
    const std::optional<ExternalAnswer> answer = external_(*rule, payload_);
    if (!answer) return pending();
    if (answer->failed) {
      return fail(path + ": " + (answer->error.empty() ? "the " + kind + " rule failed." : answer->error));
    }
    out = normalizeNumber(answer->value);
    return true;
  }

  bool evalCondition(const Json* rule, const std::string& path, bool& out) {
    Json value;
    if (!evalRule(rule, path, value)) return false;
    if (value.is_null()) {  // Blank, e.g. If(job.X = 1, true) on another X: false, as a Power Fx condition
      out = false;
      return true;
    }
    if (!value.is_boolean()) {
      return fail(path + ": the condition must evaluate to a boolean, but it returned " + describe(value) + ".");
    }
    out = value.get<bool>();
    return true;
  }

  template <class T>
  bool readOne(const Json* v, const std::string& path, std::vector<typename T::Selector>& out) {
    if (!v) return fail(path + ": the " + T::kNoun + " is missing.");
    Issues issues;
    auto s = T::read(*v, path, issues);
    if (!s || !issues.empty()) {
      const std::string why = issues.empty() ? "invalid " + std::string(T::kNoun) : issues.list().front().message;
      return fail(path + ": " + why);
    }
    out.push_back(std::move(*s));
    return true;
  }

  template <class T>
  bool readList(const Json* list, const std::string& path, std::vector<typename T::Selector>& out) {
    if (!list) return true;  // an absent list attaches nothing
    if (!list->is_array()) return fail(path + ": expected an array of " + T::kNoun + "s.");
    for (std::size_t i = 0; i < list->size(); ++i) {
      if (!readOne<T>(&(*list)[i], indexPath(path, i), out)) return false;
    }
    return true;
  }

  // A ruleEngine result: an array of selectors, or an object of labels (each becomes an equal selector).
  template <class T>
  bool selectorsFromRuleValue(const Json& value, const std::string& path, std::vector<typename T::Selector>& out) {
    if (value.is_array()) {
      for (std::size_t i = 0; i < value.size(); ++i) {
        const std::string itemPath = path + ": result[" + std::to_string(i) + "]";
        if (!value[i].is_object()) {
          return fail(itemPath + " must be a " + T::kNoun + " object, but it is " + describe(value[i]) + ".");
        }
        Issues issues;
        auto s = T::read(value[i], indexPath("result", i), issues);
        if (!s || !issues.empty()) {
          return fail(itemPath + " is not a valid " + T::kNoun + ": " +
                      (issues.empty() ? std::string("invalid") : issues.list().front().message));
        }
        out.push_back(std::move(*s));
      }
      return true;
    }
    if (value.is_object()) {
      for (const auto& [key, labelValue] : value.items()) {
        if (!isPrimitive(labelValue)) {
          return fail(path + ": the value of '" + key + "' must be a string, number or boolean, but it is " +
                      describe(labelValue) + ".");
        }
        typename T::Selector s;
        s.key = key;
        s.labelOperator = LabelOperator::Equal;
        s.value = normalizeNumber(labelValue);
        out.push_back(std::move(s));
      }
      return true;
    }
    return fail(path + ": the rule must return an array of " + T::kNoun + "s, but it returned " + describe(value) +
                ".");
  }

  // One draw; the chosen allocation, or nullptr after fail().
  const Json* pickAllocation(const Json& attachment, const std::string& path) {
    const double u = prng_.unit();  // exactly one draw per weightedAllocation attachment
    const Json* allocations = member(attachment, "allocations");
    if (!allocations || !allocations->is_array() || allocations->empty()) {
      fail(path + ": the attachment has no allocations.");
      return nullptr;
    }
    double cumulative = 0;
    const Json* chosen = nullptr;
    const Json* lastPositive = nullptr;
    for (const Json& allocation : *allocations) {
      const Json* w = member(allocation, "weight");
      const double weight = w && w->is_number() ? w->get<double>() : 0.0;
      if (weight <= 0) continue;
      lastPositive = &allocation;
      cumulative += weight;
      if (!chosen && u < cumulative) chosen = &allocation;
    }
    if (!chosen) chosen = lastPositive ? lastPositive : &allocations->back();
    return chosen;
  }

  template <class T>
  bool passThrough(const Json& attachment, const std::string& path, std::vector<typename T::Selector>& out) {
    const std::string key = stringMember(attachment, "key");
    if (key.empty()) return fail(path + ": the passThrough attachment has no key.");
    const auto label = job_.labels.find(key);
    if (label == job_.labels.end() || label->second.is_null()) {
      return fail(path + ": Label '" + key + "' required by a passThrough attachment is missing.");
    }
    typename T::Selector s;
    s.key = key;
    s.labelOperator = labelOperatorFromName(stringMember(attachment, "labelOperator"));
    s.value = label->second;
    if constexpr (std::is_same_v<typename T::Selector, WorkerSelector>) {
      const Json* seconds = member(attachment, "expiresAfterSeconds");
      if (seconds && seconds->is_number()) s.expiresAfterSeconds = seconds->get<double>();
    }
    out.push_back(std::move(s));
    return true;
  }

  template <class T>
  bool attachments(const Json& policy, const char* listName, std::vector<typename T::Selector>& out) {
    const Json* list = member(policy, listName);
    if (!list) return true;
    if (!list->is_array()) return fail(std::string(listName) + ": expected an array.");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const Json& attachment = (*list)[i];
      const std::string path = indexPath(listName, i);
      const std::string kind = stringMember(attachment, "kind");
      bool ok = true;
      if (kind == "static") {
        ok = readOne<T>(member(attachment, T::kSingle), joinPath(path, T::kSingle), out);
      } else if (kind == "conditional") {
        bool condition = false;
        ok = evalCondition(member(attachment, "condition"), joinPath(path, "condition"), condition);
        if (ok && condition) ok = readList<T>(member(attachment, T::kList), joinPath(path, T::kList), out);
      } else if (kind == "passThrough") {
        ok = passThrough<T>(attachment, path, out);
      } else if (kind == "ruleEngine") {
        Json value;
        const std::string rulePath = joinPath(path, "rule");
        ok = evalRule(member(attachment, "rule"), rulePath, value) && selectorsFromRuleValue<T>(value, rulePath, out);
      } else if (kind == "weightedAllocation") {
        const Json* allocation = pickAllocation(attachment, path);
        ok = allocation && readList<T>(member(*allocation, T::kList), joinPath(path, T::kList), out);
      } else {
        ok = fail(path + ": unknown attachment kind '" + kind + "'.");
      }
      if (!ok) return false;
    }
    return true;
  }

  bool resolveQueue(const Json& policy, const std::vector<QueueView>& queues) {
    std::vector<QueueSelector> selectors;
    if (!attachments<QueueTraits>(policy, "queueSelectorAttachments", selectors)) return false;
    const std::string fallback = stringMember(policy, "fallbackQueueId");
    std::optional<std::string> chosen;
    std::string source;
    if (!selectors.empty()) {
      static const LabelMap kNoLabels;
      const QueueView* best = nullptr;
      for (const QueueView& q : queues) {
        const LabelMap& labels = q.labels ? *q.labels : kNoLabels;
        bool all = true;
        for (const QueueSelector& s : selectors) {
          if (!labelMatches(labels, s.key, s.labelOperator, s.value)) {
            all = false;
            break;
          }
        }
        if (all && (!best || q.id < best->id)) best = &q;
      }
      if (best) {
        result.queueId = best->id;
        return true;
      }
      if (!fallback.empty()) {
        chosen = fallback;
        source = "fallbackQueueId";
      } else if (job_.queueId) {
        chosen = *job_.queueId;
        source = "the job's queueId";
      } else {
        return fail("No queue matched the queue selectors " + toJson(selectors).dump() +
                    " and the classification policy has no fallbackQueueId.");
      }
    } else if (job_.queueId) {
      chosen = *job_.queueId;
      source = "the job's queueId";
    } else if (!fallback.empty()) {
      chosen = fallback;
      source = "fallbackQueueId";
    } else {
      return fail(
          "No queue selectors were attached and neither the job (queueId) nor the classification policy "
          "(fallbackQueueId) names a queue.");
    }
    for (const QueueView& q : queues) {
      if (q.id == *chosen) {
        result.queueId = *chosen;
        return true;
      }
    }
    return fail("Queue '" + *chosen + "' (from " + source + ") does not exist.");
  }

  bool resolvePriority(const Json& policy) {
    const Json* rule = member(policy, "prioritizationRule");
    if (!rule) return true;
    Json value;
    if (!evalRule(rule, "prioritizationRule", value)) return false;
    const auto priority = priorityFrom(value);
    if (!priority) {
      return fail("prioritizationRule: the rule must return a whole number between -100 and 100, but it returned " +
                  describe(value) + ".");
    }
    result.priority = *priority;
    return true;
  }

  bool resolveWorkerSelectors(const Json& policy) {
    std::vector<WorkerSelector> selectors;
    if (!attachments<WorkerTraits>(policy, "workerSelectorAttachments", selectors)) return false;
    for (WorkerSelector& s : selectors) {
      s.expired = false;
      s.expiresAt.reset();
      if (s.expiresAfterSeconds) s.expiresAt = now_ + secondsToTicks(*s.expiresAfterSeconds);
    }
    result.attachedWorkerSelectors = std::move(selectors);
    return true;
  }

 private:
  const Job& job_;
  Prng& prng_;
  Instant now_;
  const ExternalRuleResolver& external_;
  Json payload_;  // {"job": labels}, built on first use
};

}  // namespace

ClassificationResult classify(const Job& job, const Json& policy, const std::vector<QueueView>& queues, Prng& prng,
                              Instant now, const ExternalRuleResolver& external) {
  Classifier c(job, prng, now, external);
  const Json empty = Json::object();
  const Json& p = policy.is_object() ? policy : empty;
  if (c.resolveQueue(p, queues) && c.resolvePriority(p) && c.resolveWorkerSelectors(p)) {
    c.result.outcome = ClassificationResult::Outcome::Classified;
  }
  return std::move(c.result);
}

}  // namespace jr
