#include <cmath>
#include <numbers>
#include <vector>

void fft_dft(const std::vector<double>& re, const std::vector<double>& im,
             std::vector<double>& out_re, std::vector<double>& out_im) {
    const std::size_t n = re.size();
    std::vector<double> wc(n), ws(n);
    for (std::size_t m = 0; m < n; ++m) {
        const double angle = -2.0 * std::numbers::pi * double(m) / double(n);
        wc[m] = std::cos(angle);
        ws[m] = std::sin(angle);
    }
    for (std::size_t k = 0; k < n; ++k) {
        double sr = 0.0, si = 0.0;
        std::size_t idx = 0;
        for (std::size_t j = 0; j < n; ++j) {
            sr += re[j] * wc[idx] - im[j] * ws[idx];
            si += re[j] * ws[idx] + im[j] * wc[idx];
            idx += k;
            if (idx >= n) idx -= n;
        }
        out_re[k] = sr;
        out_im[k] = si;
    }
}
