#include <unistd.h>

#include <catch2/catch.hpp>

#include "temp_dir.hpp"
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <mnist_minibatch/config.hpp>
#include <mnist_minibatch/error.hpp>
#include <set>
#include <string>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The message of the mm::Error that `f` throws; fails the test if it throws nothing or
// something else, or if the message is not a single line.
std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const mm::Error& e) {
        const std::string what = e.what();
        INFO(what);
        CHECK(what.find('\n') == std::string::npos);
        return what;
    }
    FAIL("expected an mm::Error, nothing was thrown");
    return {};
}

std::string parse_error(const std::string& text) {
    return error_of([&] { mm::parse_config(json::parse(text), "x.json"); });
}

using mm::test::TempDir;

}  // namespace

TEST_CASE("config: an empty object gives every documented default", "[config]") {
    const mm::Config c = mm::parse_config(json::object(), "x.json");
    CHECK(c.dataset.name == "mnist");
    CHECK(c.dataset.dir.empty());
    CHECK(c.dataset.normalize);
    CHECK(c.dataset.flatten);
    CHECK(c.dataset.one_hot);
    CHECK(c.model.hidden_sizes == std::vector<std::size_t>{50});
    CHECK(c.model.activation == "sigmoid");
    CHECK(c.model.init == "normal");
    CHECK(c.model.weight_init_std == 0.01);
    CHECK(c.model.dtype == "float32");
    CHECK(c.loss == "cross_entropy");
    CHECK(c.gradient == "backprop");
    CHECK(c.optimizer.name == "sgd");
    CHECK(c.optimizer.learning_rate == 0.1);
    CHECK(c.optimizer.momentum == 0.9);
    CHECK(c.optimizer.beta1 == 0.9);
    CHECK(c.optimizer.beta2 == 0.999);
    CHECK(c.training.iterations == std::optional<std::size_t>(10000));
    CHECK_FALSE(c.training.epochs);
    CHECK(c.training.batch_size == 100);
    CHECK(c.training.sampling == "with_replacement");
    CHECK(c.training.seed == 0);
    CHECK_FALSE(c.training.eval_every);
    CHECK(c.training.loss_log == "forward");
    CHECK(c.logging.every == 100);
    CHECK_FALSE(c.logging.quiet);
    CHECK(c.output.dir == "runs/default");
    CHECK(c.output.checkpoint_every == 1000);
    CHECK(c.output.plots);
}

TEST_CASE("config: given values are read", "[config]") {
    const mm::Config c = mm::parse_config(json::parse(R"({
        "dataset": {"name": "fashion-mnist", "dir": "/data/f", "normalize": false, "one_hot": false},
        "model": {"hidden_sizes": [100, 50], "activation": "relu", "init": "he", "dtype": "float64",
                  "weight_init_std": 0.5},
        "loss": "sum_squares", "gradient": "numerical",
        "optimizer": {"name": "adam", "learning_rate": 2, "momentum": 0, "beta1": 0.5, "beta2": 0.25},
        "training": {"epochs": 3, "batch_size": 7, "sampling": "shuffle", "seed": 4294967295,
                     "eval_every": 600, "loss_log": "after_update"},
        "logging": {"every": 1, "quiet": true},
        "output": {"dir": "r", "checkpoint_every": 0, "plots": false}})"),
                                          "x.json");
    CHECK(c.dataset.name == "fashion-mnist");
    CHECK(c.dataset.dir == "/data/f");
    CHECK_FALSE(c.dataset.normalize);
    CHECK_FALSE(c.dataset.one_hot);
    CHECK(c.model.hidden_sizes == std::vector<std::size_t>{100, 50});
    CHECK(c.model.activation == "relu");
    CHECK(c.model.init == "he");
    CHECK(c.model.dtype == "float64");
    CHECK(c.model.weight_init_std == 0.5);
    CHECK(c.loss == "sum_squares");
    CHECK(c.gradient == "numerical");
    CHECK(c.optimizer.name == "adam");
    CHECK(c.optimizer.learning_rate == 2.0);
    CHECK(c.optimizer.momentum == 0.0);
    CHECK(c.optimizer.beta1 == 0.5);
    CHECK(c.optimizer.beta2 == 0.25);
    CHECK_FALSE(c.training.iterations);
    CHECK(c.training.epochs == std::optional<std::size_t>(3));
    CHECK(c.training.batch_size == 7);
    CHECK(c.training.sampling == "shuffle");
    CHECK(c.training.seed == 4294967295u);
    CHECK(c.training.eval_every == std::optional<std::size_t>(600));
    CHECK(c.training.loss_log == "after_update");
    CHECK(c.logging.every == 1);
    CHECK(c.logging.quiet);
    CHECK(c.output.dir == "r");
    CHECK(c.output.checkpoint_every == 0);
    CHECK_FALSE(c.output.plots);
}

TEST_CASE("config: an empty hidden_sizes list is softmax regression", "[config]") {
    const auto c = mm::parse_config(json::parse(R"({"model": {"hidden_sizes": []}})"), "x.json");
    CHECK(c.model.hidden_sizes.empty());
}

TEST_CASE("config: an unknown key names its path and suggests the nearest allowed key",
          "[config]") {
    CHECK(parse_error(R"({"optimizer": {"learning_rat": 0.1}})") ==
          R"(x.json: /optimizer/learning_rat: unknown key; did you mean "learning_rate"?)");
    CHECK(parse_error(R"({"training": {"batch-size": 10}})") ==
          R"(x.json: /training/batch-size: unknown key; did you mean "batch_size"?)");
    CHECK(parse_error(R"({"modle": {}})") ==
          R"(x.json: /modle: unknown key; did you mean "model"?)");
    // Nothing close: the allowed keys are listed instead.
    CHECK(parse_error(R"({"logging": {"verbosity": 3}})") ==
          R"(x.json: /logging/verbosity: unknown key; expected one of "every", "quiet")");
    // A real key at the wrong level says where it belongs.
    CHECK(parse_error(R"({"learning_rate": 0.1})") ==
          R"(x.json: /learning_rate: unknown key here; "learning_rate" belongs in /optimizer)");
    CHECK(parse_error(R"({"dir": "runs"})") ==
          R"(x.json: /dir: unknown key here; "dir" belongs in /dataset or /output)");
    // Keys with '/', '~' or control characters are escaped so the message stays one line.
    CHECK(
        parse_error("{\"a/b~\\n\": 1}") ==
        R"(x.json: /a~1b~0\u000a: unknown key; expected one of "dataset", "model", "loss", "gradient", "optimizer", "training", "logging", "output")");
}

TEST_CASE("config: a value of the wrong type names what was expected and what was found",
          "[config]") {
    CHECK(parse_error(R"({"training": {"batch_size": "100"}})") ==
          R"(x.json: /training/batch_size: expected an integer >= 1, found "100")");
    CHECK(parse_error(R"({"training": {"batch_size": 100.5}})") ==
          "x.json: /training/batch_size: expected an integer >= 1, found 100.5");
    CHECK(parse_error(R"({"training": {"iterations": 1e4}})") ==
          "x.json: /training/iterations: expected an integer >= 1 or null, found 10000.0");
    CHECK(parse_error(R"({"optimizer": {"learning_rate": "0.1"}})") ==
          R"(x.json: /optimizer/learning_rate: expected a finite number > 0, found "0.1")");
    CHECK(parse_error(R"({"optimizer": {"learning_rate": true}})") ==
          "x.json: /optimizer/learning_rate: expected a finite number > 0, found true");
    CHECK(parse_error(R"({"dataset": {"normalize": 1}})") ==
          "x.json: /dataset/normalize: expected true or false, found 1");
    CHECK(parse_error(R"({"dataset": {"dir": 5}})") ==
          "x.json: /dataset/dir: expected a string, found 5");
    CHECK(parse_error(R"({"model": {"hidden_sizes": 50}})") ==
          "x.json: /model/hidden_sizes: expected an array of integers >= 1 (empty: no hidden "
          "layer), found 50");
    CHECK(parse_error(R"({"model": {"hidden_sizes": [100, "50"]}})") ==
          R"(x.json: /model/hidden_sizes/1: expected an integer >= 1, found "50")");
    CHECK(parse_error(R"({"model": {"activation": null}})") ==
          R"(x.json: /model/activation: expected one of "sigmoid", "relu", found null)");
    CHECK(parse_error(R"({"training": 5})") == "x.json: /training: expected an object, found 5");
    CHECK(parse_error(R"({"training": {"seed": 1.0}})") ==
          "x.json: /training/seed: expected an integer from 0 to 4294967295, found 1.0");
    // A long value is cut short.
    CHECK(parse_error(R"({"loss": ")" + std::string(100, 'a') + R"("})") ==
          R"(x.json: /loss: expected one of "cross_entropy", "sum_squares", found ")" +
              std::string(56, 'a') + "...");
}

TEST_CASE("config: a top level that is not an object is rejected", "[config]") {
    CHECK(parse_error("[1, 2]") == "x.json: top level: expected an object, found [1,2]");
    CHECK(parse_error("null") == "x.json: top level: expected an object, found null");
}

TEST_CASE("config: every range rule has its own message", "[config]") {
    struct Case {
        std::string json, message;
    };
    const Case cases[] = {
        {R"({"training": {"batch_size": 0}})",
         "/training/batch_size: expected an integer >= 1, found 0"},
        {R"({"training": {"batch_size": -5}})",
         "/training/batch_size: expected an integer >= 1, found -5"},
        {R"({"optimizer": {"learning_rate": 0}})",
         "/optimizer/learning_rate: expected a finite number > 0, found 0"},
        {R"({"optimizer": {"learning_rate": -0.1}})",
         "/optimizer/learning_rate: expected a finite number > 0, found -0.1"},
        {R"({"model": {"hidden_sizes": [100, 0]}})",
         "/model/hidden_sizes/1: expected an integer >= 1, found 0"},
        {R"({"model": {"weight_init_std": 0}})",
         "/model/weight_init_std: expected a finite number > 0, found 0"},
        {R"({"optimizer": {"momentum": 1}})",
         "/optimizer/momentum: expected a number >= 0 and < 1, found 1"},
        {R"({"optimizer": {"momentum": -0.5}})",
         "/optimizer/momentum: expected a number >= 0 and < 1, found -0.5"},
        {R"({"optimizer": {"beta1": 1.0}})",
         "/optimizer/beta1: expected a number >= 0 and < 1, found 1.0"},
        {R"({"optimizer": {"beta2": 1.5}})",
         "/optimizer/beta2: expected a number >= 0 and < 1, found 1.5"},
        {R"({"training": {"iterations": 0}})",
         "/training/iterations: expected an integer >= 1 or null, found 0"},
        {R"({"training": {"epochs": 0}})",
         "/training/epochs: expected an integer >= 1 or null, found 0"},
        {R"({"training": {"eval_every": 0}})",
         "/training/eval_every: expected an integer >= 1 or null, found 0"},
        {R"({"logging": {"every": 0}})", "/logging/every: expected an integer >= 1, found 0"},
        {R"({"output": {"checkpoint_every": -1}})",
         "/output/checkpoint_every: expected an integer >= 0, found -1"},
        {R"({"output": {"dir": ""}})", R"(/output/dir: expected a non-empty string, found "")"},
        {R"({"training": {"seed": -1}})",
         "/training/seed: expected an integer from 0 to 4294967295, found -1"},
        {R"({"training": {"seed": 4294967296}})",
         "/training/seed: expected an integer from 0 to 4294967295, found 4294967296"},
        {R"({"training": {"loss_log": "before"}})",
         R"(/training/loss_log: expected one of "forward", "after_update", found "before")"},
        {R"({"training": {"sampling": "random"}})",
         R"(/training/sampling: expected one of "with_replacement", "shuffle", found "random")"},
        {R"({"model": {"dtype": "float16"}})",
         R"(/model/dtype: expected one of "float32", "float64", found "float16")"},
        {R"({"model": {"activation": "tanh"}})",
         R"(/model/activation: expected one of "sigmoid", "relu", found "tanh")"},
        {R"({"model": {"init": "zeros"}})",
         R"(/model/init: expected one of "normal", "he", "xavier", found "zeros")"},
        {R"({"gradient": "finite"})",
         R"(/gradient: expected one of "backprop", "numerical", found "finite")"},
        {R"({"loss": "mse"})",
         R"(/loss: expected one of "cross_entropy", "sum_squares", found "mse")"},
        {R"({"optimizer": {"name": "rmsprop"}})",
         R"(/optimizer/name: expected one of "sgd", "momentum", "adam", found "rmsprop")"},
        {R"({"dataset": {"name": "cifar10"}})",
         R"(/dataset/name: expected one of "mnist", "fashion-mnist", found "cifar10")"},
    };
    for (const auto& c : cases) {
        INFO(c.json);
        CHECK(parse_error(c.json) == "x.json: " + c.message);
    }
}

TEST_CASE("config: infinite and NaN numbers built in code are rejected", "[config]") {
    const auto with_rate = [](double rate) {
        return error_of([&] {
            mm::parse_config(json{{"optimizer", {{"learning_rate", rate}}}}, "x.json");
        });
    };
    CHECK(with_rate(std::numeric_limits<double>::infinity()) ==
          "x.json: /optimizer/learning_rate: expected a finite number > 0, found inf");
    CHECK(with_rate(std::numeric_limits<double>::quiet_NaN()) ==
          "x.json: /optimizer/learning_rate: expected a finite number > 0, found nan");
}

TEST_CASE("config: the edges of every range are accepted", "[config]") {
    const auto c = mm::parse_config(json::parse(R"({
        "optimizer": {"momentum": 0, "beta1": 0.9999999, "learning_rate": 1e-300},
        "training": {"seed": 0, "batch_size": 1, "iterations": 1, "eval_every": 1},
        "output": {"checkpoint_every": 0}, "logging": {"every": 1}})"),
                                    "x.json");
    CHECK(c.optimizer.learning_rate == 1e-300);
    CHECK(c.training.iterations == std::optional<std::size_t>(1));
}

TEST_CASE("config: iterations and epochs are mutually exclusive", "[config]") {
    CHECK(
        parse_error(R"({"training": {"iterations": 100, "epochs": 2}})") ==
        R"(x.json: /training: expected one of "iterations" and "epochs", found both (100 iterations, 2 epochs))");
    const auto by_epochs = mm::parse_config(
        json::parse(R"({"training": {"iterations": null, "epochs": 2}})"), "x.json");
    CHECK_FALSE(by_epochs.training.iterations);
    CHECK(by_epochs.training.epochs == std::optional<std::size_t>(2));
    const auto neither = mm::parse_config(
        json::parse(R"({"training": {"iterations": null, "epochs": null}})"), "x.json");
    CHECK(neither.training.iterations == std::optional<std::size_t>(10000));
}

TEST_CASE("config: invalid JSON names the file and the byte position", "[config]") {
    TempDir dir;
    const std::string path = dir.write("bad.json", "{\n  \"training\": {\"seed\": 1,}\n}\n");
    CHECK(error_of([&] { mm::load_config(path); }) ==
          path +
              ": invalid JSON at byte 28: parse error at line 2, column 26: syntax error while "
              "parsing object key - unexpected '}'; expected string literal");
    const std::string empty = dir.write("empty.json", "");
    CHECK(error_of([&] { mm::load_config(empty); }) ==
          empty +
              ": invalid JSON at byte 1: parse error at line 1, column 1: syntax error while "
              "parsing value - unexpected end of input; expected '[', '{', or a literal");
    const std::string huge = dir.write("huge.json", R"({"optimizer": {"learning_rate": 1e400}})");
    CHECK(error_of([&] { mm::load_config(huge); }) ==
          huge + ": invalid JSON: number overflow parsing '1e400'");
    const std::string trailing = dir.write("trailing.json", "{} x");
    CHECK(error_of([&] {
              mm::load_config(trailing);
          }).rfind(trailing + ": invalid JSON at byte 4: ", 0) == 0);
}

TEST_CASE("config: a duplicate key is an error, not a silent last-one-wins", "[config]") {
    TempDir dir;
    const std::string path = dir.write(
        "dup.json",
        R"({"model": {"hidden_sizes": [{"a": 1, "a": 2}]}, "optimizer": {"learning_rate": 0.1, "learning_rate": 1}})");
    CHECK(error_of([&] { mm::load_config(path); }) ==
          path + ": /model/hidden_sizes/0/a: duplicate key; each key may appear only once");
    const std::string second = dir.write(
        "dup2.json",
        R"({"model": {"hidden_sizes": [1, 2]}, "optimizer": {"learning_rate": 0.1, "learning_rate": 1}})");
    CHECK(error_of([&] { mm::load_config(second); }) ==
          second + ": /optimizer/learning_rate: duplicate key; each key may appear only once");
}

TEST_CASE("config: a file that cannot be read says so", "[config]") {
    TempDir dir;
    const std::string missing = dir.file("missing.json");
    CHECK(error_of([&] { mm::load_config(missing); }) ==
          missing + ": cannot open: No such file or directory");
    CHECK(error_of([&] { mm::load_config(dir.path()); }) ==
          dir.path() + ": cannot read a directory, expected a JSON config file");
}

TEST_CASE("config: load_config reads a file and its overrides", "[config]") {
    TempDir dir;
    const std::string path = dir.write(
        "c.json", R"({"training": {"iterations": 500}, "model": {"activation": "sigmoid"}})");
    const auto c = mm::load_config(
        path, {"training.seed=3", "model.activation=relu", "model.hidden_sizes=[100,50]",
               "output.dir=runs/x y", "dataset.one_hot=false", "optimizer.learning_rate=0.5"});
    CHECK(c.training.seed == 3);
    CHECK(c.training.iterations == std::optional<std::size_t>(500));
    CHECK(c.model.activation == "relu");
    CHECK(c.model.hidden_sizes == std::vector<std::size_t>{100, 50});
    CHECK(c.output.dir == "runs/x y");
    CHECK_FALSE(c.dataset.one_hot);
    CHECK(c.optimizer.learning_rate == 0.5);
    // The later of two overrides of one key wins; a quoted JSON string stays a string.
    const auto later = mm::load_config(path, {"output.dir=a", "output.dir=\"123\""});
    CHECK(later.output.dir == "123");
}

TEST_CASE("config: an override of the run length replaces the one in the file", "[config]") {
    TempDir dir;
    const std::string path = dir.write("c.json", R"({"training": {"iterations": 500}})");
    const auto by_epochs = mm::load_config(path, {"training.epochs=3"});
    CHECK_FALSE(by_epochs.training.iterations);
    CHECK(by_epochs.training.epochs == std::optional<std::size_t>(3));
    CHECK(
        error_of([&] {
            mm::load_config(path, {"training.epochs=3", "training.iterations=7"});
        }) ==
        path +
            R"(: /training: expected one of "iterations" and "epochs", found both (7 iterations, 3 epochs))");
    // Without overrides the file's own conflict is still an error.
    const std::string both =
        dir.write("both.json", R"({"training": {"iterations": 5, "epochs": 1}})");
    CHECK(
        error_of([&] { mm::load_config(both); }) ==
        both +
            R"(: /training: expected one of "iterations" and "epochs", found both (5 iterations, 1 epochs))");
}

TEST_CASE("config: an override must name a known key", "[config]") {
    TempDir dir;
    const std::string path = dir.write("c.json", "{}");
    CHECK(error_of([&] { mm::load_config(path, {"training.sed=1"}); }) ==
          path + R"(: --set training.sed=1: /training/sed: unknown key; did you mean "seed"?)");
    CHECK(error_of([&] { mm::load_config(path, {"trainig.seed=1"}); }) ==
          path + R"(: --set trainig.seed=1: /trainig: unknown key; did you mean "training"?)");
    CHECK(
        error_of([&] { mm::load_config(path, {"training=1"}); }) ==
        path +
            R"(: --set training=1: /training: expected a key of this section, one of "iterations", "epochs", "batch_size", "sampling", "seed", "eval_every", "loss_log")");
    CHECK(error_of([&] { mm::load_config(path, {"loss.name=x"}); }) ==
          path +
              ": --set loss.name=x: /loss/name: unknown key; /loss is a value, not an object with "
              "keys");
    CHECK(
        error_of([&] { mm::load_config(path, {"training.seed"}); }) ==
        path +
            R"(: --set training.seed: top level: expected key.path=value (e.g. training.seed=3), found no "=")");
    // The file's section must be an object for an override to go inside it.
    const std::string scalar = dir.write("s.json", R"({"training": 5})");
    CHECK(error_of([&] { mm::load_config(scalar, {"training.seed=1"}); }) ==
          scalar + ": /training: expected an object, found 5");
}

TEST_CASE("config: a bad override value names the override", "[config]") {
    TempDir dir;
    const std::string path = dir.write("c.json", R"({"training": {"seed": 1}})");
    CHECK(
        error_of([&] { mm::load_config(path, {"training.seed=abc"}); }) ==
        path +
            R"(: --set training.seed=abc: /training/seed: expected an integer from 0 to 4294967295, found "abc")");
    CHECK(error_of([&] { mm::load_config(path, {"model.hidden_sizes=[100,0]"}); }) ==
          path +
              ": --set model.hidden_sizes=[100,0]: /model/hidden_sizes/1: expected an integer >= "
              "1, found 0");
    CHECK(error_of([&] { mm::load_config(path, {"output.dir="}); }) ==
          path + R"(: --set output.dir=: /output/dir: expected a non-empty string, found "")");
    // An error in the file itself names only the file.
    const std::string bad = dir.write("bad.json", R"({"training": {"batch_size": 0}})");
    CHECK(error_of([&] { mm::load_config(bad, {"training.seed=2"}); }) ==
          bad + ": /training/batch_size: expected an integer >= 1, found 0");
}

TEST_CASE("config: to_json writes every key and round-trips", "[config]") {
    mm::Config c;
    c.dataset.name = "fashion-mnist";
    c.dataset.one_hot = false;
    c.model.hidden_sizes = {};
    c.model.weight_init_std = 0.1 + 0.2;  // not a short decimal: checks the exact round trip
    c.optimizer.learning_rate = 1.0 / 3.0;
    c.training.epochs = 4;
    c.training.seed = 4000000000u;
    c.training.eval_every = 17;
    c.output.checkpoint_every = 0;

    const json j = mm::to_json(c);
    CHECK(j["training"]["iterations"].is_null());
    CHECK(j["training"]["epochs"] == 4);
    CHECK(j["dataset"]["dir"] == "");
    const std::set<std::string> sections{"dataset",   "model",    "loss",    "gradient",
                                         "optimizer", "training", "logging", "output"};
    std::set<std::string> top;
    for (const auto& item : j.items()) top.insert(item.key());
    CHECK(top == sections);
    CHECK(j["dataset"].size() == 5);
    CHECK(j["model"].size() == 5);
    CHECK(j["optimizer"].size() == 5);
    CHECK(j["training"].size() == 7);
    CHECK(j["logging"].size() == 2);
    CHECK(j["output"].size() == 3);

    CHECK(mm::parse_config(j, "x.json") == c);
    CHECK(mm::parse_config(json::parse(j.dump()), "x.json") == c);
    mm::Config other = c;
    other.model.weight_init_std = 0.3;
    CHECK(mm::parse_config(j, "x.json") != other);

    const mm::Config defaults = mm::parse_config(json::object(), "x.json");
    const json d = mm::to_json(defaults);
    CHECK(d["training"]["iterations"] == 10000);
    CHECK(d["training"]["epochs"].is_null());
    CHECK(d["training"]["eval_every"].is_null());
    CHECK(mm::parse_config(json::parse(d.dump(2)), "x.json") == defaults);
}

TEST_CASE("config: every shipped config parses", "[config]") {
    const fs::path dir = fs::path(MM_SOURCE_DIR) / "configs";
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".json") continue;
        names.insert(entry.path().filename().string());
        INFO(entry.path());
        const mm::Config c = mm::load_config(entry.path().string());
        CHECK(mm::parse_config(mm::to_json(c), entry.path().string()) == c);
        CHECK(c.output.dir == "runs/" + entry.path().stem().string());
    }
    for (const char* expected : {"chapter4.json", "chapter4-book.json", "softmax-regression.json",
                                 "sse.json", "relu-adam.json", "fashion-mnist.json", "quick.json"})
        CHECK(names.count(expected) == 1);
}

TEST_CASE("config: chapter4.json is the book's run", "[config]") {
    const auto c = mm::load_config(std::string(MM_SOURCE_DIR) + "/configs/chapter4.json");
    CHECK(c.model.hidden_sizes == std::vector<std::size_t>{50});
    CHECK(c.model.activation == "sigmoid");
    CHECK(c.model.init == "normal");
    CHECK(c.model.weight_init_std == 0.01);
    CHECK(c.model.dtype == "float32");
    CHECK(c.loss == "cross_entropy");
    CHECK(c.optimizer.name == "sgd");
    CHECK(c.optimizer.learning_rate == 0.1);
    CHECK(c.training.batch_size == 100);
    CHECK(c.training.iterations == std::optional<std::size_t>(10000));
    CHECK(c.training.sampling == "with_replacement");
    CHECK(c.training.seed == 0);
    CHECK_FALSE(c.training.eval_every);

    // The book replay differs only in precision, loss logging and where it writes.
    auto book = mm::load_config(std::string(MM_SOURCE_DIR) + "/configs/chapter4-book.json");
    CHECK(book.model.dtype == "float64");
    CHECK(book.training.loss_log == "after_update");
    book.model.dtype = c.model.dtype;
    book.training.loss_log = c.training.loss_log;
    book.output.dir = c.output.dir;
    CHECK(book == c);
}

TEST_CASE("config: quick.json is a short run that evaluates and checkpoints", "[config]") {
    const auto c = mm::load_config(std::string(MM_SOURCE_DIR) + "/configs/quick.json");
    REQUIRE(c.training.iterations);
    CHECK(*c.training.iterations <= 1000);
    REQUIRE(c.training.eval_every);
    CHECK(*c.training.eval_every < *c.training.iterations);
    CHECK(c.output.checkpoint_every > 0);
    CHECK(c.output.checkpoint_every < *c.training.iterations);
}

TEST_CASE("config: the batch must fit in the train set", "[config]") {
    mm::Config c;
    c.training.batch_size = 60000;
    CHECK_NOTHROW(mm::validate_against_dataset(c, 60000, "x.json"));
    c.training.batch_size = 60001;
    CHECK(error_of([&] { mm::validate_against_dataset(c, 60000, "x.json"); }) ==
          "x.json: /training/batch_size: expected an integer from 1 to 60000 (the size of the "
          "train set), found 60001");
    c.gradient = "numerical";
    c.training.batch_size = 1;
    CHECK_NOTHROW(mm::validate_against_dataset(c, 60000, "x.json"));
}

TEST_CASE("config: unflattened images are refused, the network is fully connected", "[config]") {
    CHECK(error_of([] { mm::parse_config(json::parse(R"({"dataset": {"flatten": false}})"), "f.json"); }) ==
          "f.json: /dataset/flatten: expected true (the fully connected network takes each image as "
          "one flat vector; false is the book's layout for convolutional networks), found false");
}
