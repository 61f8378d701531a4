#include <vector>

void graph_connected_components(int n, const std::vector<int>& eu, const std::vector<int>& ev,
                                std::vector<int>& label) {
    for (int v = 0; v < n; ++v) label[v] = v;
    // Double-buffered label propagation: each sweep reads the previous
    // labels and writes the next ones, so updates never depend on the edge
    // order within a sweep.
    std::vector<int> next(label.begin(), label.begin() + n);
    bool changed = true;
    while (changed) {
        changed = false;
        for (std::size_t e = 0; e < eu.size(); ++e) {
            int a = eu[e], b = ev[e];
            int m = label[a] < label[b] ? label[a] : label[b];
            if (m < next[a]) next[a] = m;
            if (m < next[b]) next[b] = m;
        }
        for (int v = 0; v < n; ++v) {
            if (next[v] != label[v]) {
                label[v] = next[v];
                changed = true;
            }
        }
    }
}
