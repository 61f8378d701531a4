#include <cstdint>
#include <vector>

// graph_count_triangles returns the number of triangles (unordered triples
// of mutually adjacent vertices) of an undirected graph on n vertices given
// as an n x n 0/1 adjacency matrix, row-major, symmetric, zero diagonal.
int64_t graph_count_triangles(const std::vector<int>& adj, int n) {
    int64_t count = 0;
    for (int i = 0; i < n; ++i) {
        for (int j = i + 1; j < n; ++j) {
            for (int k = j + 1; k < n; ++k) {
                if (adj[i * n + j] && adj[j * n + k] && adj[i * n + k]) {
                    ++count;
                }
            }
        }
    }
    return count;
}
