#include <cmath>
#include <limits>
#include <vector>

double geometry_closest_pair(const std::vector<double>& xs, const std::vector<double>& ys) {
    const std::size_t n = xs.size();
    if (n < 2) return 0.0;
    const double* px = xs.data();
    const double* py = ys.data();
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i + 1 < n; ++i) {
        // Load point i once instead of on every inner iteration.
        const double xi = px[i], yi = py[i];
        for (std::size_t j = i + 1; j < n; ++j) {
            const double dx = xi - px[j];
            const double dy = yi - py[j];
            const double d = dx * dx + dy * dy;
            best = d < best ? d : best;
        }
    }
    return std::sqrt(best);
}
