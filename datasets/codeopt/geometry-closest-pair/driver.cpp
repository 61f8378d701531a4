#include "lessonl.hpp"

namespace lessonl_baseline { double geometry_closest_pair(const std::vector<double>& xs, const std::vector<double>& ys); }
namespace lessonl_candidate { double geometry_closest_pair(const std::vector<double>& xs, const std::vector<double>& ys); }

struct Case {
    std::vector<double> xs, ys;
    double result = -1.0;
    void generate(std::size_t n, lessonl::Rng& rng) {
        xs.resize(n);
        ys.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            xs[i] = rng.real_in(0.0, 1000.0);
            ys[i] = rng.real_in(0.0, 1000.0);
        }
    }
    void reset() { result = -1.0; }
    void run(bool candidate) {
        if (candidate) result = lessonl_candidate::geometry_closest_pair(xs, ys);
        else result = lessonl_baseline::geometry_closest_pair(xs, ys);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_scalar(ref.result, result, tol, why, "distance");
    }
    template <class V> void state(V& v) { v(xs); v(ys); v(result); }
};

LESSONL_MAIN(Case)
