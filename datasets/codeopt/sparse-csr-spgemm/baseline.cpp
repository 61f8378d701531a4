#include <vector>

// sparse_csr_spgemm computes C = A B for n x n sparse matrices in
// compressed sparse row form (row i's entries are idx/val[ptr[i] ..
// ptr[i+1]), column indices ascending). C gets an entry for every (i, j)
// where some k has both A(i, k) and B(k, j) stored, even if the products
// cancel, and its rows are in ascending column order too.
void sparse_csr_spgemm(int n, const std::vector<int>& ap, const std::vector<int>& ai, const std::vector<double>& av,
                       const std::vector<int>& bp, const std::vector<int>& bi, const std::vector<double>& bv,
                       std::vector<int>& cp, std::vector<int>& ci, std::vector<double>& cv) {
    cp.assign(n + 1, 0);
    ci.clear();
    cv.clear();
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) {
            // C(i, j) = sum over k of A(i, k) B(k, j): for each entry of
            // row i of A, look for column j in row k of B.
            double s = 0.0;
            bool found = false;
            for (int p = ap[i]; p < ap[i + 1]; ++p) {
                const int k = ai[p];
                for (int q = bp[k]; q < bp[k + 1]; ++q) {
                    if (bi[q] == j) {
                        s += av[p] * bv[q];
                        found = true;
                        break;
                    }
                }
            }
            if (found) {
                ci.push_back(j);
                cv.push_back(s);
            }
        }
        cp[i + 1] = int(ci.size());
    }
}
