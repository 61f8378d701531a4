#include <vector>

// geometry_convex_hull writes into hull the indices of the points (xs[i],
// ys[i]) that are vertices of their convex hull, in counter-clockwise
// order, starting from the point with the smallest x (ties: smallest y).
// The points are in general position: no duplicates, no three collinear.
void geometry_convex_hull(const std::vector<double>& xs, const std::vector<double>& ys,
                          std::vector<int>& hull) {
    hull.clear();
    const int n = int(xs.size());
    if (n == 0) return;
    int start = 0;
    for (int i = 1; i < n; ++i) {
        if (xs[i] < xs[start] || (xs[i] == xs[start] && ys[i] < ys[start])) start = i;
    }
    // Gift wrapping (Jarvis march): from each hull vertex p, the next one is
    // the point q with every other point on the left of the line p -> q.
    int p = start;
    do {
        hull.push_back(p);
        int q = (p + 1) % n;
        for (int i = 0; i < n; ++i) {
            double cross = (xs[q] - xs[p]) * (ys[i] - ys[p]) - (ys[q] - ys[p]) * (xs[i] - xs[p]);
            if (cross < 0) q = i;
        }
        p = q;
    } while (p != start);
}
