#include <vector>

// dense_matmul computes C = A * B for n x n matrices stored row-major:
// c[i*n + j] = sum over k of a[i*n + k] * b[k*n + j]. c has n*n elements
// on entry and is overwritten.
void dense_matmul(const std::vector<double>& a, const std::vector<double>& b,
                  std::vector<double>& c, int n) {
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) {
            c[i * n + j] = 0.0;
            for (int k = 0; k < n; ++k) {
                c[i * n + j] += a[i * n + k] * b[k * n + j];
            }
        }
    }
}
