#pragma once
#include <vector>

/* y = a x + b y, computed element by element. */
void NO_INLINE correct_kernel_axpby(int n, double a, std::vector<std::vector<double>> const& x, double b, std::vector<std::vector<double>>& y) {
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++)
            y[i][j] = a * x[i][j] + b * y[i][j];
}
