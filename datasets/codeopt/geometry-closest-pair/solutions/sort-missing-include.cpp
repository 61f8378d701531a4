#include <cmath>
#include <limits>
#include <vector>

double geometry_closest_pair(const std::vector<double>& xs, const std::vector<double>& ys) {
    const std::size_t n = xs.size();
    if (n < 2) return 0.0;
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return xs[a] < xs[b]; });
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t a = order[i];
        for (std::size_t j = i + 1; j < n; ++j) {
            const std::size_t b = order[j];
            double dx = xs[b] - xs[a];
            if (dx * dx >= best) break;
            double dy = ys[b] - ys[a];
            double d = dx * dx + dy * dy;
            if (d < best) best = d;
        }
    }
    return std::sqrt(best);
}
