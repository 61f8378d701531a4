#include <vector>

void fft_circular_convolution(const std::vector<double>& a, const std::vector<double>& b,
                              std::vector<double>& c) {
    const std::size_t n = a.size();
    for (std::size_t k = 0; k < n; ++k) c[k] = 0.0;
    double* cp = c.data();
    const double* bp = b.data();
    // Scatter form: a[j] * b[m] lands in c[(j + m) mod n]. Split m at the
    // wrap point so both pieces are plain contiguous loops with no modulo.
    for (std::size_t j = 0; j < n; ++j) {
        const double aj = a[j];
        const std::size_t wrap = n - j;
        double* c1 = cp + j;  // m < wrap: index j + m
        for (std::size_t m = 0; m < wrap; ++m) c1[m] += aj * bp[m];
        const double* b2 = bp + wrap;  // m = wrap + t: index t
        for (std::size_t t = 0; t < j; ++t) cp[t] += aj * b2[t];
    }
}
