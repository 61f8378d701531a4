#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace {

struct Pt {
    double x, y;
};

// solve returns the smallest squared distance among p[lo, hi), which is
// sorted by x on entry and left sorted by y on return (merge sort).
double solve(std::vector<Pt>& p, std::vector<Pt>& buf, std::size_t lo, std::size_t hi) {
    const std::size_t n = hi - lo;
    if (n <= 3) {
        double best = std::numeric_limits<double>::infinity();
        for (std::size_t i = lo; i < hi; ++i)
            for (std::size_t j = i + 1; j < hi; ++j) {
                double dx = p[i].x - p[j].x, dy = p[i].y - p[j].y;
                best = std::min(best, dx * dx + dy * dy);
            }
        std::sort(p.begin() + lo, p.begin() + hi, [](const Pt& a, const Pt& b) { return a.y < b.y; });
        return best;
    }
    const std::size_t mid = lo + n / 2;
    const double midx = p[mid].x;
    double best = std::min(solve(p, buf, lo, mid), solve(p, buf, mid, hi));
    std::merge(p.begin() + lo, p.begin() + mid, p.begin() + mid, p.begin() + hi, buf.begin() + lo,
               [](const Pt& a, const Pt& b) { return a.y < b.y; });
    std::copy(buf.begin() + lo, buf.begin() + hi, p.begin() + lo);
    // Points within sqrt(best) of the dividing line, in y order.
    std::size_t m = lo;
    for (std::size_t i = lo; i < hi; ++i) {
        double dx = p[i].x - midx;
        if (dx * dx < best) buf[m++] = p[i];
    }
    for (std::size_t i = lo; i < m; ++i) {
        for (std::size_t j = i + 1; j < m; ++j) {
            double dy = buf[j].y - buf[i].y;
            if (dy * dy >= best) break;
            double dx = buf[j].x - buf[i].x;
            best = std::min(best, dx * dx + dy * dy);
        }
    }
    return best;
}

}  // namespace

double geometry_closest_pair(const std::vector<double>& xs, const std::vector<double>& ys) {
    const std::size_t n = xs.size();
    if (n < 2) return 0.0;
    std::vector<Pt> p(n), buf(n);
    for (std::size_t i = 0; i < n; ++i) p[i] = {xs[i], ys[i]};
    std::sort(p.begin(), p.end(), [](const Pt& a, const Pt& b) { return a.x < b.x; });
    return std::sqrt(solve(p, buf, 0, n));
}
