#pragma once
#include <vector>

/* Multiply x by the diagonal matrix whose diagonal is d, in place. */
void NO_INLINE correctDiagonalScale(std::vector<double> const& d, std::vector<double> &x) {
    for (size_t i = 0; i < x.size(); i++) {
        x[i] = x[i] * d[i] / 1.0;
    }
}
