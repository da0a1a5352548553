// PowerFx-subset expression evaluator; the language and its semantic choices are described in expression.hpp.
#include "core/rules/expression.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace jr {

namespace expression_detail {

enum class NodeKind { Literal, Label, Or, And, Not, Negate, Binary, If };
enum class BinOp { Eq, Ne, Lt, Le, Gt, Ge, Concat, Add, Sub, Mul, Div };
enum class Root { Job, Worker };

// One immutable syntax-tree node. Chains of one precedence level (a + b - c, a And b And c) are a single node
// with n children, so that long flat expressions do not make deep trees.
struct Node {
  NodeKind kind = NodeKind::Literal;
  Json literal;                      // Literal
  Root root = Root::Job;             // Label
  std::string name;                  // Label: label name; Not/Negate/If: the operator or function as written
  std::vector<Node> children;        // operands / arguments
  std::vector<BinOp> ops;            // Binary: ops[i] joins children[i] and children[i + 1]
  std::vector<std::string> opTexts;  // Binary/And/Or: operators as written, for error messages
};

}  // namespace expression_detail

namespace {

using expression_detail::BinOp;
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

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isIdentStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool isIdentChar(char c) { return isIdentStart(c) || isDigit(c); }
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

char asciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equalsIgnoreCase(const std::string& a, const char* lowerB) {
  std::size_t i = 0;
  for (; lowerB[i] != '\0'; ++i) {
    if (i >= a.size() || asciiLower(a[i]) != lowerB[i]) return false;
  }
  return i == a.size();
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

std::vector<Token> tokenize(const std::string& s) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  auto fail = [&](std::size_t at, const std::string& message) {
    Token t;
    t.kind = Tok::Error;
    t.text = message;
    t.offset = at;
    tokens.push_back(std::move(t));
  };
  while (true) {
    while (i < s.size() && isSpace(s[i])) ++i;
    Token t;
    t.offset = i;
    if (i >= s.size()) {
      t.kind = Tok::End;
      tokens.push_back(std::move(t));
      return tokens;
    }
    const char c = s[i];
    if (isDigit(c)) {
      std::size_t j = i;
      std::string intDigits, fracDigits;
      while (j < s.size() && isDigit(s[j])) intDigits += s[j++];
      if (j + 1 < s.size() && s[j] == '.' && isDigit(s[j + 1])) {
        ++j;
        while (j < s.size() && isDigit(s[j])) fracDigits += s[j++];
      }
      long exponent = 0;
      if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
        std::size_t k = j + 1;
        bool negative = false;
        if (k < s.size() && (s[k] == '+' || s[k] == '-')) negative = s[k++] == '-';
        if (k < s.size() && isDigit(s[k])) {
          while (k < s.size() && isDigit(s[k])) {
            if (exponent < 100000) exponent = exponent * 10 + (s[k] - '0');  // saturates: far out of range anyway
            ++k;
          }
          if (negative) exponent = -exponent;
          j = k;
        }
      }
      t.kind = Tok::Number;
      t.length = j - i;
      t.text = s.substr(i, j - i);
      if (!decimalToDouble(intDigits, fracDigits, exponent, t.number)) {
        fail(i, "Number '" + t.text + "' is out of range" + atColumn(s, i));
        return tokens;
      }
      tokens.push_back(std::move(t));
      i = j;
      continue;
    }
    if (isIdentStart(c)) {
      std::size_t j = i;
      while (j < s.size() && isIdentChar(s[j])) ++j;
      t.kind = Tok::Ident;
      t.text = s.substr(i, j - i);
      t.length = j - i;
      tokens.push_back(std::move(t));
      i = j;
      continue;
    }
    if (c == '"' || c == '\'') {
      // "string" or 'quoted name'; the delimiter is escaped by doubling it.
      std::size_t j = i + 1;
      std::string value;
      bool closed = false;
      while (j < s.size()) {
        if (s[j] == c) {
          if (j + 1 < s.size() && s[j + 1] == c) {
            value += c;
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
        fail(i, std::string(c == '"' ? "Unterminated string" : "Unterminated quoted name") + " starting" +
                    atColumn(s, i));
        return tokens;
      }
      t.kind = c == '"' ? Tok::String : Tok::QuotedName;
      t.text = std::move(value);
      t.length = j - i;
      tokens.push_back(std::move(t));
      i = j;
      continue;
    }
    // Operators and punctuation, longest first.
    const char next = i + 1 < s.size() ? s[i + 1] : '\0';
    if ((c == '!' || c == '=') && next == '=') {
      fail(i, std::string("Unexpected '") + c + "='" + atColumn(s, i) + (c == '!' ? ": use '<>' for 'not equal'"
                                                                               : ": use '=' for 'equal'"));
      return tokens;
    }
    static const char* const kTwoChar[] = {"<>", "<=", ">=", "&&", "||"};
    std::string op;
    for (const char* candidate : kTwoChar) {
      if (c == candidate[0] && next == candidate[1]) op = candidate;
    }
    if (op.empty()) {
      static const std::string kOneChar = "(),.=<>&!+-*/";
      if (kOneChar.find(c) != std::string::npos) op = std::string(1, c);
    }
    if (op.empty()) {
      fail(i, "Unexpected character " + displayCharacter(s, i) + atColumn(s, i));
      return tokens;
    }
    t.kind = Tok::Punct;
    t.text = op;
    t.length = op.size();
    tokens.push_back(std::move(t));
    i += op.size();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Parser (recursive descent; depth-limited)
// ---------------------------------------------------------------------------------------------------------------

// Precedence levels, lowest first.
enum Level { kOr = 0, kAnd, kCompare, kConcat, kAdd, kMul, kUnary };

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

  static bool isPunct(const Token& t, const char* p) { return t.kind == Tok::Punct && t.text == p; }
  static bool isKeyword(const Token& t, const char* lower) {
    return t.kind == Tok::Ident && equalsIgnoreCase(t.text, lower);
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
    chain.children.push_back(std::move(first));
    while (matchOp(level, op)) {
      if (chain.kind == NodeKind::Binary) chain.ops.push_back(op);
      chain.opTexts.push_back(cur().text);
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
      advance();
      if (!enter()) return false;
      node.children.emplace_back();
      if (!parseUnary(node.children.back())) return false;
      leave();
      out = std::move(node);
      return true;
    }
    if (isPunct(t, "!") || (isKeyword(t, "not") && !isPunct(next(), "("))) {
      Node node;
      node.kind = NodeKind::Not;
      node.name = t.text;
      advance();
      if (!enter()) return false;
      node.children.emplace_back();
      // The operand of Not extends over a comparison (see expression.hpp). For PowerFx's tighter binding,
      // parse it with parseUnary instead.
      if (!parseLevel(kCompare, node.children.back())) return false;
      leave();
      out = std::move(node);
      return true;
    }
    return parsePrimary(out);
  }

  bool parsePrimary(Node& out) {
    const Token& t = cur();
    switch (t.kind) {
      case Tok::Number:
        out.kind = NodeKind::Literal;
        out.literal = numberJson(t.number);
        advance();
        return true;
      case Tok::String:
        out.kind = NodeKind::Literal;
        out.literal = t.text;
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
        return unexpected();
      case Tok::Ident:
        return parseName(out);
      default:
        return unexpected();
    }
  }

  bool parseName(Node& out) {
    const Token& t = cur();
    if (isKeyword(t, "true") || isKeyword(t, "false")) {
      out.kind = NodeKind::Literal;
      out.literal = isKeyword(t, "true");
      advance();
      return true;
    }
    if (isPunct(next(), "(")) {
      if (isKeyword(t, "if") || isKeyword(t, "not")) return parseCall(out);
      return fail("Unknown function '" + t.text + "'" + atColumn(text_, t.offset));
    }
    if (isKeyword(t, "if")) {
      advance();
      return expected("'(' after 'If'");
    }
    if (t.text == "job" || t.text == "worker") {
      const std::string rootName = t.text;
      out.kind = NodeKind::Label;
      out.root = rootName == "job" ? Root::Job : Root::Worker;
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
    if (isKeyword(t, "and") || isKeyword(t, "or")) return unexpected();
    return fail("Unknown name '" + t.text + "'" + atColumn(text_, t.offset) +
                " (labels are written job.<name> or worker.<name>)");
  }

  // If(...) or Not(...); the current token is the function name and the next one is '('.
  bool parseCall(Node& out) {
    const Token& nameToken = cur();
    const bool isIf = isKeyword(nameToken, "if");
    const std::size_t nameOffset = nameToken.offset;
    Node node;
    node.kind = isIf ? NodeKind::If : NodeKind::Not;
    node.name = nameToken.text;
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
    if (isIf && count < 2) {
      return fail("Function '" + node.name + "'" + atColumn(text_, nameOffset) +
                  " needs at least 2 arguments (a condition and a value), but got " + std::to_string(count));
    }
    if (!isIf && count != 1) {
      return fail("Function '" + node.name + "'" + atColumn(text_, nameOffset) + " takes 1 argument, but got " +
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
// Values
// ---------------------------------------------------------------------------------------------------------------

std::string typeWithArticle(const Json& v) {
  if (v.is_null()) return "blank";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "an array";
  return "an object";
}

// -1, 0, 1; exact for integers of either signedness, double comparison otherwise.
int compareNumbers(const Json& a, const Json& b) {
  auto sign = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  const bool aInt = a.is_number_integer(), bInt = b.is_number_integer();
  if (aInt && bInt) {
    const bool aUnsigned = a.is_number_unsigned(), bUnsigned = b.is_number_unsigned();
    if (!aUnsigned && !bUnsigned) return sign(a.get<std::int64_t>(), b.get<std::int64_t>());
    if (aUnsigned && bUnsigned) return sign(a.get<std::uint64_t>(), b.get<std::uint64_t>());
    if (!aUnsigned) {  // signed vs unsigned
      const std::int64_t x = a.get<std::int64_t>();
      return x < 0 ? -1 : sign(static_cast<std::uint64_t>(x), b.get<std::uint64_t>());
    }
    const std::int64_t y = b.get<std::int64_t>();
    return y < 0 ? 1 : sign(a.get<std::uint64_t>(), static_cast<std::uint64_t>(y));
  }
  return sign(a.get<double>(), b.get<double>());
}

bool valuesEqual(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) return compareNumbers(a, b) == 0;
  if (a.is_string() && b.is_string()) return a.get_ref<const std::string&>() == b.get_ref<const std::string&>();
  if (a.is_boolean() && b.is_boolean()) return a.get<bool>() == b.get<bool>();
  return a.is_null() && b.is_null();
}

// Shortest digits that round-trip, laid out like JavaScript's Number.prototype.toString. printf's %e is exact in
// glibc and in musl (Emscripten), so both builds pick the same digits; the radix character printf uses is skipped
// and the round-trip check feeds strtod a string without one, so the locale plays no part.
std::string formatDouble(double d) {
  const bool negative = std::signbit(d);
  const double magnitude = std::fabs(d);
  if (magnitude == 0) return "0";
  std::string digits;
  long n = 0;  // value = 0.digits * 10^n
  for (int precision = 0; precision <= 16; ++precision) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*e", precision, magnitude);
    std::string candidate;
    const char* p = buffer;
    for (; *p != '\0' && *p != 'e' && *p != 'E'; ++p) {
      if (isDigit(*p)) candidate += *p;
    }
    const long exponent = *p != '\0' ? std::strtol(p + 1, nullptr, 10) : 0;
    const std::string roundTrip = candidate + "e" + std::to_string(exponent - precision);
    if (std::strtod(roundTrip.c_str(), nullptr) == magnitude || precision == 16) {
      digits = candidate;
      n = exponent + 1;
      break;
    }
  }
  digits.erase(digits.find_last_not_of('0') + 1);

  const long k = static_cast<long>(digits.size());
  std::string out = negative ? "-" : "";
  if (k <= n && n <= 21) {
    out += digits + std::string(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<std::size_t>(n)) + "." + digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0." + std::string(static_cast<std::size_t>(-n), '0') + digits;
  } else {
    const long e = n - 1;
    out += digits.substr(0, 1);
    if (k > 1) out += "." + digits.substr(1);
    out += e < 0 ? "e-" : "e+";
    out += std::to_string(e < 0 ? -e : e);
  }
  return out;
}

std::string numberToText(const Json& v) {
  if (v.is_number_unsigned()) return std::to_string(v.get<std::uint64_t>());
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  const Json normalized = normalizeNumber(v);
  if (normalized.is_number_integer()) return std::to_string(normalized.get<std::int64_t>());
  return formatDouble(v.get<double>());
}

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
      case NodeKind::Or:
      case NodeKind::And:
        return evalLogical(n, out);
      case NodeKind::Not: {
        Json v;
        if (!eval(n.children[0], v)) return false;
        if (!v.is_boolean()) return fail("Operator '" + n.name + "' requires a boolean, but got " + typeWithArticle(v));
        out = !v.get<bool>();
        return true;
      }
      case NodeKind::Negate: {
        Json v;
        if (!eval(n.children[0], v)) return false;
        if (!v.is_number()) return fail("Operator '-' requires a number, but got " + typeWithArticle(v));
        out = numberJson(-v.get<double>());
        return true;
      }
      case NodeKind::Binary:
        return evalBinary(n, out);
      case NodeKind::If:
        return evalIf(n, out);
    }
    return fail("Unknown expression node");
  }

  const std::string& error() const { return error_; }

 private:
  bool fail(const std::string& message) {
    error_ = message;
    return false;
  }

  bool evalLabel(const Node& n, Json& out) {
    const bool isJob = n.root == Root::Job;
    const char* owner = isJob ? "job" : "worker";
    const std::map<std::string, Json>* labels = isJob ? ctx_.job : ctx_.worker;
    if (labels == nullptr) {
      return fail(std::string("No ") + owner + " labels are available to evaluate " + owner + "." + n.name);
    }
    const auto it = labels->find(n.name);
    if (it == labels->end() || it->second.is_null()) {
      return fail("Label '" + n.name + "' is not present on the " + owner);
    }
    if (!isPrimitive(it->second)) {
      return fail("Label '" + n.name + "' on the " + owner + " holds " + typeWithArticle(it->second) +
                  ", which expressions cannot use");
    }
    out = normalizeNumber(it->second);
    return true;
  }

  bool evalLogical(const Node& n, Json& out) {
    const bool isOr = n.kind == NodeKind::Or;
    for (std::size_t i = 0; i < n.children.size(); ++i) {
      Json v;
      if (!eval(n.children[i], v)) return false;
      if (!v.is_boolean()) {
        const std::string& op = n.opTexts[i == 0 ? 0 : i - 1];
        return fail("Operator '" + op + "' requires booleans, but got " + typeWithArticle(v));
      }
      if (v.get<bool>() == isOr) {  // Or: true decides; And: false decides
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
      if (!apply(n.ops[i], n.opTexts[i], acc, rhs, result)) return false;
      acc = std::move(result);
    }
    out = std::move(acc);
    return true;
  }

  bool apply(BinOp op, const std::string& opText, const Json& a, const Json& b, Json& out) {
    switch (op) {
      case BinOp::Eq:
        out = valuesEqual(a, b);
        return true;
      case BinOp::Ne:
        out = !valuesEqual(a, b);
        return true;
      case BinOp::Lt:
      case BinOp::Le:
      case BinOp::Gt:
      case BinOp::Ge: {
        int c = 0;
        if (a.is_number() && b.is_number()) {
          c = compareNumbers(a, b);
        } else if (a.is_string() && b.is_string()) {
          const int raw = a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
          c = raw < 0 ? -1 : (raw > 0 ? 1 : 0);
        } else {
          return fail("Operator '" + opText + "' requires two numbers or two strings, but got " +
                      typeWithArticle(a) + " and " + typeWithArticle(b));
        }
        out = op == BinOp::Lt ? c < 0 : op == BinOp::Le ? c <= 0 : op == BinOp::Gt ? c > 0 : c >= 0;
        return true;
      }
      case BinOp::Concat:
        out = expressionValueToText(a) + expressionValueToText(b);
        return true;
      case BinOp::Add:
      case BinOp::Sub:
      case BinOp::Mul:
      case BinOp::Div: {
        if (!a.is_number() || !b.is_number()) {
          return fail("Operator '" + opText + "' requires numbers, but got " + typeWithArticle(a) + " and " +
                      typeWithArticle(b));
        }
        const double x = a.get<double>(), y = b.get<double>();
        double r = 0;
        if (op == BinOp::Add) r = x + y;
        if (op == BinOp::Sub) r = x - y;
        if (op == BinOp::Mul) r = x * y;
        if (op == BinOp::Div) {
          if (y == 0) return fail("Division by zero");
          r = x / y;
        }
        if (!std::isfinite(r)) return fail("Operator '" + opText + "' produced a number that is out of range");
        out = numberJson(r);
        return true;
      }
    }
    return fail("Unknown operator");
  }

  bool evalIf(const Node& n, Json& out) {
    const std::size_t pairs = n.children.size() / 2;
    for (std::size_t i = 0; i < pairs; ++i) {
      Json condition;
      if (!eval(n.children[2 * i], condition)) return false;
      if (!condition.is_boolean()) {
        return fail("Condition " + std::to_string(i + 1) + " of '" + n.name + "' must be a boolean, but got " +
                    typeWithArticle(condition));
      }
      if (condition.get<bool>()) return eval(n.children[2 * i + 1], out);
    }
    if (n.children.size() % 2 == 1) return eval(n.children.back(), out);
    out = nullptr;  // Blank(): no branch matched and there is no default
    return true;
  }

  const ExpressionContext& ctx_;
  std::string error_;
};

}  // namespace

// -------------------------------------------------------------------------------------------------------------------
// Public API
// -------------------------------------------------------------------------------------------------------------------

std::string expressionValueToText(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number()) return numberToText(value);
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_null()) return "";
  return value.dump();
}

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
    return result;
  }
  try {
    Evaluator evaluator(ctx);
    Json value;
    if (!evaluator.eval(*root_, value)) {
      result.error = evaluator.error();
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
