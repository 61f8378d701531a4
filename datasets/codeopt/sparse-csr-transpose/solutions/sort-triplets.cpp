#include <algorithm>
#include <tuple>
#include <vector>

// Lists the entries as (column, row, value) triplets, sorts them, and
// reads the transpose off in order. O(nnz log nnz).
void sparse_csr_transpose(int n, const std::vector<int>& ptr, const std::vector<int>& idx, const std::vector<double>& val,
                          std::vector<int>& tptr, std::vector<int>& tidx, std::vector<double>& tval) {
    std::vector<std::tuple<int, int, double>> t;
    t.reserve(ptr[n]);
    for (int r = 0; r < n; ++r)
        for (int p = ptr[r]; p < ptr[r + 1]; ++p) t.emplace_back(idx[p], r, val[p]);
    std::sort(t.begin(), t.end(), [](const auto& a, const auto& b) {
        return std::get<0>(a) != std::get<0>(b) ? std::get<0>(a) < std::get<0>(b) : std::get<1>(a) < std::get<1>(b);
    });
    tptr.assign(n + 1, 0);
    tidx.resize(t.size());
    tval.resize(t.size());
    for (std::size_t k = 0; k < t.size(); ++k) {
        tptr[std::get<0>(t[k]) + 1]++;
        tidx[k] = std::get<1>(t[k]);
        tval[k] = std::get<2>(t[k]);
    }
    for (int c = 0; c < n; ++c) tptr[c + 1] += tptr[c];
}
