#include <vector>

// sparse_coo_spmv computes y = A x for an n x n sparse matrix A given as
// unsorted coordinate triplets (rows[t], cols[t], vals[t]); repeated
// coordinates add up. y has n elements on entry, whatever their values.
void sparse_coo_spmv(const std::vector<int>& rows, const std::vector<int>& cols, const std::vector<double>& vals,
                     const std::vector<double>& x, std::vector<double>& y) {
    const int n = int(y.size());
    for (int r = 0; r < n; ++r) {
        double s = 0.0;
        for (std::size_t t = 0; t < rows.size(); ++t) {
            if (rows[t] == r) s += vals[t] * x[cols[t]];
        }
        y[r] = s;
    }
}
