#include <cmath>
#include <vector>

// fft_dft computes the discrete Fourier transform of the complex sequence
// x[j] = re[j] + i*im[j], j = 0..n-1:
//   X[k] = sum over j of x[j] * exp(-2*pi*i*j*k/n),  k = 0..n-1.
// out_re and out_im have n elements on entry and are overwritten.
void fft_dft(const std::vector<double>& re, const std::vector<double>& im,
             std::vector<double>& out_re, std::vector<double>& out_im) {
    const std::size_t n = re.size();
    const double pi = 3.14159265358979323846;
    for (std::size_t k = 0; k < n; ++k) {
        double sr = 0.0, si = 0.0;
        for (std::size_t j = 0; j < n; ++j) {
            double angle = -2.0 * pi * double(j) * double(k) / double(n);
            double c = std::cos(angle), s = std::sin(angle);
            sr += re[j] * c - im[j] * s;
            si += re[j] * s + im[j] * c;
        }
        out_re[k] = sr;
        out_im[k] = si;
    }
}
