#include <cstdint>
#include <vector>

int64_t graph_count_triangles(const std::vector<int>& adj, int n) {
    int64_t count = 0;
    for (int i = 0; i < n; ++i) {
        const int* ri = adj.data() + (std::size_t)i * n;
        for (int j = i + 1; j < n; ++j) {
            // No triangle through (i, j) unless i and j are adjacent.
            if (!ri[j]) continue;
            const int* rj = adj.data() + (std::size_t)j * n;
            int c = 0;
            for (int k = j + 1; k < n; ++k) c += ri[k] & rj[k];
            count += c;
        }
    }
    return count;
}
