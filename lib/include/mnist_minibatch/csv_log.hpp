#pragma once
// Reader of the numeric training logs (loss.csv, epochs.csv). A run appends to them line by line
// while it trains, so a final line without '\n' is not written yet and is left for later; every
// other deviation from the header's promise is an mm::Error naming file:line, the field and what
// was found. Any bytes at all are safe input (this reader is a fuzz target).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

// The columns a run directory's logs must have (see the run directory format).
const std::vector<std::string>& loss_log_columns();   // iteration,epoch,cee,sse,learning_rate,elapsed_s
const std::vector<std::string>& epoch_log_columns();  // iteration,epoch,train_loss,...,test_correct

// A parsed log, column by column. Values are doubles; "nan", "inf" and "-inf" are kept as such.
struct CsvLog {
    std::vector<std::string> columns;          // as in the file's header
    std::vector<std::vector<double>> values;   // values[column][row]

    std::size_t rows() const { return values.empty() ? 0 : values.front().size(); }
    // Throws mm::Error when the log has no such column.
    const std::vector<double>& column(std::string_view name) const;
};

// Parses a log that grows: feed() consumes every complete line of `bytes` and returns how many
// bytes it used; the caller keeps the rest (an unfinished line) and feeds it again with what
// follows. The header must contain each of `required_columns` (in any order, others allowed).
class CsvLogParser {
public:
    CsvLogParser(std::string source, std::vector<std::string> required_columns);

    std::size_t feed(std::string_view bytes);
    bool has_header() const { return !log_.columns.empty(); }
    const CsvLog& log() const { return log_; }
    std::size_t lines_read() const { return line_; }

private:
    void parse_header(std::string_view line);
    void parse_row(std::string_view line);

    std::string source_;
    std::vector<std::string> required_;
    CsvLog log_;
    std::size_t line_ = 0;
};

// The whole text at once (a final line without '\n' ignored).
CsvLog parse_csv_log(std::string_view text, const std::string& source,
                     const std::vector<std::string>& required_columns);

// Reads a log file; throws mm::Error naming the file when it cannot be read.
CsvLog read_csv_log(const std::string& path, const std::vector<std::string>& required_columns);

}  // namespace mm
