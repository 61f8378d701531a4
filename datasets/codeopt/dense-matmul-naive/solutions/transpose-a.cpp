#include <vector>

void dense_matmul(const std::vector<double>& a, const std::vector<double>& b,
                  std::vector<double>& c, int n) {
    // Transpose A up front for a "contiguous" layout before multiplying.
    std::vector<double> at((std::size_t)n * n);
    for (int i = 0; i < n; ++i)
        for (int k = 0; k < n; ++k)
            at[(std::size_t)k * n + i] = a[(std::size_t)i * n + k];
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) {
            double sum = 0.0;
            for (int k = 0; k < n; ++k)
                sum += at[(std::size_t)k * n + i] * b[(std::size_t)k * n + j];
            c[(std::size_t)i * n + j] = sum;
        }
    }
}
