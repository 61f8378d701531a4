#include <numeric>
#include <vector>

// reduce_variance returns the population variance of x, the mean of the
// squared deviations from the mean: sum((x[i] - mean)^2) / n. It returns
// 0 for an empty vector. The deviations are taken from the mean itself,
// not from a running sum of squares, which would lose precision when the
// values share a large offset.
double reduce_variance(const std::vector<double>& x) {
    const std::size_t n = x.size();
    if (n == 0) return 0.0;
    double ss = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double d = x[i] - std::accumulate(x.begin(), x.end(), 0.0) / n;
        ss += d * d;
    }
    return ss / n;
}
