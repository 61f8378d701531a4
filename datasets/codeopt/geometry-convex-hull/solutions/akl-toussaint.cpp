#include <vector>

void geometry_convex_hull(const std::vector<double>& xs, const std::vector<double>& ys,
                          std::vector<int>& hull) {
    hull.clear();
    const int n = int(xs.size());
    if (n == 0) return;
    // Extreme points in eight directions, in counter-clockwise order
    // starting from the leftmost point (ties: lowest), which is also where
    // the hull starts.
    int ext[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int i = 1; i < n; ++i) {
        const double x = xs[i], y = ys[i];
        if (x < xs[ext[0]] || (x == xs[ext[0]] && y < ys[ext[0]])) ext[0] = i;
        if (x + y < xs[ext[1]] + ys[ext[1]]) ext[1] = i;
        if (y < ys[ext[2]]) ext[2] = i;
        if (x - y > xs[ext[3]] - ys[ext[3]]) ext[3] = i;
        if (x > xs[ext[4]]) ext[4] = i;
        if (x + y > xs[ext[5]] + ys[ext[5]]) ext[5] = i;
        if (y > ys[ext[6]]) ext[6] = i;
        if (x - y < xs[ext[7]] - ys[ext[7]]) ext[7] = i;
    }
    int poly[8], m = 0;
    for (int e : ext)
        if (m == 0 || (poly[m - 1] != e && poly[0] != e)) poly[m++] = e;
    // Discard points strictly inside the polygon of extreme points: they
    // cannot be hull vertices. Keep the survivors in index order.
    std::vector<int> cand;
    cand.reserve(n / 4 + 16);
    for (int i = 0; i < n; ++i) {
        bool inside = m >= 3;
        for (int e = 0; e < m && inside; ++e) {
            const int a = poly[e], b = poly[(e + 1) % m];
            const double c = (xs[b] - xs[a]) * (ys[i] - ys[a]) - (ys[b] - ys[a]) * (xs[i] - xs[a]);
            if (c <= 0) inside = false;
        }
        if (!inside) cand.push_back(i);
    }
    const int k = int(cand.size());
    std::vector<double> cx(k), cy(k);
    int s = 0;
    for (int i = 0; i < k; ++i) {
        cx[i] = xs[cand[i]];
        cy[i] = ys[cand[i]];
        if (cand[i] == ext[0]) s = i;
    }
    // Gift wrapping on the survivors only.
    int p = s;
    do {
        hull.push_back(cand[p]);
        int q = (p + 1) % k;
        for (int i = 0; i < k; ++i) {
            const double cross = (cx[q] - cx[p]) * (cy[i] - cy[p]) - (cy[q] - cy[p]) * (cx[i] - cx[p]);
            if (cross < 0) q = i;
        }
        p = q;
    } while (p != s);
}
