#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

double geometry_closest_pair(const std::vector<double>& xs, const std::vector<double>& ys) {
    const std::size_t n = xs.size();
    if (n < 2) return 0.0;
    // Sort by x, then compare each point only with the following points
    // whose x-distance alone is still below the best distance so far.
    std::vector<std::pair<double, double>> p(n);
    for (std::size_t i = 0; i < n; ++i) p[i] = {xs[i], ys[i]};
    std::sort(p.begin(), p.end());
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = i + 1; j < n; ++j) {
            double dx = p[j].first - p[i].first;
            if (dx * dx >= best) break;
            double dy = p[j].second - p[i].second;
            double d = dx * dx + dy * dy;
            if (d < best) best = d;
        }
    }
    return std::sqrt(best);
}
