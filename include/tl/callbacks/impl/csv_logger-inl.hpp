#pragma once
#include <tl/callbacks/csv_logger.hpp>
#include <tl/core/detail/python_format.hpp>
#include <tl/core/errors.hpp>
#include <tl/models/functional.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <utility>

namespace tl::callbacks {

TL_INLINE CSVLogger::CSVLogger(std::string filename, CSVLoggerOptions options)
    : filename_(std::move(filename)), options_(std::move(options)), file_(std::make_unique<std::ofstream>()) {
  tl::detail::check(options_.separator.size() == 1, "CSVLogger: separator must be one character, got \"" +
                                                        options_.separator + "\"");
}

TL_INLINE CSVLogger::CSVLogger(CSVLogger&&) noexcept = default;
TL_INLINE CSVLogger& CSVLogger::operator=(CSVLogger&&) noexcept = default;
TL_INLINE CSVLogger::~CSVLogger() = default;

TL_INLINE void CSVLogger::on_train_begin(const Logs&) {
  append_header_ = true;
  if (options_.append && std::filesystem::exists(filename_)) {
    std::ifstream existing(filename_);
    std::string first;
    append_header_ = !std::getline(existing, first) || first.empty();
  }
  file_->open(filename_, options_.append ? std::ios::app : std::ios::trunc);
  if (!*file_) throw IOError("CSVLogger: unable to open " + filename_ + " for writing");
  header_written_ = false;
}

TL_INLINE void CSVLogger::on_epoch_end(int epoch, const Logs& logs) {
  if (keys_.empty()) {
    for (const auto& [name, value] : logs) keys_.push_back(name);
    std::sort(keys_.begin(), keys_.end());
  }
  if (!header_written_ && append_header_) {
    std::vector<std::string> header;
    for (const auto& key : keys_) header.push_back(quote(key));
    write_row("epoch", header);
  }
  header_written_ = true;
  std::vector<std::string> row;
  for (const auto& key : keys_)
    row.push_back(!logs.contains(key) ? std::string(model().stop_training ? "NA" : "")
                                      : tl::detail::python_repr(double(float(logs.at(key)))));  // float32 logs
  write_row(std::to_string(epoch), row);
  file_->flush();
  if (!*file_) throw IOError("CSVLogger: unable to write " + filename_);
}

TL_INLINE void CSVLogger::on_train_end(const Logs&) { file_->close(); }

TL_INLINE void CSVLogger::write_row(const std::string& first, const std::vector<std::string>& cells) {
  *file_ << first;
  for (const auto& cell : cells) *file_ << options_.separator << cell;
  *file_ << "\r\n";  // Python's csv.excel dialect
}

TL_INLINE std::string CSVLogger::quote(const std::string& field) const {
  if (field.find_first_of(options_.separator + "\"\r\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace tl::callbacks
