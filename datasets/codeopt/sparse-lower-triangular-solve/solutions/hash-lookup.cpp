#include <unordered_map>
#include <vector>

// Replaces the linear scan of a row by an O(1) hash-map lookup keyed by
// (row, column). But the solve still asks for all n^2/2 (i, j) pairs, and
// almost all of them are misses; hashing a key costs more than scanning a
// row of a few entries, so it is slower than the baseline.
void sparse_lower_solve(int n, const std::vector<int>& ptr, const std::vector<int>& idx, const std::vector<double>& val,
                        std::vector<double>& x) {
    std::unordered_map<long long, double> entries;
    entries.reserve(idx.size());
    for (int i = 0; i < n; ++i) {
        for (int p = ptr[i]; p < ptr[i + 1]; ++p) entries[(long long)i * n + idx[p]] = val[p];
    }
    auto at = [&](int i, int j) {
        auto it = entries.find((long long)i * n + j);
        return it == entries.end() ? 0.0 : it->second;
    };
    for (int i = 0; i < n; ++i) {
        double s = x[i];
        for (int j = 0; j < i; ++j) s -= at(i, j) * x[j];
        x[i] = s / at(i, i);
    }
}
