#pragma once
// The test confusion matrix as a heat map: row = true label, column = predicted label, each cell
// shaded by its share of the row (so every row reads as "where did the k's go") and labelled with
// its count; each row's accuracy is written at its right.
#include <cstdint>
#include <string>
#include <vector>

namespace mm {

using ConfusionMatrix = std::vector<std::vector<std::int64_t>>;

// Throws mm::Error unless the matrix is square with non-negative counts.
std::string confusion_chart_svg(const ConfusionMatrix& confusion);

}  // namespace mm
