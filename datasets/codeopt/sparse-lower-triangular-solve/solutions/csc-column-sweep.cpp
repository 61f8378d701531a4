#include <vector>

// Converts L to compressed sparse columns with a counting sort (diagonal
// kept apart), then solves column by column: once x[j] is final, its
// column's entries are subtracted from the rows below. O(n + nnz), and each
// x[i] receives its updates in ascending column order, as in the baseline.
void sparse_lower_solve(int n, const std::vector<int>& ptr, const std::vector<int>& idx, const std::vector<double>& val,
                        std::vector<double>& x) {
    std::vector<double> diag(n, 0.0);
    std::vector<int> start(n + 1, 0);
    for (int i = 0; i < n; ++i) {
        for (int p = ptr[i]; p < ptr[i + 1]; ++p) {
            if (idx[p] == i) diag[i] = val[p];
            else ++start[idx[p] + 1];
        }
    }
    for (int j = 0; j < n; ++j) start[j + 1] += start[j];
    std::vector<int> row(start[n]);
    std::vector<double> v(start[n]);
    std::vector<int> fill(start.begin(), start.end() - 1);
    for (int i = 0; i < n; ++i) {
        for (int p = ptr[i]; p < ptr[i + 1]; ++p) {
            const int j = idx[p];
            if (j == i) continue;
            row[fill[j]] = i;
            v[fill[j]] = val[p];
            ++fill[j];
        }
    }
    for (int j = 0; j < n; ++j) {
        const double xj = x[j] / diag[j];
        x[j] = xj;
        for (int q = start[j]; q < start[j + 1]; ++q) x[row[q]] -= v[q] * xj;
    }
}
