#include <mnist_minibatch/atomic_file.hpp>
#include <mnist_minibatch/blas_threads.hpp>
#include <mnist_minibatch/csv_appender.hpp>
#include <mnist_minibatch/csv_log.hpp>
#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/evaluation.hpp>
#include <mnist_minibatch/minibatch_sampler.hpp>
#include <mnist_minibatch/mnist_dataset.hpp>
#include <mnist_minibatch/model_file.hpp>
#include <mnist_minibatch/network.hpp>
#include <mnist_minibatch/nonzero_pixels.hpp>
#include <mnist_minibatch/numpy_random.hpp>
#include <mnist_minibatch/optimizer.hpp>
#include <mnist_minibatch/progress_display.hpp>
#include <mnist_minibatch/run_plots.hpp>
#include <mnist_minibatch/sha256.hpp>
#include <mnist_minibatch/thread_pool.hpp>
#include <mnist_minibatch/trainer.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

#include <unistd.h>

namespace mm {
namespace fs = std::filesystem;

std::string config_hash(const Config& config) { return sha256_hex(to_json(config).dump()); }

namespace {

constexpr const char* kCheckpointFormat = "mnist-minibatch-checkpoint";
constexpr std::size_t kMaxMistakes = 100;

struct RunPaths {
    explicit RunPaths(const std::string& d)
        : dir(d), config(d + "/config.json"), loss(d + "/loss.csv"), epochs(d + "/epochs.csv"),
          checkpoint(d + "/checkpoint.json"), model(d + "/model.json"),
          summary(d + "/summary.json") {}
    std::string dir, config, loss, epochs, checkpoint, model, summary;
};

std::string header(const std::vector<std::string>& columns) {
    std::string line;
    for (const auto& c : columns) line += (line.empty() ? "" : ",") + c;
    return line;
}

std::string number(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

const char* loss_name(LossKind kind) {
    return kind == LossKind::cross_entropy ? "cross_entropy" : "sum_squares";
}

const nlohmann::json& checkpoint_field(const nlohmann::json& j, const char* key,
                                       const std::string& path) {
    if (!j.is_object() || !j.contains(key))
        throw Error(path + ": /" + key + ": missing (the checkpoint is damaged)");
    return j.at(key);
}

template <class T>
class TrainingRun {
public:
    TrainingRun(const Config& config, const RunPaths& paths, const TrainOptions& options,
                MnistDataset data)
        : config_(config), paths_(paths), options_(options), data_(std::move(data)),
          pool_(options.threads), train_nonzero_(find_nonzero_pixels(data_.train, &pool_)),
          test_nonzero_(find_nonzero_pixels(data_.test, &pool_)),
          network_(NetworkSpec{data_.train.pixels(), config.model.hidden_sizes, data_.num_classes,
                               parse_activation(config.model.activation)}),
          params_(network_.parameters()), rng_(config.training.seed),
          sampler_(rng_, data_.train.size(), config.training.batch_size,
                   parse_sampling(config.training.sampling)),
          loss_kind_(parse_loss(config.loss)),
          total_(config.training.iterations
                     ? *config.training.iterations
                     : *config.training.epochs * sampler_.iterations_per_epoch()),
          eval_every_(config.training.eval_every ? *config.training.eval_every
                                                 : sampler_.iterations_per_epoch()) {
        use_one_blas_thread();
        network_.set_thread_pool(&pool_);
        network_.initialize(rng_, parse_init(config.model.init), config.model.weight_init_std);
        optimizer_ = make_optimizer<T>(config.optimizer, params_);
    }

    void start_fresh() {
        loss_log_.emplace(CsvAppender::create(paths_.loss, header(loss_log_columns())));
        epochs_log_.emplace(CsvAppender::create(paths_.epochs, header(epoch_log_columns())));
    }

    void restore(const nlohmann::json& cp, const std::string& where) {
        const auto& iteration = checkpoint_field(cp, "iteration", where);
        if (!iteration.is_number_unsigned() || iteration.get<std::size_t>() > total_)
            throw Error(where + ": /iteration: expected an integer from 0 to " +
                        std::to_string(total_) + ", found " + iteration.dump());
        next_ = iteration.get<std::size_t>();
        const auto& elapsed = checkpoint_field(cp, "elapsed_s", where);
        if (!elapsed.is_number()) throw Error(where + ": /elapsed_s: expected a number");
        elapsed_before_ = elapsed.get<double>();
        parameters_from_json(checkpoint_field(cp, "parameters", where), network_,
                             where + ": /parameters");
        try {
            rng_.set_state(checkpoint_field(cp, "rng", where));
            sampler_.set_state(checkpoint_field(cp, "sampler", where));
            optimizer_->set_state(checkpoint_field(cp, "optimizer", where));
        } catch (const Error& e) {
            throw Error(where + ": " + e.what());
        }
        const auto& logs = checkpoint_field(cp, "logs", where);
        const auto& loss_bytes = checkpoint_field(logs, "loss_csv_bytes", where);
        const auto& epochs_bytes = checkpoint_field(logs, "epochs_csv_bytes", where);
        if (!loss_bytes.is_number_unsigned() || !epochs_bytes.is_number_unsigned())
            throw Error(where + ": /logs: expected byte counts");
        loss_log_.emplace(CsvAppender::resume(paths_.loss, loss_bytes.get<std::uint64_t>()));
        epochs_log_.emplace(
            CsvAppender::resume(paths_.epochs, epochs_bytes.get<std::uint64_t>()));
    }

    TrainOutcome run() {
        const bool terminal = ::isatty(fileno(stdout)) != 0;
        const bool quiet = options_.quiet || config_.logging.quiet;
        ProgressDisplay display(stdout, terminal, quiet,
                                options_.log_every.value_or(config_.logging.every), total_,
                                loss_name(loss_kind_));
        if (next_ > 0) display.message("resuming at iteration " + std::to_string(next_));
        const std::size_t batch = config_.training.batch_size;
        const std::array<T, 256>& table = pixel_table<T>(config_.dataset.normalize);
        const bool numerical = config_.gradient == "numerical";
        const bool after_update = config_.training.loss_log == "after_update";
        const auto started = std::chrono::steady_clock::now();
        auto elapsed = [&] {
            return elapsed_before_ +
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
                       .count();
        };

        for (std::size_t i = next_; i < total_; ++i) {
            if (options_.interrupt && options_.interrupt->load()) {
                write_checkpoint(i, elapsed());
                display.message("interrupted: checkpoint at iteration " + std::to_string(i) +
                                " in " + paths_.checkpoint + "; continue with: mnist-train "
                                "train --resume " + paths_.dir);
                return TrainOutcome::interrupted;
            }
            const auto& indices = sampler_.next();
            gather_labels(data_.train, indices.data(), batch, t_);
            const PixelRows<T> x{data_.train, train_nonzero_, indices.data(), batch, table};

            BatchLoss<T> loss;
            if (numerical) {
                gather_images(data_.train, indices.data(), batch, table, x_);
                loss = network_.numerical_gradient(x_, t_, loss_kind_);
            } else {
                loss = network_.gradient(x, t_, loss_kind_);
            }
            optimizer_->update(params_, &pool_);
            if (after_update) loss = network_.loss(x, t_);

            const double trained = static_cast<double>(
                loss_kind_ == LossKind::cross_entropy ? loss.cross_entropy : loss.sum_squares);
            const double epoch = static_cast<double>(i + 1) / sampler_.iterations_per_epoch();
            const double now = elapsed();
            loss_log_->append_line(std::to_string(i) + "," + number(epoch) + "," +
                                   number(loss.cross_entropy) + "," + number(loss.sum_squares) +
                                   "," + number(config_.optimizer.learning_rate) + "," +
                                   number(now));
            if (!std::isfinite(trained)) throw divergence(i, trained);
            display.iteration(i, trained, now);

            if (i % eval_every_ == 0) {
                evaluate_both(i, epoch);
                display.evaluation(i, epoch, last_train_.accuracy(), last_test_.accuracy());
            }
            const std::size_t done = i + 1;
            if (config_.output.checkpoint_every && done % config_.output.checkpoint_every == 0 &&
                done < total_)
                write_checkpoint(done, elapsed());
        }
        display.finish();
        finish(elapsed());
        if (!quiet)
            display.message("test accuracy " + number_short(last_test_.accuracy()) +
                            ", model: " + paths_.model + ", logs: " + paths_.loss);
        return TrainOutcome::finished;
    }

private:
    static std::string number_short(double v) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.4f", v);
        return buf;
    }

    Error divergence(std::size_t i, double loss) const {
        const bool have_checkpoint = fs::exists(paths_.checkpoint);
        return Error("training diverged at iteration " + std::to_string(i) + ": the " +
                     loss_name(loss_kind_) + " loss is " + number(loss) +
                     " (learning rate " + number(config_.optimizer.learning_rate) +
                     "; try a smaller /optimizer/learning_rate). " +
                     (have_checkpoint ? "The last good checkpoint is kept in " + paths_.checkpoint
                                      : std::string("No checkpoint had been written yet.")));
    }

    void evaluate_both(std::size_t i, double epoch) {
        last_train_ = evaluate(network_, data_.train, train_nonzero_, config_.dataset.normalize,
                               0, &pool_);
        last_test_ = evaluate(network_, data_.test, test_nonzero_, config_.dataset.normalize,
                              kMaxMistakes, &pool_);
        last_eval_iteration_ = i;
        epochs_log_->append_line(
            std::to_string(i) + "," + number(epoch) + "," + number(last_train_.loss(loss_kind_)) +
            "," + number(last_train_.accuracy()) + "," + std::to_string(last_train_.correct) +
            "," + number(last_test_.loss(loss_kind_)) + "," + number(last_test_.accuracy()) + "," +
            std::to_string(last_test_.correct));
    }

    void write_checkpoint(std::size_t next_iteration, double elapsed_s) {
        const nlohmann::json cp = {
            {"format", kCheckpointFormat},
            {"config_hash", config_hash(config_)},
            {"dtype", config_.model.dtype},
            {"iteration", next_iteration},
            {"elapsed_s", elapsed_s},
            {"parameters", parameters_to_json(network_)},
            {"optimizer", optimizer_->state()},
            {"rng", rng_.state()},
            {"sampler", sampler_.state()},
            {"logs",
             {{"loss_csv_bytes", loss_log_->bytes()}, {"epochs_csv_bytes", epochs_log_->bytes()}}}};
        write_file_atomically(paths_.checkpoint, cp.dump() + "\n");
    }

    void finish(double elapsed_s) {
        if (last_eval_iteration_ != total_ - 1) {
            last_train_ = evaluate(network_, data_.train, train_nonzero_,
                                   config_.dataset.normalize, 0, &pool_);
            last_test_ = evaluate(network_, data_.test, test_nonzero_, config_.dataset.normalize,
                                  kMaxMistakes, &pool_);
        }
        save_model(paths_.model, network_,
                   ModelMeta{network_.spec(), config_.model.dtype, config_.dataset.name,
                             config_.dataset.normalize});
        auto confusion = nlohmann::json::array();
        for (std::size_t r = 0; r < last_test_.num_classes; ++r) {
            auto row = nlohmann::json::array();
            for (std::size_t c = 0; c < last_test_.num_classes; ++c)
                row.push_back(last_test_.confusion[r * last_test_.num_classes + c]);
            confusion.push_back(row);
        }
        auto mistakes = nlohmann::json::array();
        for (const auto& m : last_test_.mistakes)
            mistakes.push_back({{"index", m.index}, {"label", m.label}, {"predicted", m.predicted}});
        const nlohmann::json summary = {
            {"iterations", total_},
            {"wall_seconds", elapsed_s},
            {"iterations_per_second", elapsed_s > 0 ? total_ / elapsed_s : 0.0},
            {"config_hash", config_hash(config_)},
            {"loss", loss_name(loss_kind_)},
            {"dataset", {{"name", data_.name}, {"dir", data_.dir}}},
            {"final",
             {{"train_loss", last_train_.loss(loss_kind_)},
              {"train_accuracy", last_train_.accuracy()},
              {"train_correct", last_train_.correct},
              {"test_loss", last_test_.loss(loss_kind_)},
              {"test_accuracy", last_test_.accuracy()},
              {"test_correct", last_test_.correct}}},
            {"test_confusion", confusion},
            {"test_mistakes", mistakes}};
        write_file_atomically(paths_.summary, summary.dump(2) + "\n");
        if (options_.plots && config_.output.plots) write_run_plots(paths_.dir);
    }

    const Config& config_;
    const RunPaths& paths_;
    const TrainOptions& options_;
    MnistDataset data_;
    ThreadPool pool_;
    NonzeroPixels train_nonzero_, test_nonzero_;
    Network<T> network_;
    std::vector<Parameter<T>> params_;
    NumpyRandom rng_;
    MinibatchSampler sampler_;
    LossKind loss_kind_;
    std::size_t total_;
    std::size_t eval_every_;
    std::unique_ptr<Optimizer<T>> optimizer_;
    std::optional<CsvAppender> loss_log_, epochs_log_;
    xt::xtensor<T, 2> x_;  // the batch as dense rows, for the numerical gradient
    xt::xtensor<std::size_t, 1> t_;
    std::size_t next_ = 0;
    double elapsed_before_ = 0.0;
    EvaluationResult last_train_, last_test_;
    std::size_t last_eval_iteration_ = static_cast<std::size_t>(-1);
};

MnistDataset load_dataset(const Config& config) {
    return load_mnist(resolve_data_dir(config.dataset.name, config.dataset.dir),
                      config.dataset.name);
}

// A null checkpoint starts the run from iteration 0.
template <class T>
TrainOutcome run_from(const Config& config, const RunPaths& paths, const TrainOptions& options,
                      MnistDataset data, const nlohmann::json* checkpoint) {
    TrainingRun<T> run(config, paths, options, std::move(data));
    if (checkpoint)
        run.restore(*checkpoint, paths.checkpoint);
    else
        run.start_fresh();
    return run.run();
}

TrainOutcome run_from(const Config& config, const RunPaths& paths, const TrainOptions& options,
                      MnistDataset data, const nlohmann::json* checkpoint) {
    if (config.model.dtype == "float64")
        return run_from<double>(config, paths, options, std::move(data), checkpoint);
    return run_from<float>(config, paths, options, std::move(data), checkpoint);
}

// A run killed during an atomic write leaves its temporary file (FILE.<6 random>.tmp) behind; the
// final name was never touched, so the temporary is only litter.
void remove_abandoned_temporaries(const RunPaths& paths) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(paths.dir, ec)) {
        const std::string name = entry.path().filename().string();
        for (const auto& output : {paths.checkpoint, paths.model, paths.summary})
            if (name.size() == fs::path(output).filename().string().size() + 11 &&
                name.rfind(fs::path(output).filename().string() + ".", 0) == 0 &&
                name.compare(name.size() - 4, 4, ".tmp") == 0)
                fs::remove(entry.path(), ec);
    }
}

void prepare_output_dir(const RunPaths& paths, bool overwrite) {
    std::error_code ec;
    fs::create_directories(paths.dir, ec);
    if (ec || !fs::is_directory(paths.dir))
        throw Error("/output/dir: cannot create the run directory '" + paths.dir +
                    "': " + (ec ? ec.message() : "a file of that name exists"));
    if (::access(paths.dir.c_str(), W_OK) != 0)
        throw Error("/output/dir: the run directory '" + paths.dir + "' is not writable");
    const bool earlier_run = fs::exists(paths.config) || fs::exists(paths.loss);
    if (earlier_run && !overwrite)
        throw Error("/output/dir: '" + paths.dir + "' already holds a run; continue it with "
                    "'mnist-train train --resume " + paths.dir + "', replace it with "
                    "--overwrite, or choose another directory with --set output.dir=DIR");
    for (const auto& f : {paths.checkpoint, paths.summary, paths.model}) fs::remove(f, ec);
}

}  // namespace

TrainOutcome train(const Config& config, const TrainOptions& options) {
    // Everything that can be checked is checked before the run directory is touched.
    MnistDataset data = load_dataset(config);
    validate_against_dataset(config, data.train.size(), options.config_source);
    const RunPaths paths(config.output.dir);
    prepare_output_dir(paths, options.overwrite);
    write_file_atomically(paths.config, to_json(config).dump(2) + "\n");
    return run_from(config, paths, options, std::move(data), nullptr);
}

TrainOutcome resume(const std::string& run_dir, const TrainOptions& options) {
    const RunPaths paths(run_dir);
    if (!fs::exists(paths.config))
        throw Error("cannot resume '" + run_dir + "': no config.json there (is it a run "
                    "directory?)");
    if (fs::exists(paths.summary))
        throw Error("cannot resume '" + run_dir + "': the run has already finished (" +
                    paths.summary + " exists)");
    const Config config = load_config(paths.config);
    remove_abandoned_temporaries(paths);
    std::optional<nlohmann::json> checkpoint;
    if (fs::exists(paths.checkpoint)) {
        checkpoint = read_json_file(paths.checkpoint, "checkpoint");
        if (checkpoint_field(*checkpoint, "format", paths.checkpoint) != kCheckpointFormat)
            throw Error(paths.checkpoint + ": /format: expected \"" + kCheckpointFormat + "\"");
        if (checkpoint_field(*checkpoint, "config_hash", paths.checkpoint) != config_hash(config))
            throw Error(paths.checkpoint + ": /config_hash: the checkpoint belongs to a different "
                        "config than " + paths.config + " (architecture, dtype or settings "
                        "changed); it cannot be resumed with it");
    }
    MnistDataset data = load_dataset(config);
    validate_against_dataset(config, data.train.size(), paths.config);
    return run_from(config, paths, options, std::move(data), checkpoint ? &*checkpoint : nullptr);
}

}  // namespace mm
