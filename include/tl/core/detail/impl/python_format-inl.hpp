#pragma once
#include <tl/core/detail/python_format.hpp>
#include <tl/core/errors.hpp>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace tl::detail {

TL_INLINE std::string python_repr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buf[64];
  const auto end = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific).ptr;
  std::string sci(buf, end);  // "-1.2345e-05"
  const auto e = sci.find('e');
  const int exponent = std::stoi(sci.substr(e + 1));
  const bool negative = sci[0] == '-';
  std::string digits;
  for (char c : sci.substr(0, e))
    if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
  std::string out;
  if (exponent < -4 || exponent >= 16) {
    out = digits.substr(0, 1) + (digits.size() > 1 ? "." + digits.substr(1) : "");
    char exp[16];
    std::snprintf(exp, sizeof exp, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    out += exp;
  } else if (exponent < 0) {
    out = "0." + std::string(size_t(-exponent - 1), '0') + digits;
  } else {
    if (digits.size() <= size_t(exponent)) digits += std::string(size_t(exponent) + 1 - digits.size(), '0');
    out = digits.substr(0, size_t(exponent) + 1) + "." + (digits.size() > size_t(exponent) + 1 ? digits.substr(size_t(exponent) + 1) : "0");
  }
  return negative ? "-" + out : out;
}

TL_INLINE FormatSpec parse_format_spec(const std::string& spec) {
  FormatSpec f;
  size_t i = 0;
  if (i < spec.size() && spec[i] == '0') f.zero_pad = true, ++i;
  for (; i < spec.size() && std::isdigit(static_cast<unsigned char>(spec[i])); ++i) f.width = f.width * 10 + (spec[i] - '0');
  if (i < spec.size() && spec[i] == '.') {
    f.precision = 0;
    for (++i; i < spec.size() && std::isdigit(static_cast<unsigned char>(spec[i])); ++i)
      f.precision = f.precision * 10 + (spec[i] - '0');
  }
  if (i < spec.size() && std::string("dfeg").find(spec[i]) != std::string::npos) f.type = spec[i++];
  check(i == spec.size(), "Invalid format specifier '" + spec + "' (tl supports [0][width][.precision][d|f|e|g])");
  return f;
}

TL_INLINE std::string python_format(double value, bool is_int, const std::string& spec) {
  const FormatSpec f = parse_format_spec(spec);
  std::string body;
  if (f.type == 0 && f.precision < 0) {
    body = is_int ? std::to_string(static_cast<long long>(value)) : python_repr(value);
  } else {
    const char type = f.type ? f.type : 'g';
    check(type != 'd' || is_int, "Unknown format code 'd' for object of type 'float'");
    char buf[512];
    if (type == 'd') std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(value));
    else std::snprintf(buf, sizeof buf, (std::string("%.*") + type).c_str(), f.precision < 0 ? 6 : f.precision, value);
    body = buf;
  }
  if (int(body.size()) >= f.width) return body;
  const size_t pad = size_t(f.width) - body.size();
  if (!f.zero_pad) return std::string(pad, ' ') + body;
  const size_t sign = body[0] == '-' ? 1 : 0;
  return body.substr(0, sign) + std::string(pad, '0') + body.substr(sign);
}

}  // namespace tl::detail
