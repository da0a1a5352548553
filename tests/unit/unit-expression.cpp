// Power Fx expression evaluator (core/rules/expression.hpp): literals, label access, Blank for absent labels, every
// operator, precedence, short-circuiting, If, conversions, parse errors with columns, limits, determinism. The
// built-in functions have their tables in unit-powerfx-functions.cpp.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "core/rules/expression.hpp"

namespace {

using jr::Expression;
using jr::ExpressionContext;
using jr::ExpressionResult;
using jr::Json;
using Labels = std::map<std::string, Json>;

ExpressionResult run(const std::string& text, const Labels& job = {}, const Labels& worker = {}) {
  ExpressionContext ctx;
  ctx.job = &job;
  ctx.worker = &worker;
  return jr::evaluateExpression(text, ctx);
}

// Evaluates and requires success.
Json value(const std::string& text, const Labels& job = {}, const Labels& worker = {}) {
  INFO("expression: " << text);
  const ExpressionResult r = run(text, job, worker);
  INFO("error: " << r.error);
  REQUIRE(r.ok);
  CHECK(r.error.empty());
  return r.value;
}

// Parses successfully, then requires an evaluation error.
std::string evalError(const std::string& text, const Labels& job = {}, const Labels& worker = {}) {
  INFO("expression: " << text);
  const Expression e = Expression::parse(text);
  INFO("parse error: " << e.error());
  REQUIRE(e.ok());
  ExpressionContext ctx;
  ctx.job = &job;
  ctx.worker = &worker;
  const ExpressionResult r = e.evaluate(ctx);
  REQUIRE_FALSE(r.ok);
  CHECK_FALSE(r.error.empty());
  return r.error;
}

// Requires a parse error.
std::string parseError(const std::string& text) {
  INFO("expression: " << text);
  const Expression e = Expression::parse(text);
  REQUIRE_FALSE(e.ok());
  CHECK_FALSE(e.error().empty());
  // Evaluating a failed parse reports the parse error.
  const ExpressionResult r = e.evaluate(ExpressionContext{});
  CHECK_FALSE(r.ok);
  CHECK(r.error == e.error());
  return e.error();
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("expression: examples from the issue", "[expression]") {
  SECTION("1 = 1") { CHECK(value("1 = 1") == Json(true)); }
  SECTION("If on a boolean job label") {
    const std::string text = R"(If(job.Escalated = true, "SecondaryQueue", "MainQueue"))";
    CHECK(value(text, {{"Escalated", true}}) == Json("SecondaryQueue"));
    CHECK(value(text, {{"Escalated", false}}) == Json("MainQueue"));
  }
  SECTION("If on a worker label") {
    CHECK(value("If(worker.HandleEscalation = true, 100, 1)", {}, {{"HandleEscalation", true}}) == Json(100));
    CHECK(value("If(worker.HandleEscalation = true, 100, 1)", {}, {{"HandleEscalation", false}}) == Json(1));
  }
  SECTION("And of two comparisons") {
    const std::string text = R"(job.Region = "NA" And job.Tier > 2)";
    CHECK(value(text, {{"Region", "NA"}, {"Tier", 3}}) == Json(true));
    CHECK(value(text, {{"Region", "NA"}, {"Tier", 2}}) == Json(false));
    CHECK(value(text, {{"Region", "EU"}, {"Tier", 3}}) == Json(false));
  }
  SECTION("concatenation") { CHECK(value(R"("a" & 1 & true)") == Json("a1true")); }
  SECTION("parentheses") { CHECK(value("(1 + 2) * 3") == Json(9)); }
  SECTION("division") { CHECK(value("10 / 4") == Json(2.5)); }
  SECTION("Not and !") {
    CHECK(value("Not(job.X)", {{"X", true}}) == Json(false));
    CHECK(value("!job.X", {{"X", true}}) == Json(false));
    CHECK(value("!job.X", {{"X", false}}) == Json(true));
  }
  SECTION("multi-branch If") {
    const std::string text = "If(job.P > 5, 10, job.P > 2, 5, 1)";
    CHECK(value(text, {{"P", 9}}) == Json(10));
    CHECK(value(text, {{"P", 3}}) == Json(5));
    CHECK(value(text, {{"P", 1}}) == Json(1));
  }
}

TEST_CASE("expression: literals", "[expression]") {
  SECTION("integers are JSON integers") {
    const Json v = value("123");
    CHECK(v.is_number_integer());
    CHECK(v == Json(123));
    CHECK(value("0") == Json(0));
    CHECK(value("007") == Json(7));
  }
  SECTION("fractions and exponents") {
    CHECK(value("1.5") == Json(1.5));
    CHECK(value("2e3") == Json(2000));
    CHECK(value("2E+3") == Json(2000));
    CHECK(value("1.5E-2") == Json(0.015));
    CHECK(value("0.1") == Json(0.1));
    CHECK(value("3.0").is_number_integer());
    CHECK(value("1e-400") == Json(0));
  }
  SECTION("decimal conversion is correctly rounded") {
    CHECK(value("0.1").get<double>() == 0.1);
    CHECK(value("123456.789").get<double>() == 123456.789);
    CHECK(value("9007199254740993").get<double>() == 9007199254740992.0);
    CHECK(value("1.7976931348623157e308").get<double>() == 1.7976931348623157e308);
  }
  SECTION("strings with doubled quotes") {
    CHECK(value(R"("hello")") == Json("hello"));
    CHECK(value(R"("")") == Json(""));
    CHECK(value(R"("say ""hi""")") == Json("say \"hi\""));
    CHECK(value(R"("it's")") == Json("it's"));
    CHECK(value("\"caf\xC3\xA9\"") == Json("caf\xC3\xA9"));
  }
  SECTION("booleans, case-insensitive") {
    CHECK(value("true") == Json(true));
    CHECK(value("false") == Json(false));
    CHECK(value("True") == Json(true));
    CHECK(value("FALSE") == Json(false));
  }
  SECTION("whitespace anywhere") {
    CHECK(value("  \t( 1\n+\r\n2 )  ") == Json(3));
    CHECK(value("job . Tier", {{"Tier", 4}}) == Json(4));
  }
}

TEST_CASE("expression: label access", "[expression]") {
  const Labels job = {{"Region", "NA"},
                      {"Tier", 3},
                      {"Score", 2.5},
                      {"Whole", 5.0},
                      {"VIP", true},
                      {"My Label", "spaced"},
                      {"it's", "quoted"},
                      {"skill_2", 7},
                      {"_x", 1},
                      {"Nothing", nullptr},
                      {"List", Json::array({1, 2})}};
  const Labels worker = {{"Region", "EU"}, {"Tier", 1}};

  SECTION("values are returned as stored") {
    CHECK(value("job.Region", job) == Json("NA"));
    CHECK(value("job.Tier", job) == Json(3));
    CHECK(value("job.Score", job) == Json(2.5));
    CHECK(value("job.VIP", job) == Json(true));
  }
  SECTION("whole doubles are normalised to integers") {
    const Json v = value("job.Whole", job);
    CHECK(v.is_number_integer());
    CHECK(v == Json(5));
  }
  SECTION("job and worker are separate") {
    CHECK(value("worker.Region", job, worker) == Json("EU"));
    CHECK(value("job.Region & worker.Region", job, worker) == Json("NAEU"));
    CHECK(value("job.Tier > worker.Tier", job, worker) == Json(true));
  }
  SECTION("names with digits and underscores") {
    CHECK(value("job.skill_2", job) == Json(7));
    CHECK(value("job._x", job) == Json(1));
  }
  SECTION("single-quoted names") {
    CHECK(value("job.'My Label'", job) == Json("spaced"));
    CHECK(value("job.'it''s'", job) == Json("quoted"));
    CHECK(value("job.'Region'", job) == Json("NA"));
  }
  SECTION("label names are case-sensitive: another spelling is an absent label, i.e. Blank") {
    CHECK(value("job.region", job).is_null());
    CHECK(value("IsBlank(job.region)", job) == Json(true));
  }
  SECTION("absent labels are Blank (changed on purpose: they used to be an error)") {
    CHECK(value("job.Missing", job).is_null());
    CHECK(value("worker.Missing", job, worker).is_null());
    CHECK(value("worker.Score", job, worker).is_null());
    CHECK(value("job.'My Missing'", job).is_null());
    CHECK(value("IsBlank(job.Missing)", job) == Json(true));
    CHECK(value("job.Missing = true", job) == Json(false));
    CHECK(value("job.Missing + 1", job) == Json(1));
    CHECK(value(R"("<" & job.Missing & ">")", job) == Json("<>"));
  }
  SECTION("a null label is Blank too") {
    CHECK(value("job.Nothing", job).is_null());
    CHECK(value("IsBlank(job.Nothing)", job) == Json(true));
  }
  SECTION("a label holding an array or object is an error naming the label and its column") {
    CHECK(evalError("job.List", job) ==
          "Label 'List' at column 1 on the job holds an array, which expressions cannot use");
    CHECK(evalError("1 + job.Obj", {{"Obj", Json::object({{"a", 1}})}}) ==
          "Label 'Obj' at column 5 on the job holds an object, which expressions cannot use");
    // IfError does not hide it: the label's shape is a configuration error, not a value error.
    CHECK(evalError("IfError(job.List, 0)", job) ==
          "Label 'List' at column 9 on the job holds an array, which expressions cannot use");
  }
  SECTION("no labels available in the context") {
    ExpressionContext ctx;
    ctx.job = &job;
    const ExpressionResult r = Expression::parse("worker.Tier").evaluate(ctx);
    CHECK_FALSE(r.ok);
    CHECK(r.error == "No worker labels are available to evaluate worker.Tier at column 1");
    CHECK(r.column == 1);
    const ExpressionResult r2 = Expression::parse("job.Tier").evaluate(ExpressionContext{});
    CHECK_FALSE(r2.ok);
    CHECK(r2.error == "No job labels are available to evaluate job.Tier at column 1");
  }
  SECTION("roots are case-sensitive, other roots are parse errors") {
    CHECK(parseError("Job.Tier") ==
          "Unknown name 'Job' at column 1 (labels are written job.<name> or worker.<name>)");
    CHECK(parseError("queue.Tier") ==
          "Unknown name 'queue' at column 1 (labels are written job.<name> or worker.<name>)");
    CHECK(parseError("Region") ==
          "Unknown name 'Region' at column 1 (labels are written job.<name> or worker.<name>)");
  }
}

TEST_CASE("expression: comparison operators", "[expression]") {
  SECTION("= and <> on numbers") {
    CHECK(value("1 = 1") == Json(true));
    CHECK(value("1 = 2") == Json(false));
    CHECK(value("1 = 1.0") == Json(true));
    CHECK(value("2.5 = 2.5") == Json(true));
    CHECK(value("1 <> 2") == Json(true));
    CHECK(value("1 <> 1") == Json(false));
    CHECK(value("job.Whole = 5", {{"Whole", 5.0}}) == Json(true));
    CHECK(value("job.A = 0.5", {{"A", 0.5}}) == Json(true));
  }
  SECTION("large integers compare exactly") {
    const Labels job = {{"A", std::int64_t{9007199254740993}},
                        {"B", std::int64_t{9007199254740992}},
                        {"U", std::uint64_t{18446744073709551615ULL}},
                        {"N", -1}};
    CHECK(value("job.A = job.B", job) == Json(false));
    CHECK(value("job.A > job.B", job) == Json(true));
    CHECK(value("job.N < job.U", job) == Json(true));
    CHECK(value("job.U > job.A", job) == Json(true));
    CHECK(value("job.U = job.U", job) == Json(true));
  }
  SECTION("= and <> on strings are exact and case-sensitive") {
    CHECK(value(R"("NA" = "NA")") == Json(true));
    CHECK(value(R"("NA" = "na")") == Json(false));
    CHECK(value(R"("NA" <> "na")") == Json(true));
    CHECK(value(R"("" = "")") == Json(true));
    CHECK(value(R"("a " = "a")") == Json(false));
  }
  SECTION("= and <> on booleans") {
    CHECK(value("true = true") == Json(true));
    CHECK(value("true = false") == Json(false));
    CHECK(value("false <> true") == Json(true));
  }
  SECTION("CHOICE: different types are unequal, not an error (Power Fx rejects them before evaluation)") {
    CHECK(value(R"(1 = "1")") == Json(false));
    CHECK(value(R"(1 <> "1")") == Json(true));
    CHECK(value("true = 1") == Json(false));
    CHECK(value(R"("true" = true)") == Json(false));
    CHECK(value(R"(job.Tier = "3")", {{"Tier", 3}}) == Json(false));
  }
  SECTION("blank equals only blank") {
    CHECK(value("If(false, 1) = If(false, 2)") == Json(true));
    CHECK(value(R"(If(false, 1) = "")") == Json(false));
    CHECK(value("If(false, 1) <> 0") == Json(true));
    CHECK(value("Blank() = Blank()") == Json(true));
    CHECK(value("Blank() = 0") == Json(false));
    CHECK(value("0 = Blank()") == Json(false));
    CHECK(value("Blank() = false") == Json(false));
    CHECK(value("Blank() = true") == Json(false));
    CHECK(value(R"(Blank() <> "")") == Json(true));
  }
  SECTION("ordering numbers") {
    CHECK(value("1 < 2") == Json(true));
    CHECK(value("2 < 1") == Json(false));
    CHECK(value("2 < 2") == Json(false));
    CHECK(value("2 <= 2") == Json(true));
    CHECK(value("3 <= 2") == Json(false));
    CHECK(value("3 > 2") == Json(true));
    CHECK(value("2 > 2") == Json(false));
    CHECK(value("2 >= 2") == Json(true));
    CHECK(value("1 >= 2") == Json(false));
    CHECK(value("1.5 < 2") == Json(true));
    CHECK(value("-1 < 0") == Json(true));
  }
  SECTION("ordering is numeric, as in Power Fx: text converts to a number (changed on purpose)") {
    CHECK(value(R"("10" < "9")") == Json(false));
    CHECK(value(R"("10" > 9)") == Json(true));
    CHECK(value(R"(1 < "2")") == Json(true));
    CHECK(value(R"(job.Tier <= "5")", {{"Tier", 3}}) == Json(true));
    CHECK(value(R"(" 1,000 " > 999)") == Json(true));
    CHECK(evalError(R"("a" < "b")") == "Operator '<' at column 5: the text \"a\" is not a number");
    CHECK(evalError(R"(job.Region >= 2)", {{"Region", "NA"}}) ==
          "Operator '>=' at column 12: the text \"NA\" is not a number");
  }
  SECTION("ordering with booleans and Blank: true is 1, false and Blank are 0") {
    CHECK(value("true >= false") == Json(true));
    CHECK(value("true > 0") == Json(true));
    CHECK(value("If(false, 1) > 0") == Json(false));
    CHECK(value("If(false, 1) >= 0") == Json(true));
    CHECK(value("-5 < Blank()") == Json(true));
    CHECK(value("5 < Blank()") == Json(false));
    CHECK(value("job.Missing < 1") == Json(true));
  }
  SECTION("comparisons chain left to right") {
    CHECK(value("1 < 2 = true") == Json(true));
    CHECK(value("1 = 1 = true") == Json(true));
    CHECK(value("1 < 2 < 3") == Json(true));  // (1 < 2) < 3: true is 1
    CHECK(value("3 > 2 > 1") == Json(false));  // (3 > 2) > 1: 1 > 1
  }
}

TEST_CASE("expression: logical operators", "[expression]") {
  SECTION("And / &&") {
    CHECK(value("true And true") == Json(true));
    CHECK(value("true And false") == Json(false));
    CHECK(value("false And true") == Json(false));
    CHECK(value("true && true") == Json(true));
    CHECK(value("true && false") == Json(false));
    CHECK(value("true and true AND true") == Json(true));
  }
  SECTION("Or / ||") {
    CHECK(value("false Or false") == Json(false));
    CHECK(value("false Or true") == Json(true));
    CHECK(value("true Or false") == Json(true));
    CHECK(value("false || true") == Json(true));
    CHECK(value("false || false") == Json(false));
    CHECK(value("false or false OR true") == Json(true));
  }
  SECTION("Not / !") {
    CHECK(value("Not true") == Json(false));
    CHECK(value("not false") == Json(true));
    CHECK(value("NOT false") == Json(true));
    CHECK(value("!true") == Json(false));
    CHECK(value("!!true") == Json(true));
    CHECK(value("Not Not false") == Json(false));
    CHECK(value("Not(true)") == Json(false));
    CHECK(value("not(false)") == Json(true));
    CHECK(value("!(1 = 2)") == Json(true));
  }
  SECTION("short-circuit: the right side is not evaluated when the left side decides") {
    CHECK(value("false And job.Missing") == Json(false));
    CHECK(value("false && job.Missing > 3") == Json(false));
    CHECK(value("true Or job.Missing") == Json(true));
    CHECK(value("true || worker.Missing = 1") == Json(true));
    CHECK(value("false And 1") == Json(false));  // the non-boolean right side is never looked at
    CHECK(value(R"(job.Region = "EU" And job.Tier > 2)", {{"Region", "NA"}}) == Json(false));
    CHECK(value("false Or true Or job.Missing") == Json(true));
  }
  SECTION("the right side is evaluated when needed; an absent label is Blank, i.e. false") {
    CHECK(value("true And job.Missing") == Json(false));
    CHECK(value("false Or job.Missing") == Json(false));
    CHECK(value("true And !job.Missing") == Json(true));
  }
  SECTION("operands convert to booleans as in Power Fx: numbers non-zero, text only \"true\"") {
    CHECK(value("1 And true") == Json(true));
    CHECK(value("true And 0") == Json(false));
    CHECK(value("7 && 0") == Json(false));
    CHECK(value("0 || 7") == Json(true));
    CHECK(value(R"(false || "yes")") == Json(false));
    CHECK(value(R"("true" && "anything")") == Json(false));
    CHECK(value(R"("anything" || "TRUE")") == Json(true));
    CHECK(value("If(false, true) Or true") == Json(true));
    CHECK(value("Not 1") == Json(false));
    CHECK(value(R"(!"x")") == Json(true));
    CHECK(value("Not(job.X)", {{"X", "true"}}) == Json(false));
    CHECK(value("Not(Blank())") == Json(true));
  }
  SECTION("a table is no boolean") {
    CHECK(evalError("[1] And true") == "Operator 'And' at column 5: a table can only be used with in, exactin or IsEmpty");
  }
}

TEST_CASE("expression: arithmetic", "[expression]") {
  SECTION("the four operators") {
    CHECK(value("1 + 2") == Json(3));
    CHECK(value("5 - 7") == Json(-2));
    CHECK(value("6 * 7") == Json(42));
    CHECK(value("10 / 4") == Json(2.5));
    CHECK(value("10 / 5") == Json(2));
    CHECK(value("10 / 5").is_number_integer());
    CHECK(value("1.5 + 1.5").is_number_integer());
    CHECK(value("0.1 + 0.2").get<double>() == 0.1 + 0.2);
  }
  SECTION("unary minus") {
    CHECK(value("-3") == Json(-3));
    CHECK(value("--3") == Json(3));
    CHECK(value("-job.Tier", {{"Tier", 4}}) == Json(-4));
    CHECK(value("2 - -3") == Json(5));
    CHECK(value("-(1 + 2)") == Json(-3));
    CHECK(value("-0") == Json(0));
  }
  SECTION("labels take part") {
    CHECK(value("job.Tier * 10 + worker.Bonus", {{"Tier", 3}}, {{"Bonus", 0.5}}) == Json(30.5));
  }
  SECTION("operands convert to numbers: numeric text, booleans as 1/0, Blank as 0") {
    CHECK(value(R"("1" + 1)") == Json(2));
    CHECK(value(R"("2" * "3")") == Json(6));
    CHECK(value("1 - true") == Json(0));
    CHECK(value("true - false") == Json(1));
    CHECK(value("If(false, 1) + 1") == Json(1));
    CHECK(value("Blank() + Blank()") == Json(0));
    CHECK(value(R"(-"4")") == Json(-4));
    CHECK(value(R"("" + 1)") == Json(1));
    CHECK(value(R"("12.5%" * 2)") == Json(0.25));
  }
  SECTION("text that is not a number is an error naming the operator and its column") {
    CHECK(evalError(R"(2 * "x")") == "Operator '*' at column 3: the text \"x\" is not a number");
    CHECK(evalError(R"(-"x")") == "Operator '-' at column 1: the text \"x\" is not a number");
    CHECK(evalError(R"(job.Region + 1)", {{"Region", "NA"}}) ==
          "Operator '+' at column 12: the text \"NA\" is not a number");
  }
  SECTION("division by zero") {
    CHECK(evalError("1 / 0") == "Operator '/' at column 3: division by zero");
    CHECK(evalError("0 / 0") == "Operator '/' at column 3: division by zero");
    CHECK(evalError("job.A / job.B", {{"A", 3}, {"B", 0.0}}) == "Operator '/' at column 7: division by zero");
    CHECK(evalError("1 / job.Missing") == "Operator '/' at column 3: division by zero");
    const ExpressionResult r = run("10 / 0");
    CHECK(r.column == 4);
  }
  SECTION("out of range results") {
    CHECK(evalError("1e308 * 10") == "Operator '*' at column 7: the result is out of range");
    CHECK(evalError("1e308 + 1e308") == "Operator '+' at column 7: the result is out of range");
    CHECK(evalError("-1e308 - 1e308") == "Operator '-' at column 8: the result is out of range");
  }
  SECTION("percent and power") {
    CHECK(value("50%") == Json(0.5));
    CHECK(value("200% * 3") == Json(6));
    CHECK(value("5%%") == Json(0.0005));
    CHECK(value("2 ^ 10") == Json(1024));
    CHECK(value("2 ^ 3 ^ 2") == Json(64));  // left-associative
    CHECK(value("-2 ^ 2") == Json(-4));     // ^ binds tighter than unary minus
    CHECK(value("2 ^ -1") == Json(0.5));
    CHECK(value("2 * 3 ^ 2") == Json(18));
    CHECK(value("4 ^ 0.5") == Json(2));
    CHECK(value("10% ^ 2").get<double>() == Approx(0.01));
    CHECK(evalError("0 ^ -1") == "Operator '^' at column 3: division by zero (0 to a negative power)");
    CHECK(evalError("(-8) ^ 0.5") ==
          "Operator '^' at column 6: a negative number to a fractional power has no real result");
    CHECK(evalError("10 ^ 400") == "Operator '^' at column 4: the result is out of range");
  }
}

TEST_CASE("expression: concatenation", "[expression]") {
  SECTION("strings") {
    CHECK(value(R"("a" & "b")") == Json("ab"));
    CHECK(value(R"("" & "")") == Json(""));
    CHECK(value(R"("Queue-" & job.Region)", {{"Region", "NA"}}) == Json("Queue-NA"));
  }
  SECTION("booleans become true/false") {
    CHECK(value(R"(true & "")") == Json("true"));
    CHECK(value("false & true") == Json("falsetrue"));
  }
  SECTION("numbers: integers without a fraction, others shortest round-trip in JavaScript layout") {
    CHECK(value(R"(1 & "")") == Json("1"));
    CHECK(value(R"(3.0 & "")") == Json("3"));
    CHECK(value(R"(-3 & "")") == Json("-3"));
    CHECK(value(R"(2.5 & "")") == Json("2.5"));
    CHECK(value(R"(0.1 & "")") == Json("0.1"));
    CHECK(value(R"((0.1 + 0.2) & "")") == Json("0.30000000000000004"));
    CHECK(value(R"(-0.001 & "")") == Json("-0.001"));
    CHECK(value(R"(0.000001 & "")") == Json("0.000001"));
    CHECK(value(R"(1e-7 & "")") == Json("1e-7"));
    CHECK(value(R"(1.5e-7 & "")") == Json("1.5e-7"));
    CHECK(value(R"(123456.789 & "")") == Json("123456.789"));
    CHECK(value(R"(1e20 & "")") == Json("100000000000000000000"));
    CHECK(value(R"(1e21 & "")") == Json("1e+21"));
    CHECK(value(R"(1.25e22 & "")") == Json("1.25e+22"));
    CHECK(value(R"(1 / 3 & "")") == Json("0.3333333333333333"));
    CHECK(value(R"(job.Big & "")", {{"Big", std::uint64_t{18446744073709551615ULL}}}) ==
          Json("18446744073709551615"));
    CHECK(value(R"(job.Neg & "")", {{"Neg", std::int64_t{-9007199254740993}}}) == Json("-9007199254740993"));
  }
  SECTION("blank becomes the empty string") { CHECK(value(R"("x" & If(false, 1) & "y")") == Json("xy")); }
  SECTION("text formatting helper") {
    CHECK(jr::expressionValueToText(Json(2.5)) == "2.5");
    CHECK(jr::expressionValueToText(Json(7.0)) == "7");
    CHECK(jr::expressionValueToText(Json(false)) == "false");
    CHECK(jr::expressionValueToText(Json(nullptr)) == "");
  }
}

TEST_CASE("expression: precedence and associativity", "[expression]") {
  SECTION("* and / bind tighter than + and -") {
    CHECK(value("1 + 2 * 3") == Json(7));
    CHECK(value("2 * 3 - 1") == Json(5));
    CHECK(value("1 + 6 / 2") == Json(4));
    CHECK(value("(1 + 2) * 3") == Json(9));
  }
  SECTION("left associativity") {
    CHECK(value("10 - 4 - 3") == Json(3));
    CHECK(value("100 / 10 / 5") == Json(2));
    CHECK(value("2 * 3 / 4") == Json(1.5));
    CHECK(value("10 - (4 - 3)") == Json(9));
  }
  SECTION("unary minus binds tightest") {
    CHECK(value("-2 * 3") == Json(-6));
    CHECK(value("-2 + 3") == Json(1));
    CHECK(value("2 * -3") == Json(-6));
  }
  SECTION("& is below + and above comparison") {
    CHECK(value(R"("a" & 1 + 2)") == Json("a3"));
    CHECK(value(R"("a" & "b" = "ab")") == Json(true));
    CHECK(value(R"(1 + 1 & "x")") == Json("2x"));
  }
  SECTION("comparison is below arithmetic") {
    CHECK(value("1 + 1 = 2") == Json(true));
    CHECK(value("2 * 3 > 5") == Json(true));
  }
  SECTION("And binds tighter than Or") {
    CHECK(value("true Or false And false") == Json(true));
    CHECK(value("false And false Or true") == Json(true));
    CHECK(value("(true Or false) And false") == Json(false));
    CHECK(value("true || false && false") == Json(true));
  }
  SECTION("comparison binds tighter than And") {
    CHECK(value("1 + 1 = 2 And 2 > 1") == Json(true));
    CHECK(value("1 = 1 Or 1 = 2 And 3 = 4") == Json(true));
  }
  SECTION("prefix Not takes a whole comparison, and is below And/Or") {
    CHECK(value("!1 = 2") == Json(true));      // !(1 = 2)
    CHECK(value("Not 1 = 2") == Json(true));   // Not (1 = 2)
    CHECK(value("Not 1 + 1 = 2") == Json(false));
    CHECK(value("!false And false") == Json(false));  // (!false) And false
    CHECK(value("Not true Or true") == Json(true));   // (Not true) Or true
    CHECK(value("true = !false") == Json(true));      // Not in operand position
  }
  SECTION("Not( is a function call") {
    CHECK(value("Not(job.X) = false", {{"X", true}}) == Json(true));  // (Not job.X) = false
    CHECK(value("Not (true) = false") == Json(true));
    CHECK(value("!(1) = 2") == Json(true));  // ! is always the operator: !((1) = 2)
    CHECK(value("Not(1) = 2") == Json(false));  // (Not 1) = 2: false = 2
  }
}

TEST_CASE("expression: If", "[expression]") {
  SECTION("condition, value, else") {
    CHECK(value(R"(If(true, "yes", "no"))") == Json("yes"));
    CHECK(value(R"(If(false, "yes", "no"))") == Json("no"));
    CHECK(value("If(1 > 2, 1, 2)") == Json(2));
  }
  SECTION("function names are case-sensitive, as in Power Fx (changed on purpose)") {
    CHECK(parseError("if(true, 1, 2)") ==
          "Unknown function 'if' at column 1: function names are case-sensitive; did you mean 'If'?");
    CHECK(parseError("IF(false, 1, 2)") ==
          "Unknown function 'IF' at column 1: function names are case-sensitive; did you mean 'If'?");
  }
  SECTION("several conditions are tried in order") {
    const std::string text = R"(If(job.T = 1, "one", job.T = 2, "two", job.T >= 2, "many", "none"))";
    CHECK(value(text, {{"T", 1}}) == Json("one"));
    CHECK(value(text, {{"T", 2}}) == Json("two"));
    CHECK(value(text, {{"T", 3}}) == Json("many"));
    CHECK(value(text, {{"T", 0}}) == Json("none"));
  }
  SECTION("no match and no default gives ok with a null value") {
    const ExpressionResult r = run("If(false, 1)");
    CHECK(r.ok);
    CHECK(r.error.empty());
    CHECK(r.value.is_null());
    CHECK(value("If(false, 1, false, 2)").is_null());
    CHECK(value("If(true, 1, false, 2)") == Json(1));
  }
  SECTION("values of different types") {
    CHECK(value(R"(If(job.X, 1, "one"))", {{"X", false}}) == Json("one"));
    CHECK(value("If(true, false, true)") == Json(false));
  }
  SECTION("only the chosen branch is evaluated") {
    CHECK(value("If(true, 1, job.Missing)") == Json(1));
    CHECK(value("If(false, job.Missing, 2)") == Json(2));
    CHECK(value("If(true, 1, job.Missing > 1, 2, 3)") == Json(1));
    CHECK(value("If(false, 1 / 0, 5)") == Json(5));
    CHECK(evalError("If(true, 1 / 0, 2)") == "Operator '/' at column 12: division by zero");
    CHECK(value("If(false, 1, job.Missing, 2)").is_null());
  }
  SECTION("conditions convert to booleans") {
    CHECK(value("If(1, 2, 3)") == Json(2));
    CHECK(value("If(0, 2, 3)") == Json(3));
    CHECK(value(R"(If(false, 1, "x", 2))").is_null());
    CHECK(value("If(job.Flag, 1, 2)", {{"Flag", "true"}}) == Json(1));
    CHECK(value("If(job.Flag, 1, 2)", {{"Flag", "TRUE"}}) == Json(1));
    CHECK(value("If(job.Missing, 1, 2)") == Json(2));
    CHECK(evalError("If([1], 1, 2)") ==
          "Function 'If' at column 1, condition 1: a table can only be used with in, exactin or IsEmpty");
  }
  SECTION("the escalation guide's rule, with and without the label") {
    const std::string text = "If(job.Escalated = true, 10, 1)";
    CHECK(value(text, {{"Escalated", true}}) == Json(10));
    CHECK(value(text, {{"Escalated", false}}) == Json(1));
    CHECK(value(text, {}) == Json(1));
    CHECK(value(text, {{"Escalated", nullptr}}) == Json(1));
    CHECK(value(R"(If(job.Hardware_VIP = true, 10, 1))", {{"Other", 1}}) == Json(1));
  }
  SECTION("nesting") {
    CHECK(value(R"(If(true, If(false, "a", "b"), "c"))") == Json("b"));
    CHECK(value("If(If(true, false, true), 1, 2) + 10") == Json(12));
  }
  SECTION("arity") {
    CHECK(parseError("If()") ==
          "Function 'If' at column 1 needs at least 2 arguments (a condition and a value), but got 0");
    CHECK(parseError("If(true)") ==
          "Function 'If' at column 1 needs at least 2 arguments (a condition and a value), but got 1");
    CHECK(parseError("1 + Not(true, false)") == "Function 'Not' at column 5 takes 1 argument, but got 2");
    CHECK(parseError("Not()") == "Function 'Not' at column 1 takes 1 argument, but got 0");
    CHECK(parseError("Mid(\"a\")") == "Function 'Mid' at column 1 takes 2 to 3 arguments, but got 1");
    CHECK(parseError("Sum()") == "Function 'Sum' at column 1 needs at least 1 argument, but got 0");
    CHECK(parseError("Switch(1, 2)") ==
          "Function 'Switch' at column 1 needs at least 3 arguments (a value, a match and a result), but got 2");
  }
}

TEST_CASE("expression: parse errors name a column", "[expression]") {
  SECTION("unexpected tokens") {
    CHECK(parseError("(1 + 2))") == "Unexpected ')' at column 8");
    CHECK(parseError("1 +") == "Unexpected end of expression at column 4");
    CHECK(parseError("1 2") == "Unexpected '2' at column 3");
    CHECK(parseError("1 + * 2") == "Unexpected '*' at column 5");
    CHECK(parseError(")") == "Unexpected ')' at column 1");
    CHECK(parseError("And true") == "Unexpected 'And' at column 1");
    CHECK(parseError("true Or Or false") == "Unexpected 'Or' at column 9");
    CHECK(parseError(R"(1 "abc")") == "Unexpected '\"abc\"' at column 3");
    CHECK(parseError("job.X job.Y") == "Unexpected 'job' at column 7");
    CHECK(parseError("1 = 1 ,") == "Unexpected ',' at column 7");
    CHECK(parseError("job.X.Y") == "Unexpected '.' at column 6");
  }
  SECTION("missing closing parenthesis") {
    CHECK(parseError("(1 + 2") == "Expected ')' but found end of expression at column 7");
    CHECK(parseError("If(true, 1") == "Expected ',' or ')' but found end of expression at column 11");
    CHECK(parseError("If(true 1)") == "Expected ',' or ')' but found '1' at column 9");
    CHECK(parseError("If(true, 1,)") == "Unexpected ')' at column 12");
    CHECK(parseError("If(, 1)") == "Unexpected ',' at column 4");
  }
  SECTION("bad characters and tokens") {
    CHECK(parseError("1 # 2") == "Unexpected character '#' at column 3");
    CHECK(parseError("1 + {2}") == "Unexpected character '{' at column 5");
    CHECK(parseError("[1, 2") == "Expected ',' or ']' but found end of expression at column 6");
    CHECK(parseError("1 = \x01") == "Unexpected character U+0001 at column 5");
    CHECK(parseError("1 != 2") == "Unexpected '!=' at column 3: use '<>' for 'not equal'");
    CHECK(parseError("1 == 2") == "Unexpected '==' at column 3: use '=' for 'equal'");
    CHECK(parseError("1e999") == "Number '1e999' is out of range at column 1");
    CHECK(parseError(".5") == "Unexpected '.' at column 1");
  }
  SECTION("unterminated strings and names") {
    CHECK(parseError(R"(1 & "abc)") == "Unterminated string starting at column 5");
    CHECK(parseError(R"("say ""hi"")") == "Unterminated string starting at column 1");
    CHECK(parseError("job.'My Label") == "Unterminated quoted name starting at column 5");
  }
  SECTION("label syntax") {
    CHECK(parseError("job") == "Expected '.' after 'job' but found end of expression at column 4");
    CHECK(parseError("worker = 1") == "Expected '.' after 'worker' but found '=' at column 8");
    CHECK(parseError("job.") == "Expected a label name after 'job.' but found end of expression at column 5");
    CHECK(parseError("job.1") == "Expected a label name after 'job.' but found '1' at column 5");
    CHECK(parseError("job.\"X\"") == "Expected a label name after 'job.' but found '\"X\"' at column 5");
    CHECK(parseError("job.''") == "Empty label name at column 5");
  }
  SECTION("unknown names and functions") {
    CHECK(parseError("Frobnicate(1, 2)") == "Unknown function 'Frobnicate' at column 1");
    CHECK(parseError("LookUp(1, 2)") == "Unknown function 'LookUp' at column 1");
    CHECK(parseError("sum(1, 2)") ==
          "Unknown function 'sum' at column 1: function names are case-sensitive; did you mean 'Sum'?");
    CHECK(parseError("1 + Blank") == "Expected '(' after 'Blank' but found end of expression at column 10");
    CHECK(parseError("1 + job(1)") == "Unknown function 'job' at column 5");
    CHECK(parseError("If") == "Expected '(' after 'If' but found end of expression at column 3");
    CHECK(parseError("1 + blank") ==
          "Unknown name 'blank' at column 5 (labels are written job.<name> or worker.<name>)");
  }
  SECTION("columns count characters, not bytes") {
    CHECK(parseError("\"\xC3\xA9\xC3\xA9\" )") == "Unexpected ')' at column 6");
    CHECK(parseError("\"\xE2\x82\xAC\" \xE2\x82\xAC") == "Unexpected character '\xE2\x82\xAC' at column 5");
  }
  SECTION("empty input") {
    CHECK(parseError("") == "Expression is empty");
    CHECK(parseError("  \n\t ") == "Expression is empty");
    CHECK_FALSE(Expression().ok());
    CHECK(Expression().error() == "Expression is empty");
  }
  SECTION("the first error in reading order wins") {
    CHECK(parseError(R"() "abc)") == "Unexpected ')' at column 1");
    CHECK(parseError(R"(1 + "abc)") == "Unterminated string starting at column 5");
  }
}

TEST_CASE("expression: limits", "[expression]") {
  SECTION("200 nested parentheses are fine, 201 are not") {
    CHECK(value(repeat("(", 200) + "1" + repeat(")", 200)) == Json(1));
    const std::string error = parseError(repeat("(", 201) + "1" + repeat(")", 201));
    CHECK(error == "Expression is nested too deeply (more than 200 levels) at column 202");
  }
  SECTION("unclosed deep nesting is rejected without exhausting the stack") {
    CHECK(parseError(repeat("(", 5000)) == "Expression is nested too deeply (more than 200 levels) at column 202");
    CHECK(parseError(repeat("If(true,", 1000) + "1") ==
          "Expression is nested too deeply (more than 200 levels) at column 1604");
  }
  SECTION("prefix operators count towards the depth") {
    CHECK(value(repeat("!", 200) + "true") == Json(true));
    CHECK(parseError(repeat("!", 201) + "true") ==
          "Expression is nested too deeply (more than 200 levels) at column 202");
    CHECK(value(repeat("-", 200) + "1") == Json(1));
    CHECK(parseError(repeat("-", 5000) + "1") ==
          "Expression is nested too deeply (more than 200 levels) at column 202");
    CHECK(parseError(repeat("Not(", 300) + "true" + repeat(")", 300)) ==
          "Expression is nested too deeply (more than 200 levels) at column 805");
  }
  SECTION("long flat chains are not nesting") {
    CHECK(value(std::string("1") + repeat("+1", 4999)) == Json(5000));
    CHECK(value(std::string("true") + repeat(" Or false", 900)) == Json(true));
    CHECK(value(std::string("\"\"") + repeat("&\"a\"", 1000)) == Json(std::string(1000, 'a')));
  }
  SECTION("10,000 characters are fine, 10,001 are not") {
    const std::string body(9998, 'a');
    CHECK(value("\"" + body + "\"") == Json(body));
    CHECK(parseError("\"" + body + "a\"") == "Expression is too long (10001 characters; the maximum is 10000)");
    CHECK(parseError(std::string(20000, '(')) == "Expression is too long (20000 characters; the maximum is 10000)");
  }
  SECTION("the length counts characters, not bytes") {
    std::string text = "\"";
    for (int i = 0; i < 9998; ++i) text += "\xC3\xA9";
    text += "\"";
    CHECK(Expression::parse(text).ok());
  }
}

TEST_CASE("expression: parse once, evaluate many times, deterministically", "[expression]") {
  const Expression e = Expression::parse(R"(If(job.Tier > 2 And worker.Skill >= job.Tier, "Gold" & job.Tier, "Std"))");
  REQUIRE(e.ok());
  CHECK(e.error().empty());

  SECTION("different contexts") {
    const Labels job1 = {{"Tier", 3}}, job2 = {{"Tier", 1}};
    const Labels worker1 = {{"Skill", 5}};
    ExpressionContext a{&job1, &worker1};
    ExpressionContext b{&job2, &worker1};
    CHECK(e.evaluate(a).value == Json("Gold3"));
    CHECK(e.evaluate(b).value == Json("Std"));
    CHECK(e.evaluate(a).value == Json("Gold3"));
  }
  SECTION("same result twice, errors included") {
    const Labels job = {{"Tier", 4}};
    const Labels noSkill = {{"Skill", "x"}};
    ExpressionContext ctx{&job, &noSkill};
    const ExpressionResult first = e.evaluate(ctx);
    const ExpressionResult second = e.evaluate(ctx);
    CHECK_FALSE(first.ok);
    CHECK(first.error == "Operator '>=' at column 34: the text \"x\" is not a number");
    CHECK(first.column == 34);
    CHECK(first.ok == second.ok);
    CHECK(first.error == second.error);
    CHECK(first.value == second.value);
  }
  SECTION("copies share the parsed expression") {
    const Expression copy = e;  // NOLINT(performance-unnecessary-copy-initialization)
    const Labels job = {{"Tier", 3}};
    const Labels worker = {{"Skill", 3}};
    ExpressionContext ctx{&job, &worker};
    CHECK(copy.evaluate(ctx).value == e.evaluate(ctx).value);
    CHECK(copy.evaluate(ctx).value.dump() == "\"Gold3\"");
  }
  SECTION("numeric results are the same every time") {
    for (int i = 0; i < 3; ++i) {
      CHECK(value("1 / 3").dump() == "0.3333333333333333");
      CHECK(value(R"(0.1 * 3 & "")") == Json("0.30000000000000004"));
    }
  }
}
