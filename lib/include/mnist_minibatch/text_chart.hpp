#pragma once
// A chart made of characters, for a terminal: each column covers an equal share of the x range
// and shows the spread of its values (':') and their mean ('*'), so any number of points fits.
#include <cstddef>
#include <string>
#include <vector>

namespace mm {

// `width` x `height` characters of plot (at least 8 x 3) plus a y-label margin on the left and
// an x-range line below; non-finite values are left out. Lines end with '\n'.
std::string text_chart(const std::vector<double>& x, const std::vector<double>& y,
                       std::size_t width, std::size_t height);

}  // namespace mm
