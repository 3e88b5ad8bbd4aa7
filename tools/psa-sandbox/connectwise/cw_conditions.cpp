#include "psa-sandbox/connectwise/cw_conditions.h"

#include <cctype>
#include <cmath>

#include "common/time_format.h"

namespace switchyard::sandbox {
namespace {

constexpr size_t kMaxConditionsBytes = 8192;
constexpr int kMaxDepth = 32;

struct Token {
  enum class Kind { kIdent, kString, kNumber, kDate, kOp, kLParen, kRParen, kComma, kEnd } kind;
  std::string text;
  size_t pos = 0;
};

Result<std::vector<Token>> tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  const auto fail = [&](std::string_view what) {
    return make_error("invalid_conditions", std::string(what) + " at position " + std::to_string(i));
  };
  while (i < s.size()) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    const size_t start = i;
    if (c == '(' || c == ')' || c == ',') {
      out.push_back({c == '(' ? Token::Kind::kLParen : c == ')' ? Token::Kind::kRParen : Token::Kind::kComma,
                     std::string(1, c), start});
      ++i;
    } else if (c == '"' || c == '\'') {
      std::string text;
      ++i;
      while (i < s.size() && s[i] != c) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        text.push_back(s[i++]);
      }
      if (i >= s.size()) return fail("unterminated string");
      ++i;
      out.push_back({Token::Kind::kString, std::move(text), start});
    } else if (c == '[') {
      const size_t close = s.find(']', i);
      if (close == std::string_view::npos) return fail("unterminated [date]");
      out.push_back({Token::Kind::kDate, std::string(s.substr(i + 1, close - i - 1)), start});
      i = close + 1;
    } else if (c == '=' || c == '!' || c == '<' || c == '>') {
      std::string op(1, c);
      if (i + 1 < s.size() && (s[i + 1] == '=' || (c == '<' && s[i + 1] == '>'))) op.push_back(s[i + 1]);
      if (op == "!") return fail("expected !=");
      i += op.size();
      if (op == "<>") op = "!=";
      if (op == "==") op = "=";
      out.push_back({Token::Kind::kOp, op, start});
    } else if (std::isdigit(static_cast<unsigned char>(c)) || (c == '-' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      ++i;
      while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
      out.push_back({Token::Kind::kNumber, std::string(s.substr(start, i - start)), start});
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == '/' || s[i] == '.')) ++i;
      out.push_back({Token::Kind::kIdent, std::string(s.substr(start, i - start)), start});
    } else {
      return fail(std::string("unexpected character '") + c + "'");
    }
  }
  out.push_back({Token::Kind::kEnd, "", s.size()});
  return out;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  Result<Conditions::Node> parse() {
    auto node = parse_or(0);
    if (!node) return node;
    if (peek().kind != Token::Kind::kEnd) return fail("unexpected '" + peek().text + "'");
    return node;
  }

 private:
  using Node = Conditions::Node;
  using Literal = Conditions::Literal;

  const Token& peek() const { return tokens_[pos_]; }
  const Token& next() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }
  bool keyword(std::string_view word) const { return peek().kind == Token::Kind::kIdent && iequals(peek().text, word); }
  Error fail(std::string what) const {
    return make_error("invalid_conditions", what + " at position " + std::to_string(peek().pos));
  }

  Result<Node> parse_or(int depth) {
    if (depth > kMaxDepth) return fail("conditions nested too deeply");
    auto left = parse_and(depth);
    if (!left) return left;
    if (!keyword("or")) return left;
    Node node;
    node.kind = Node::Kind::kOr;
    node.children.push_back(std::move(left).value());
    while (keyword("or")) {
      next();
      auto right = parse_and(depth);
      if (!right) return right;
      node.children.push_back(std::move(right).value());
    }
    return node;
  }

  Result<Node> parse_and(int depth) {
    auto left = parse_unary(depth);
    if (!left) return left;
    if (!keyword("and")) return left;
    Node node;
    node.kind = Node::Kind::kAnd;
    node.children.push_back(std::move(left).value());
    while (keyword("and")) {
      next();
      auto right = parse_unary(depth);
      if (!right) return right;
      node.children.push_back(std::move(right).value());
    }
    return node;
  }

  Result<Node> parse_unary(int depth) {
    if (keyword("not")) {
      next();
      auto inner = parse_unary(depth + 1);
      if (!inner) return inner;
      Node node;
      node.kind = Node::Kind::kNot;
      node.children.push_back(std::move(inner).value());
      return node;
    }
    if (peek().kind == Token::Kind::kLParen) {
      next();
      auto inner = parse_or(depth + 1);
      if (!inner) return inner;
      if (peek().kind != Token::Kind::kRParen) return fail("expected ')'");
      next();
      return inner;
    }
    return parse_comparison();
  }

  Result<Node> parse_comparison() {
    if (peek().kind != Token::Kind::kIdent) return fail("expected a field name");
    Node node;
    node.field = next().text;
    if (peek().kind == Token::Kind::kOp) {
      node.op = next().text;
    } else if (keyword("like") || keyword("contains") || keyword("in")) {
      node.op = to_lower(next().text);
    } else if (keyword("not")) {
      next();
      if (!keyword("in") && !keyword("like") && !keyword("contains")) return fail("expected in/like/contains after not");
      Node inner;
      inner.field = node.field;
      inner.op = to_lower(next().text);
      auto filled = operands(inner);
      if (!filled) return filled.error();
      node.kind = Node::Kind::kNot;
      node.field.clear();
      node.children.push_back(std::move(inner));
      return node;
    } else {
      return fail("expected an operator");
    }
    auto filled = operands(node);
    if (!filled) return filled.error();
    return node;
  }

  Status operands(Node& node) {
    if (node.op == "in") {
      if (peek().kind != Token::Kind::kLParen) return fail("expected '(' after in");
      next();
      while (true) {
        auto lit = literal();
        if (!lit) return lit.error();
        node.literals.push_back(std::move(lit).value());
        if (node.literals.size() > 1000) return fail("too many values in in (...)");
        if (peek().kind == Token::Kind::kComma) {
          next();
          continue;
        }
        if (peek().kind != Token::Kind::kRParen) return fail("expected ',' or ')'");
        next();
        return ok_status();
      }
    }
    auto lit = literal();
    if (!lit) return lit.error();
    node.literals.push_back(std::move(lit).value());
    return ok_status();
  }

  Result<Literal> literal() {
    Literal lit;
    const Token& t = peek();
    switch (t.kind) {
      case Token::Kind::kString:
        lit.kind = Literal::Kind::kString;
        lit.text = t.text;
        break;
      case Token::Kind::kNumber: {
        lit.kind = Literal::Kind::kNumber;
        char* end = nullptr;
        lit.number = std::strtod(t.text.c_str(), &end);
        if (end == nullptr || *end != '\0' || !std::isfinite(lit.number)) return fail("bad number '" + t.text + "'");
        break;
      }
      case Token::Kind::kDate: {
        auto time = parse_rfc3339(t.text);
        if (!time) return fail("bad date [" + t.text + "]");
        lit.kind = Literal::Kind::kDate;
        lit.time = *time;
        break;
      }
      case Token::Kind::kIdent:
        if (iequals(t.text, "true") || iequals(t.text, "false")) {
          lit.kind = Literal::Kind::kBool;
          lit.boolean = iequals(t.text, "true");
        } else if (iequals(t.text, "null")) {
          lit.kind = Literal::Kind::kNull;
        } else {
          return fail("expected a value, got '" + t.text + "'");
        }
        break;
      default:
        return fail("expected a value");
    }
    next();
    return lit;
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

bool like_match(std::string_view text, std::string_view pattern) {
  // Iterative wildcard match with backtracking to the last '*'.
  size_t t = 0, p = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '*' || pattern[p] == '%')) {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && std::tolower(static_cast<unsigned char>(pattern[p])) ==
                                         std::tolower(static_cast<unsigned char>(text[t]))) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && (pattern[p] == '*' || pattern[p] == '%')) ++p;
  return p == pattern.size();
}

template <typename T>
bool compare(const T& a, const std::string& op, const T& b) {
  if (op == "=") return a == b;
  if (op == "!=") return !(a == b);
  if (op == "<") return a < b;
  if (op == "<=") return a < b || a == b;
  if (op == ">") return b < a;
  if (op == ">=") return b < a || a == b;
  return false;
}

bool compare_one(const Value* v, const std::string& op, const Conditions::Literal& lit) {
  using Kind = Conditions::Literal::Kind;
  const std::string cmp_op = op == "in" ? "=" : op;
  if (lit.kind == Kind::kNull) {
    const bool is_null = v == nullptr || v->is_null();
    return cmp_op == "=" ? is_null : cmp_op == "!=" ? !is_null : false;
  }
  if (v == nullptr || v->is_null()) return false;  // SQL: comparisons with NULL are never true
  switch (lit.kind) {
    case Kind::kDate: {
      if (!v->is_string()) return false;
      auto time = parse_rfc3339(v->as_string());
      return time.ok() && compare(*time, cmp_op, lit.time);
    }
    case Kind::kNumber:
      return v->is_number() && compare(v->as_number(), cmp_op, lit.number);
    case Kind::kBool:
      return v->is_bool() && compare(v->as_bool(), cmp_op, lit.boolean);
    case Kind::kString: {
      if (!v->is_string()) return false;
      const std::string a = to_lower(v->as_string());
      const std::string b = to_lower(lit.text);
      if (cmp_op == "like") return like_match(a, b);
      if (cmp_op == "contains") return a.find(b) != std::string::npos;
      return compare(a, cmp_op, b);
    }
    case Kind::kNull: break;
  }
  return false;
}

bool eval(const Conditions::Node& node, const Value& record) {
  using Kind = Conditions::Node::Kind;
  switch (node.kind) {
    case Kind::kAnd:
      for (const auto& c : node.children) {
        if (!eval(c, record)) return false;
      }
      return true;
    case Kind::kOr:
      for (const auto& c : node.children) {
        if (eval(c, record)) return true;
      }
      return false;
    case Kind::kNot: return !eval(node.children.front(), record);
    case Kind::kCompare: {
      const Value* v = cw_field(record, node.field);
      for (const auto& lit : node.literals) {
        if (compare_one(v, node.op, lit)) return true;  // "in": any; others have one literal
      }
      return false;
    }
  }
  return false;
}

}  // namespace

const Value* cw_field(const Value& record, std::string_view path) {
  if (const Value* v = record.at_path(path, '/')) return v;
  if (path.find('/') == std::string_view::npos) {
    if (const Value* v = record.at_path(path, '.')) return v;
    if (const Value* info = record.find("_info")) return info->find(path);
  }
  return nullptr;
}

Result<Conditions> Conditions::parse(std::string_view text) {
  Conditions out;
  if (text.find_first_not_of(" \t") == std::string_view::npos) return out;
  if (text.size() > kMaxConditionsBytes) return make_error("invalid_conditions", "conditions longer than 8192 bytes");
  auto tokens = tokenize(text);
  if (!tokens) return tokens.error();
  auto root = Parser(std::move(tokens).value()).parse();
  if (!root) return root.error();
  out.root_ = std::make_shared<const Node>(std::move(root).value());
  return out;
}

bool Conditions::matches(const Value& record) const { return root_ == nullptr || eval(*root_, record); }

}  // namespace switchyard::sandbox
