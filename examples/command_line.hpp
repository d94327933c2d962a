#pragma once
// The examples' command lines: `--name value` options and positional arguments, nothing more. Anything
// unexpected prints the usage and exits with status 2, as command-line tools do.
#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace examples {

/// Parses `argv` against the option names given (without the leading `--`).
///   examples::CommandLine args(argc, argv, "usage: hot_dog [DATA_DIR] [--epochs 5]", {"epochs"});
///   int epochs = args.get_int("epochs", 5);
class CommandLine {
 public:
  CommandLine(int argc, char** argv, std::string usage, const std::set<std::string>& option_names)
      : usage_(std::move(usage)) {
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      if (arg == "-h" || arg == "--help") {
        std::cout << usage_ << "\n";
        std::exit(0);
      }
      if (arg.rfind("--", 0) != 0) {
        positional_.push_back(arg);
        continue;
      }
      const std::string name = arg.substr(2);
      if (!option_names.count(name)) fail("unknown option " + arg);
      if (i + 1 == argc) fail("option " + arg + " needs a value");
      options_[name] = argv[++i];
    }
  }

  /// The i-th positional argument, or `fallback` when absent; more than `max_count` of them is an error.
  std::string positional(size_t i, const std::string& fallback, size_t max_count) const {
    if (positional_.size() > max_count) fail("too many arguments");
    return i < positional_.size() ? positional_[i] : fallback;
  }
  /// A positional argument that must be given.
  std::string required(size_t i, const std::string& what, size_t max_count) const {
    if (i >= positional_.size()) fail("missing " + what);
    return positional(i, "", max_count);
  }
  std::string get(const std::string& name, const std::string& fallback) const {
    const auto it = options_.find(name);
    return it == options_.end() ? fallback : it->second;
  }
  /// An integer option that must be at least `minimum`.
  int get_int(const std::string& name, int fallback, int minimum = 1) const {
    const std::string text = get(name, std::to_string(fallback));
    char* end = nullptr;
    const long value = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || value < minimum || value > 1000000)
      fail("--" + name + " expects an integer >= " + std::to_string(minimum) + ", got '" + text + "'");
    return static_cast<int>(value);
  }
  /// Prints the problem and the usage, then exits with status 2.
  [[noreturn]] void fail(const std::string& problem) const {
    std::cerr << "error: " << problem << "\n" << usage_ << "\n";
    std::exit(2);
  }

 private:
  std::string usage_;
  std::vector<std::string> positional_;
  std::map<std::string, std::string> options_;
};

}  // namespace examples
