#pragma once
#include <array>
#include <vector>

/* Return the sum of the squares of the elements of x. */
double NO_INLINE correctSumOfSquares(std::vector<double> const& x) {
    double sum = 0.0;
    for (size_t i = 0; i < x.size(); i++) {
        sum += std::pow(x[i], 2);
    }
    return sum;
}
