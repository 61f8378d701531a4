#include <map>
#include <utility>
#include <vector>

// Puts every entry of B in a std::map keyed by (row, column), so that
// B(k, j) is an O(log nnz) lookup instead of a scan of row k. But it is
// still one dot product per (i, j), n^2 of them, and each lookup chases a
// dozen tree pointers where the scan read a few contiguous entries: slower.
void sparse_csr_spgemm(int n, const std::vector<int>& ap, const std::vector<int>& ai, const std::vector<double>& av,
                       const std::vector<int>& bp, const std::vector<int>& bi, const std::vector<double>& bv,
                       std::vector<int>& cp, std::vector<int>& ci, std::vector<double>& cv) {
    std::map<std::pair<int, int>, double> b;
    for (int k = 0; k < n; ++k)
        for (int q = bp[k]; q < bp[k + 1]; ++q) b[{k, bi[q]}] = bv[q];
    cp.assign(n + 1, 0);
    ci.clear();
    cv.clear();
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) {
            double s = 0.0;
            bool found = false;
            for (int p = ap[i]; p < ap[i + 1]; ++p) {
                auto it = b.find({ai[p], j});
                if (it != b.end()) {
                    s += av[p] * it->second;
                    found = true;
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
