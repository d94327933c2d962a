#pragma once
// keras.callbacks.CSVLogger: one CSV row per epoch: `epoch`, then the logs' names in sorted order.
#include <tl/callbacks/callback.hpp>
#include <tl/core/config.hpp>

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

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
  explicit CSVLogger(std::string filename, CSVLoggerOptions options = {});
  CSVLogger(CSVLogger&&) noexcept;
  CSVLogger& operator=(CSVLogger&&) noexcept;
  TL_INLINE ~CSVLogger() override;

  TL_INLINE void on_train_begin(const Logs& logs) override;
  TL_INLINE void on_epoch_end(int epoch, const Logs& logs) override;
  TL_INLINE void on_train_end(const Logs& logs) override;

 private:
  /// One line: `first`, then `cells`, separated by the separator; "\r\n" as Python's csv.excel dialect.
  void write_row(const std::string& first, const std::vector<std::string>& cells);
  // Python's csv QUOTE_MINIMAL: quote fields holding the separator, a quote or a line break.
  std::string quote(const std::string& field) const;

  std::string filename_;
  CSVLoggerOptions options_;
  std::unique_ptr<std::ofstream> file_;
  std::vector<std::string> keys_;
  bool append_header_ = true;
  bool header_written_ = false;
};

}  // namespace tl::callbacks

#ifdef TL_HEADER_ONLY
#include <tl/callbacks/impl/csv_logger-inl.hpp>
#endif
