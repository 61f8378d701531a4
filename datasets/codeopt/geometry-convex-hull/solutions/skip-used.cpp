#include <vector>

void geometry_convex_hull(const std::vector<double>& xs, const std::vector<double>& ys,
                          std::vector<int>& hull) {
    hull.clear();
    const int n = int(xs.size());
    if (n == 0) return;
    int start = 0;
    for (int i = 1; i < n; ++i) {
        if (xs[i] < xs[start] || (xs[i] == xs[start] && ys[i] < ys[start])) start = i;
    }
    // Points already on the hull cannot be chosen again (except the start,
    // which closes the loop), so skip them.
    std::vector<bool> used(n, false);
    int p = start;
    do {
        hull.push_back(p);
        if (p != start) used[p] = true;
        int q = (p + 1) % n;
        for (int i = 0; i < n; ++i) {
            if (used[i]) continue;
            double cross = (xs[q] - xs[p]) * (ys[i] - ys[p]) - (ys[q] - ys[p]) * (xs[i] - xs[p]);
            if (cross < 0) q = i;
        }
        p = q;
    } while (p != start);
}
