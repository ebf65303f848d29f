#include <mnist_minibatch/atomic_file.hpp>
#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/mnist_dataset.hpp>
#include <mnist_minibatch/mnist_fetch.hpp>
#include <mnist_minibatch/sha256.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <spawn.h>
#include <sys/wait.h>

extern char** environ;

namespace fs = std::filesystem;

namespace mm {
namespace {

std::string read_whole_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("cannot open '" + path + "': " + std::strerror(errno));
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Runs argv[0] from PATH and waits; returns its exit status, or -1 when it could not start.
int run_program(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) return -1;
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

// Downloads `url` to `target`; an empty string on success, else why it failed.
std::string download(const std::string& url, const std::string& target) {
    const int curl = run_program({"curl", "-fsSL", "--retry", "2", "--connect-timeout", "20", "-o",
                                  target, url});
    if (curl == 0) return {};
    if (curl >= 0) return "curl exited with status " + std::to_string(curl);
    const int wget = run_program({"wget", "-q", "--tries=3", "--timeout=20", "-O", target, url});
    if (wget == 0) return {};
    if (wget >= 0) return "wget exited with status " + std::to_string(wget);
    return "neither curl nor wget could be run (install one of them)";
}

// Why the content of `path` is not the expected one, or an empty string when it is.
std::string content_mismatch(const std::string& path, const std::string& expected) {
    try {
        const std::string found = content_sha256_hex(path);
        if (found == expected) return {};
        return "SHA-256 of the uncompressed content is " + found + ", expected " + expected;
    } catch (const Error& e) {
        return e.what();
    }
}

class ScratchDir {
public:
    ScratchDir() {
        std::random_device rd;
        path_ = fs::temp_directory_path() /
                ("mnist-fetch-" + std::to_string(rd()) + std::to_string(rd()));
        fs::create_directories(path_);
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    fs::path path() const { return path_; }

private:
    fs::path path_;
};

// Tries every source for one file; on success returns the written path.
std::string fetch_file(const FetchOptions& options, const std::string& name,
                       const std::string& expected, std::ostream& log) {
    std::vector<std::string> failures;
    // `origin` is what the user knows the source by: the URL or the local path.
    auto accept = [&](const std::string& source, const std::string& origin,
                      const std::string& file_name) {
        const std::string why = content_mismatch(source, expected);
        if (!why.empty()) {
            failures.push_back(origin + ": " + why);
            return std::string();
        }
        const std::string target = (fs::path(options.dir) / file_name).string();
        write_file_atomically(target, read_whole_file(source));
        log << name << ": fetched from " << origin << " (content SHA-256 verified)\n";
        return target;
    };
    if (!options.from.empty()) {
        for (const auto& variant : mnist_file_variants(name)) {
            const fs::path source = fs::path(options.from) / variant;
            std::error_code ec;
            if (!fs::exists(source, ec)) continue;
            const std::string written = accept(source.string(), source.string(), variant);
            if (!written.empty()) return written;
        }
        if (failures.empty())
            failures.push_back("'" + options.from + "' has no " + name + " (nor .gz, nor dot-named)");
    } else {
        const ScratchDir scratch;
        for (std::string mirror : options.mirrors.empty() ? default_mirrors(options.dataset)
                                                          : options.mirrors) {
            if (!mirror.empty() && mirror.back() != '/') mirror += '/';
            const std::string url = mirror + name + ".gz";
            const std::string target = (scratch.path() / (name + ".gz")).string();
            const std::string why = download(url, target);
            if (!why.empty()) {
                failures.push_back(url + ": " + why);
                continue;
            }
            const std::string written = accept(target, url, name + ".gz");
            if (!written.empty()) return written;
        }
    }
    std::string all;
    for (const auto& f : failures) all += "\n  " + f;
    throw Error("could not fetch " + name + " of dataset '" + options.dataset + "' into '" +
                options.dir + "'; tried:" + all);
}

}  // namespace

std::vector<std::string> default_mirrors(const std::string& dataset) {
    if (dataset == "mnist")
        return {"https://ossci-datasets.s3.amazonaws.com/mnist/",
                "https://storage.googleapis.com/cvdf-datasets/mnist/",
                "http://yann.lecun.com/exdb/mnist/"};
    if (dataset == "fashion-mnist")
        return {"http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
                "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"};
    throw Error("unknown dataset '" + dataset + "': expected 'mnist' or 'fashion-mnist'");
}

void fetch_dataset(const FetchOptions& options, std::ostream& log) {
    default_mirrors(options.dataset);  // rejects an unknown dataset name before any work
    std::error_code ec;
    fs::create_directories(options.dir, ec);
    if (!fs::is_directory(options.dir, ec))
        throw Error("cannot create the dataset folder '" + options.dir + "'" +
                    (ec ? ": " + ec.message() : std::string()));
    for (const auto& name : mnist_file_names()) {
        const std::string expected = options.checksums.empty()
                                         ? *expected_content_sha256(options.dataset, name)
                                         : options.checksums.at(name);
        std::vector<std::string> stale;
        std::string verified;
        for (const auto& variant : mnist_file_variants(name)) {
            const std::string path = (fs::path(options.dir) / variant).string();
            if (!fs::exists(path, ec)) continue;
            const std::string why = content_mismatch(path, expected);
            if (why.empty()) {
                log << name << ": " << path << " already verified, skipped\n";
                verified = path;
                break;
            }
            log << name << ": " << path << " does not verify (" << why << "), replacing it\n";
            stale.push_back(path);
        }
        const std::string written =
            verified.empty() ? fetch_file(options, name, expected, log) : verified;
        // A bad copy under a preferred name would shadow the good one in find_mnist_files.
        for (const auto& path : stale)
            if (path != written) fs::remove(path, ec);
    }
}

}  // namespace mm
