#include "lessonl.hpp"

namespace lessonl_baseline { int64_t reduce_max_gain(const std::vector<int>& a); }
namespace lessonl_candidate { int64_t reduce_max_gain(const std::vector<int>& a); }

struct Case {
    std::vector<int> a;
    int64_t result = 0;
    // Usually n values uniform in [-2e9, 2e9], so the best gain is near
    // 4e9 and overflows 32 bits. One seed in four instead gives a strictly
    // decreasing sequence (steps of 1 to 1000 down from a random start),
    // whose best gain is the smallest drop, negative.
    void generate(std::size_t n, lessonl::Rng& rng) {
        a.resize(n);
        if (rng.int_in(0, 3) == 1) {
            std::int64_t v = rng.int_in(0, 1000000000);
            for (auto& x : a) {
                x = int(v);
                v -= rng.int_in(1, 1000);
            }
        } else {
            for (auto& x : a) x = int(rng.int_in(-2000000000, 2000000000));
        }
    }
    void reset() { result = 0; }
    void run(bool candidate) {
        if (candidate) result = lessonl_candidate::reduce_max_gain(a);
        else result = lessonl_baseline::reduce_max_gain(a);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_scalar(ref.result, result, tol, why, "max gain");
    }
    template <class V> void state(V& v) { v(a); v(result); }
};

LESSONL_MAIN(Case)
