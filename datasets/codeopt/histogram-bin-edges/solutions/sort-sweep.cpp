#include <algorithm>
#include <cstdint>
#include <vector>

// Sorts a copy of the values, then sweeps values and edges together: each
// bin's values are a contiguous run. O(n log n + B).
std::vector<std::int64_t> histogram_bin_edges(const std::vector<double>& values, const std::vector<double>& edges) {
    std::vector<std::int64_t> counts(edges.size() - 1, 0);
    std::vector<double> v(values);
    std::sort(v.begin(), v.end());
    std::size_t i = std::size_t(std::lower_bound(v.begin(), v.end(), edges.front()) - v.begin());
    for (std::size_t k = 0; k + 1 < edges.size(); ++k) {
        std::size_t start = i;
        while (i < v.size() && v[i] < edges[k + 1]) ++i;
        counts[k] = std::int64_t(i - start);
    }
    return counts;
}
