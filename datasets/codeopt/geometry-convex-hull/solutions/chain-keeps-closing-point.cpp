#include <algorithm>
#include <numeric>
#include <vector>

void geometry_convex_hull(const std::vector<double>& xs, const std::vector<double>& ys,
                          std::vector<int>& hull) {
    hull.clear();
    const int n = int(xs.size());
    if (n == 0) return;
    if (n == 1) {
        hull.push_back(0);
        return;
    }
    // Andrew's monotone chain: sort by (x, y), build the lower hull left to
    // right and the upper hull right to left, popping right turns.
    std::vector<int> idx(n);
    std::iota(idx.begin(), idx.end(), 0);
    std::sort(idx.begin(), idx.end(), [&](int a, int b) {
        return xs[a] < xs[b] || (xs[a] == xs[b] && ys[a] < ys[b]);
    });
    auto cross = [&](int o, int a, int b) {
        return (xs[a] - xs[o]) * (ys[b] - ys[o]) - (ys[a] - ys[o]) * (xs[b] - xs[o]);
    };
    std::vector<int> h(2 * n);
    int k = 0;
    for (int i = 0; i < n; ++i) {
        while (k >= 2 && cross(h[k - 2], h[k - 1], idx[i]) <= 0) --k;
        h[k++] = idx[i];
    }
    for (int i = n - 2, lower = k + 1; i >= 0; --i) {
        while (k >= lower && cross(h[k - 2], h[k - 1], idx[i]) <= 0) --k;
        h[k++] = idx[i];
    }
    hull.assign(h.begin(), h.begin() + k);
}
