#include <cmath>
#include <vector>

namespace {

const double kPi = 3.14159265358979323846;

// transform computes the DFT of the n values x[0], x[stride], ... into
// out[0..n-1]: radix-2 decimation in time while n is even, a direct DFT
// with a twiddle table for the odd factor that remains.
void transform(const double* xr, const double* xi, std::size_t n, std::size_t stride,
               double* outr, double* outi, std::vector<double>& tmp) {
    if (n == 1) {
        outr[0] = xr[0];
        outi[0] = xi[0];
        return;
    }
    if (n % 2 == 0) {
        const std::size_t h = n / 2;
        transform(xr, xi, h, stride * 2, outr, outi, tmp);
        transform(xr + stride, xi + stride, h, stride * 2, outr + h, outi + h, tmp);
        for (std::size_t k = 0; k < h; ++k) {
            const double angle = -2.0 * kPi * double(k) / double(n);
            const double c = std::cos(angle), s = std::sin(angle);
            const double er = outr[k], ei = outi[k];
            const double orr = outr[k + h], oi = outi[k + h];
            const double tr = orr * c - oi * s, ti = orr * s + oi * c;
            outr[k] = er + tr;
            outi[k] = ei + ti;
            outr[k + h] = er - tr;
            outi[k + h] = ei - ti;
        }
        return;
    }
    tmp.resize(2 * n);
    double* wc = tmp.data();
    double* ws = tmp.data() + n;
    for (std::size_t m = 0; m < n; ++m) {
        const double angle = -2.0 * kPi * double(m) / double(n);
        wc[m] = std::cos(angle);
        ws[m] = std::sin(angle);
    }
    for (std::size_t k = 0; k < n; ++k) {
        double sr = 0.0, si = 0.0;
        std::size_t idx = 0;
        for (std::size_t j = 0; j < n; ++j) {
            const double a = xr[j * stride], b = xi[j * stride];
            sr += a * wc[idx] - b * ws[idx];
            si += a * ws[idx] + b * wc[idx];
            idx += k;
            if (idx >= n) idx -= n;
        }
        outr[k] = sr;
        outi[k] = si;
    }
}

}  // namespace

void fft_dft(const std::vector<double>& re, const std::vector<double>& im,
             std::vector<double>& out_re, std::vector<double>& out_im) {
    const std::size_t n = re.size();
    if (n == 0) return;
    std::vector<double> tmp;
    transform(re.data(), im.data(), n, 1, out_re.data(), out_im.data(), tmp);
}
