#include <cmath>
#include <complex>
#include <vector>

namespace {

void fft_inplace(std::vector<std::complex<double>>& x, bool inverse) {
    const std::size_t m = x.size();
    for (std::size_t i = 1, j = 0; i < m; ++i) {
        std::size_t bit = m >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) std::swap(x[i], x[j]);
    }
    const double pi = 3.14159265358979323846;
    for (std::size_t len = 2; len <= m; len <<= 1) {
        const double ang = 2.0 * pi / double(len) * (inverse ? 1.0 : -1.0);
        const std::size_t half = len / 2;
        for (std::size_t i = 0; i < m; i += len) {
            for (std::size_t t = 0; t < half; ++t) {
                const std::complex<double> w(std::cos(ang * double(t)), std::sin(ang * double(t)));
                const std::complex<double> u = x[i + t];
                const std::complex<double> v = x[i + t + half] * w;
                x[i + t] = u + v;
                x[i + t + half] = u - v;
            }
        }
    }
}

}  // namespace

void fft_circular_convolution(const std::vector<double>& a, const std::vector<double>& b,
                              std::vector<double>& c) {
    const std::size_t n = a.size();
    if (n == 0) return;
    // Convolution theorem: pad to the next power of two, multiply spectra.
    std::size_t m = 1;
    while (m < n) m <<= 1;
    std::vector<std::complex<double>> fa(m), fb(m);
    for (std::size_t i = 0; i < n; ++i) {
        fa[i] = a[i];
        fb[i] = b[i];
    }
    fft_inplace(fa, false);
    fft_inplace(fb, false);
    for (std::size_t i = 0; i < m; ++i) fa[i] *= fb[i];
    fft_inplace(fa, true);
    for (std::size_t k = 0; k < n; ++k) c[k] = fa[k].real() / double(m);
}
