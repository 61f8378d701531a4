#include <cmath>
#include <complex>
#include <vector>

void fft_circular_convolution(const std::vector<double>& a, const std::vector<double>& b,
                              std::vector<double>& c) {
    const std::size_t n = a.size();
    if (n == 0) return;
    std::size_t m = 1;
    while (m < 2 * n - 1) m <<= 1;
    std::vector<std::complex<double>> fa(m), fb(m);
    for (std::size_t i = 0; i < n; ++i) {
        fa[i] = a[i];
        fb[i] = b[i];
    }
    fft_recursive(fa, false);
    fft_recursive(fb, false);
    for (std::size_t i = 0; i < m; ++i) fa[i] *= fb[i];
    fft_recursive(fa, true);
    for (std::size_t k = 0; k < n; ++k) {
        double v = fa[k].real();
        if (k + n < m) v += fa[k + n].real();
        c[k] = v / double(m);
    }
}

static void fft_recursive(std::vector<std::complex<double>>& x, bool inverse) {
    const std::size_t m = x.size();
    if (m == 1) return;
    std::vector<std::complex<double>> even(m / 2), odd(m / 2);
    for (std::size_t i = 0; i < m / 2; ++i) {
        even[i] = x[2 * i];
        odd[i] = x[2 * i + 1];
    }
    fft_recursive(even, inverse);
    fft_recursive(odd, inverse);
    const double pi = 3.14159265358979323846;
    for (std::size_t k = 0; k < m / 2; ++k) {
        const double ang = 2.0 * pi * double(k) / double(m) * (inverse ? 1.0 : -1.0);
        const std::complex<double> t = std::polar(1.0, ang) * odd[k];
        x[k] = even[k] + t;
        x[k + m / 2] = even[k] - t;
    }
}
