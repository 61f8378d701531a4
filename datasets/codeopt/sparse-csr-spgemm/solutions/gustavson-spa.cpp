#include <algorithm>
#include <vector>

// Gustavson's row-by-row product with a sparse accumulator: for each entry
// A(i, k), row k of B is added, scaled, into a dense value array; a marker
// array remembers which columns row i has touched, and only those are
// sorted and emitted. O(flops + nnz(C) log) instead of O(n^2) dot products.
void sparse_csr_spgemm(int n, const std::vector<int>& ap, const std::vector<int>& ai, const std::vector<double>& av,
                       const std::vector<int>& bp, const std::vector<int>& bi, const std::vector<double>& bv,
                       std::vector<int>& cp, std::vector<int>& ci, std::vector<double>& cv) {
    cp.assign(n + 1, 0);
    ci.clear();
    cv.clear();
    std::vector<double> acc(n, 0.0);
    std::vector<int> mark(n, -1);
    std::vector<int> touched;
    for (int i = 0; i < n; ++i) {
        touched.clear();
        for (int p = ap[i]; p < ap[i + 1]; ++p) {
            const int k = ai[p];
            const double a = av[p];
            for (int q = bp[k]; q < bp[k + 1]; ++q) {
                const int j = bi[q];
                if (mark[j] != i) {
                    mark[j] = i;
                    acc[j] = 0.0;
                    touched.push_back(j);
                }
                acc[j] += a * bv[q];
            }
        }
        std::sort(touched.begin(), touched.end());
        for (int j : touched) {
            ci.push_back(j);
            cv.push_back(acc[j]);
        }
        cp[i + 1] = int(ci.size());
    }
}
