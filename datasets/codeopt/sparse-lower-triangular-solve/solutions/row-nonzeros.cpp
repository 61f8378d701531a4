#include <vector>

// Row-oriented forward substitution over the stored entries only: each row
// is one pass over its nonzeros, picking out the diagonal as it goes, so
// the solve costs O(n + nnz) instead of O(n^2) lookups that each scan a row.
void sparse_lower_solve(int n, const std::vector<int>& ptr, const std::vector<int>& idx, const std::vector<double>& val,
                        std::vector<double>& x) {
    for (int i = 0; i < n; ++i) {
        double s = x[i];
        double diag = 0.0;
        for (int p = ptr[i]; p < ptr[i + 1]; ++p) {
            const int j = idx[p];
            if (j == i) diag = val[p];
            else s -= val[p] * x[j];
        }
        x[i] = s / diag;
    }
}
