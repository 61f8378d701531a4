#include <utility>
#include <vector>

void graph_connected_components(int n, const std::vector<int>& eu, const std::vector<int>& ev,
                                std::vector<int>& label) {
    std::vector<int> parent(n);
    for (int v = 0; v < n; ++v) parent[v] = v;
    // Find with full path compression.
    auto find = [&](int x) { return parent[x] == x ? x : parent[x] = find(parent[x]); };
    for (std::size_t e = 0; e < eu.size(); ++e) {
        int a = find(eu[e]), b = find(ev[e]);
        if (a == b) continue;
        // Keep the smaller id as the root so it is the component's label.
        if (a < b) parent[b] = a;
        else parent[a] = b;
    }
    for (int v = 0; v < n; ++v) label[v] = find(v);
}
