#pragma once
// Runs tests/python/keras_image.py (keras_preprocessing 1.1) and parses its `key<TAB>values` lines. A test case
// queues all its requests and runs them in one Python process (starting Python and importing Keras, scipy and
// PIL costs far more than most requests); the reference folders (the image tree, the bad-image corpus) are filled
// once per test run by the first process that needs them. So a test case starts one oracle process at most.
#include "../support.hpp"

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace tl::test {

using Line = std::vector<std::string>;  // key, values...
using Answer = std::vector<Line>;       // the lines one request printed

/// A folder a keras_image.py request fills once per test run ("make DIR", "bad_corpus DIR"), as made_once does,
/// but filled by the first oracle process of the run that needs it.
class OracleDir {
 public:
  explicit OracleDir(std::string command) : command_(std::move(command)) {}
  const std::filesystem::path& path() const { return dir_.path(); }
  std::filesystem::path operator/(const std::string& name) const { return dir_ / name; }
  std::string fill_request() const { return command_ + " " + dir_.path().string(); }
  bool filled = false;

 private:
  std::string command_;
  TempDir dir_;
};

/// Requests to keras_image.py answered by one process, in order:
///   KerasImage oracle;
///   const auto& tree = oracle.need(keras_image_tree());
///   const size_t k = oracle.add("load " + (tree / "cats/c01.png").string() + " 24 20 nearest rgb");
///   const auto answers = oracle.run();  // answers[k]: the lines request k printed
class KerasImage {
 public:
  /// Queues a request (a keras_image.py command line; no spaces inside arguments); its answer is run()[index].
  size_t add(const std::string& request) {
    requests_.push_back(request);
    return requests_.size() - 1;
  }

  /// `dir`, filled before the queued requests run unless an earlier process filled it.
  const OracleDir& need(OracleDir& dir) {
    if (!dir.filled) fills_.push_back(&dir);
    return dir;
  }

  /// Runs the queued requests in one process (none when nothing is queued) and returns their answers.
  std::vector<Answer> run() {
    std::vector<std::string> all;
    for (const auto* dir : fills_) all.push_back(dir->fill_request());
    all.insert(all.end(), requests_.begin(), requests_.end());
    if (all.empty()) return {};
    TempDir tmp;
    {
      std::ofstream file(tmp / "requests.txt");
      for (const auto& r : all) file << r << "\n";
    }
    std::string output;
    try {
      output = python("keras_image.py", "requests " + (tmp / "requests.txt").string());
    } catch (const std::runtime_error& e) {  // the answers before the failure can run to megabytes: keep the end
      const std::string message = e.what();
      throw std::runtime_error(message.size() <= 6000 ? message
                                                      : message.substr(0, 1000) + "\n[...]\n" + message.substr(message.size() - 5000));
    }
    std::vector<Answer> answers = split_oracle_answers(output);
    if (answers.size() != all.size())
      throw std::runtime_error("keras_image.py answered " + std::to_string(answers.size()) + " of " +
                               std::to_string(all.size()) + " requests");
    for (auto* dir : fills_) dir->filled = true;
    answers.erase(answers.begin(), answers.begin() + static_cast<std::ptrdiff_t>(fills_.size()));
    fills_.clear();
    requests_.clear();
    return answers;
  }

 private:
  std::vector<OracleDir*> fills_;
  std::vector<std::string> requests_;
};

/// The oracle's test image tree (`keras_image.py make`), filled once per test run.
inline OracleDir& keras_image_tree() {
  static OracleDir dir("make");
  return dir;
}

/// tl's regression corpus of awkward and damaged files (tests/python/bad_images.py), filled once per test run.
inline OracleDir& bad_image_corpus() {
  static OracleDir dir("bad_corpus");
  return dir;
}

/// `dir`, filled now (by its own oracle process) unless it already is: for test cases that ask the oracle nothing.
inline const OracleDir& made(OracleDir& dir) {
  KerasImage oracle;
  oracle.need(dir);
  oracle.run();
  return dir;
}

/// The values of the first line with `key`.
inline Line values_of(const Answer& lines, const std::string& key) {
  for (const auto& l : lines)
    if (!l.empty() && l[0] == key) return Line(l.begin() + 1, l.end());
  throw std::runtime_error("oracle printed no '" + key + "' line");
}

inline std::vector<double> numbers(const Line& values) {
  std::vector<double> v;
  for (const auto& s : values) v.push_back(std::stod(s));
  return v;
}

}  // namespace tl::test
