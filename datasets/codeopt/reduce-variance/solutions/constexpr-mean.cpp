#include <numeric>
#include <vector>

// Hoists the mean out of the loop, but declares it constexpr: it depends
// on the run-time contents of x, and std::accumulate is not constexpr in
// C++17, so the declaration does not compile.
double reduce_variance(const std::vector<double>& x) {
    const std::size_t n = x.size();
    if (n == 0) return 0.0;
    constexpr double mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
    double ss = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double d = x[i] - mean;
        ss += d * d;
    }
    return ss / n;
}
