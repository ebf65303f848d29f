#pragma once
// The one exception type the library throws for bad input: its message is complete enough to be
// shown to a user as is (file or JSON path, byte offset, what was expected, what was found).
#include <stdexcept>
#include <string>

namespace mm {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace mm
