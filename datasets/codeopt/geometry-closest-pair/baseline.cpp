#include <cmath>
#include <limits>
#include <vector>

// geometry_closest_pair returns the smallest Euclidean distance between two
// distinct points of the set (xs[i], ys[i]), or 0 when there are fewer than
// two points.
double geometry_closest_pair(const std::vector<double>& xs, const std::vector<double>& ys) {
    const std::size_t n = xs.size();
    if (n < 2) return 0.0;
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = i + 1; j < n; ++j) {
            double dx = xs[i] - xs[j];
            double dy = ys[i] - ys[j];
            double d = dx * dx + dy * dy;
            if (d < best) best = d;
        }
    }
    return std::sqrt(best);
}
