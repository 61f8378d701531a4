#include <vector>

// One pass with the textbook formula var = E[x^2] - E[x]^2: accumulate
// the sum and the sum of squares together. O(n), but with values near
// 1e6 the squares are near 1e12 and their difference cancels almost all
// significant digits, so the variance of about 33 is off far beyond 1e-9.
double reduce_variance(const std::vector<double>& x) {
    const std::size_t n = x.size();
    if (n == 0) return 0.0;
    double s = 0.0, s2 = 0.0;
    for (const double v : x) {
        s += v;
        s2 += v * v;
    }
    const double mean = s / n;
    return s2 / n - mean * mean;
}
