#include <algorithm>
#include <span>
#include <vector>

void dense_matmul(const std::vector<double>& a, const std::vector<double>& b,
                  std::vector<double>& c, int n) {
    constexpr int BS = 64;
    std::fill(c.begin(), c.end(), 0.0);
    std::span<const double> A(a), B(b);
    std::span<double> C(c);
    for (int ii = 0; ii < n; ii += BS)
        for (int kk = 0; kk < n; kk += BS)
            for (int i = ii; i < std::min(ii + BS, n); ++i)
                for (int k = kk; k < std::min(kk + BS, n); ++k) {
                    const double aik = A[i * n + k];
                    for (int j = 0; j < n; ++j) C[i * n + j] += aik * B[k * n + j];
                }
}
