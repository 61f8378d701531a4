#include <utility>
#include <vector>

void graph_connected_components(int n, const std::vector<int>& eu, const std::vector<int>& ev,
                                std::vector<int>& label) {
    // Disjoint-set forest with union by size and path halving.
    std::vector<int> parent(n), size(n, 1);
    for (int v = 0; v < n; ++v) parent[v] = v;
    auto find = [&](int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    };
    for (std::size_t e = 0; e < eu.size(); ++e) {
        int a = find(eu[e]), b = find(ev[e]);
        if (a == b) continue;
        if (size[a] < size[b]) std::swap(a, b);
        parent[b] = a;
        size[a] += size[b];
    }
    // The smallest id of a component is the first of its vertices met in
    // increasing order; reuse size[] as root -> smallest id.
    for (int v = 0; v < n; ++v) size[v] = -1;
    for (int v = 0; v < n; ++v) {
        int r = find(v);
        if (size[r] < 0) size[r] = v;
        label[v] = size[r];
    }
}
