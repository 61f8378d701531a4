#include <cstdint>
#include <vector>

// histogram_bin_edges counts values into the bins [edges[k], edges[k+1])
// given by strictly increasing edges; values outside
// [edges.front(), edges.back()) are not counted.
std::vector<std::int64_t> histogram_bin_edges(const std::vector<double>& values, const std::vector<double>& edges) {
    std::vector<std::int64_t> counts(edges.size() - 1, 0);
    for (double x : values) {
        for (std::size_t k = 0; k + 1 < edges.size(); ++k) {
            if (edges[k] <= x && x < edges[k + 1]) {
                counts[k]++;
                break;
            }
        }
    }
    return counts;
}
