#include "lessonl.hpp"

namespace lessonl_baseline { double reduce_variance(const std::vector<double>& x); }
namespace lessonl_candidate { double reduce_variance(const std::vector<double>& x); }

struct Case {
    std::vector<double> x;
    double result = 0.0;
    // Readings with a large common offset and a small spread: an offset
    // uniform in [1e6, 2e6) plus noise uniform in [-10, 10), so the
    // variance is about 33 while the squares are about 1e12.
    void generate(std::size_t n, lessonl::Rng& rng) {
        x.resize(n);
        const double offset = rng.real_in(1e6, 2e6);
        for (auto& v : x) v = offset + rng.real_in(-10.0, 10.0);
    }
    void reset() { result = 0.0; }
    void run(bool candidate) {
        if (candidate) result = lessonl_candidate::reduce_variance(x);
        else result = lessonl_baseline::reduce_variance(x);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_scalar(ref.result, result, tol, why, "variance");
    }
    template <class V> void state(V& v) { v(x); v(result); }
};

LESSONL_MAIN(Case)
