#pragma once
// Runs tests/python/image_dataset_ref.py (tf.keras 2.11's file indexing transcribed, PIL + float64 torch
// interpolate for pixels) and parses its `key<TAB>values` lines. A test case queues its requests and runs them in
// one Python process; the test image tree is made by the first process of the run that needs it.
#include "../support.hpp"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace tl::test {

class DatasetOracle {
 public:
  using Line = std::vector<std::string>;
  using Answer = std::vector<Line>;

  /// The oracle's test tree (`make`), filled by the first process of the test run that asks for it.
  static const TempDir& tree_dir() {
    static TempDir dir;
    return dir;
  }
  /// The tree's root, queued to be made by this process unless an earlier one made it.
  std::filesystem::path tree() {
    if (!tree_made()) make_ = true;
    return tree_dir().path() / "data";
  }
  /// The tree, made now if no earlier process made it (for test cases that ask the oracle nothing else).
  static std::filesystem::path made_tree() {
    DatasetOracle o;
    auto path = o.tree();
    o.run();
    return path;
  }

  size_t add(const std::string& request) {
    requests_.push_back(request);
    return requests_.size() - 1;
  }

  std::vector<Answer> run() {
    std::vector<std::string> all;
    if (make_) all.push_back("make " + (tree_dir().path() / "data").string());
    all.insert(all.end(), requests_.begin(), requests_.end());
    if (all.empty()) return {};
    if (make_) std::filesystem::create_directories(tree_dir().path() / "data");
    TempDir tmp;
    {
      std::ofstream file(tmp / "requests.txt");
      for (const auto& r : all) file << r << "\n";
    }
    const std::string output = python("image_dataset_ref.py", "requests " + (tmp / "requests.txt").string());
    std::vector<Answer> answers = split_oracle_answers(output);
    if (answers.size() != all.size())
      throw std::runtime_error("image_dataset_ref.py answered " + std::to_string(answers.size()) + " of " +
                               std::to_string(all.size()) + " requests:\n" + output.substr(0, 4000));
    if (make_) {
      answers.erase(answers.begin());
      tree_made() = true;
      make_ = false;
    }
    requests_.clear();
    return answers;
  }

  /// Every line with `key`, values only.
  static std::vector<Line> all_of(const Answer& lines, const std::string& key) {
    std::vector<Line> found;
    for (const auto& l : lines)
      if (!l.empty() && l[0] == key) found.emplace_back(l.begin() + 1, l.end());
    return found;
  }
  static Line first_of(const Answer& lines, const std::string& key) {
    auto found = all_of(lines, key);
    if (found.empty()) throw std::runtime_error("oracle printed no '" + key + "' line");
    return found.front();
  }

 private:
  static bool& tree_made() {
    static bool made = false;
    return made;
  }
  bool make_ = false;
  std::vector<std::string> requests_;
};

}  // namespace tl::test
