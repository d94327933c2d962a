#pragma once
// json::parse: reads JSON text (RFC 8259, plus Python's NaN/Infinity) into a json::Value. Errors name the source
// (the file) and the byte where reading stopped.
#include <tl/io/detail/json.hpp>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace tl::io::json {

namespace detail {

class Parser {
 public:
  Parser(const std::string& text, std::string source) : text_(text), source_(std::move(source)) {}

  Value parse_document() {
    Value v = parse_value(0);
    skip_space();
    if (pos_ != text_.size()) fail(std::string("unexpected text after the ") + (v.is_object() ? "object" : "JSON value"));
    return v;
  }

 private:
  static constexpr int max_depth = 512;  // deeper documents are rejected instead of exhausting the stack

  Value parse_value(int depth) {
    if (depth > max_depth) fail("nesting too deep");
    skip_space();
    if (pos_ >= text_.size()) fail("unexpected end of text");
    const char c = text_[pos_];
    if (c == '{') return parse_object(depth);
    if (c == '[') return parse_array(depth);
    if (c == '"') return read_string();
    if (literal("null")) return nullptr;
    if (literal("true")) return true;
    if (literal("false")) return false;
    if (literal("NaN")) return std::nan("");
    if (literal("Infinity")) return HUGE_VAL;
    if (literal("-Infinity")) return -HUGE_VAL;
    return parse_number();
  }

  Value parse_object(int depth) {
    ++pos_;
    Object object;
    if (consume('}')) return object;
    do {
      skip_space();
      std::string key = read_string();
      expect(':');
      object.emplace_back(std::move(key), parse_value(depth + 1));
    } while (consume(','));
    expect('}');
    return object;
  }

  Value parse_array(int depth) {
    ++pos_;
    Array array;
    if (consume(']')) return array;
    do array.push_back(parse_value(depth + 1));
    while (consume(','));
    expect(']');
    return array;
  }

  Value parse_number() {
    const size_t start = pos_;
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    bool is_float = false;
    for (; pos_ < text_.size(); ++pos_) {
      const char c = text_[pos_];
      if (c == '.' || c == 'e' || c == 'E' || ((c == '+' || c == '-') && is_float)) is_float = true;
      else if (!std::isdigit(static_cast<unsigned char>(c))) break;
    }
    const std::string token = text_.substr(start, pos_ - start);
    if (token.empty() || token == "-") fail("expected a value");
    char* end = nullptr;
    errno = 0;
    if (!is_float) {
      const long long i = std::strtoll(token.c_str(), &end, 10);
      if (*end == '\0' && errno == 0) return int64_t(i);
    }
    const double d = std::strtod(token.c_str(), &end);
    if (*end != '\0') fail("malformed number \"" + token + "\"");
    return d;
  }

  std::string read_string() {
    expect_raw('"');
    std::string out;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      const char c = text_[pos_++];
      if (c != '\\') out += c;
      else read_escape(out);
    }
    expect_raw('"');
    return out;
  }

  void read_escape(std::string& out) {
    if (pos_ >= text_.size()) fail("unfinished escape");
    const char c = text_[pos_++];
    const std::string plain = "\"\\/bfnrt", meaning = "\"\\/\b\f\n\r\t";
    if (const auto k = plain.find(c); k != std::string::npos) out += meaning[k];
    else if (c == 'u') append_utf8(out, read_code_point());
    else fail(std::string("unknown escape \\") + c);
  }

  // \uXXXX, joining a UTF-16 surrogate pair into one code point.
  uint32_t read_code_point() {
    uint32_t unit = read_hex4();
    if (unit >= 0xD800 && unit < 0xDC00 && text_.compare(pos_, 2, "\\u") == 0) {
      pos_ += 2;
      const uint32_t low = read_hex4();
      if (low < 0xDC00 || low > 0xDFFF) fail("bad UTF-16 surrogate pair");
      unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
    }
    return unit;
  }
  uint32_t read_hex4() {
    if (pos_ + 4 > text_.size()) fail("unfinished \\u escape");
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = text_[pos_++];
      const auto digit = std::string("0123456789abcdef").find(char(h | 0x20));
      if (digit == std::string::npos) fail("bad hex digit in \\u escape");
      value = value * 16 + uint32_t(digit);
    }
    return value;
  }
  static void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) return void(out += char(cp));
    const int extra = cp < 0x800 ? 1 : cp < 0x10000 ? 2 : 3;
    out += char(((0xF0 << (3 - extra)) & 0xFF) | (cp >> (6 * extra)));  // lead byte 0xC0, 0xE0 or 0xF0
    for (int k = extra - 1; k >= 0; --k) out += char(0x80 | ((cp >> (6 * k)) & 0x3F));
  }

  bool literal(const char* word) {
    const std::string w(word);
    if (text_.compare(pos_, w.size(), w) != 0) return false;
    pos_ += w.size();
    return true;
  }
  void skip_space() {
    while (pos_ < text_.size() && std::string(" \t\r\n").find(text_[pos_]) != std::string::npos) ++pos_;
  }
  bool consume(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) return ++pos_, true;
    return false;
  }
  void expect(char c) {
    skip_space();
    expect_raw(c);
  }
  void expect_raw(char c) {
    if (pos_ >= text_.size() || text_[pos_] != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw IOError(source_ + " is not valid JSON: " + what + " at byte " + std::to_string(pos_));
  }

  const std::string& text_;
  std::string source_;
  size_t pos_ = 0;
};

}  // namespace detail

/// Parses JSON text; `source` (a file name) is named in the IOError thrown for malformed text.
/// Example: `auto config = tl::io::json::parse(text, "model.h5 (model_config)");`
inline Value parse(const std::string& text, const std::string& source = "JSON text") {
  return detail::Parser(text, source).parse_document();
}

/// Reads and parses a JSON file; IOError names the file when it cannot be read or is not JSON.
inline Value load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError("Unable to open " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

}  // namespace tl::io::json
