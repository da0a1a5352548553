// Trying a rule outside a policy (core/rules/rule_tryout.hpp): every rule kind, labels, errors with columns.
#include <catch2/catch.hpp>

#include <string>

#include "core/rules/rule_tryout.hpp"
#include "core/util/json.hpp"

namespace {

jr::Json answer(const std::string& request) {
  const jr::Json out = jr::parseJsonNoThrow(jr::tryRule(request));
  REQUIRE(out.is_object());
  return out;
}

}  // namespace

TEST_CASE("rule tryout: static, directMap and expression rules give their value", "[rules][tryout]") {
  CHECK(answer(R"J({"rule":{"kind":"static","value":5}})J") == jr::Json::parse(R"J({"value":5})J"));
  CHECK(answer(R"J({"rule":{"kind":"static"}})J") == jr::Json::parse(R"J({"value":null})J"));
  CHECK(answer(R"J({"rule":{"kind":"directMap"},"job":{"a":1,"b":"x"}})J") ==
        jr::Json::parse(R"J({"value":{"a":1,"b":"x"}})J"));
  CHECK(answer(R"J({"rule":{"kind":"expression","expression":"If(job.Escalated = true, 10, 1)"},"job":{}})J") ==
        jr::Json::parse(R"J({"value":1})J"));
  CHECK(answer(R"J({"rule":{"kind":"expression","expression":"If(job.Escalated = true, 10, 1)"},
                   "job":{"Escalated":true}})J") == jr::Json::parse(R"J({"value":10})J"));
  CHECK(answer(R"J({"rule":{"kind":"expression","language":"powerFx","expression":"worker.Skill * 2"},
                   "worker":{"Skill":4}})J") == jr::Json::parse(R"J({"value":8})J"));
  CHECK(answer(R"J({"rule":{"kind":"expression","expression":"job.Missing"}})J") ==
        jr::Json::parse(R"J({"value":null})J"));
  // kinds in the spellings the REST API accepts
  CHECK(answer(R"J({"rule":{"kind":"Expression","expression":"1 + 1"}})J") == jr::Json::parse(R"J({"value":2})J"));
}

TEST_CASE("rule tryout: errors name the column", "[rules][tryout]") {
  CHECK(answer(R"J({"rule":{"kind":"expression","expression":"1 / 0"}})J") ==
        jr::Json::parse(R"J({"error":"Operator '/' at column 3: division by zero","column":3})J"));
  CHECK(answer(R"J({"rule":{"kind":"expression","expression":"If(true, 1"}})J") ==
        jr::Json::parse(
            R"J({"error":"Invalid expression: Expected ',' or ')' but found end of expression at column 11","column":11})J"));
  CHECK(answer(R"J({"rule":{"kind":"expression","expression":"worker.Skill"},"job":{}})J") ==
        jr::Json::parse(R"J({"error":"No worker labels are available to evaluate worker.Skill at column 1","column":1})J"));
  const jr::Json unknown = answer(R"J({"rule":{"kind":"nope"}})J");
  CHECK(unknown.contains("error"));
  CHECK_FALSE(unknown.contains("column"));
  CHECK(answer("[]") == jr::Json::parse(R"J({"error":"The request must be a JSON object {\"rule\", \"job\", \"worker\"}."})J"));
  CHECK(answer("not json").contains("error"));
  CHECK(answer("{}") == jr::Json::parse(R"J({"error":"rule: a rule is required."})J"));
  const jr::Json badLabels = answer(R"J({"rule":{"kind":"static","value":1},"job":{"a":{"b":1}}})J");
  REQUIRE(badLabels.contains("error"));
  CHECK(badLabels["error"].get<std::string>().rfind("job.a", 0) == 0);
}

TEST_CASE("rule tryout: function and webhook rules are handed to the host", "[rules][tryout]") {
  const jr::Json f = answer(R"J({"rule":{"kind":"function","functionUri":"https://fn.example/score"},
                                 "job":{"Tier":2},"worker":{"Skill":3}})J");
  REQUIRE(f.contains("external"));
  CHECK(f["external"]["kind"] == "function");
  CHECK(f["external"]["uri"] == "https://fn.example/score");
  CHECK(f["external"]["payload"] == jr::Json::parse(R"J({"job":{"Tier":2},"worker":{"Skill":3}})J"));
  CHECK(f["external"]["rule"]["kind"] == "function");
  const jr::Json w = answer(R"J({"rule":{"kind":"webhook","webhookUri":"https://hook.example/x",
                                 "authorizationServerUri":"https://auth.example","clientCredential":{"clientId":"a","clientSecret":"b"}},
                                 "job":{"Tier":2}})J");
  REQUIRE(w.contains("external"));
  CHECK(w["external"]["kind"] == "webhook");
  CHECK(w["external"]["uri"] == "https://hook.example/x");
  CHECK(w["external"]["payload"] == jr::Json::parse(R"J({"job":{"Tier":2}})J"));
}
