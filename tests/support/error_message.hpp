#pragma once
// The message of the mm::Error that `f` throws; any other outcome fails the test.
#include <mnist_minibatch/error.hpp>

#include <catch2/catch.hpp>

#include <string>

namespace mm::test {

template <class F>
std::string error_message(F&& f) {
    try {
        f();
    } catch (const mm::Error& e) {
        return e.what();
    }
    FAIL("expected an mm::Error");
    return {};
}

}  // namespace mm::test
