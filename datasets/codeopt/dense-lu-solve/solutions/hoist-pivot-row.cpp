#include <vector>

void dense_lu_solve(std::vector<double>& a, std::vector<double>& b, int n) {
    // Same column-oriented elimination, with the pivot-row entry a[k][j]
    // and the row offsets hoisted out of the inner loop.
    for (int k = 0; k < n; ++k) {
        const int kn = k * n;
        const double pivot = a[kn + k];
        for (int i = k + 1; i < n; ++i) a[i * n + k] /= pivot;
        for (int j = k + 1; j < n; ++j) {
            const double akj = a[kn + j];
            for (int i = k + 1; i < n; ++i) {
                const int in = i * n;
                a[in + j] -= a[in + k] * akj;
            }
        }
    }
    for (int i = 0; i < n; ++i) {
        const int in = i * n;
        for (int j = 0; j < i; ++j) b[i] -= a[in + j] * b[j];
    }
    for (int i = n - 1; i >= 0; --i) {
        const int in = i * n;
        for (int j = i + 1; j < n; ++j) b[i] -= a[in + j] * b[j];
        b[i] /= a[in + i];
    }
}
