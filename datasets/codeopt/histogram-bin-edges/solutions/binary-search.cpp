#include <algorithm>
#include <cstdint>
#include <vector>

// The bin of x is just before the first edge greater than x, which
// std::upper_bound finds in O(log B) instead of a scan over all bins.
std::vector<std::int64_t> histogram_bin_edges(const std::vector<double>& values, const std::vector<double>& edges) {
    std::vector<std::int64_t> counts(edges.size() - 1, 0);
    const double lo = edges.front(), hi = edges.back();
    for (double x : values) {
        if (!(x >= lo && x < hi)) continue;
        std::size_t k = std::size_t(std::upper_bound(edges.begin(), edges.end(), x) - edges.begin()) - 1;
        counts[k]++;
    }
    return counts;
}
