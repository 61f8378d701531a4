#include <vector>

void dense_matmul(const std::vector<double>& a, const std::vector<double>& b,
                  std::vector<double>& c, int n) {
    // Transpose B once so each dot product walks two contiguous rows, and
    // keep four independent partial sums so the adds can overlap.
    std::vector<double> bt((std::size_t)n * n);
    for (int k = 0; k < n; ++k)
        for (int j = 0; j < n; ++j)
            bt[(std::size_t)j * n + k] = b[(std::size_t)k * n + j];
    for (int i = 0; i < n; ++i) {
        const double* ai = a.data() + (std::size_t)i * n;
        for (int j = 0; j < n; ++j) {
            const double* bj = bt.data() + (std::size_t)j * n;
            double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
            int k = 0;
            for (; k + 4 <= n; k += 4) {
                s0 += ai[k] * bj[k];
                s1 += ai[k + 1] * bj[k + 1];
                s2 += ai[k + 2] * bj[k + 2];
                s3 += ai[k + 3] * bj[k + 3];
            }
            for (; k < n; ++k) s0 += ai[k] * bj[k];
            c[(std::size_t)i * n + j] = (s0 + s1) + (s2 + s3);
        }
    }
}
