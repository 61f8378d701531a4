#include <cstdint>
#include <vector>

int64_t graph_count_triangles(const std::vector<int>& adj, int n) {
    // Forward adjacency lists: neighbours greater than the vertex, sorted.
    std::vector<std::vector<int>> up(n);
    for (int i = 0; i < n; ++i)
        for (int k = i + 1; k < n; ++k)
            if (adj[(std::size_t)i * n + k]) up[i].push_back(k);
    int64_t count = 0;
    for (int i = 0; i < n; ++i) {
        for (int j : up[i]) {
            // Merge-intersect up[i] and up[j].
            const std::vector<int>& a = up[i];
            const std::vector<int>& b = up[j];
            std::size_t x = 0, y = 0;
            while (x < a.size() && y < b.size()) {
                if (a[x] < b[y]) ++x;
                else if (a[x] > b[y]) ++y;
                else { ++count; ++x; ++y; }
            }
        }
    }
    return count;
}
