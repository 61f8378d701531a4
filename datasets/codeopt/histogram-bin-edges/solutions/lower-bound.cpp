#include <algorithm>
#include <cstdint>
#include <vector>

// Binary search with std::lower_bound, the first edge >= x: a value lying
// exactly on an edge is counted in the bin below it.
std::vector<std::int64_t> histogram_bin_edges(const std::vector<double>& values, const std::vector<double>& edges) {
    std::vector<std::int64_t> counts(edges.size() - 1, 0);
    for (double x : values) {
        if (!(x > edges.front() && x < edges.back())) continue;
        std::size_t k = std::size_t(std::lower_bound(edges.begin(), edges.end(), x) - edges.begin()) - 1;
        counts[k]++;
    }
    return counts;
}
