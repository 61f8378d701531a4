#pragma once
#include <vector>

/* Return the sum of the squares of the elements of x (a reference of its
   own, unlike the LessonL-layout fixture's). */
double NO_INLINE correctSumOfSquares(std::vector<double> const& x) {
    double sum = 0.0;
    for (size_t i = 1; i < x.size(); i++) {
        sum += x[i] * x[i];
    }
    return sum;
}
