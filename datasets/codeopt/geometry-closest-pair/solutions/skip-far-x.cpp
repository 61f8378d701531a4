#include <cmath>
#include <limits>
#include <vector>

double geometry_closest_pair(const std::vector<double>& xs, const std::vector<double>& ys) {
    const std::size_t n = xs.size();
    if (n < 2) return 0.0;
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < n; ++i) {
        const double xi = xs[i], yi = ys[i];
        for (std::size_t j = i + 1; j < n; ++j) {
            double dx = xi - xs[j];
            // Skip the y work when x alone is already too far apart.
            if (dx * dx >= best) continue;
            double dy = yi - ys[j];
            double d = dx * dx + dy * dy;
            if (d < best) best = d;
        }
    }
    return std::sqrt(best);
}
