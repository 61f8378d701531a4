#include <vector>

// Converts to compressed sparse rows with a counting sort (stable, so each
// row keeps its triplets' order), then one dot product per row.
void sparse_coo_spmv(const std::vector<int>& rows, const std::vector<int>& cols, const std::vector<double>& vals,
                     const std::vector<double>& x, std::vector<double>& y) {
    const std::size_t n = y.size(), nnz = rows.size();
    std::vector<int> start(n + 1, 0);
    for (int r : rows) start[r + 1]++;
    for (std::size_t r = 0; r < n; ++r) start[r + 1] += start[r];
    std::vector<int> next(start.begin(), start.end() - 1), col(nnz);
    std::vector<double> val(nnz);
    for (std::size_t t = 0; t < nnz; ++t) {
        int p = next[rows[t]]++;
        col[p] = cols[t];
        val[p] = vals[t];
    }
    for (std::size_t r = 0; r < n; ++r) {
        double s = 0.0;
        for (int p = start[r]; p < start[r + 1]; ++p) s += val[p] * x[col[p]];
        y[r] = s;
    }
}
