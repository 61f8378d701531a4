#include <numeric>
#include <vector>

// Branch-free per row: computes every triplet's product, masked to zero
// when the triplet is in another row, then sums them with
// std::accumulate. No branch to mispredict, but each row now multiplies
// and stores all nnz products.
void sparse_coo_spmv(const std::vector<int>& rows, const std::vector<int>& cols, const std::vector<double>& vals,
                     const std::vector<double>& x, std::vector<double>& y) {
    const int n = int(y.size());
    std::vector<double> products(rows.size());
    for (int r = 0; r < n; ++r) {
        for (std::size_t t = 0; t < rows.size(); ++t) products[t] = rows[t] == r ? vals[t] * x[cols[t]] : 0.0;
        y[r] = std::accumulate(products.begin(), products.end(), 0.0);
    }
}
