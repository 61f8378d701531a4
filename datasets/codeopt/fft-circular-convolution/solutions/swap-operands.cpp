#include <vector>

void fft_circular_convolution(const std::vector<double>& a, const std::vector<double>& b,
                              std::vector<double>& c) {
    const std::size_t n = a.size();
    // Convolution is commutative: walk b forwards and a backwards instead.
    for (std::size_t k = 0; k < n; ++k) {
        double sum = 0.0;
        for (std::size_t j = 0; j < n; ++j) {
            sum += b[j] * a[(k + n - j) % n];
        }
        c[k] = sum;
    }
}
