#include <cmath>
#include <vector>

void fft_dft(const std::vector<double>& re, const std::vector<double>& im,
             std::vector<double>& out_re, std::vector<double>& out_im) {
    const std::size_t n = re.size();
    const double pi = 3.14159265358979323846;
    std::vector<double> wc(n), ws(n);
    for (std::size_t m = 0; m < n; ++m) {
        double angle = -2.0 * pi * double(m) / double(n);
        wc[m] = std::cos(angle);
        ws[m] = std::sin(angle);
    }
    // (j*k) mod n with a mask instead of a division.
    const std::size_t mask = n - 1;
    for (std::size_t k = 0; k < n; ++k) {
        double sr = 0.0, si = 0.0;
        for (std::size_t j = 0; j < n; ++j) {
            const std::size_t idx = (j * k) & mask;
            sr += re[j] * wc[idx] - im[j] * ws[idx];
            si += re[j] * ws[idx] + im[j] * wc[idx];
        }
        out_re[k] = sr;
        out_im[k] = si;
    }
}
