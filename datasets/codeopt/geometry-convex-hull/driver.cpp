#include "lessonl.hpp"

namespace lessonl_baseline { void geometry_convex_hull(const std::vector<double>& xs, const std::vector<double>& ys, std::vector<int>& hull); }
namespace lessonl_candidate { void geometry_convex_hull(const std::vector<double>& xs, const std::vector<double>& ys, std::vector<int>& hull); }

struct Case {
    std::vector<double> xs, ys;
    std::vector<int> hull;
    // Points uniform in the unit disk (rejection sampling): about
    // 3.4 * n^(1/3) of them are hull vertices.
    void generate(std::size_t n, lessonl::Rng& rng) {
        xs.clear();
        ys.clear();
        while (xs.size() < n) {
            double x = rng.real_in(-1.0, 1.0), y = rng.real_in(-1.0, 1.0);
            if (x * x + y * y >= 1.0) continue;
            xs.push_back(x);
            ys.push_back(y);
        }
    }
    // hull holds stale indices on entry.
    void reset() { hull.assign(3, -1); }
    void run(bool candidate) {
        if (candidate) lessonl_candidate::geometry_convex_hull(xs, ys, hull);
        else lessonl_baseline::geometry_convex_hull(xs, ys, hull);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_vector(ref.hull, hull, tol, why, "hull");
    }
    template <class V> void state(V& v) { v(xs); v(ys); v(hull); }
};

LESSONL_MAIN(Case)
