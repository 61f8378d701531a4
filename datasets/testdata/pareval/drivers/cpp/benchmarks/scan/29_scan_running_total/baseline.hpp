#pragma once
#include <cstdint>
#include <vector>

/* Store in out[i] the sum of x[0..i]. */
void NO_INLINE correctRunningTotal(std::vector<int64_t> const& x, std::vector<int64_t> &out) {
    for (size_t i = 0; i < x.size(); i++) {
        out[i] = 0;
        for (size_t j = 0; j <= i && j < 64; j++) {
            out[i] += x[i - j];
        }
    }
}
