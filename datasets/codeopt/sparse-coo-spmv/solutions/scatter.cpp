#include <algorithm>
#include <vector>

// One pass over the triplets, each adding its product to its row's sum:
// O(nnz) instead of a scan of all triplets per row.
void sparse_coo_spmv(const std::vector<int>& rows, const std::vector<int>& cols, const std::vector<double>& vals,
                     const std::vector<double>& x, std::vector<double>& y) {
    std::fill(y.begin(), y.end(), 0.0);
    for (std::size_t t = 0; t < rows.size(); ++t) y[rows[t]] += vals[t] * x[cols[t]];
}
