#include <vector>

// graph_connected_components labels every vertex of an undirected graph on
// n vertices with the smallest vertex id of its connected component. Edge e
// joins eu[e] and ev[e] (0 <= eu[e], ev[e] < n). label has n elements on
// entry and is overwritten.
void graph_connected_components(int n, const std::vector<int>& eu, const std::vector<int>& ev,
                                std::vector<int>& label) {
    for (int v = 0; v < n; ++v) label[v] = v;
    // Label propagation: pull the smaller label across every edge until
    // nothing changes.
    bool changed = true;
    while (changed) {
        changed = false;
        for (std::size_t e = 0; e < eu.size(); ++e) {
            int a = eu[e], b = ev[e];
            if (label[a] < label[b]) {
                label[b] = label[a];
                changed = true;
            } else if (label[b] < label[a]) {
                label[a] = label[b];
                changed = true;
            }
        }
    }
}
