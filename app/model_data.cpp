#include "model_data.hpp"

#include <mnist_minibatch/error.hpp>

namespace mm::app {

MnistSplit load_split_for_model(const ModelMeta& meta, const std::string& data_dir,
                                const std::string& split_name, std::string& dir_out) {
    dir_out = resolve_data_dir(meta.dataset, data_dir);
    const MnistFiles files = find_mnist_files(dir_out, meta.dataset);
    const bool test = split_name == "test";
    MnistSplit split = load_mnist_split(test ? files.test_images : files.train_images,
                                        test ? files.test_labels : files.train_labels,
                                        meta.spec.output_size);
    if (split.pixels() != meta.spec.input_size)
        throw Error("the model expects " + std::to_string(meta.spec.input_size) +
                    " pixels per image, the " + split_name + " split in " + dir_out + " has " +
                    std::to_string(split.pixels()));
    return split;
}

}  // namespace mm::app
