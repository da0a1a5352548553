// Tables per Power Fx function and operator of the expression evaluator (core/rules/powerfx_functions.hpp and the
// lazy functions in core/rules/expression.cpp): ordinary values, Blank, wrong types and edge cases. Expected
// values follow Power Fx (the open-source implementation where the formula reference is silent).
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "core/rules/expression.hpp"
#include "core/rules/powerfx_functions.hpp"
#include "core/rules/powerfx_number_format.hpp"
#include "core/rules/powerfx_values.hpp"

namespace {

using jr::Expression;
using jr::ExpressionContext;
using jr::ExpressionResult;
using jr::Json;
using Labels = std::map<std::string, Json>;

const Labels kJob = {{"Region", "NA"},  {"Tier", 3},        {"Name", "ada LOVELACE"}, {"Score", 2.5},
                     {"VIP", true},     {"Empty", ""},      {"Numeric", "42"},        {"Spaced", "  a  b  "},
                     {"Nothing", nullptr}};
const Labels kWorker = {{"Skill", 5}, {"Languages", "en,fr"}};

ExpressionResult runFunction(const std::string& text) {
  ExpressionContext ctx{&kJob, &kWorker};
  return jr::evaluateExpression(text, ctx);
}

struct FunctionRow {
  const char* expression;
  Json expected;  // the value; for errors, the expected message (see Err)
  bool error = false;
};

FunctionRow Err(const char* expression, const char* message) { return FunctionRow{expression, Json(message), true}; }

void checkRows(const std::vector<FunctionRow>& rows) {
  for (const FunctionRow& row : rows) {
    INFO("expression: " << row.expression);
    const ExpressionResult r = runFunction(row.expression);
    INFO("value: " << r.value.dump() << "  error: " << r.error);
    if (row.error) {
      CHECK_FALSE(r.ok);
      CHECK(r.error == row.expected.get<std::string>());
    } else {
      CHECK(r.ok);
      if (row.expected.is_number_float() && r.value.is_number()) {
        CHECK(r.value.get<double>() == Approx(row.expected.get<double>()).epsilon(1e-12));
      } else {
        CHECK(r.value == row.expected);
      }
    }
  }
}

const Json kBlank = nullptr;

}  // namespace

TEST_CASE("powerfx: Blank, IsBlank, IsEmpty, Coalesce", "[expression][powerfx]") {
  checkRows({
      {"Blank()", kBlank},
      {"IsBlank(Blank())", true},
      {"IsBlank(\"\")", true},
      {"IsBlank(\" \")", false},
      {"IsBlank(0)", false},
      {"IsBlank(false)", false},
      {"IsBlank(job.Missing)", true},
      {"IsBlank(job.Nothing)", true},
      {"IsBlank(job.Empty)", true},
      {"IsBlank(job.Region)", false},
      {"IsBlank(If(false, 1))", true},
      {"IsBlank(Blank() + Blank())", false},
      {"IsEmpty([])", true},
      {"IsEmpty([1])", false},
      {"IsEmpty(Blank())", true},
      Err("IsEmpty(1)",
          "Function 'IsEmpty' at column 1: the argument must be a table, such as [\"a\", \"b\"], but it is a number "
          "(use IsBlank for a single value)"),
      {"Coalesce(Blank(), 1)", 1},
      {"Coalesce(\"\", \"x\")", "x"},
      {"Coalesce(Blank(), \"\", Blank(), \"\", \"3\", \"4\")", "3"},
      {"Coalesce(\" \", \"a\")", " "},
      {"Coalesce(\"\")", kBlank},
      {"Coalesce(Blank())", kBlank},
      {"Coalesce(5, 1/0)", 5},
      {"Coalesce(false, true)", false},
      {"Coalesce(job.Missing, job.Region)", "NA"},
      {"Coalesce(job.Empty, job.Missing, \"default\")", "default"},
      Err("Coalesce(Blank(), 1/0, 10)", "Operator '/' at column 20: division by zero"),
  });
}

TEST_CASE("powerfx: If, Switch, And, Or, Not, IfError", "[expression][powerfx]") {
  checkRows({
      {"If(true, 2, Blank())", 2},
      {"If(false, 2, Blank())", kBlank},
      {"If(false, Blank(), \"hi\")", "hi"},
      {"Switch(job.Region, \"EU\", 1, \"NA\", 2, 3)", 2},
      {"Switch(job.Region, \"EU\", 1, \"APAC\", 2, 3)", 3},
      {"Switch(job.Region, \"EU\", 1, \"APAC\", 2)", kBlank},
      {"Switch(job.Tier, 1, \"one\", 3, \"three\")", "three"},
      {"Switch(job.Missing, Blank(), \"blank\", \"other\")", "blank"},
      {"Switch(job.Region, \"na\", 1, 2)", 2},  // '=' on text is case-sensitive
      {"Switch(1, 1, \"a\", 1/0, \"b\")", "a"},  // later matches are not evaluated
      {"Switch(2, 1, 1/0, 2, \"b\")", "b"},      // results of other matches are not evaluated
      {"And(true, true, true)", true},
      {"And(true, false, 1/0)", false},
      {"And(1, \"true\")", true},
      {"Or(false, false)", false},
      {"Or(false, true, 1/0)", true},
      {"Or(job.Missing, job.VIP)", true},
      Err("And(true, 1/0)", "Operator '/' at column 12: division by zero"),
      {"Not(true)", false},
      {"Not(0)", true},
      {"Not(\"true\")", false},
      {"Not(Blank())", true},
      {"IfError(1/0, -1)", -1},
      {"IfError(10, -1)", 10},
      {"IfError(1/0, -1, 2)", -1},
      {"IfError(1, 11, 1/0, 21)", 21},
      {"IfError(1, 11, 2, 21)", 2},         // no error: the last value
      {"IfError(1, 11, 2, 21, 300)", 300},  // no error: the default
      {"IfError(Value(job.Region), 0)", 0},
      {"IfError(Value(job.Numeric), 0)", 42},
      {"IfError(Mid(\"a\", 0), \"bad start\")", "bad start"},
      Err("IfError(1/0, 1/0)", "Operator '/' at column 15: division by zero"),
  });
}

TEST_CASE("powerfx: in and exactin", "[expression][powerfx]") {
  checkRows({
      {"\"b\" in \"abc\"", true},
      {"\"B\" in \"abc\"", true},
      {"\"B\" exactin \"abc\"", false},
      {"\"b\" exactin \"abc\"", true},
      {"\"x\" in \"abc\"", false},
      {"\"\" in \"abc\"", true},
      {"Blank() in \"abc\"", true},
      {"\"fr\" in worker.Languages", true},
      {"job.Region in [\"NA\", \"EU\"]", true},
      {"job.Region in [\"na\", \"eu\"]", true},
      {"job.Region exactin [\"na\", \"eu\"]", false},
      {"job.Region in [\"APAC\"]", false},
      {"job.Region in []", false},
      {"job.Tier in [1, 2, 3]", true},
      {"job.Tier in [\"3\"]", false},
      {"job.Missing in [\"NA\"]", false},
      {"job.Missing in [Blank()]", true},
      {"1 in 123", true},
      {"\"a\" in \"abc\" And true", true},
      {"job.Region IN [\"NA\"]", true},  // keywords in any case
      Err("[1] in [1]", "Operator 'in' at column 5: a table can only be used with in, exactin or IsEmpty"),
      Err("[[1]]", "Table at column 1: a row cannot be a table"),
      Err("[1, 2]", "The expression gives a table; a rule needs a single value"),
      Err("Len([1])", "Function 'Len' at column 1: a table can only be used with in, exactin or IsEmpty"),
  });
}

TEST_CASE("powerfx: text functions", "[expression][powerfx]") {
  checkRows({
      // Len: code points
      {"Len(\"abc\")", 3},
      {"Len(\"\")", 0},
      {"Len(Blank())", 0},
      {"Len(job.Missing)", 0},
      {"Len(12345)", 5},
      {"Len(true)", 4},
      {"Len(\"caf\xC3\xA9\")", 4},
      // Upper / Lower / Proper
      {"Upper(\"abc Def\")", "ABC DEF"},
      {"Upper(Blank())", ""},
      {"Upper(\"stra\xC3\x9F" "e \xC3\xA9t\xC3\xA9\")", "STRA\xC3\x9F" "E \xC3\x89T\xC3\x89"},
      {"Lower(\"ABC Def\")", "abc def"},
      {"Lower(\"\xC3\x89T\xC3\x89 \xD0\x9C\xD0\x98\xD0\xA0\")", "\xC3\xA9t\xC3\xA9 \xD0\xBC\xD0\xB8\xD1\x80"},
      {"Upper(1.5)", "1.5"},
      {"Proper(\"hELLO WorLD\")", "Hello World"},
      {"Proper(\"E. E. Cummings\")", "E. E. Cummings"},
      {"Proper(job.Name)", "Ada Lovelace"},
      {"Proper(\"Important!\")", "Important!"},
      {"Proper(Blank())", ""},
      {"Proper(\"it's o'neil's\")", "It's O'neil's"},
      {"Proper(\"jean-luc 3rd\")", "Jean-Luc 3Rd"},
      // Trim / TrimEnds
      {"Trim(\"  a   b  \")", "a b"},
      {"TrimEnds(\"  a   b  \")", "a   b"},
      {"Trim(job.Spaced)", "a b"},
      {"Trim(Blank())", ""},
      {"Trim(\"   \")", ""},
      {"Trim(\"\ta \t b\t\")", "a b"},
      {"Trim(\"a\n\nb\")", "a\n\nb"},        // line breaks are kept inside
      {"Trim(\" \na\n \")", "a"},              // and trimmed at the ends
      {"TrimEnds(\"\t a  b \xE3\x80\x80\")", "a  b"},
      // Left / Right / Mid
      {"Left(\"Hello\", 2)", "He"},
      {"Left(\"Hello\", 0)", ""},
      {"Left(\"Hello\", 10)", "Hello"},
      {"Left(\"Hello\", 2.9)", "He"},
      {"Left(Blank(), 2)", ""},
      {"Left(12345, 2)", "12"},
      Err("Left(\"Hello\", -1)", "Function 'Left' at column 1: the number of characters must be 0 or more, but it is -1"),
      Err("Left(\"Hello\", \"x\")", "Function 'Left' at column 1: the second argument must be a number, but the text \"x\" is not a number"),
      {"Right(\"Hello\", 3)", "llo"},
      {"Right(\"Hello\", 10)", "Hello"},
      {"Right(\"caf\xC3\xA9\", 1)", "\xC3\xA9"},
      Err("Right(\"Hello\", -1)", "Function 'Right' at column 1: the number of characters must be 0 or more, but it is -1"),
      {"Mid(\"abcd\", 1, 1)", "a"},
      {"Mid(\"abcd\", 2, 2)", "bc"},
      {"Mid(\"abcd\", 1, 10000)", "abcd"},
      {"Mid(\"abcd\", 4, 1)", "d"},
      {"Mid(\"abcd\", 5, 1)", ""},
      {"Mid(\"abcd\", 100, 1)", ""},
      {"Mid(\"abcd\", 2)", "bcd"},
      {"Mid(\"abcd\", 5)", ""},
      {"Mid(\"abcdef\", 3.1, 1.9)", "c"},
      {"Mid(\"abcd\", \"2\", \"4\")", "bcd"},
      {"Mid(12345, 2, 5)", "2345"},
      {"Mid(true, 2, 5)", "rue"},
      {"Mid(Blank(), 10, 20)", ""},
      {"Mid(\"asdf\", 1e28, 2)", ""},
      Err("Mid(\"abcd\", 0, 1)", "Function 'Mid' at column 1: the start must be 1 or more, but it is 0"),
      Err("Mid(\"abcd\", -10, 2)", "Function 'Mid' at column 1: the start must be 1 or more, but it is -10"),
      Err("Mid(\"abcd\", 2, -2)", "Function 'Mid' at column 1: the number of characters must be 0 or more, but it is -2"),
      Err("Mid(\"abcdef\", 1/0, 1)", "Operator '/' at column 16: division by zero"),
      // Find
      {"Find(\",\", \"LastName,FirstName\")", 9},
      {"Find(\",\", \"LastName,FirstName\", 9)", 9},
      {"Find(\",\", \"LastName,FirstName\", 10)", kBlank},
      {"Find(\"#\", \"LastName,FirstName\")", kBlank},
      {"Find(\"b\", \"LastNameisBlah\")", kBlank},  // case-sensitive
      {"Find(\"B\", \"LastNameisBlah\")", 11},
      {"Find(\"\", \"abc\")", 1},
      {"Find(\"\", \"abc\", 4)", 4},
      {"Find(\"\", \"\")", 1},
      {"Find(Blank(), \"abc\", 2)", 2},
      {"Find(\"x\", Blank())", kBlank},
      {"Find(\",\", \"a,b\", Blank())", kBlank},
      {"Find(\"\xC3\xA9\", \"caf\xC3\xA9\")", 4},
      Err("Find(\"#\", \"abc\", 100)", "Function 'Find' at column 1: the start must be between 1 and the length of the text plus 1 (4), but it is 100"),
      Err("Find(\",\", \"a,b\", 0)", "Function 'Find' at column 1: the start must be between 1 and the length of the text plus 1 (4), but it is 0"),
      // Substitute / Replace
      {"Substitute(\"a-b-c\", \"-\", \"+\")", "a+b+c"},
      {"Substitute(\"a-b-c\", \"-\", \"+\", 2)", "a-b+c"},
      {"Substitute(\"a-b-c\", \"-\", \"+\", 3)", "a-b-c"},
      {"Substitute(\"aaa\", \"aa\", \"b\")", "ba"},
      {"Substitute(\"abc\", \"\", \"x\")", "abc"},
      {"Substitute(\"abc\", \"B\", \"x\")", "abc"},
      {"Substitute(Blank(), \"a\", \"b\")", ""},
      {"Substitute(\"a-b\", \"-\", Blank())", "ab"},
      Err("Substitute(\"a-b\", \"-\", \"+\", 0)", "Function 'Substitute' at column 1: the instance must be 1 or more, but it is 0"),
      {"Replace(\"abcdef\", 2, 3, \"X\")", "aXef"},
      {"Replace(\"abc\", 1, 0, \"X\")", "Xabc"},
      {"Replace(\"abc\", 4, 0, \"X\")", "abcX"},
      {"Replace(\"abc\", 10, 2, \"X\")", "abcX"},
      {"Replace(\"abc\", 2, 100, \"X\")", "aX"},
      Err("Replace(\"abc\", 0, 1, \"X\")", "Function 'Replace' at column 1: the start must be 1 or more, but it is 0"),
      Err("Replace(\"abc\", 1, -1, \"X\")", "Function 'Replace' at column 1: the number of characters must be 0 or more, but it is -1"),
      // StartsWith / EndsWith: case-insensitive
      {"StartsWith(\"Hello\", \"he\")", true},
      {"StartsWith(\"Hello\", \"lo\")", false},
      {"StartsWith(\"Hello\", \"\")", true},
      {"StartsWith(\"Hello\", Blank())", true},
      {"StartsWith(Blank(), \"a\")", false},
      {"StartsWith(\"He\", \"Hello\")", false},
      {"EndsWith(\"Hello\", \"LO\")", true},
      {"EndsWith(\"Hello\", \"he\")", false},
      {"EndsWith(\"lo\", \"Hello\")", false},
      {"StartsWith(job.Region, \"n\")", true},
      // Concatenate and &
      {"Concatenate(\"a\", 1, true, Blank(), 2.5)", "a1true2.5"},
      {"Concatenate(job.Region, \"-\", job.Tier)", "NA-3"},
      {"\"A\" & Blank() & \"B\"", "AB"},
      {"\"Hello \" & 42", "Hello 42"},
  });
}

TEST_CASE("powerfx: Text, Value, Boolean", "[expression][powerfx]") {
  checkRows({
      {"Text(123)", "123"},
      {"Text(1.5)", "1.5"},
      {"Text(\"abc\")", "abc"},
      {"Text(true)", "true"},
      {"Text(Blank())", kBlank},
      {"Text(1234.5678, \"0.00\")", "1234.57"},
      {"Text(1234.5678, \"#,##0.00\")", "1,234.57"},
      {"Text(1234567.891, \"#,##0\")", "1,234,568"},
      {"Text(0.5, \"0%\")", "50%"},
      {"Text(0.1234, \"0.0%\")", "12.3%"},
      {"Text(5, \"000\")", "005"},
      {"Text(5, \"#.##\")", "5"},
      {"Text(0.5, \"#.##\")", ".5"},
      {"Text(0.5, \"0.##\")", "0.5"},
      {"Text(0, \"#\")", ""},
      {"Text(2.5, \"0\")", "3"},
      {"Text(-2.5, \"0\")", "-3"},
      {"Text(1.005, \"0.00\")", "1.01"},
      {"Text(-0.001, \"0.00\")", "0.00"},
      {"Text(-1234.5, \"#,##0.0\")", "-1,234.5"},
      {"Text(1234.5, \"$#,##0.00\")", "$1,234.50"},
      {"Text(1234.5, \"\"\"EUR \"\"0\")", "EUR 1235"},
      {"Text(7, \"\\#0\")", "#7"},
      {"Text(12, \"[$-en-US]0.0\")", "12.0"},
      {"Text(-5, \"0;(0)\")", "(5)"},
      {"Text(0, \"0;(0);-\")", "-"},
      {"Text(5, \"0;(0);-\")", "5"},
      {"Text(1234567, \"#,##0,\")", "1,235"},
      {"Text(\"12\", \"0.00\")", "12.00"},
      {"Text(3, \"\")", "3"},
      {"Text(1e21, \"0\")", "1000000000000000000000"},
      Err("Text(\"abc\", \"0\")", "Function 'Text' at column 1: the first argument must be a number, but the text \"abc\" is not a number"),
      Err("Text(5, \"dd/mm/yyyy\")", "Function 'Text' at column 1: the format \"dd/mm/yyyy\" is not supported: 'd' is not supported (only number formats are: 0 # . , % and literal text; date, time and exponent formats are not)"),
      Err("Text(5, \"0.00E+00\")", "Function 'Text' at column 1: the format \"0.00E+00\" is not supported: 'E' is not supported (only number formats are: 0 # . , % and literal text; date, time and exponent formats are not)"),
      // Value: invariant culture
      {"Value(\"-5\")", -5},
      {"Value(\"123,456.78\")", 123456.78},
      {"Value(\"\")", kBlank},
      {"Value(Blank())", kBlank},
      {"Value(\" 24e3 \")", 24000},
      {"Value(\"12.34%\")", 0.1234},
      {"Value(\"%10\")", 0.1},
      {"Value(\"$ 12.34\")", 12.34},
      {"Value(123)", 123},
      {"Value(true)", 1},
      {"Value(job.Numeric) + 1", 43},
      Err("Value(\"xxx\")", "Function 'Value' at column 1: the text \"xxx\" is not a number"),
      Err("Value(\"%\")", "Function 'Value' at column 1: the text \"%\" is not a number"),
      Err("Value(\"1%00\")", "Function 'Value' at column 1: the text \"1%00\" is not a number"),
      Err("Value(\"$10%\")", "Function 'Value' at column 1: the text \"$10%\" is not a number"),
      {"Value(\"1,2\")", 12},  // group separators are not checked for position, as in .NET
      // Boolean
      {"Boolean(\"true\")", true},
      {"Boolean(\"FALSE\")", false},
      {"Boolean(\"\")", kBlank},
      {"Boolean(Blank())", kBlank},
      {"Boolean(0)", false},
      {"Boolean(2)", true},
      {"Boolean(true)", true},
      Err("Boolean(\"x\")", "Function 'Boolean' at column 1: the text \"x\" is neither \"true\" nor \"false\""),
      Err("Boolean(\" true\")", "Function 'Boolean' at column 1: the text \" true\" is neither \"true\" nor \"false\""),
      Err("Boolean(\"0\")", "Function 'Boolean' at column 1: the text \"0\" is neither \"true\" nor \"false\""),
  });
}

TEST_CASE("powerfx: number functions", "[expression][powerfx]") {
  checkRows({
      // Int: floor; Trunc: toward zero
      {"Int(2.7)", 2},
      {"Int(-2.7)", -3},
      {"Int(Blank())", 0},
      {"Int(\"3.9\")", 3},
      {"Trunc(2.7)", 2},
      {"Trunc(-2.7)", -2},
      {"Trunc(3.14159, 2)", 3.14},
      {"Trunc(1234, -2)", 1200},
      Err("Int(\"x\")", "Function 'Int' at column 1: the first argument must be a number, but the text \"x\" is not a number"),
      // Round: halves away from zero, on 15 significant digits
      {"Round(45.5, 0)", 46},
      {"Round(-45.5, 0)", -46},
      {"Round(2.5, 0)", 3},
      {"Round(0.5, 0)", 1},
      {"Round(1.5, 0)", 2},
      {"Round(14.123456, 4)", 14.1235},
      {"Round(3456, -2)", 3500},
      {"Round(3456, -4)", 0},
      {"Round(-1412.34, -1.6)", -1410},
      {"Round(14.123456, 1.67)", 14.1},
      {"Round(3*0.415, 2)", 1.25},
      {"Round(1.005, 2)", 1.01},
      {"Round(14.123456, 1111111111)", 14.123456},
      {"Round(Blank(), 1)", 0},
      {"Round(56.78, Blank())", 57},
      {"Round(\"-10.5678\", \"2\")", -10.57},
      {"Round(true, false)", 1},
      {"Round(1e300, -400)", 0},
      Err("Round(\"sampleText\", 1)", "Function 'Round' at column 1: the first argument must be a number, but the text \"sampleText\" is not a number"),
      Err("Round(1/0, 1)", "Operator '/' at column 8: division by zero"),
      // RoundUp / RoundDown
      {"RoundUp(1.231, 2)", 1.24},
      {"RoundUp(-1.231, 2)", -1.24},
      {"RoundUp(0.001, 0)", 1},
      {"RoundUp(1.2, 0)", 2},
      {"RoundUp(0.1 + 0.2, 1)", 0.3},
      {"RoundUp(1234, -2)", 1300},
      {"RoundDown(1.239, 2)", 1.23},
      {"RoundDown(-1.239, 2)", -1.23},
      {"RoundDown(0.999, 0)", 0},
      // Abs / Mod / Power / Sqrt / Exp / Ln
      {"Abs(-3)", 3},
      {"Abs(Blank())", 0},
      {"Abs(\"-2.5\")", 2.5},
      {"Mod(230, 3)", 2},
      {"Mod(-456, 15)", 9},
      {"Mod(3456, -11)", -9},
      {"Mod(-3456, -11)", -2},
      {"Mod(14.5, 4)", 2.5},
      {"Mod(Blank(), 1)", 0},
      Err("Mod(230, 0)", "Function 'Mod' at column 1: division by zero (the divisor is 0)"),
      Err("Mod(5, Blank())", "Function 'Mod' at column 1: division by zero (the divisor is 0)"),
      {"Power(2, 10)", 1024},
      {"Power(2, -2)", 0.25},
      {"Power(9, 0.5)", 3},
      {"Power(0, 0)", 1},
      Err("Power(0, -1)", "Function 'Power' at column 1: division by zero (0 to a negative power)"),
      Err("Power(-8, 1/3)", "Function 'Power' at column 1: a negative number to a fractional power has no real result"),
      Err("Power(10, 400)", "Function 'Power' at column 1: the result is out of range"),
      {"Sqrt(16)", 4},
      {"Sqrt(Blank())", 0},
      Err("Sqrt(-4)", "Function 'Sqrt' at column 1: the number must not be negative, but it is -4"),
      {"Exp(0)", 1},
      {"Exp(1)", 2.718281828459045},
      Err("Exp(1000)", "Function 'Exp' at column 1: the result is out of range"),
      {"Ln(1)", 0},
      {"Ln(Exp(2))", 2},
      Err("Ln(0)", "Function 'Ln' at column 1: the number must be greater than 0, but it is 0"),
      Err("Ln(-1)", "Function 'Ln' at column 1: the number must be greater than 0, but it is -1"),
      // Min / Max / Sum / Average: Blank (and "") skipped
      {"Min(3, 1, 2)", 1},
      {"Max(3, 1, 2)", 3},
      {"Max(-1, Blank(), -5)", -1},
      {"Min(1, Blank(), 5)", 1},
      {"Max(Blank())", 0},
      {"Max(\"9\", \"10\")", 10},
      {"Max(true, false)", 1},
      {"Min(job.Tier, worker.Skill)", 3},
      Err("Max(\"100\", \"AB\")", "Function 'Max' at column 1: the second argument must be a number, but the text \"AB\" is not a number"),
      {"Sum(1, 2, 3)", 6},
      {"Sum(1, Blank(), \"2\")", 3},
      {"Sum(Blank())", 0},
      {"Sum(job.Tier, job.Missing, 10)", 13},
      {"Average(1, 0, 5)", 2},
      {"Average(1, Blank(), 5)", 3},
      {"Average(\"9\", \"10\")", 9.5},
      {"Average(true, false)", 0.5},
      Err("Average(Blank())", "Function 'Average' at column 1: division by zero (every argument is blank)"),
      Err("Average(\"\")", "Function 'Average' at column 1: division by zero (every argument is blank)"),
      Err("Average(1E+308, 1E+308)", "Function 'Average' at column 1: the result is out of range"),
      Err("Sum(\"true\")", "Function 'Sum' at column 1: the first argument must be a number, but the text \"true\" is not a number"),
  });
}

TEST_CASE("powerfx: the function table", "[expression][powerfx]") {
  const std::vector<std::string> names = jr::powerfx::allFunctionNames();
  const std::vector<std::string> expected = {
      "Abs",  "And",   "Average", "Blank", "Boolean", "Coalesce", "Concatenate", "EndsWith", "Exp",        "Find",
      "If",   "IfError", "Int",   "IsBlank", "IsEmpty", "Left",   "Len",         "Ln",       "Lower",      "Max",
      "Mid",  "Min",   "Mod",     "Not",   "Or",      "Power",    "Proper",      "Replace",  "Right",      "Round",
      "RoundDown", "RoundUp", "Sqrt", "StartsWith", "Substitute", "Sum", "Switch", "Text", "Trim", "TrimEnds",
      "Trunc", "Upper", "Value"};
  CHECK(names == expected);
  for (const std::string& name : names) {
    INFO(name);
    CHECK(jr::powerfx::functionNameIgnoringCase(jr::powerfx::lower(name)) == name);
  }
  CHECK(jr::powerfx::findFunction("Len") != nullptr);
  CHECK(jr::powerfx::findFunction("len") == nullptr);
}

TEST_CASE("powerfx: rounding and formats are locale-free and deterministic", "[expression][powerfx]") {
  using jr::powerfx::RoundMode;
  CHECK(jr::powerfx::roundDecimal(2.675, 2, RoundMode::Half) == 2.68);  // 15 digits: 2.67500000000000
  CHECK(jr::powerfx::roundDecimal(-0.0, 2, RoundMode::Half) == 0.0);
  CHECK(jr::powerfx::roundDecimal(1e-320, 2, RoundMode::Up) == 0.01);
  CHECK(jr::powerfx::roundDecimal(9.999999999999999e307, -300, RoundMode::Half) == 1e308);
  std::string out, error;
  CHECK(jr::powerfx::formatWithPattern(1234.5, "#,##0.00", out, error));
  CHECK(out == "1,234.50");
  CHECK_FALSE(jr::powerfx::formatWithPattern(1, "\"open", out, error));
  CHECK(error == "a quoted text is not closed");
  CHECK_FALSE(jr::powerfx::formatWithPattern(1, "0\\", out, error));
  CHECK_FALSE(jr::powerfx::formatWithPattern(1, "0 0", out, error));
  CHECK(error == "text between digit placeholders is not supported");
}

TEST_CASE("powerfx: text size is bounded", "[expression][powerfx]") {
  // The inner Substitute makes exactly 1,000,000 bytes; the next one would pass the limit and stops while building.
  const std::string thousand(1000, 'a');
  const std::string big = "Substitute(Substitute(\"" + thousand + "\", \"a\", \"" + thousand + "\"), \"a\", \"bb\")";
  const ExpressionResult r = runFunction(big);
  CHECK_FALSE(r.ok);
  CHECK(r.error == "Function 'Substitute' at column 1: the text would be longer than 1000000 bytes");
  const ExpressionResult ok = runFunction("Len(Substitute(\"" + thousand + "\", \"a\", \"" + thousand + "\"))");
  CHECK(ok.value == Json(1000000));
  const ExpressionResult joined = runFunction("Len(Substitute(\"" + thousand + "\", \"a\", \"" + thousand + "\") & \"x\")");
  CHECK(joined.error == "Operator '&' at column 2029: the text would be longer than 1000000 bytes");
  std::string manyArgs = "Concatenate(";
  for (int i = 0; i < 4; ++i) manyArgs += std::string(i ? ", " : "") + "Substitute(\"" + thousand + "\", \"a\", \"" + std::string(300, 'b') + "\")";
  manyArgs += ")";
  CHECK(runFunction(manyArgs).error == "Function 'Concatenate' at column 1: the text would be longer than 1000000 bytes");
}
