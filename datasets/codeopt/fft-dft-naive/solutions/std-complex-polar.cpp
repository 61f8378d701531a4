#include <complex>
#include <vector>

void fft_dft(const std::vector<double>& re, const std::vector<double>& im,
             std::vector<double>& out_re, std::vector<double>& out_im) {
    const std::size_t n = re.size();
    const double pi = 3.14159265358979323846;
    // Same sum written with std::complex: x[j] * e^{-i angle}.
    for (std::size_t k = 0; k < n; ++k) {
        std::complex<double> sum(0.0, 0.0);
        for (std::size_t j = 0; j < n; ++j) {
            const double angle = -2.0 * pi * double(j) * double(k) / double(n);
            sum += std::complex<double>(re[j], im[j]) * std::polar(1.0, angle);
        }
        out_re[k] = sum.real();
        out_im[k] = sum.imag();
    }
}
