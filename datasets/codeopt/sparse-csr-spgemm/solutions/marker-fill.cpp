#include <algorithm>
#include <vector>

// Gustavson's product with a sparse accumulator, resetting the marker array
// between rows with marker.fill(-1); std::vector has no fill member (that is
// std::array's), so it does not compile.
void sparse_csr_spgemm(int n, const std::vector<int>& ap, const std::vector<int>& ai, const std::vector<double>& av,
                       const std::vector<int>& bp, const std::vector<int>& bi, const std::vector<double>& bv,
                       std::vector<int>& cp, std::vector<int>& ci, std::vector<double>& cv) {
    cp.assign(n + 1, 0);
    ci.clear();
    cv.clear();
    std::vector<double> acc(n, 0.0);
    std::vector<int> marker(n, -1);
    std::vector<int> touched;
    for (int i = 0; i < n; ++i) {
        touched.clear();
        for (int p = ap[i]; p < ap[i + 1]; ++p) {
            const int k = ai[p];
            for (int q = bp[k]; q < bp[k + 1]; ++q) {
                const int j = bi[q];
                if (marker[j] < 0) {
                    marker[j] = int(touched.size());
                    acc[j] = 0.0;
                    touched.push_back(j);
                }
                acc[j] += av[p] * bv[q];
            }
        }
        std::sort(touched.begin(), touched.end());
        for (int j : touched) {
            ci.push_back(j);
            cv.push_back(acc[j]);
        }
        cp[i + 1] = int(ci.size());
        marker.fill(-1);
    }
}
