#include <vector>

// fft_circular_convolution computes the circular convolution of two real
// sequences of the same length n:
//   c[k] = sum over j of a[j] * b[(k - j) mod n],  k = 0..n-1.
// c has n elements on entry and is overwritten.
void fft_circular_convolution(const std::vector<double>& a, const std::vector<double>& b,
                              std::vector<double>& c) {
    const std::size_t n = a.size();
    for (std::size_t k = 0; k < n; ++k) {
        double sum = 0.0;
        for (std::size_t j = 0; j < n; ++j) {
            sum += a[j] * b[(k + n - j) % n];
        }
        c[k] = sum;
    }
}
