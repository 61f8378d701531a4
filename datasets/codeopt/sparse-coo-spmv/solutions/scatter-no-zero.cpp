#include <vector>

// One scatter pass over the triplets, but y is not cleared first: the
// products are added to whatever y held on entry.
void sparse_coo_spmv(const std::vector<int>& rows, const std::vector<int>& cols, const std::vector<double>& vals,
                     const std::vector<double>& x, std::vector<double>& y) {
    for (std::size_t t = 0; t < rows.size(); ++t) y[rows[t]] += vals[t] * x[cols[t]];
}
