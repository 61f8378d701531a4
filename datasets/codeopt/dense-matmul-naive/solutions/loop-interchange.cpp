#include <vector>

void dense_matmul(const std::vector<double>& a, const std::vector<double>& b,
                  std::vector<double>& c, int n) {
    for (int i = 0; i < n; ++i) {
        double* ci = c.data() + (long)i * n;
        for (int j = 0; j < n; ++j) ci[j] = 0.0;
        for (int k = 0; k < n; ++k) {
            const double aik = a[(long)i * n + k];
            const double* bk = b.data() + (long)k * n;
            for (int j = 0; j < n; ++j) ci[j] += aik * bk[j];
        }
    }
}
