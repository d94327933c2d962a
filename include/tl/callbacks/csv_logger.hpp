#pragma once
// keras.callbacks.CSVLogger: one CSV row per epoch: `epoch`, then the logs' names in sorted order.
#include <tl/callbacks/callback.hpp>
#include <tl/core/detail/python_format.hpp>
#include <tl/models/functional.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace tl::callbacks {

/// Keras's keyword arguments of CSVLogger.
struct CSVLoggerOptions {
  std::string separator = ",";
  bool append = false;  ///< append to an existing file (writing the header only if it is empty)
};

/// `CSVLogger("training.log")`: rows as Python's csv module writes them ("\r\n" line ends, values as
/// repr(float)); an epoch cut short by `stop_training` writes "NA" for missing values.
class CSVLogger : public Callback {
 public:
  explicit CSVLogger(std::string filename, CSVLoggerOptions options = {})
      : filename_(std::move(filename)), options_(std::move(options)) {
    tl::detail::check(options_.separator.size() == 1, "CSVLogger: separator must be one character, got \"" +
                                                          options_.separator + "\"");
  }

  void on_train_begin(const Logs&) override {
    append_header_ = true;
    if (options_.append && std::filesystem::exists(filename_)) {
      std::ifstream existing(filename_);
      std::string first;
      append_header_ = !std::getline(existing, first) || first.empty();
    }
    file_.open(filename_, options_.append ? std::ios::app : std::ios::trunc);
    if (!file_) throw IOError("CSVLogger: unable to open " + filename_ + " for writing");
    header_written_ = false;
  }

  void on_epoch_end(int epoch, const Logs& logs) override {
    if (keys_.empty()) {
      for (const auto& [name, value] : logs) keys_.push_back(name);
      std::sort(keys_.begin(), keys_.end());
    }
    if (!header_written_ && append_header_) write_row("epoch", [&](const std::string& key) { return quote(key); });
    header_written_ = true;
    write_row(std::to_string(epoch), [&](const std::string& key) {
      if (!logs.contains(key)) return std::string(model().stop_training ? "NA" : "");
      return tl::detail::python_repr(double(float(logs.at(key))));  // Keras's logs are float32 values
    });
    file_.flush();
    if (!file_) throw IOError("CSVLogger: unable to write " + filename_);
  }

  void on_train_end(const Logs&) override { file_.close(); }

 private:
  template <class Cell>
  void write_row(const std::string& first, Cell&& cell) {
    file_ << first;
    for (const auto& key : keys_) file_ << options_.separator << cell(key);
    file_ << "\r\n";  // Python's csv.excel dialect
  }
  // Python's csv QUOTE_MINIMAL: quote fields holding the separator, a quote or a line break.
  std::string quote(const std::string& field) const {
    if (field.find_first_of(options_.separator + "\"\r\n") == std::string::npos) return field;
    std::string out = "\"";
    for (char c : field) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
  }

  std::string filename_;
  CSVLoggerOptions options_;
  std::ofstream file_;
  std::vector<std::string> keys_;
  bool append_header_ = true;
  bool header_written_ = false;
};

}  // namespace tl::callbacks
