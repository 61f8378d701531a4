#include <vector>

// Welford's one-pass algorithm: update the running mean and the running
// sum of squared deviations m2 with each value. O(n), one pass, and
// numerically stable because it never squares the raw values.
double reduce_variance(const std::vector<double>& x) {
    double mean = 0.0, m2 = 0.0;
    std::size_t k = 0;
    for (const double v : x) {
        ++k;
        const double delta = v - mean;
        mean += delta / k;
        m2 += delta * (v - mean);
    }
    return k == 0 ? 0.0 : m2 / k;
}
