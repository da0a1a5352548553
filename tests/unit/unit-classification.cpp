// Rule evaluation (core/rules/rule_evaluator.hpp) and the classification step (core/engine/classification.hpp),
// called directly with hand-built jobs, canonical policies (made by normalizeClassificationPolicy) and queue views.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/engine/classification.hpp"
#include "core/model/policies.hpp"
#include "core/rules/rule_evaluator.hpp"

namespace {

using jr::ClassificationResult;
using jr::ExternalAnswer;
using jr::ExternalRuleResolver;
using jr::Instant;
using jr::Json;
using jr::LabelMap;
using jr::LabelOperator;
using jr::Prng;
using jr::QueueView;
using jr::RuleOutcome;
using Outcome = ClassificationResult::Outcome;

constexpr Instant kNow = 1'704'067'200LL * jr::kTicksPerSecond;  // 2024-01-01T00:00:00Z

Json J(const char* text) { return Json::parse(text); }

LabelMap labels(const char* objectText) {
  LabelMap out;
  const Json parsed = Json::parse(objectText);
  for (const auto& [k, v] : parsed.items()) out[k] = v;
  return out;
}

// The canonical policy exactly as the engine stores it.
Json policy(const char* rawText) {
  jr::Issues issues;
  const Json canonical =
      jr::normalizeClassificationPolicy(Json::parse(rawText), [](jr::ResourceKind, const std::string&) { return true; },
                                        issues);
  std::string problems;
  for (const auto& issue : issues.list()) problems += issue.target + ": " + issue.message + "\n";
  INFO("policy: " << rawText << "\n" << problems);
  REQUIRE(issues.empty());
  return canonical;
}

jr::Job job(const char* labelsText = "{}", std::optional<std::string> queueId = std::nullopt) {
  jr::Job j;
  j.channelId = "voice";
  j.labels = labels(labelsText);
  j.queueId = std::move(queueId);
  return j;
}

// Queues with their labels (plus the automatic Id label); views() gives them sorted by id.
struct Queues {
  std::map<std::string, LabelMap> byId;

  Queues& add(const std::string& id, const char* labelsText = "{}") {
    LabelMap l = labels(labelsText);
    l["Id"] = id;
    byId[id] = l;
    return *this;
  }
  std::vector<QueueView> views() const {
    std::vector<QueueView> out;
    for (const auto& [id, l] : byId) out.push_back(QueueView{id, &l});
    return out;
  }
};

Queues regionQueues() {
  Queues q;
  q.add("q-eu", R"({"Region":"EU","Tier":1})")
      .add("q-na", R"({"Region":"NA","Tier":2})")
      .add("q-na-vip", R"({"Region":"NA","Tier":3,"Vip":true})")
      .add("q-fallback");
  return q;
}

const ExternalRuleResolver kNoExternal;

ClassificationResult run(const jr::Job& j, const Json& p, const Queues& queues, std::uint64_t seed = 7,
                         const ExternalRuleResolver& external = kNoExternal) {
  Prng prng(seed);
  return jr::classify(j, p, queues.views(), prng, kNow, external);
}

void requireClassified(const ClassificationResult& r) {
  INFO("error: " << r.errorCode << " " << r.errorMessage);
  REQUIRE(r.outcome == Outcome::Classified);
  CHECK(r.errorCode.empty());
  CHECK(r.errorMessage.empty());
}

std::string requireFailed(const ClassificationResult& r) {
  REQUIRE(r.outcome == Outcome::Failed);
  CHECK(r.errorCode == "ClassificationFailed");
  CHECK_FALSE(r.queueId.has_value());
  CHECK(r.attachedWorkerSelectors.empty());
  return r.errorMessage;
}

bool containsText(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

RuleOutcome eval(const char* ruleText, const LabelMap& jobLabels = {}, const LabelMap* worker = nullptr) {
  return jr::evaluateRule(Json::parse(ruleText), jr::RuleInput{&jobLabels, worker});
}

bool matches(const char* labelsText, const std::string& key, LabelOperator op, std::optional<Json> value) {
  return jr::labelMatches(labels(labelsText), key, op, value);
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// evaluateRule
// ---------------------------------------------------------------------------------------------------------------

TEST_CASE("rules: static rule yields its value, or null without one", "[rules]") {
  auto r = eval(R"({"kind":"static","value":5})");
  REQUIRE(r.kind == RuleOutcome::Kind::Value);
  CHECK(r.value == Json(5));
  r = eval(R"({"kind":"static","value":"high"})");
  REQUIRE(r.kind == RuleOutcome::Kind::Value);
  CHECK(r.value == Json("high"));
  r = eval(R"({"kind":"static","value":true})");
  CHECK(r.value == Json(true));
  r = eval(R"({"kind":"static","value":2.0})");
  CHECK(r.value.is_number_integer());
  CHECK(r.value == Json(2));
  r = eval(R"({"kind":"static"})");
  REQUIRE(r.kind == RuleOutcome::Kind::Value);
  CHECK(r.value.is_null());
}

TEST_CASE("rules: directMap yields the job labels as an object", "[rules]") {
  const LabelMap l = labels(R"({"b":2,"a":"x","c":true})");
  auto r = eval(R"({"kind":"directMap"})", l);
  REQUIRE(r.kind == RuleOutcome::Kind::Value);
  CHECK(r.value.dump() == R"({"a":"x","b":2,"c":true})");
  r = jr::evaluateRule(J(R"({"kind":"directMap"})"), jr::RuleInput{});
  REQUIRE(r.kind == RuleOutcome::Kind::Value);
  CHECK(r.value == Json::object());
}

TEST_CASE("rules: expression rules are evaluated against job and worker labels", "[rules]") {
  const LabelMap jobLabels = labels(R"({"Region":"NA","Escalated":true,"Tier":2})");
  const LabelMap workerLabels = labels(R"({"Skill":7})");
  auto r = eval(R"({"kind":"expression","language":"powerFx","expression":"job.Region = \"NA\""})", jobLabels);
  REQUIRE(r.kind == RuleOutcome::Kind::Value);
  CHECK(r.value == Json(true));
  r = eval(R"J({"kind":"expression","language":"powerFx","expression":"If(job.Escalated = true, 10, 1)"})J", jobLabels);
  REQUIRE(r.kind == RuleOutcome::Kind::Value);
  CHECK(r.value == Json(10));
  r = eval(R"({"kind":"expression","language":"powerFx","expression":"worker.Skill + job.Tier"})", jobLabels,
           &workerLabels);
  REQUIRE(r.kind == RuleOutcome::Kind::Value);
  CHECK(r.value == Json(9));

  SECTION("an absent label is Blank, not an error (changed on purpose, as Power Fx treats a missing value)") {
    r = eval(R"({"kind":"expression","language":"powerFx","expression":"job.Missing = 1"})", jobLabels);
    REQUIRE(r.kind == RuleOutcome::Kind::Value);
    CHECK(r.value == Json(false));
  }
  SECTION("evaluation errors carry the column") {
    r = eval(R"({"kind":"expression","language":"powerFx","expression":"job.Tier / 0"})", jobLabels);
    REQUIRE(r.kind == RuleOutcome::Kind::Error);
    CHECK(r.error == "Operator '/' at column 10: division by zero");
    CHECK(r.column == 10);
  }
  SECTION("parse errors") {
    r = eval(R"({"kind":"expression","language":"powerFx","expression":"job.Region = "})", jobLabels);
    REQUIRE(r.kind == RuleOutcome::Kind::Error);
    CHECK(r.error == "Invalid expression: Unexpected end of expression at column 14");
    CHECK(r.column == 14);
  }
  SECTION("the parse cache never changes a result") {
    const char* rule = R"({"kind":"expression","language":"powerFx","expression":"job.Tier * 3"})";
    for (int i = 0; i < 3; ++i) {
      const LabelMap l = labels(i == 1 ? R"({"Tier":5})" : R"({"Tier":1})");
      r = eval(rule, l);
      REQUIRE(r.kind == RuleOutcome::Kind::Value);
      CHECK(r.value == Json(i == 1 ? 15 : 3));
    }
  }
}

TEST_CASE("rules: function and webhook rules are external; malformed rules are errors", "[rules]") {
  CHECK(eval(R"({"kind":"function","functionUri":"https://f.example/api"})").kind == RuleOutcome::Kind::External);
  CHECK(eval(R"({"kind":"webhook","webhookUri":"https://w.example/"})").kind == RuleOutcome::Kind::External);
  CHECK(eval(R"({"kind":"nope"})").kind == RuleOutcome::Kind::Error);
  CHECK(eval(R"({"value":1})").kind == RuleOutcome::Kind::Error);
  CHECK(eval(R"(3)").kind == RuleOutcome::Kind::Error);
  CHECK(eval(R"({"kind":"expression","language":"powerFx"})").kind == RuleOutcome::Kind::Error);
}

// ---------------------------------------------------------------------------------------------------------------
// labelMatches
// ---------------------------------------------------------------------------------------------------------------

TEST_CASE("rules: labelMatches compares numbers across all six operators", "[rules]") {
  const char* l = R"({"n":5,"f":2.5})";
  CHECK(matches(l, "n", LabelOperator::Equal, Json(5)));
  CHECK_FALSE(matches(l, "n", LabelOperator::Equal, Json(6)));
  CHECK(matches(l, "n", LabelOperator::NotEqual, Json(6)));
  CHECK_FALSE(matches(l, "n", LabelOperator::NotEqual, Json(5)));
  CHECK(matches(l, "n", LabelOperator::LessThan, Json(6)));
  CHECK_FALSE(matches(l, "n", LabelOperator::LessThan, Json(5)));
  CHECK(matches(l, "n", LabelOperator::LessThanOrEqual, Json(5)));
  CHECK_FALSE(matches(l, "n", LabelOperator::LessThanOrEqual, Json(4)));
  CHECK(matches(l, "n", LabelOperator::GreaterThan, Json(4.5)));
  CHECK_FALSE(matches(l, "n", LabelOperator::GreaterThan, Json(5)));
  CHECK(matches(l, "n", LabelOperator::GreaterThanOrEqual, Json(5.0)));
  CHECK_FALSE(matches(l, "n", LabelOperator::GreaterThanOrEqual, Json(5.01)));
  CHECK(matches(l, "f", LabelOperator::GreaterThan, Json(2)));
  CHECK(matches(l, "f", LabelOperator::LessThan, Json(3)));
  CHECK(matches(l, "n", LabelOperator::GreaterThan, Json(-7)));
}

TEST_CASE("rules: labelMatches type mixes", "[rules]") {
  // 1 vs 1.0: equal numerically.
  CHECK(matches(R"({"k":1})", "k", LabelOperator::Equal, Json(1.0)));
  CHECK(matches(R"({"k":1.0})", "k", LabelOperator::Equal, Json(1)));
  CHECK_FALSE(matches(R"({"k":1})", "k", LabelOperator::NotEqual, Json(1.0)));
  CHECK(matches(R"({"k":1})", "k", LabelOperator::LessThanOrEqual, Json(1.0)));
  // "1" vs 1: different types are never equal, and ordering across types never matches.
  CHECK_FALSE(matches(R"({"k":"1"})", "k", LabelOperator::Equal, Json(1)));
  CHECK(matches(R"({"k":"1"})", "k", LabelOperator::NotEqual, Json(1)));
  CHECK_FALSE(matches(R"({"k":1})", "k", LabelOperator::Equal, Json("1")));
  for (auto op : {LabelOperator::LessThan, LabelOperator::LessThanOrEqual, LabelOperator::GreaterThan,
                  LabelOperator::GreaterThanOrEqual}) {
    CHECK_FALSE(matches(R"({"k":"1"})", "k", op, Json(1)));
    CHECK_FALSE(matches(R"({"k":1})", "k", op, Json("1")));
    CHECK_FALSE(matches(R"({"k":true})", "k", op, Json(true)));
    CHECK_FALSE(matches(R"({"k":true})", "k", op, Json(1)));
  }
  // Booleans.
  CHECK(matches(R"({"k":true})", "k", LabelOperator::Equal, Json(true)));
  CHECK_FALSE(matches(R"({"k":true})", "k", LabelOperator::Equal, Json(1)));
  CHECK(matches(R"({"k":true})", "k", LabelOperator::NotEqual, Json(false)));
  CHECK(matches(R"({"k":false})", "k", LabelOperator::NotEqual, Json("false")));
  // Strings: exact, case-sensitive, byte order.
  CHECK(matches(R"({"k":"NA"})", "k", LabelOperator::Equal, Json("NA")));
  CHECK_FALSE(matches(R"({"k":"NA"})", "k", LabelOperator::Equal, Json("na")));
  CHECK(matches(R"({"k":"apple"})", "k", LabelOperator::LessThan, Json("banana")));
  CHECK(matches(R"({"k":"Zebra"})", "k", LabelOperator::LessThan, Json("apple")));  // 'Z' (0x5A) < 'a' (0x61)
  CHECK(matches(R"({"k":"ab"})", "k", LabelOperator::GreaterThan, Json("a")));
  CHECK(matches(R"({"k":"\u00e9"})", "k", LabelOperator::GreaterThan, Json("z")));  // UTF-8 lead byte 0xC3
  CHECK(matches(R"({"k":"b"})", "k", LabelOperator::GreaterThanOrEqual, Json("b")));
  CHECK(matches(R"({"k":"b"})", "k", LabelOperator::LessThanOrEqual, Json("b")));
  // Large integers compare exactly, signed against unsigned too.
  CHECK_FALSE(matches(R"({"k":9007199254740993})", "k", LabelOperator::Equal, Json(9007199254740992LL)));
  CHECK(matches(R"({"k":9007199254740993})", "k", LabelOperator::GreaterThan, Json(9007199254740992LL)));
  CHECK(matches(R"({"k":18446744073709551615})", "k", LabelOperator::GreaterThan, Json(-1)));
  CHECK(matches(R"({"k":-1})", "k", LabelOperator::LessThan, Json(18446744073709551615ULL)));
}

TEST_CASE("rules: labelMatches with a missing label satisfies only notEqual", "[rules]") {
  CHECK(matches(R"({"other":1})", "segment", LabelOperator::NotEqual, Json("vip")));
  for (auto op : {LabelOperator::Equal, LabelOperator::LessThan, LabelOperator::LessThanOrEqual,
                  LabelOperator::GreaterThan, LabelOperator::GreaterThanOrEqual}) {
    CHECK_FALSE(matches(R"({"other":1})", "segment", op, Json("vip")));
  }
  // A JSON null label counts as missing.
  LabelMap withNull;
  withNull["segment"] = Json();
  CHECK(jr::labelMatches(withNull, "segment", LabelOperator::NotEqual, Json("vip")));
  CHECK_FALSE(jr::labelMatches(withNull, "segment", LabelOperator::Equal, Json("vip")));
  // A selector without a value equals nothing that is present.
  CHECK_FALSE(matches(R"({"k":1})", "k", LabelOperator::Equal, std::nullopt));
  CHECK(matches(R"({"k":1})", "k", LabelOperator::NotEqual, std::nullopt));
  CHECK_FALSE(matches(R"({"k":1})", "k", LabelOperator::GreaterThan, std::nullopt));
}

// ---------------------------------------------------------------------------------------------------------------
// classify: queue selection
// ---------------------------------------------------------------------------------------------------------------

TEST_CASE("classification: static queue selector picks the matching queue", "[classification]") {
  const auto p = policy(R"({"queueSelectorAttachments":[
      {"kind":"static","queueSelector":{"key":"Region","labelOperator":"equal","value":"EU"}}]})");
  const auto r = run(job(), p, regionQueues());
  requireClassified(r);
  CHECK(r.queueId == "q-eu");
  CHECK_FALSE(r.priority.has_value());
  CHECK(r.attachedWorkerSelectors.empty());
}

TEST_CASE("classification: selectors from all attachments are ANDed; the automatic Id label works",
          "[classification]") {
  const auto p = policy(R"({"queueSelectorAttachments":[
      {"kind":"static","queueSelector":{"key":"Region","labelOperator":"equal","value":"NA"}},
      {"kind":"static","queueSelector":{"key":"Tier","labelOperator":"greaterThan","value":2}}]})");
  auto r = run(job(), p, regionQueues());
  requireClassified(r);
  CHECK(r.queueId == "q-na-vip");

  const auto byId = policy(R"({"queueSelectorAttachments":[
      {"kind":"static","queueSelector":{"key":"Id","labelOperator":"equal","value":"q-fallback"}}]})");
  r = run(job(), byId, regionQueues());
  requireClassified(r);
  CHECK(r.queueId == "q-fallback");
}

TEST_CASE("classification: several matching queues -> the smallest queue id", "[classification]") {
  const auto p = policy(R"({"queueSelectorAttachments":[
      {"kind":"static","queueSelector":{"key":"Region","labelOperator":"equal","value":"NA"}}]})");
  auto r = run(job(), p, regionQueues());
  requireClassified(r);
  CHECK(r.queueId == "q-na");
  // Not dependent on the order of the views.
  Queues q = regionQueues();
  auto views = q.views();
  std::reverse(views.begin(), views.end());
  Prng prng(1);
  r = jr::classify(job(), p, views, prng, kNow, kNoExternal);
  requireClassified(r);
  CHECK(r.queueId == "q-na");
}

TEST_CASE("classification: conditional queue attachment", "[classification]") {
  const auto p = policy(R"({"queueSelectorAttachments":[
      {"kind":"conditional",
       "condition":{"kind":"expression","expression":"job.Vip = true"},
       "queueSelectors":[{"key":"Vip","labelOperator":"equal","value":true}]},
      {"kind":"static","queueSelector":{"key":"Region","labelOperator":"equal","value":"NA"}}]})");
  auto r = run(job(R"({"Vip":true})"), p, regionQueues());
  requireClassified(r);
  CHECK(r.queueId == "q-na-vip");
  r = run(job(R"({"Vip":false})"), p, regionQueues());
  requireClassified(r);
  CHECK(r.queueId == "q-na");

  SECTION("a non-boolean condition fails") {
    for (const char* value : {R"("true")", "1"}) {
      const std::string raw = std::string(R"({"queueSelectorAttachments":[{"kind":"conditional",
          "condition":{"kind":"static","value":)") + value + R"(},
          "queueSelectors":[{"key":"Vip","labelOperator":"equal","value":true}]}]})";
      const auto bad = policy(raw.c_str());
      const std::string message = requireFailed(run(job(), bad, regionQueues()));
      CHECK(containsText(message, "queueSelectorAttachments[0].condition: the condition must evaluate to a boolean"));
    }
  }
  SECTION("a Blank (null) condition is false, as in Power Fx") {
    const auto blank = policy(R"J({"queueSelectorAttachments":[{"kind":"conditional",
        "condition":{"kind":"expression","expression":"If(job.Vip = true, true)"},
        "queueSelectors":[{"key":"Vip","labelOperator":"equal","value":true}]},
        {"kind":"static","queueSelector":{"key":"Region","labelOperator":"equal","value":"NA"}}]})J");
    const auto r2 = run(job(), blank, regionQueues());
    requireClassified(r2);
    CHECK(r2.queueId == "q-na");
    const auto staticNull = policy(R"J({"queueSelectorAttachments":[{"kind":"conditional",
        "condition":{"kind":"static","value":null},
        "queueSelectors":[{"key":"Vip","labelOperator":"equal","value":true}]},
        {"kind":"static","queueSelector":{"key":"Region","labelOperator":"equal","value":"NA"}}]})J");
    requireClassified(run(job(), staticNull, regionQueues()));
  }
  SECTION("a directMap condition (an object) fails") {
    const auto bad = policy(R"({"queueSelectorAttachments":[{"kind":"conditional",
        "condition":{"kind":"directMap"},"queueSelectors":[]}]})");
    CHECK(containsText(requireFailed(run(job(R"({"a":1})"), bad, regionQueues())), "returned the object"));
  }
  SECTION("an evaluation error names the part that failed") {
    const auto bad = policy(R"({"queueSelectorAttachments":[
        {"kind":"static","queueSelector":{"key":"Region","labelOperator":"equal","value":"NA"}},
        {"kind":"conditional","condition":{"kind":"expression","expression":"job.Region / 0 = 1"},
         "queueSelectors":[]}]})");
    CHECK(requireFailed(run(job(), bad, regionQueues())) ==
          "queueSelectorAttachments[1].condition: Operator '/' at column 12: division by zero");
  }
  SECTION("a condition on an absent label is false, not a failure") {
    const auto p = policy(R"({"queueSelectorAttachments":[
        {"kind":"conditional","condition":{"kind":"expression","expression":"job.Region = \"NA\""},
         "queueSelectors":[{"key":"Region","labelOperator":"equal","value":"NA"}]}], "fallbackQueueId":"q-eu"})");
    const auto r = run(job(), p, regionQueues());
    requireClassified(r);
  }
}

TEST_CASE("classification: passThrough queue attachment", "[classification]") {
  const auto p = policy(R"({"queueSelectorAttachments":[
      {"kind":"passThrough","key":"Region","labelOperator":"equal"},
      {"kind":"passThrough","key":"Tier","labelOperator":"greaterThanOrEqual"}]})");
  auto r = run(job(R"({"Region":"NA","Tier":3})"), p, regionQueues());
  requireClassified(r);
  CHECK(r.queueId == "q-na-vip");
  r = run(job(R"({"Region":"NA","Tier":2.0})"), p, regionQueues());
  requireClassified(r);
  CHECK(r.queueId == "q-na");

  SECTION("a missing job label fails") {
    const std::string message = requireFailed(run(job(R"({"Region":"NA"})"), p, regionQueues()));
    CHECK(message == "queueSelectorAttachments[1]: Label 'Tier' required by a passThrough attachment is missing.");
    // Even when a fallback exists.
    const auto withFallback = policy(R"({"fallbackQueueId":"q-fallback","queueSelectorAttachments":[
        {"kind":"passThrough","key":"Region","labelOperator":"equal"}]})");
    requireFailed(run(job(), withFallback, regionQueues()));
  }
}

TEST_CASE("classification: ruleEngine queue attachment", "[classification]") {
  SECTION("directMap: every job label becomes an equal selector") {
    const auto p = policy(R"({"queueSelectorAttachments":[{"kind":"ruleEngine","rule":{"kind":"directMap"}}]})");
    auto r = run(job(R"({"Region":"EU","Tier":1})"), p, regionQueues());
    requireClassified(r);
    CHECK(r.queueId == "q-eu");
    // A label no queue has -> no match -> no fallback, no queueId -> failed.
    CHECK(containsText(requireFailed(run(job(R"({"Region":"EU","Lang":"de"})"), p, regionQueues())),
                   "No queue matched the queue selectors"));
    // No job labels -> no selectors -> the job's own queue.
    r = run(job("{}", "q-na"), p, regionQueues());
    requireClassified(r);
    CHECK(r.queueId == "q-na");
  }
  SECTION("an external rule returning selectors (any operator spelling)") {
    const auto p = policy(R"({"queueSelectorAttachments":[
        {"kind":"ruleEngine","rule":{"kind":"function","functionUri":"https://f.example/api/queues"}}]})");
    const ExternalRuleResolver external = [](const Json&, const Json&) -> std::optional<ExternalAnswer> {
      return ExternalAnswer{false,
                            J(R"([{"key":"Region","labelOperator":"Equal","value":"NA"},
                                  {"key":"Tier","labelOperator":"less-than","value":3}])"),
                            ""};
    };
    auto r = run(job(), p, regionQueues(), 1, external);
    requireClassified(r);
    CHECK(r.queueId == "q-na");
  }
  SECTION("results that are not selectors fail") {
    const auto number = policy(R"({"queueSelectorAttachments":[
        {"kind":"ruleEngine","rule":{"kind":"static","value":5}}]})");
    CHECK(requireFailed(run(job(), number, regionQueues())) ==
          "queueSelectorAttachments[0].rule: the rule must return an array of queue selectors, but it returned the "
          "number 5.");
    const auto external = policy(R"({"queueSelectorAttachments":[
        {"kind":"ruleEngine","rule":{"kind":"webhook","webhookUri":"https://w.example/"}}]})");
    const ExternalRuleResolver badOperator = [](const Json&, const Json&) -> std::optional<ExternalAnswer> {
      return ExternalAnswer{false, J(R"([{"key":"Region","labelOperator":"like","value":"NA"}])"), ""};
    };
    CHECK(containsText(requireFailed(run(job(), external, regionQueues(), 1, badOperator)),
                   "queueSelectorAttachments[0].rule: result[0] is not a valid queue selector"));
    const ExternalRuleResolver notObjects = [](const Json&, const Json&) -> std::optional<ExternalAnswer> {
      return ExternalAnswer{false, J(R"(["Region"])"), ""};
    };
    CHECK(containsText(requireFailed(run(job(), external, regionQueues(), 1, notObjects)),
                   "result[0] must be a queue selector object"));
  }
}

TEST_CASE("classification: queue fallback rules", "[classification]") {
  const char* nomatch = R"({"fallbackQueueId":"q-fallback","queueSelectorAttachments":[
      {"kind":"static","queueSelector":{"key":"Region","labelOperator":"equal","value":"APAC"}}]})";
  const char* nomatchNoFallback = R"({"queueSelectorAttachments":[
      {"kind":"static","queueSelector":{"key":"Region","labelOperator":"equal","value":"APAC"}}]})";
  const Queues queues = regionQueues();

  SECTION("selectors, no match: fallback first, then the job's queue, else failed") {
    auto r = run(job("{}", "q-eu"), policy(nomatch), queues);
    requireClassified(r);
    CHECK(r.queueId == "q-fallback");
    r = run(job("{}", "q-eu"), policy(nomatchNoFallback), queues);
    requireClassified(r);
    CHECK(r.queueId == "q-eu");
    CHECK(requireFailed(run(job(), policy(nomatchNoFallback), queues)) ==
          R"(No queue matched the queue selectors [{"key":"Region","labelOperator":"equal","value":"APAC"}] and the )"
          "classification policy has no fallbackQueueId.");
  }
  SECTION("selectors that match win over the job's queue and the fallback") {
    const auto p = policy(R"({"fallbackQueueId":"q-fallback","queueSelectorAttachments":[
        {"kind":"static","queueSelector":{"key":"Region","labelOperator":"equal","value":"EU"}}]})");
    auto r = run(job("{}", "q-na"), p, queues);
    requireClassified(r);
    CHECK(r.queueId == "q-eu");
  }
  SECTION("no selectors: the job's queue first, then the fallback, else failed") {
    auto r = run(job("{}", "q-eu"), policy(R"({"fallbackQueueId":"q-fallback"})"), queues);
    requireClassified(r);
    CHECK(r.queueId == "q-eu");
    r = run(job(), policy(R"({"fallbackQueueId":"q-fallback"})"), queues);
    requireClassified(r);
    CHECK(r.queueId == "q-fallback");
    r = run(job("{}", "q-na"), policy("{}"), queues);
    requireClassified(r);
    CHECK(r.queueId == "q-na");
    CHECK(containsText(requireFailed(run(job(), policy("{}"), queues)), "No queue selectors were attached"));
    // A conditional that is false attaches nothing.
    const auto falseCondition = policy(R"({"fallbackQueueId":"q-fallback","queueSelectorAttachments":[
        {"kind":"conditional","condition":{"kind":"static","value":false},
         "queueSelectors":[{"key":"Region","labelOperator":"equal","value":"EU"}]}]})");
    r = run(job("{}", "q-na"), falseCondition, queues);
    requireClassified(r);
    CHECK(r.queueId == "q-na");
  }
  SECTION("the resolved queue must exist") {
    CHECK(requireFailed(run(job("{}", "gone"), policy("{}"), queues)) ==
          "Queue 'gone' (from the job's queueId) does not exist.");
    CHECK(requireFailed(run(job(), policy(R"({"fallbackQueueId":"gone"})"), queues)) ==
          "Queue 'gone' (from fallbackQueueId) does not exist.");
  }
  SECTION("a null or empty policy behaves like an empty one") {
    Prng prng(1);
    auto r = jr::classify(job("{}", "q-eu"), Json(), queues.views(), prng, kNow, kNoExternal);
    requireClassified(r);
    CHECK(r.queueId == "q-eu");
  }
}

// ---------------------------------------------------------------------------------------------------------------
// classify: weighted allocation
// ---------------------------------------------------------------------------------------------------------------

namespace {

const char* kWeightedQueues = R"({"queueSelectorAttachments":[{"kind":"weightedAllocation","allocations":[
    {"weight":0.3,"queueSelectors":[{"key":"Id","labelOperator":"equal","value":"q-eu"}]},
    {"weight":0.7,"queueSelectors":[{"key":"Id","labelOperator":"equal","value":"q-na"}]}]}]})";

}  // namespace

TEST_CASE("classification: weighted queue allocation is seeded and deterministic", "[classification]") {
  const auto p = policy(kWeightedQueues);
  const Queues queues = regionQueues();
  const auto views = queues.views();

  SECTION("same seed -> same sequence of choices") {
    Prng a(42), b(42);
    std::vector<std::string> first, second;
    for (int i = 0; i < 50; ++i) {
      auto ra = jr::classify(job(), p, views, a, kNow, kNoExternal);
      auto rb = jr::classify(job(), p, views, b, kNow, kNoExternal);
      requireClassified(ra);
      requireClassified(rb);
      first.push_back(*ra.queueId);
      second.push_back(*rb.queueId);
    }
    CHECK(first == second);
  }
  SECTION("exactly one draw per weightedAllocation attachment, chosen by cumulative weight") {
    Prng prng(9), reference(9);
    for (int i = 0; i < 20; ++i) {
      const double u = reference.unit();
      auto r = jr::classify(job(), p, views, prng, kNow, kNoExternal);
      requireClassified(r);
      CHECK(r.queueId == (u < 0.3 ? "q-eu" : "q-na"));
    }
    CHECK(prng.next() == reference.next());
  }
  SECTION("1000 draws split about 30/70") {
    Prng prng(2024);
    int eu = 0, na = 0;
    for (int i = 0; i < 1000; ++i) {
      auto r = jr::classify(job(), p, views, prng, kNow, kNoExternal);
      requireClassified(r);
      if (r.queueId == "q-eu") ++eu;
      if (r.queueId == "q-na") ++na;
    }
    CHECK(eu + na == 1000);
    CHECK(eu >= 250);
    CHECK(eu <= 350);
    // Seeded, so the exact counts are fixed.
    CHECK(eu == 290);
    CHECK(na == 1000 - 290);
  }
  SECTION("zero-weight allocations are never chosen (validation forbids them; classify copes anyway)") {
    const auto zero = J(R"({"queueSelectorAttachments":[{"kind":"weightedAllocation","allocations":[
        {"weight":0,"queueSelectors":[{"key":"Id","labelOperator":"equal","value":"q-eu"}]},
        {"weight":1,"queueSelectors":[{"key":"Id","labelOperator":"equal","value":"q-na"}]}]}]})");
    Prng prng(5);
    for (int i = 0; i < 100; ++i) {
      auto r = jr::classify(job(), zero, views, prng, kNow, kNoExternal);
      requireClassified(r);
      CHECK(r.queueId == "q-na");
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// classify: priority
// ---------------------------------------------------------------------------------------------------------------

namespace {

std::string priorityPolicy(const std::string& ruleJson) {
  return R"({"fallbackQueueId":"q-fallback","prioritizationRule":)" + ruleJson + "}";
}

ClassificationResult runPriority(const std::string& ruleJson, const char* jobLabels = "{}") {
  return run(job(jobLabels), policy(priorityPolicy(ruleJson).c_str()), regionQueues());
}

}  // namespace

TEST_CASE("classification: prioritizationRule yields an integer in -100..100", "[classification]") {
  struct Case {
    const char* rule;
    std::int64_t expected;
  };
  const Case good[] = {
      {R"({"kind":"static","value":5})", 5},
      {R"({"kind":"static","value":2.0})", 2},
      {R"({"kind":"static","value":"2"})", 2},
      {R"({"kind":"static","value":"-100"})", -100},
      {R"({"kind":"static","value":"+7"})", 7},
      {R"({"kind":"static","value":"3.00"})", 3},
      {R"({"kind":"static","value":100})", 100},
      {R"({"kind":"static","value":-100})", -100},
      {R"({"kind":"static","value":0})", 0},
      {R"J({"kind":"expression","expression":"If(job.Escalated = true, 10, 1)"})J", 10},
  };
  for (const auto& c : good) {
    INFO("rule: " << c.rule);
    const auto r = runPriority(c.rule, R"({"Escalated":true})");
    requireClassified(r);
    REQUIRE(r.priority.has_value());
    CHECK(*r.priority == c.expected);
    CHECK(r.queueId == "q-fallback");
  }
  // The escalation guide's policy on a job without the Escalated label: Blank = true is false, so priority 1.
  for (const char* jobLabels : {"{}", R"({"Escalated":null})", R"({"Escalated":false})"}) {
    INFO("labels: " << jobLabels);
    const auto r = runPriority(R"J({"kind":"expression","expression":"If(job.Escalated = true, 10, 1)"})J", jobLabels);
    requireClassified(r);
    REQUIRE(r.priority.has_value());
    CHECK(*r.priority == 1);
  }
  // The classification how-to's rule: 10 if a label called Hardware_VIP was matched, otherwise 1.
  const auto vip = runPriority(R"J({"kind":"expression","expression":"If(job.Hardware_VIP = true, 10, 1)"})J");
  requireClassified(vip);
  CHECK(vip.priority == 1);

  const char* bad[] = {
      R"({"kind":"static","value":101})",     R"({"kind":"static","value":-101})",
      R"({"kind":"static","value":2.5})",     R"({"kind":"static","value":"2.5"})",
      R"({"kind":"static","value":"abc"})",   R"({"kind":"static","value":""})",
      R"({"kind":"static","value":" 2"})",    R"({"kind":"static","value":"2e1"})",
      R"({"kind":"static","value":"1000"})",  R"({"kind":"static","value":true})",
      R"({"kind":"static"})",                 R"({"kind":"directMap"})",
      R"({"kind":"static","value":1e300})",   R"({"kind":"static","value":18446744073709551615})",
      R"J({"kind":"expression","expression":"If(job.Escalated = false, 10)"})J",
  };
  for (const char* rule : bad) {
    INFO("rule: " << rule);
    const std::string message = requireFailed(runPriority(rule, R"({"Escalated":true})"));
    CHECK(containsText(message, "prioritizationRule: the rule must return a whole number between -100 and 100"));
  }
  CHECK(requireFailed(runPriority(R"({"kind":"static","value":101})")) ==
        "prioritizationRule: the rule must return a whole number between -100 and 100, but it returned the "
        "number 101.");
  // An absent label is Blank: the rule gives Blank, which is no priority.
  CHECK(requireFailed(runPriority(R"({"kind":"expression","expression":"job.P"})")) ==
        "prioritizationRule: the rule must return a whole number between -100 and 100, but it returned null.");
  CHECK(requireFailed(runPriority(R"J({"kind":"expression","expression":"Mid(\"a\", 0)"})J")) ==
        "prioritizationRule: Function 'Mid' at column 1: the start must be 1 or more, but it is 0");
}

TEST_CASE("classification: without prioritizationRule the priority is left alone", "[classification]") {
  const auto r = run(job("{}", "q-eu"), policy("{}"), regionQueues());
  requireClassified(r);
  CHECK_FALSE(r.priority.has_value());
}

// ---------------------------------------------------------------------------------------------------------------
// classify: worker selector attachments
// ---------------------------------------------------------------------------------------------------------------

TEST_CASE("classification: every worker selector attachment kind", "[classification]") {
  const auto p = policy(R"({"fallbackQueueId":"q-fallback","workerSelectorAttachments":[
      {"kind":"static","workerSelector":{"key":"English","labelOperator":"greaterThan","value":5,
                                         "expiresAfterSeconds":30,"expedite":true}},
      {"kind":"conditional","condition":{"kind":"expression","expression":"job.Vip = true"},
       "workerSelectors":[{"key":"Senior","labelOperator":"equal","value":true}]},
      {"kind":"conditional","condition":{"kind":"static","value":false},
       "workerSelectors":[{"key":"Never","labelOperator":"equal","value":1}]},
      {"kind":"passThrough","key":"Region","labelOperator":"equal","expiresAfterSeconds":2.5},
      {"kind":"ruleEngine","rule":{"kind":"directMap"}},
      {"kind":"weightedAllocation","allocations":[
        {"weight":0.5,"workerSelectors":[{"key":"Team","labelOperator":"equal","value":"A"}]},
        {"weight":0.5,"workerSelectors":[{"key":"Team","labelOperator":"equal","value":"B"}]}]}]})");
  Prng prng(3), reference(3);
  const double u = reference.unit();
  const auto r = jr::classify(job(R"({"Region":"NA","Vip":true})"), p, regionQueues().views(), prng, kNow,
                              kNoExternal);
  requireClassified(r);
  CHECK(r.queueId == "q-fallback");
  CHECK(prng.next() == reference.next());  // one draw for the one weightedAllocation

  const auto& s = r.attachedWorkerSelectors;
  REQUIRE(s.size() == 6);
  CHECK(s[0].key == "English");
  CHECK(s[0].labelOperator == LabelOperator::GreaterThan);
  CHECK(s[0].value == Json(5));
  CHECK(s[0].expedite);
  CHECK(s[0].expiresAfterSeconds == 30.0);
  CHECK(s[0].expiresAt == kNow + 30 * jr::kTicksPerSecond);
  CHECK_FALSE(s[0].expired);

  CHECK(s[1].key == "Senior");
  CHECK(s[1].value == Json(true));
  CHECK_FALSE(s[1].expiresAt.has_value());

  CHECK(s[2].key == "Region");
  CHECK(s[2].labelOperator == LabelOperator::Equal);
  CHECK(s[2].value == Json("NA"));
  CHECK(s[2].expiresAfterSeconds == 2.5);
  CHECK(s[2].expiresAt == kNow + 25'000'000);

  // directMap: one equal selector per job label, in label order.
  CHECK(s[3].key == "Region");
  CHECK(s[3].value == Json("NA"));
  CHECK(s[4].key == "Vip");
  CHECK(s[4].labelOperator == LabelOperator::Equal);
  CHECK(s[4].value == Json(true));
  CHECK_FALSE(s[4].expedite);

  CHECK(s[5].key == "Team");
  CHECK(s[5].value == Json(u < 0.5 ? "A" : "B"));
}

TEST_CASE("classification: worker attachment failures", "[classification]") {
  SECTION("passThrough with a missing label") {
    const auto p = policy(R"({"fallbackQueueId":"q-fallback","workerSelectorAttachments":[
        {"kind":"passThrough","key":"Region","labelOperator":"equal"}]})");
    CHECK(requireFailed(run(job(), p, regionQueues())) ==
          "workerSelectorAttachments[0]: Label 'Region' required by a passThrough attachment is missing.");
  }
  SECTION("conditional with a non-boolean condition") {
    const auto p = policy(R"({"fallbackQueueId":"q-fallback","workerSelectorAttachments":[
        {"kind":"conditional","condition":{"kind":"static","value":"yes"},"workerSelectors":[]}]})");
    CHECK(requireFailed(run(job(), p, regionQueues())) ==
          "workerSelectorAttachments[0].condition: the condition must evaluate to a boolean, but it returned the "
          "string \"yes\".");
  }
  SECTION("ruleEngine returning a non-collection") {
    const auto p = policy(R"({"fallbackQueueId":"q-fallback","workerSelectorAttachments":[
        {"kind":"ruleEngine","rule":{"kind":"expression","expression":"\"abc\""}}]})");
    CHECK(containsText(requireFailed(run(job(), p, regionQueues())),
                   "workerSelectorAttachments[0].rule: the rule must return an array of worker selectors"));
  }
  SECTION("a failure after a successful queue step discards the queue") {
    const auto p = policy(R"({"queueSelectorAttachments":[
        {"kind":"static","queueSelector":{"key":"Region","labelOperator":"equal","value":"EU"}}],
        "prioritizationRule":{"kind":"static","value":3},
        "workerSelectorAttachments":[{"kind":"passThrough","key":"X","labelOperator":"equal"}]})");
    const auto r = run(job(), p, regionQueues());
    requireFailed(r);
    CHECK_FALSE(r.priority.has_value());
  }
}

TEST_CASE("classification: ruleEngine worker attachment from an external rule", "[classification]") {
  const auto p = policy(R"({"fallbackQueueId":"q-fallback","workerSelectorAttachments":[
      {"kind":"ruleEngine","rule":{"kind":"function","functionUri":"https://f.example/api/workers"}}]})");
  const ExternalRuleResolver external = [](const Json&, const Json&) -> std::optional<ExternalAnswer> {
    return ExternalAnswer{false,
                          J(R"([{"key":"Skill","labelOperator":"greaterThanOrEqual","value":3,
                                 "expiresAfterSeconds":60,"expedite":true}])"),
                          ""};
  };
  const auto r = run(job(), p, regionQueues(), 1, external);
  requireClassified(r);
  REQUIRE(r.attachedWorkerSelectors.size() == 1);
  const auto& s = r.attachedWorkerSelectors[0];
  CHECK(s.key == "Skill");
  CHECK(s.labelOperator == LabelOperator::GreaterThanOrEqual);
  CHECK(s.value == Json(3));
  CHECK(s.expedite);
  CHECK(s.expiresAt == kNow + 60 * jr::kTicksPerSecond);
}

// ---------------------------------------------------------------------------------------------------------------
// classify: external rules and ordering
// ---------------------------------------------------------------------------------------------------------------

TEST_CASE("classification: external rules are pending, failed or answered", "[classification]") {
  const auto p = policy(R"({"fallbackQueueId":"q-fallback",
      "prioritizationRule":{"kind":"function","functionUri":"https://f.example/api/priority",
                            "credential":{"functionKey":"k"}}})");
  const jr::Job j = job(R"({"Region":"NA","Tier":2})");

  SECTION("answered: the payload is {job: labels} and the value is used like an evaluated one") {
    std::vector<Json> seenRules, seenPayloads;
    const ExternalRuleResolver external = [&](const Json& rule, const Json& payload) -> std::optional<ExternalAnswer> {
      seenRules.push_back(rule);
      seenPayloads.push_back(payload);
      return ExternalAnswer{false, Json("7"), ""};
    };
    const auto r = run(j, p, regionQueues(), 1, external);
    requireClassified(r);
    CHECK(r.priority == 7);
    REQUIRE(seenPayloads.size() == 1);
    CHECK(seenPayloads[0].dump() == R"({"job":{"Region":"NA","Tier":2}})");
    CHECK(seenRules[0] == p["prioritizationRule"]);
  }
  SECTION("not answered yet: pending") {
    int calls = 0;
    const ExternalRuleResolver external = [&](const Json&, const Json&) -> std::optional<ExternalAnswer> {
      ++calls;
      return std::nullopt;
    };
    const auto r = run(j, p, regionQueues(), 1, external);
    CHECK(r.outcome == Outcome::Pending);
    CHECK_FALSE(r.queueId.has_value());
    CHECK_FALSE(r.priority.has_value());
    CHECK(r.errorCode.empty());
    CHECK(calls == 1);
  }
  SECTION("failed: classification fails with the answer's error") {
    const ExternalRuleResolver external = [](const Json&, const Json&) -> std::optional<ExternalAnswer> {
      return ExternalAnswer{true, Json(), "Function returned HTTP 500"};
    };
    CHECK(requireFailed(run(j, p, regionQueues(), 1, external)) == "prioritizationRule: Function returned HTTP 500");
    const ExternalRuleResolver silent = [](const Json&, const Json&) -> std::optional<ExternalAnswer> {
      return ExternalAnswer{true, Json(), ""};
    };
    CHECK(requireFailed(run(j, p, regionQueues(), 1, silent)) == "prioritizationRule: the function rule failed.");
  }
  SECTION("answered with an unusable value") {
    const ExternalRuleResolver external = [](const Json&, const Json&) -> std::optional<ExternalAnswer> {
      return ExternalAnswer{false, J(R"({"priority":5})"), ""};
    };
    CHECK(containsText(requireFailed(run(j, p, regionQueues(), 1, external)), "whole number between -100 and 100"));
  }
  SECTION("no resolver: failed") {
    CHECK(requireFailed(run(j, p, regionQueues())) ==
          "prioritizationRule: no resolver is configured for function rules.");
  }
  SECTION("a webhook condition answered true attaches its selectors") {
    const auto cp = policy(R"({"queueSelectorAttachments":[{"kind":"conditional",
        "condition":{"kind":"webhook","webhookUri":"https://w.example/"},
        "queueSelectors":[{"key":"Region","labelOperator":"equal","value":"EU"}]}]})");
    const ExternalRuleResolver external = [](const Json& rule, const Json&) -> std::optional<ExternalAnswer> {
      CHECK(rule["kind"] == "webhook");
      return ExternalAnswer{false, Json(true), ""};
    };
    const auto r = run(j, cp, regionQueues(), 1, external);
    requireClassified(r);
    CHECK(r.queueId == "q-eu");
  }
}

TEST_CASE("classification: queue attachments, then priority, then worker attachments", "[classification]") {
  // Pending at the priority step: the queue step's weighted draw has happened, the worker step's has not.
  const auto p = policy(R"({
      "queueSelectorAttachments":[{"kind":"weightedAllocation","allocations":[
        {"weight":0.5,"queueSelectors":[{"key":"Id","labelOperator":"equal","value":"q-eu"}]},
        {"weight":0.5,"queueSelectors":[{"key":"Id","labelOperator":"equal","value":"q-na"}]}]}],
      "prioritizationRule":{"kind":"function","functionUri":"https://f.example/api/p"},
      "workerSelectorAttachments":[{"kind":"weightedAllocation","allocations":[
        {"weight":1,"workerSelectors":[{"key":"Team","labelOperator":"equal","value":"A"}]}]}]})");
  const ExternalRuleResolver pendingResolver = [](const Json&, const Json&) -> std::optional<ExternalAnswer> {
    return std::nullopt;
  };
  Prng prng(11), reference(11);
  auto r = jr::classify(job(), p, regionQueues().views(), prng, kNow, pendingResolver);
  CHECK(r.outcome == Outcome::Pending);
  reference.unit();
  CHECK(prng.next() == reference.next());

  // Answered: two draws in total, queue first.
  const ExternalRuleResolver answered = [](const Json&, const Json&) -> std::optional<ExternalAnswer> {
    return ExternalAnswer{false, Json(-3), ""};
  };
  Prng prng2(11), reference2(11);
  const double u = reference2.unit();
  reference2.unit();
  r = jr::classify(job(), p, regionQueues().views(), prng2, kNow, answered);
  requireClassified(r);
  CHECK(r.queueId == (u < 0.5 ? "q-eu" : "q-na"));
  CHECK(r.priority == -3);
  REQUIRE(r.attachedWorkerSelectors.size() == 1);
  CHECK(r.attachedWorkerSelectors[0].value == Json("A"));
  CHECK(prng2.next() == reference2.next());
}
