// Power Fx expression evaluator: lexer, parser and evaluator; the language and its semantic choices are described
// in expression.hpp, the values in powerfx_values.hpp and the eagerly evaluated functions in powerfx_functions.hpp.
#include "core/rules/expression.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "core/rules/powerfx_functions.hpp"
#include "core/rules/powerfx_values.hpp"
#include "core/util/ascii.hpp"

namespace jr {

namespace expression_detail {

enum class NodeKind { Literal, Label, Table, Or, And, Not, Negate, Percent, Binary, Call };
enum class BinOp { Eq, Ne, Lt, Le, Gt, Ge, Concat, Add, Sub, Mul, Div, Pow, In, ExactIn };
enum class Root { Job, Worker };
enum class Lazy { None, If, Switch, And, Or, IfError, Coalesce };

// One immutable syntax-tree node. Chains of one precedence level (a + b - c, a And b And c) are a single node
// with n children, so that long flat expressions do not make deep trees.
struct Node {
  NodeKind kind = NodeKind::Literal;
  Json literal;                      // Literal; Percent: how many '%' follow the operand
  Root root = Root::Job;             // Label
  std::string name;                  // Label: label name; Not/Negate/Call: the operator or function as written
  std::size_t column = 0;            // 1-based column of the operator, function name or label root
  std::vector<Node> children;        // operands / arguments
  std::vector<BinOp> ops;            // Binary: ops[i] joins children[i] and children[i + 1]
  std::vector<std::string> opTexts;  // Binary/And/Or: operators as written, for error messages
  std::vector<std::size_t> opColumns;  // Binary/And/Or: columns of the operators
  Lazy lazy = Lazy::None;                       // Call: a function that chooses which arguments to evaluate
  const powerfx::FunctionInfo* function = nullptr;  // Call: an eagerly evaluated function
};

}  // namespace expression_detail

namespace {

using expression_detail::BinOp;
using expression_detail::Lazy;
using expression_detail::Node;
using expression_detail::NodeKind;
using expression_detail::Root;

// ---------------------------------------------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------------------------------------------

bool isContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// 1-based column of a byte offset, counted in UTF-8 code points.
std::size_t columnOf(const std::string& text, std::size_t offset) {
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (!isContinuationByte(text[i])) ++column;
  }
  return column;
}

std::size_t codePointCount(const std::string& text) { return columnOf(text, text.size()) - 1; }

std::string atColumn(const std::string& text, std::size_t offset) {
  return " at column " + std::to_string(columnOf(text, offset));
}

bool isIdentStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool isIdentChar(char c) { return isIdentStart(c) || isAsciiDigit(c); }
bool isTokenSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

char asciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equalsIgnoreCase(const std::string& a, const char* lowerB) {
  std::size_t i = 0;
  for (; lowerB[i] != '\0'; ++i) {
    if (i >= a.size() || asciiLower(a[i]) != lowerB[i]) return false;
  }
  return i == a.size();
}

// The column an error message names (" at column N"), or 0.
std::size_t columnInMessage(const std::string& message) {
  const std::string marker = " at column ";
  const std::size_t at = message.find(marker);
  if (at == std::string::npos) return 0;
  return static_cast<std::size_t>(std::strtoul(message.c_str() + at + marker.size(), nullptr, 10));
}

// ---------------------------------------------------------------------------------------------------------------
// Lexer
// ---------------------------------------------------------------------------------------------------------------

enum class Tok { End, Error, Number, String, Ident, QuotedName, Punct };

struct Token {
  Tok kind = Tok::End;
  std::string text;      // Ident: name; String/QuotedName: decoded value; Punct: the operator; Error: full message
  double number = 0;     // Number
  std::size_t offset = 0;  // byte offset in the source
  std::size_t length = 0;  // bytes in the source
};

// Correctly rounded, locale-independent decimal conversion: the digits are handed to strtod without a radix
// character ("15e-1" for 1.5), and glibc and musl (Emscripten) strtod are both correctly rounded.
bool decimalToDouble(const std::string& intDigits, const std::string& fracDigits, long exponent, double& out) {
  std::string mantissa = intDigits + fracDigits;
  std::size_t firstNonZero = mantissa.find_first_not_of('0');
  if (firstNonZero == std::string::npos) {
    out = 0.0;
    return true;
  }
  mantissa.erase(0, firstNonZero);
  const long exp10 = exponent - static_cast<long>(fracDigits.size());
  const std::string text = mantissa + "e" + std::to_string(exp10);
  out = std::strtod(text.c_str(), nullptr);
  return std::isfinite(out);
}

std::string displayCharacter(const std::string& s, std::size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x20 || c == 0x7F) {
    static const char* hex = "0123456789ABCDEF";
    std::string code = "U+00";
    code += hex[c >> 4];
    code += hex[c & 0xF];
    return code;
  }
  std::size_t end = i + 1;
  while (end < s.size() && isContinuationByte(s[end])) ++end;
  return "'" + s.substr(i, end - i) + "'";
}

Token errorToken(std::size_t at, std::string message) {
  Token t;
  t.kind = Tok::Error;
  t.text = std::move(message);
  t.offset = at;
  return t;
}

// Reads an optional exponent ("e5", "E-3") at s[j]; returns the offset after it (j itself when there is none, or
// when the 'e' is not followed by digits).
std::size_t readExponent(const std::string& s, std::size_t j, long& exponent) {
  exponent = 0;
  if (j >= s.size() || (s[j] != 'e' && s[j] != 'E')) return j;
  std::size_t k = j + 1;
  bool negative = false;
  if (k < s.size() && (s[k] == '+' || s[k] == '-')) negative = s[k++] == '-';
  if (k >= s.size() || !isAsciiDigit(s[k])) return j;
  while (k < s.size() && isAsciiDigit(s[k])) {
    if (exponent < 100000) exponent = exponent * 10 + (s[k] - '0');  // saturates: far out of range anyway
    ++k;
  }
  if (negative) exponent = -exponent;
  return k;
}

// A number literal starting at the digit s[i].
Token lexNumber(const std::string& s, std::size_t i) {
  std::size_t j = i;
  std::string intDigits, fracDigits;
  while (j < s.size() && isAsciiDigit(s[j])) intDigits += s[j++];
  if (j + 1 < s.size() && s[j] == '.' && isAsciiDigit(s[j + 1])) {
    ++j;
    while (j < s.size() && isAsciiDigit(s[j])) fracDigits += s[j++];
  }
  long exponent = 0;
  j = readExponent(s, j, exponent);
  Token t;
  t.offset = i;
  t.kind = Tok::Number;
  t.length = j - i;
  t.text = s.substr(i, j - i);
  if (!decimalToDouble(intDigits, fracDigits, exponent, t.number)) {
    return errorToken(i, "Number '" + t.text + "' is out of range" + atColumn(s, i));
  }
  return t;
}

// An identifier starting at s[i].
Token lexIdent(const std::string& s, std::size_t i) {
  std::size_t j = i;
  while (j < s.size() && isIdentChar(s[j])) ++j;
  Token t;
  t.offset = i;
  t.kind = Tok::Ident;
  t.text = s.substr(i, j - i);
  t.length = j - i;
  return t;
}

// "string" or 'quoted name' starting at the delimiter s[i]; the delimiter is escaped by doubling it.
Token lexQuoted(const std::string& s, std::size_t i) {
  const char quote = s[i];
  std::size_t j = i + 1;
  std::string value;
  bool closed = false;
  while (j < s.size()) {
    if (s[j] == quote) {
      if (j + 1 < s.size() && s[j + 1] == quote) {
        value += quote;
        j += 2;
        continue;
      }
      closed = true;
      ++j;
      break;
    }
    value += s[j++];
  }
  if (!closed) {
    return errorToken(i, std::string(quote == '"' ? "Unterminated string" : "Unterminated quoted name") +
                             " starting" + atColumn(s, i));
  }
  Token t;
  t.offset = i;
  t.kind = quote == '"' ? Tok::String : Tok::QuotedName;
  t.text = std::move(value);
  t.length = j - i;
  return t;
}

// An operator or punctuation at s[i], longest first.
Token lexPunct(const std::string& s, std::size_t i) {
  const char c = s[i];
  const char next = i + 1 < s.size() ? s[i + 1] : '\0';
  if ((c == '!' || c == '=') && next == '=') {
    return errorToken(i, std::string("Unexpected '") + c + "='" + atColumn(s, i) +
                             (c == '!' ? ": use '<>' for 'not equal'" : ": use '=' for 'equal'"));
  }
  static const char* const kTwoChar[] = {"<>", "<=", ">=", "&&", "||"};
  std::string op;
  for (const char* candidate : kTwoChar) {
    if (c == candidate[0] && next == candidate[1]) op = candidate;
  }
  if (op.empty()) {
    static const std::string kOneChar = "(),.=<>&!+-*/%^[]";
    if (kOneChar.find(c) != std::string::npos) op = std::string(1, c);
  }
  if (op.empty()) return errorToken(i, "Unexpected character " + displayCharacter(s, i) + atColumn(s, i));
  Token t;
  t.offset = i;
  t.kind = Tok::Punct;
  t.text = op;
  t.length = op.size();
  return t;
}

// The tokens of s, ending with an End token or, at the first error, an Error token.
std::vector<Token> tokenize(const std::string& s) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (true) {
    while (i < s.size() && isTokenSpace(s[i])) ++i;
    if (i >= s.size()) {
      Token end;
      end.kind = Tok::End;
      end.offset = i;
      tokens.push_back(std::move(end));
      return tokens;
    }
    const char c = s[i];
    Token t;
    if (isAsciiDigit(c)) {
      t = lexNumber(s, i);
    } else if (isIdentStart(c)) {
      t = lexIdent(s, i);
    } else if (c == '"' || c == '\'') {
      t = lexQuoted(s, i);
    } else {
      t = lexPunct(s, i);
    }
    const bool failed = t.kind == Tok::Error;
    i += t.length;
    tokens.push_back(std::move(t));
    if (failed) return tokens;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Parser (recursive descent; depth-limited)
// ---------------------------------------------------------------------------------------------------------------

// Precedence levels, lowest first.
enum Level { kOr = 0, kAnd, kIn, kCompare, kConcat, kAdd, kMul, kUnary };

struct LazyFunction {
  const char* name;
  Lazy lazy;
  std::size_t minArgs;
};

const LazyFunction kLazyFunctions[] = {
    {"If", Lazy::If, 2},   {"Switch", Lazy::Switch, 3},   {"And", Lazy::And, 1},
    {"Or", Lazy::Or, 1},   {"IfError", Lazy::IfError, 2}, {"Coalesce", Lazy::Coalesce, 1},
};

std::string argumentCount(std::size_t n) { return std::to_string(n) + (n == 1 ? " argument" : " arguments"); }

class Parser {
 public:
  Parser(const std::string& text, std::vector<Token> tokens) : text_(text), tokens_(std::move(tokens)) {}

  bool parse(Node& out) {
    if (!parseLevel(kOr, out)) return false;
    if (cur().kind != Tok::End) return unexpected();
    return true;
  }

  const std::string& error() const { return error_; }

 private:
  const Token& cur() const { return tokens_[pos_]; }
  const Token& next() const { return tokens_[pos_ + 1 < tokens_.size() ? pos_ + 1 : pos_]; }
  void advance() {
    if (pos_ + 1 < tokens_.size()) ++pos_;
  }
  std::size_t column(const Token& t) const { return columnOf(text_, t.offset); }

  static bool isPunct(const Token& t, const char* p) { return t.kind == Tok::Punct && t.text == p; }
  static bool isKeyword(const Token& t, const char* lower) {
    return t.kind == Tok::Ident && equalsIgnoreCase(t.text, lower);
  }
  // "Not(" (exact case) is the function Not; any other Not/not/! is the prefix operator.
  static bool isNotOperator(const Token& t, const Token& following) {
    if (isPunct(t, "!")) return true;
    return isKeyword(t, "not") && !(t.text == "Not" && isPunct(following, "("));
  }

  bool fail(const std::string& message) {
    if (error_.empty()) error_ = message;
    return false;
  }

  std::string describe(const Token& t) const {
    if (t.kind == Tok::End) return "end of expression";
    std::string source = text_.substr(t.offset, t.length);
    if (source.size() > 40) {
      std::size_t cut = 40;
      while (cut > 0 && isContinuationByte(source[cut])) --cut;
      source = source.substr(0, cut) + "...";
    }
    return "'" + source + "'";
  }

  bool unexpected() {
    const Token& t = cur();
    if (t.kind == Tok::Error) return fail(t.text);
    return fail("Unexpected " + describe(t) + atColumn(text_, t.offset));
  }

  bool expected(const std::string& what) {
    const Token& t = cur();
    if (t.kind == Tok::Error) return fail(t.text);
    return fail("Expected " + what + " but found " + describe(t) + atColumn(text_, t.offset));
  }

  bool enter() {
    if (++depth_ > Expression::kMaxDepth) {
      return fail("Expression is nested too deeply (more than " + std::to_string(Expression::kMaxDepth) +
                  " levels)" + atColumn(text_, cur().offset));
    }
    return true;
  }
  void leave() { --depth_; }

  bool matchOp(int level, BinOp& op) const {
    const Token& t = cur();
    if (level == kOr) return isPunct(t, "||") || isKeyword(t, "or");
    if (level == kAnd) return isPunct(t, "&&") || isKeyword(t, "and");
    if (level == kIn) {
      if (isKeyword(t, "in")) {
        op = BinOp::In;
        return true;
      }
      if (isKeyword(t, "exactin")) {
        op = BinOp::ExactIn;
        return true;
      }
      return false;
    }
    if (t.kind != Tok::Punct) return false;
    const std::string& p = t.text;
    struct Entry {
      int level;
      const char* text;
      BinOp op;
    };
    static const Entry kOps[] = {
        {kCompare, "=", BinOp::Eq},  {kCompare, "<>", BinOp::Ne}, {kCompare, "<", BinOp::Lt},
        {kCompare, "<=", BinOp::Le}, {kCompare, ">", BinOp::Gt},  {kCompare, ">=", BinOp::Ge},
        {kConcat, "&", BinOp::Concat}, {kAdd, "+", BinOp::Add},   {kAdd, "-", BinOp::Sub},
        {kMul, "*", BinOp::Mul},     {kMul, "/", BinOp::Div},
    };
    for (const Entry& e : kOps) {
      if (e.level == level && p == e.text) {
        op = e.op;
        return true;
      }
    }
    return false;
  }

  // One precedence level: operand { op operand }.
  bool parseLevel(int level, Node& out) {
    if (level == kUnary) return parseUnary(out);
    Node first;
    if (!parseLevel(level + 1, first)) return false;
    BinOp op = BinOp::Eq;
    if (!matchOp(level, op)) {
      out = std::move(first);
      return true;
    }
    Node chain;
    chain.kind = level == kOr ? NodeKind::Or : level == kAnd ? NodeKind::And : NodeKind::Binary;
    chain.column = column(cur());
    chain.children.push_back(std::move(first));
    while (matchOp(level, op)) {
      if (chain.kind == NodeKind::Binary) chain.ops.push_back(op);
      chain.opTexts.push_back(cur().text);
      chain.opColumns.push_back(column(cur()));
      advance();
      Node operand;
      if (!parseLevel(level + 1, operand)) return false;
      chain.children.push_back(std::move(operand));
    }
    out = std::move(chain);
    return true;
  }

  bool parseUnary(Node& out) {
    const Token& t = cur();
    if (isPunct(t, "-")) {
      Node node;
      node.kind = NodeKind::Negate;
      node.name = t.text;
      node.column = column(t);
      advance();
      if (!enter()) return false;
      node.children.emplace_back();
      if (!parseUnary(node.children.back())) return false;
      leave();
      out = std::move(node);
      return true;
    }
    if (isNotOperator(t, next())) {
      Node node;
      node.kind = NodeKind::Not;
      node.name = t.text;
      node.column = column(t);
      advance();
      if (!enter()) return false;
      node.children.emplace_back();
      // The operand of Not extends over a comparison (see expression.hpp). For Power Fx's tighter binding,
      // parse it with parseUnary instead.
      if (!parseLevel(kCompare, node.children.back())) return false;
      leave();
      out = std::move(node);
      return true;
    }
    return parsePower(out);
  }

  // postfix { "^" ["-" ...] postfix }
  bool parsePower(Node& out) {
    Node first;
    if (!parsePostfix(first)) return false;
    if (!isPunct(cur(), "^")) {
      out = std::move(first);
      return true;
    }
    Node chain;
    chain.kind = NodeKind::Binary;
    chain.column = column(cur());
    chain.children.push_back(std::move(first));
    while (isPunct(cur(), "^")) {
      chain.ops.push_back(BinOp::Pow);
      chain.opTexts.push_back("^");
      chain.opColumns.push_back(column(cur()));
      advance();
      Node operand;
      if (!parseExponent(operand)) return false;
      chain.children.push_back(std::move(operand));
    }
    out = std::move(chain);
    return true;
  }

  bool parseExponent(Node& out) {
    if (!isPunct(cur(), "-")) return parsePostfix(out);
    Node node;
    node.kind = NodeKind::Negate;
    node.name = "-";
    node.column = column(cur());
    advance();
    if (!enter()) return false;
    node.children.emplace_back();
    if (!parseExponent(node.children.back())) return false;
    leave();
    out = std::move(node);
    return true;
  }

  bool parsePostfix(Node& out) {
    Node operand;
    if (!parsePrimary(operand)) return false;
    if (!isPunct(cur(), "%")) {
      out = std::move(operand);
      return true;
    }
    Node node;
    node.kind = NodeKind::Percent;
    node.name = "%";
    node.column = column(cur());
    std::int64_t count = 0;
    while (isPunct(cur(), "%")) {
      ++count;
      advance();
    }
    node.literal = count;
    node.children.push_back(std::move(operand));
    out = std::move(node);
    return true;
  }

  bool parsePrimary(Node& out) {
    const Token& t = cur();
    switch (t.kind) {
      case Tok::Number:
        out.kind = NodeKind::Literal;
        out.literal = numberJson(t.number);
        out.column = column(t);
        advance();
        return true;
      case Tok::String:
        out.kind = NodeKind::Literal;
        out.literal = t.text;
        out.column = column(t);
        advance();
        return true;
      case Tok::Punct:
        if (t.text == "(") {
          advance();
          if (!enter()) return false;
          if (!parseLevel(kOr, out)) return false;
          leave();
          if (!isPunct(cur(), ")")) return expected("')'");
          advance();
          return true;
        }
        if (t.text == "[") return parseTable(out);
        return unexpected();
      case Tok::Ident:
        return parseName(out);
      default:
        return unexpected();
    }
  }

  bool parseTable(Node& out) {
    Node node;
    node.kind = NodeKind::Table;
    node.name = "[";
    node.column = column(cur());
    advance();  // [
    if (!enter()) return false;
    if (!isPunct(cur(), "]")) {
      while (true) {
        node.children.emplace_back();
        if (!parseLevel(kOr, node.children.back())) return false;
        if (!isPunct(cur(), ",")) break;
        advance();
      }
    }
    if (!isPunct(cur(), "]")) return expected("',' or ']'");
    advance();
    leave();
    out = std::move(node);
    return true;
  }

  bool parseName(Node& out) {
    const Token& t = cur();
    if (isKeyword(t, "true") || isKeyword(t, "false")) {
      out.kind = NodeKind::Literal;
      out.literal = isKeyword(t, "true");
      out.column = column(t);
      advance();
      return true;
    }
    if (isPunct(next(), "(")) return parseCall(out);
    if (t.text == "job" || t.text == "worker") {
      const std::string rootName = t.text;
      out.kind = NodeKind::Label;
      out.root = rootName == "job" ? Root::Job : Root::Worker;
      out.column = column(t);
      advance();
      if (!isPunct(cur(), ".")) return expected("'.' after '" + rootName + "'");
      advance();
      const Token& name = cur();
      if (name.kind == Tok::QuotedName && name.text.empty()) {
        return fail("Empty label name" + atColumn(text_, name.offset));
      }
      if (name.kind != Tok::Ident && name.kind != Tok::QuotedName) {
        return expected("a label name after '" + rootName + ".'");
      }
      out.name = name.text;
      advance();
      return true;
    }
    if (isKeyword(t, "and") || isKeyword(t, "or") || isKeyword(t, "in") || isKeyword(t, "exactin")) {
      return unexpected();
    }
    if (powerfx::functionNameIgnoringCase(t.text) == t.text) {  // a function named without its parentheses
      advance();
      return expected("'(' after '" + t.text + "'");
    }
    return fail("Unknown name '" + t.text + "'" + atColumn(text_, t.offset) +
                " (labels are written job.<name> or worker.<name>)");
  }

  // A function call; the current token is the function name and the next one is '('.
  bool parseCall(Node& out) {
    const Token& nameToken = cur();
    const std::size_t nameOffset = nameToken.offset;
    Node node;
    node.kind = NodeKind::Call;
    node.name = nameToken.text;
    node.column = column(nameToken);
    std::size_t minArgs = 0, maxArgs = powerfx::kVariadic;
    bool known = false;
    for (const LazyFunction& f : kLazyFunctions) {
      if (node.name == f.name) {
        node.lazy = f.lazy;
        minArgs = f.minArgs;
        known = true;
      }
    }
    if (!known) {
      node.function = powerfx::findFunction(node.name);
      if (node.function) {
        minArgs = node.function->minArgs;
        maxArgs = node.function->maxArgs;
        known = true;
      }
    }
    if (!known) {
      const std::string suggestion = powerfx::functionNameIgnoringCase(node.name);
      if (!suggestion.empty()) {
        return fail("Unknown function '" + node.name + "'" + atColumn(text_, nameOffset) +
                    ": function names are case-sensitive; did you mean '" + suggestion + "'?");
      }
      return fail("Unknown function '" + node.name + "'" + atColumn(text_, nameOffset));
    }
    advance();  // name
    advance();  // (
    if (!enter()) return false;
    if (!isPunct(cur(), ")")) {
      while (true) {
        node.children.emplace_back();
        if (!parseLevel(kOr, node.children.back())) return false;
        if (!isPunct(cur(), ",")) break;
        advance();
      }
    }
    if (!isPunct(cur(), ")")) return expected("',' or ')'");
    advance();
    leave();
    const std::size_t count = node.children.size();
    if (count < minArgs || count > maxArgs) {
      std::string wanted;
      if (node.lazy == Lazy::If) {
        wanted = "needs at least 2 arguments (a condition and a value)";
      } else if (node.lazy == Lazy::Switch) {
        wanted = "needs at least 3 arguments (a value, a match and a result)";
      } else if (maxArgs == powerfx::kVariadic) {
        wanted = "needs at least " + argumentCount(minArgs);
      } else if (minArgs == maxArgs) {
        wanted = "takes " + argumentCount(minArgs);
      } else {
        wanted = "takes " + std::to_string(minArgs) + " to " + argumentCount(maxArgs);
      }
      return fail("Function '" + node.name + "'" + atColumn(text_, nameOffset) + " " + wanted + ", but got " +
                  std::to_string(count));
    }
    out = std::move(node);
    return true;
  }

  const std::string& text_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  std::string error_;
};

// ---------------------------------------------------------------------------------------------------------------
// Evaluator
// ---------------------------------------------------------------------------------------------------------------

class Evaluator {
 public:
  explicit Evaluator(const ExpressionContext& ctx) : ctx_(ctx) {}

  bool eval(const Node& n, Json& out) {
    switch (n.kind) {
      case NodeKind::Literal:
        out = n.literal;
        return true;
      case NodeKind::Label:
        return evalLabel(n, out);
      case NodeKind::Table:
        return evalTable(n, out);
      case NodeKind::Or:
      case NodeKind::And:
        return evalLogical(n, out);
      case NodeKind::Not: {
        Json v;
        if (!eval(n.children[0], v)) return false;
        bool b = false;
        if (!boolean(v, "Operator '" + n.name + "' at column " + std::to_string(n.column), b)) return false;
        out = !b;
        return true;
      }
      case NodeKind::Negate: {
        Json v;
        double x = 0;
        if (!eval(n.children[0], v) || !number(v, opLabel("-", n.column), x)) return false;
        return numberResult(-x, opLabel("-", n.column), out);
      }
      case NodeKind::Percent: {
        Json v;
        double x = 0;
        if (!eval(n.children[0], v) || !number(v, opLabel("%", n.column), x)) return false;
        for (std::int64_t i = 0; i < n.literal.get<std::int64_t>() && x != 0; ++i) x /= 100;
        return numberResult(x, opLabel("%", n.column), out);
      }
      case NodeKind::Binary:
        return evalBinary(n, out);
      case NodeKind::Call:
        return evalCall(n, out);
    }
    return fail("Unknown expression node", true);
  }

  const std::string& error() const { return error_; }
  bool errorCatchable() const { return catchable_; }

 private:
  static std::string opLabel(const std::string& op, std::size_t column) {
    return "Operator '" + op + "' at column " + std::to_string(column);
  }
  static std::string fnLabel(const Node& n) {
    return "Function '" + n.name + "' at column " + std::to_string(n.column);
  }

  bool fail(const std::string& message, bool catchable) {
    error_ = message;
    catchable_ = catchable;
    return false;
  }

  bool rejectTable(const Json& v, const std::string& where) {
    if (!v.is_array()) return true;
    return fail(where + ": a table can only be used with in, exactin or IsEmpty", true);
  }

  bool number(const Json& v, const std::string& where, double& out) {
    if (!rejectTable(v, where)) return false;
    std::string why;
    if (powerfx::toNumber(v, out, why)) return true;
    return fail(where + ": " + why, true);
  }

  bool boolean(const Json& v, const std::string& where, bool& out) {
    if (!rejectTable(v, where)) return false;
    std::string why;
    if (powerfx::toBoolean(v, out, why)) return true;
    return fail(where + ": " + why, true);
  }

  bool text(const Json& v, const std::string& where, std::string& out) {
    if (!rejectTable(v, where)) return false;
    out = powerfx::toText(v);
    return true;
  }

  bool textResult(std::string s, const std::string& where, Json& out) {
    if (s.size() > Expression::kMaxTextBytes) {
      return fail(where + ": the text would be longer than " + std::to_string(Expression::kMaxTextBytes) +
                      " bytes",
                  true);
    }
    out = std::move(s);
    return true;
  }

  bool numberResult(double d, const std::string& where, Json& out) {
    if (!std::isfinite(d)) return fail(where + ": the result is out of range", true);
    out = numberJson(d == 0 ? 0.0 : d);
    return true;
  }

  bool evalLabel(const Node& n, Json& out) {
    const bool isJob = n.root == Root::Job;
    const char* owner = isJob ? "job" : "worker";
    const std::map<std::string, Json>* labels = isJob ? ctx_.job : ctx_.worker;
    if (labels == nullptr) {
      return fail(std::string("No ") + owner + " labels are available to evaluate " + owner + "." + n.name +
                      " at column " + std::to_string(n.column),
                  false);
    }
    const auto it = labels->find(n.name);
    if (it == labels->end() || it->second.is_null()) {
      out = nullptr;  // an absent label is Blank
      return true;
    }
    if (!isPrimitive(it->second)) {
      return fail("Label '" + n.name + "' at column " + std::to_string(n.column) + " on the " + owner + " holds " +
                      (it->second.is_array() ? std::string("an array") : std::string("an object")) +
                      ", which expressions cannot use",
                  false);
    }
    out = normalizeNumber(it->second);
    return true;
  }

  bool evalTable(const Node& n, Json& out) {
    Json rows = Json::array();
    for (const Node& child : n.children) {
      Json v;
      if (!eval(child, v)) return false;
      if (v.is_array()) return fail("Table at column " + std::to_string(n.column) + ": a row cannot be a table", true);
      rows.push_back(std::move(v));
    }
    out = std::move(rows);
    return true;
  }

  bool evalLogical(const Node& n, Json& out) {
    const bool isOr = n.kind == NodeKind::Or;
    for (std::size_t i = 0; i < n.children.size(); ++i) {
      Json v;
      if (!eval(n.children[i], v)) return false;
      const std::size_t opIndex = i == 0 ? 0 : i - 1;
      bool b = false;
      if (!boolean(v, opLabel(n.opTexts[opIndex], n.opColumns[opIndex]), b)) return false;
      if (b == isOr) {  // Or: true decides; And: false decides
        out = isOr;
        return true;
      }
    }
    out = !isOr;
    return true;
  }

  bool evalBinary(const Node& n, Json& out) {
    Json acc;
    if (!eval(n.children[0], acc)) return false;
    for (std::size_t i = 0; i < n.ops.size(); ++i) {
      Json rhs;
      if (!eval(n.children[i + 1], rhs)) return false;
      Json result;
      if (!apply(n.ops[i], opLabel(n.opTexts[i], n.opColumns[i]), acc, rhs, result)) return false;
      acc = std::move(result);
    }
    out = std::move(acc);
    return true;
  }

  static bool textEqual(const std::string& a, const std::string& b, bool ignoreCase) {
    return ignoreCase ? powerfx::lower(a) == powerfx::lower(b) : a == b;
  }

  bool apply(BinOp op, const std::string& where, const Json& a, const Json& b, Json& out) {
    switch (op) {
      case BinOp::Eq:
      case BinOp::Ne:
        if (!rejectTable(a, where) || !rejectTable(b, where)) return false;
        out = powerfx::valuesEqual(a, b) == (op == BinOp::Eq);
        return true;
      case BinOp::Lt:
      case BinOp::Le:
      case BinOp::Gt:
      case BinOp::Ge: {
        double x = 0, y = 0;
        if (!number(a, where, x) || !number(b, where, y)) return false;
        const int c = a.is_number() && b.is_number() ? powerfx::compareNumbers(a, b) : (x < y ? -1 : (y < x ? 1 : 0));
        out = op == BinOp::Lt ? c < 0 : op == BinOp::Le ? c <= 0 : op == BinOp::Gt ? c > 0 : c >= 0;
        return true;
      }
      case BinOp::Concat: {
        std::string x, y;
        if (!text(a, where, x) || !text(b, where, y)) return false;
        return textResult(x + y, where, out);
      }
      case BinOp::Add:
      case BinOp::Sub:
      case BinOp::Mul:
      case BinOp::Div:
      case BinOp::Pow: {
        double x = 0, y = 0;
        if (!number(a, where, x) || !number(b, where, y)) return false;
        double r = 0;
        if (op == BinOp::Add) r = x + y;
        if (op == BinOp::Sub) r = x - y;
        if (op == BinOp::Mul) r = x * y;
        if (op == BinOp::Div) {
          if (y == 0) return fail(where + ": division by zero", true);
          r = x / y;
        }
        if (op == BinOp::Pow) {
          if (x == 0 && y < 0) return fail(where + ": division by zero (0 to a negative power)", true);
          r = std::pow(x, y);
          if (std::isnan(r)) return fail(where + ": a negative number to a fractional power has no real result", true);
        }
        return numberResult(r, where, out);
      }
      case BinOp::In:
      case BinOp::ExactIn: {
        const bool ignoreCase = op == BinOp::In;
        if (!rejectTable(a, where)) return false;
        if (b.is_array()) {
          bool found = false;
          for (const Json& row : b) {
            if (a.is_string() && row.is_string()) {
              found = textEqual(a.get_ref<const std::string&>(), row.get_ref<const std::string&>(), ignoreCase);
            } else {
              found = powerfx::valuesEqual(a, row);
            }
            if (found) break;
          }
          out = found;
          return true;
        }
        const std::string needle = powerfx::toText(a), haystack = powerfx::toText(b);
        out = ignoreCase ? powerfx::lower(haystack).find(powerfx::lower(needle)) != std::string::npos
                         : haystack.find(needle) != std::string::npos;
        return true;
      }
    }
    return fail("Unknown operator", true);
  }

  bool evalCall(const Node& n, Json& out) {
    switch (n.lazy) {
      case Lazy::If:
        return evalIf(n, out);
      case Lazy::Switch:
        return evalSwitch(n, out);
      case Lazy::And:
      case Lazy::Or:
        return evalLogicalFunction(n, out);
      case Lazy::IfError:
        return evalIfError(n, out);
      case Lazy::Coalesce:
        return evalCoalesce(n, out);
      case Lazy::None:
        break;
    }
    powerfx::Args args;
    args.reserve(n.children.size());
    for (const Node& child : n.children) {
      Json v;
      if (!eval(child, v)) return false;
      if (v.is_array() && !n.function->acceptsTables) {
        return fail(fnLabel(n) + ": a table can only be used with in, exactin or IsEmpty", true);
      }
      args.push_back(std::move(v));
    }
    std::string why;
    if (!n.function->impl(args, out, why)) return fail(fnLabel(n) + ": " + why, true);
    if (out.is_string() && out.get_ref<const std::string&>().size() > Expression::kMaxTextBytes) {
      return textResult(out.get<std::string>(), fnLabel(n), out);
    }
    return true;
  }

  bool evalIf(const Node& n, Json& out) {
    const std::size_t pairs = n.children.size() / 2;
    for (std::size_t i = 0; i < pairs; ++i) {
      Json condition;
      if (!eval(n.children[2 * i], condition)) return false;
      bool b = false;
      if (!boolean(condition, fnLabel(n) + ", condition " + std::to_string(i + 1), b)) return false;
      if (b) return eval(n.children[2 * i + 1], out);
    }
    if (n.children.size() % 2 == 1) return eval(n.children.back(), out);
    out = nullptr;  // Blank(): no branch matched and there is no default
    return true;
  }

  bool evalSwitch(const Node& n, Json& out) {
    Json subject;
    if (!eval(n.children[0], subject)) return false;
    if (!rejectTable(subject, fnLabel(n))) return false;
    const std::size_t pairs = (n.children.size() - 1) / 2;
    for (std::size_t i = 0; i < pairs; ++i) {
      Json match;
      if (!eval(n.children[1 + 2 * i], match)) return false;
      if (!rejectTable(match, fnLabel(n))) return false;
      if (powerfx::valuesEqual(subject, match)) return eval(n.children[2 + 2 * i], out);
    }
    if (n.children.size() % 2 == 0) return eval(n.children.back(), out);
    out = nullptr;
    return true;
  }

  bool evalLogicalFunction(const Node& n, Json& out) {
    const bool isOr = n.lazy == Lazy::Or;
    for (std::size_t i = 0; i < n.children.size(); ++i) {
      Json v;
      if (!eval(n.children[i], v)) return false;
      bool b = false;
      if (!boolean(v, fnLabel(n), b)) return false;
      if (b == isOr) {
        out = isOr;
        return true;
      }
    }
    out = !isOr;
    return true;
  }

  // IfError(value1, fallback1, value2, fallback2, ..., [default]).
  bool evalIfError(const Node& n, Json& out) {
    const std::size_t pairs = n.children.size() / 2;
    Json last;
    for (std::size_t i = 0; i < pairs; ++i) {
      Json v;
      if (!eval(n.children[2 * i], v)) {
        if (!catchable_) return false;
        error_.clear();
        return eval(n.children[2 * i + 1], out);
      }
      last = std::move(v);
    }
    if (n.children.size() % 2 == 1) return eval(n.children.back(), out);
    out = std::move(last);
    return true;
  }

  bool evalCoalesce(const Node& n, Json& out) {
    for (const Node& child : n.children) {
      Json v;
      if (!eval(child, v)) return false;
      if (v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty())) continue;
      out = std::move(v);
      return true;
    }
    out = nullptr;
    return true;
  }

  const ExpressionContext& ctx_;
  std::string error_;
  bool catchable_ = true;
};

}  // namespace

// -------------------------------------------------------------------------------------------------------------------
// Public API
// -------------------------------------------------------------------------------------------------------------------

std::string expressionValueToText(const Json& value) { return powerfx::toText(value); }

Expression::Expression() : error_("Expression is empty") {}

Expression Expression::parse(const std::string& text) {
  Expression result;
  try {
    const std::size_t length = codePointCount(text);
    if (length > kMaxLength) {
      result.error_ = "Expression is too long (" + std::to_string(length) + " characters; the maximum is " +
                      std::to_string(kMaxLength) + ")";
      return result;
    }
    std::vector<Token> tokens = tokenize(text);
    if (tokens.size() == 1 && tokens[0].kind == Tok::End) return result;  // "Expression is empty"
    Parser parser(text, std::move(tokens));
    auto root = std::make_shared<Node>();
    if (!parser.parse(*root)) {
      result.error_ = parser.error();
      return result;
    }
    result.root_ = std::move(root);
    result.error_.clear();
  } catch (...) {
    result.root_.reset();
    result.error_ = "Internal error while parsing the expression";
  }
  return result;
}

ExpressionResult Expression::evaluate(const ExpressionContext& ctx) const {
  ExpressionResult result;
  if (!root_) {
    result.error = error_;
    result.column = columnInMessage(error_);
    return result;
  }
  try {
    Evaluator evaluator(ctx);
    Json value;
    if (!evaluator.eval(*root_, value)) {
      result.error = evaluator.error();
      result.column = columnInMessage(result.error);
      return result;
    }
    if (value.is_array()) {
      result.error = "The expression gives a table; a rule needs a single value";
      return result;
    }
    result.ok = true;
    result.value = value.is_number() ? normalizeNumber(value) : std::move(value);
  } catch (...) {
    result.ok = false;
    result.value = nullptr;
    result.error = "Internal error while evaluating the expression";
  }
  return result;
}

ExpressionResult evaluateExpression(const std::string& text, const ExpressionContext& ctx) {
  return Expression::parse(text).evaluate(ctx);
}

}  // namespace jr
