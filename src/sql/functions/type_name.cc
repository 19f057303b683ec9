#include "sql/functions/type_name.h"

#include <cctype>
#include <string>
#include <vector>

namespace trailbook::sql {
namespace {

constexpr int kMaxNesting = 64;

struct Token {
  enum class Kind : uint8_t { kWord, kQuoted, kNumber, kPunct, kEnd } kind;
  std::string text;  // Words lower-cased; quoted names unescaped.
};

class TypeNameParser {
 public:
  explicit TypeNameParser(std::string_view text) : text_(text) {}

  Result<LogicalType> ParseAll() {
    TB_RETURN_IF_ERROR(Tokenize());
    TB_ASSIGN_OR_RETURN(LogicalType t, ParseType(0));
    if (Peek().kind != Token::Kind::kEnd) return Bad();
    return t;
  }

 private:
  Status Bad() const { return InvalidArgument("Unknown type: " + std::string(text_)); }

  Status Tokenize() {
    size_t i = 0;
    while (i < text_.size()) {
      unsigned char c = static_cast<unsigned char>(text_[i]);
      if (std::isspace(c)) {
        ++i;
      } else if (std::isalpha(c) || c == '_') {
        size_t start = i;
        while (i < text_.size() &&
               (std::isalnum(static_cast<unsigned char>(text_[i])) || text_[i] == '_')) {
          ++i;
        }
        std::string word(text_.substr(start, i - start));
        for (char& ch : word) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        tokens_.push_back({Token::Kind::kWord, std::move(word)});
      } else if (std::isdigit(c)) {
        size_t start = i;
        while (i < text_.size() && std::isdigit(static_cast<unsigned char>(text_[i]))) ++i;
        tokens_.push_back({Token::Kind::kNumber, std::string(text_.substr(start, i - start))});
      } else if (c == '"') {
        std::string name;
        ++i;
        while (true) {
          if (i >= text_.size()) return Bad();
          if (text_[i] == '"') {
            if (i + 1 < text_.size() && text_[i + 1] == '"') {
              name.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          name.push_back(text_[i++]);
        }
        tokens_.push_back({Token::Kind::kQuoted, std::move(name)});
      } else if (c == '(' || c == ')' || c == '<' || c == '>' || c == ',') {
        tokens_.push_back({Token::Kind::kPunct, std::string(1, static_cast<char>(c))});
        ++i;
      } else {
        return Bad();
      }
    }
    tokens_.push_back({Token::Kind::kEnd, {}});
    return Status::OK();
  }

  const Token& Peek(size_t ahead = 0) const {
    size_t i = pos_ + ahead;
    return i < tokens_.size() ? tokens_[i] : tokens_.back();
  }
  bool TryWord(std::string_view w) {
    if (Peek().kind == Token::Kind::kWord && Peek().text == w) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool TryPunct(char c) {
    if (Peek().kind == Token::Kind::kPunct && Peek().text[0] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  Status ExpectPunct(char c) { return TryPunct(c) ? Status::OK() : Bad(); }
  Status ExpectWord(std::string_view w) { return TryWord(w) ? Status::OK() : Bad(); }

  // Skips "(n)" or "(p, s)" numeric parameters.
  Status SkipNumericParameters(size_t max) {
    if (!TryPunct('(')) return Status::OK();
    for (size_t n = 0;; ++n) {
      if (n >= max || Peek().kind != Token::Kind::kNumber) return Bad();
      ++pos_;
      if (TryPunct(')')) return Status::OK();
      TB_RETURN_IF_ERROR(ExpectPunct(','));
    }
  }

  Result<LogicalType> ParseType(int depth) {
    if (depth > kMaxNesting) return Bad();
    if (Peek().kind != Token::Kind::kWord) return Bad();
    std::string name = Peek().text;
    ++pos_;
    if (name == "varchar" || name == "char") {
      TB_RETURN_IF_ERROR(SkipNumericParameters(1));
      return LogicalType::Varchar();
    }
    if (name == "bigint" || name == "integer" || name == "int" || name == "smallint" ||
        name == "tinyint") {
      return LogicalType::Bigint();
    }
    if (name == "double") {
      TryWord("precision");
      return LogicalType::Double();
    }
    if (name == "real" || name == "float") return LogicalType::Double();
    if (name == "decimal" || name == "numeric") {
      TB_RETURN_IF_ERROR(SkipNumericParameters(2));
      return LogicalType::Double();
    }
    if (name == "boolean") return LogicalType::Boolean();
    if (name == "date") return LogicalType::Date();
    if (name == "json") return LogicalType::Json();
    if (name == "unknown") return LogicalType::Unknown();
    if (name == "timestamp") {
      TB_RETURN_IF_ERROR(SkipNumericParameters(1));
      if (TryWord("with")) {
        TB_RETURN_IF_ERROR(ExpectWord("time"));
        TB_RETURN_IF_ERROR(ExpectWord("zone"));
      } else if (TryWord("without")) {
        TB_RETURN_IF_ERROR(ExpectWord("time"));
        TB_RETURN_IF_ERROR(ExpectWord("zone"));
      }
      return LogicalType::Timestamp();
    }
    if (name == "interval") {
      if (TryWord("day")) {
        TB_RETURN_IF_ERROR(ExpectWord("to"));
        TB_RETURN_IF_ERROR(ExpectWord("second"));
        return LogicalType::IntervalDayTime();
      }
      TB_RETURN_IF_ERROR(ExpectWord("year"));
      TB_RETURN_IF_ERROR(ExpectWord("to"));
      TB_RETURN_IF_ERROR(ExpectWord("month"));
      return LogicalType::IntervalYearMonth();
    }
    if (name == "array") {
      char close = TryPunct('<') ? '>' : '\0';
      if (close == '\0') {
        TB_RETURN_IF_ERROR(ExpectPunct('('));
        close = ')';
      }
      TB_ASSIGN_OR_RETURN(LogicalType element, ParseType(depth + 1));
      TB_RETURN_IF_ERROR(ExpectPunct(close));
      return LogicalType::Array(std::move(element));
    }
    if (name == "map") {
      char close = TryPunct('<') ? '>' : '\0';
      if (close == '\0') {
        TB_RETURN_IF_ERROR(ExpectPunct('('));
        close = ')';
      }
      TB_ASSIGN_OR_RETURN(LogicalType key, ParseType(depth + 1));
      TB_RETURN_IF_ERROR(ExpectPunct(','));
      TB_ASSIGN_OR_RETURN(LogicalType value, ParseType(depth + 1));
      TB_RETURN_IF_ERROR(ExpectPunct(close));
      return LogicalType::Map(std::move(key), std::move(value));
    }
    if (name == "row") {
      TB_RETURN_IF_ERROR(ExpectPunct('('));
      std::vector<RowField> fields;
      do {
        TB_ASSIGN_OR_RETURN(RowField f, ParseField(depth + 1, fields.size()));
        for (const RowField& other : fields) {
          LogicalType probe = LogicalType::Row({other});
          if (probe.FindField(f.name) >= 0) {
            return InvalidArgument("Duplicate field " + f.name + " in type: " + std::string(text_));
          }
        }
        fields.push_back(std::move(f));
      } while (TryPunct(','));
      TB_RETURN_IF_ERROR(ExpectPunct(')'));
      return LogicalType::Row(std::move(fields));
    }
    static constexpr std::string_view kUnsupported[] = {
        "varbinary", "time",      "uuid",  "ipaddress", "hyperloglog",       "qdigest",
        "tdigest",   "setdigest", "color", "geometry",  "sphericalgeography"};
    for (std::string_view u : kUnsupported) {
      if (name == u) return Unimplemented("type " + name + " is not supported");
    }
    return Bad();
  }

  // A row field: `name type`, `"quoted name" type` or just `type`.
  Result<RowField> ParseField(int depth, size_t index) {
    const Token& t = Peek();
    if (t.kind == Token::Kind::kQuoted) {
      std::string name = t.text;
      ++pos_;
      TB_ASSIGN_OR_RETURN(LogicalType type, ParseType(depth));
      return RowField{std::move(name), std::make_shared<const LogicalType>(std::move(type))};
    }
    if (t.kind == Token::Kind::kWord) {
      // Try `name type` first; fall back to an unnamed field (`double precision` and
      // `interval day to second` also start with two words).
      size_t saved = pos_;
      std::string name = t.text;
      ++pos_;
      if (Peek().kind == Token::Kind::kWord) {
        Result<LogicalType> type = ParseType(depth);
        if (type.ok() &&
            (Peek().kind == Token::Kind::kPunct && (Peek().text == "," || Peek().text == ")"))) {
          return RowField{std::move(name), std::make_shared<const LogicalType>(*type)};
        }
      }
      pos_ = saved;
    }
    TB_ASSIGN_OR_RETURN(LogicalType type, ParseType(depth));
    return RowField{"field" + std::to_string(index),
                    std::make_shared<const LogicalType>(std::move(type))};
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

}  // namespace

Result<LogicalType> ParseTypeName(std::string_view text) { return TypeNameParser(text).ParseAll(); }

}  // namespace trailbook::sql
