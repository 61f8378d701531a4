#include <vector>

void graph_connected_components(int n, const std::vector<int>& eu, const std::vector<int>& ev,
                                std::vector<int>& label) {
    // Build a CSR adjacency structure (both directions of every edge).
    const std::size_t m = eu.size();
    std::vector<int> start(n + 1, 0), adj(2 * m);
    for (std::size_t e = 0; e < m; ++e) {
        ++start[eu[e] + 1];
        ++start[ev[e] + 1];
    }
    for (int v = 0; v < n; ++v) start[v + 1] += start[v];
    std::vector<int> fill(start.begin(), start.end() - 1);
    for (std::size_t e = 0; e < m; ++e) {
        adj[fill[eu[e]]++] = ev[e];
        adj[fill[ev[e]]++] = eu[e];
    }
    // BFS from each unlabeled vertex in increasing order: the source is the
    // smallest id of its component.
    for (int v = 0; v < n; ++v) label[v] = -1;
    std::vector<int> queue(n);
    for (int s = 0; s < n; ++s) {
        if (label[s] >= 0) continue;
        label[s] = s;
        int head = 0, tail = 0;
        queue[tail++] = s;
        while (head < tail) {
            int u = queue[head++];
            for (int i = start[u]; i < start[u + 1]; ++i) {
                int w = adj[i];
                if (label[w] < 0) {
                    label[w] = s;
                    queue[tail++] = w;
                }
            }
        }
    }
}
