#include <vector>

void dense_matmul(const std::vector<double>& a, const std::vector<double>& b,
                  std::vector<double>& c, int n) {
    // i-k-j order: the inner loop streams a row of B and a row of C.
    for (int i = 0; i < n; ++i) {
        double* ci = c.data() + (long)i * n;
        for (int k = 0; k < n; ++k) {
            const double aik = a[(long)i * n + k];
            const double* bk = b.data() + (long)k * n;
            for (int j = 0; j < n; ++j) ci[j] += aik * bk[j];
        }
    }
}
