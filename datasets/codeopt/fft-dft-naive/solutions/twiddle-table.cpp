#include <cmath>
#include <vector>

void fft_dft(const std::vector<double>& re, const std::vector<double>& im,
             std::vector<double>& out_re, std::vector<double>& out_im) {
    const std::size_t n = re.size();
    const double pi = 3.14159265358979323846;
    // exp(-2*pi*i*m/n) only takes n distinct values: tabulate them once and
    // index the table with (j*k) mod n, kept up to date by addition.
    std::vector<double> wc(n), ws(n);
    for (std::size_t m = 0; m < n; ++m) {
        double angle = -2.0 * pi * double(m) / double(n);
        wc[m] = std::cos(angle);
        ws[m] = std::sin(angle);
    }
    for (std::size_t k = 0; k < n; ++k) {
        double sr = 0.0, si = 0.0;
        std::size_t idx = 0;
        for (std::size_t j = 0; j < n; ++j) {
            const double c = wc[idx], s = ws[idx];
            sr += re[j] * c - im[j] * s;
            si += re[j] * s + im[j] * c;
            idx += k;
            if (idx >= n) idx -= n;
        }
        out_re[k] = sr;
        out_im[k] = si;
    }
}
