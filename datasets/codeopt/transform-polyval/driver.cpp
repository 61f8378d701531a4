#include "lessonl.hpp"

namespace lessonl_baseline { std::vector<double> transform_polyval(const std::vector<double>& c, const std::vector<double>& xs); }
namespace lessonl_candidate { std::vector<double> transform_polyval(const std::vector<double>& c, const std::vector<double>& xs); }

struct Case {
    std::vector<double> c, xs, out;
    // 24 coefficients in [-1, 1); n points in [-1.1, 1.1).
    void generate(std::size_t n, lessonl::Rng& rng) {
        c.resize(24);
        for (auto& v : c) v = rng.real_in(-1.0, 1.0);
        xs.resize(n);
        for (auto& v : xs) v = rng.real_in(-1.1, 1.1);
    }
    void reset() { out.clear(); }
    void run(bool candidate) {
        if (candidate) out = lessonl_candidate::transform_polyval(c, xs);
        else out = lessonl_baseline::transform_polyval(c, xs);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_vector(ref.out, out, tol, why, "values");
    }
    template <class V> void state(V& v) { v(c); v(xs); v(out); }
};

LESSONL_MAIN(Case)
