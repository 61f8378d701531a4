#include <vector>

// Clears y with y.assign(y.size()), as if assign took a size; it takes a
// count and a value (or a range).
void sparse_coo_spmv(const std::vector<int>& rows, const std::vector<int>& cols, const std::vector<double>& vals,
                     const std::vector<double>& x, std::vector<double>& y) {
    y.assign(y.size());
    for (std::size_t t = 0; t < rows.size(); ++t) y[rows[t]] += vals[t] * x[cols[t]];
}
