#include <vector>

// Loop interchange: instead of one dot product per (i, j), each row of C is
// built by adding the scaled rows of B that A's row selects into a dense
// row buffer with a flag per column, which is then swept once in column
// order. O(n^2 + flops): the sweep is a cheap sequential pass, and no row
// of B is ever searched.
void sparse_csr_spgemm(int n, const std::vector<int>& ap, const std::vector<int>& ai, const std::vector<double>& av,
                       const std::vector<int>& bp, const std::vector<int>& bi, const std::vector<double>& bv,
                       std::vector<int>& cp, std::vector<int>& ci, std::vector<double>& cv) {
    cp.assign(n + 1, 0);
    ci.clear();
    cv.clear();
    std::vector<double> row(n, 0.0);
    std::vector<char> used(n, 0);
    for (int i = 0; i < n; ++i) {
        for (int p = ap[i]; p < ap[i + 1]; ++p) {
            const int k = ai[p];
            const double a = av[p];
            for (int q = bp[k]; q < bp[k + 1]; ++q) {
                row[bi[q]] += a * bv[q];
                used[bi[q]] = 1;
            }
        }
        for (int j = 0; j < n; ++j) {
            if (used[j]) {
                ci.push_back(j);
                cv.push_back(row[j]);
                row[j] = 0.0;
                used[j] = 0;
            }
        }
        cp[i + 1] = int(ci.size());
    }
}
