#pragma once
#include <cmath>
#include <complex>
#include <vector>

/* dft. computes the discrete fourier transform of x in place, naively. */
void dft(std::vector<std::complex<double>> &x) {
    const size_t n = x.size();
    std::vector<std::complex<double>> out(n);
    for (size_t k = 0; k < n; k++) {
        for (size_t j = 0; j < n; j++) {
            double angle = -2.0 * M_PI * double(k * j % n) / double(n);
            out[k] += x[j] * std::complex<double>(std::cos(angle), std::sin(angle));
        }
    }
    x = out;
}

/* Compute the inverse fourier transform of x in place. */
void NO_INLINE correctIdft(std::vector<std::complex<double>> &x) {
    for (auto &v : x) v = std::conj(v);
    dft(x);
    for (auto &v : x) v = std::conj(v) / double(x.size());
}
