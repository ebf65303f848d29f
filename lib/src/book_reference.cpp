#include <mnist_minibatch/book_reference.hpp>
#include <mnist_minibatch/csv_log.hpp>
#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/model_file.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace mm {
namespace {

// The reference files store doubles as JSON numbers or as '%.17g' strings.
double number_at(const nlohmann::json& j, const std::string& where) {
    if (j.is_number()) return j.get<double>();
    if (j.is_string()) {
        const std::string s = j.get<std::string>();
        char* end = nullptr;
        const double v = std::strtod(s.c_str(), &end);
        if (end != s.c_str() && *end == '\0') return v;
    }
    throw Error(where + ": expected a number, found " + j.dump());
}

const nlohmann::json& array_field(const nlohmann::json& ref, const char* key,
                                  const std::string& path) {
    if (!ref.is_object() || !ref.contains(key) || !ref.at(key).is_array())
        throw Error(path + ": /" + key + ": missing or not an array (is this a "
                    "chapter4_train_seed*.json reference file?)");
    return ref.at(key);
}

std::size_t count_at(const nlohmann::json& array, std::size_t i, const std::string& where) {
    const double v = number_at(array[i], where + "/" + std::to_string(i));
    if (!(v >= 0) || v != std::floor(v))
        throw Error(where + "/" + std::to_string(i) + ": expected a count, found " + array[i].dump());
    return static_cast<std::size_t>(v);
}

}  // namespace

bool BookComparison::reproduced() const {
    return losses_compared > 0 && max_relative_loss_difference <= kBookLossTolerance &&
           std::all_of(evaluations.begin(), evaluations.end(),
                       [](const BookEvaluationRow& r) { return r.same(); });
}

BookComparison compare_with_book(const std::string& run_dir, const std::string& reference_path) {
    const nlohmann::json ref = read_json_file(reference_path, "reference file");
    const auto& ref_loss = array_field(ref, "loss", reference_path);
    const auto& ref_iters = array_field(ref, "eval_iterations", reference_path);
    const auto& ref_train = array_field(ref, "train_correct", reference_path);
    const auto& ref_test = array_field(ref, "test_correct", reference_path);
    const CsvLog losses = read_csv_log(run_dir + "/loss.csv", loss_log_columns());
    const CsvLog epochs = read_csv_log(run_dir + "/epochs.csv", epoch_log_columns());
    const auto& cee = losses.column("cee");

    BookComparison result;
    result.losses_compared = std::min(cee.size(), ref_loss.size());
    // running_max[i]: the largest relative loss difference over iterations 0..i.
    std::vector<double> running_max(result.losses_compared);
    for (std::size_t i = 0; i < result.losses_compared; ++i) {
        const double r = number_at(ref_loss[i], reference_path + ": /loss/" + std::to_string(i));
        const double rel = std::fabs(cee[i] - r) / std::fabs(r);
        if (!(rel <= result.max_relative_loss_difference)) {
            result.max_relative_loss_difference = rel;
            result.worst_iteration = i;
        }
        running_max[i] = result.max_relative_loss_difference;
    }

    const auto& iters = epochs.column("iteration");
    const auto& train = epochs.column("train_correct");
    const auto& test = epochs.column("test_correct");
    const std::size_t n_eval = std::min({iters.size(), ref_iters.size(), ref_train.size(),
                                         ref_test.size()});
    for (std::size_t e = 0; e < n_eval; ++e) {
        BookEvaluationRow row;
        row.iteration = static_cast<std::size_t>(iters[e]);
        row.reference_iteration = count_at(ref_iters, e, reference_path + ": /eval_iterations");
        row.train_correct = static_cast<std::size_t>(train[e]);
        row.reference_train_correct = count_at(ref_train, e, reference_path + ": /train_correct");
        row.test_correct = static_cast<std::size_t>(test[e]);
        row.reference_test_correct = count_at(ref_test, e, reference_path + ": /test_correct");
        if (!running_max.empty())
            row.max_relative_loss_difference_so_far =
                running_max[std::min(row.iteration, running_max.size() - 1)];
        result.evaluations.push_back(row);
    }
    return result;
}

}  // namespace mm
