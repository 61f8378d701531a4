#include "lessonl.hpp"

namespace lessonl_baseline { int reduce_second_largest(const std::vector<int>& a); }
namespace lessonl_candidate { int reduce_second_largest(const std::vector<int>& a); }

struct Case {
    std::vector<int> a;
    int result = 0;
    // n values in [-n, n]; then the maximum is copied to two or three
    // random places, so it always repeats.
    void generate(std::size_t n, lessonl::Rng& rng) {
        a.resize(n);
        const std::int64_t m = std::int64_t(n);
        for (auto& x : a) x = int(rng.int_in(-m, m));
        if (n == 0) return;
        int hi = a[0];
        for (int x : a) hi = x > hi ? x : hi;
        for (int k = int(rng.int_in(2, 3)); k > 0; --k) a[std::size_t(rng.int_in(0, m - 1))] = hi;
    }
    void reset() { result = 0; }
    void run(bool candidate) {
        if (candidate) result = lessonl_candidate::reduce_second_largest(a);
        else result = lessonl_baseline::reduce_second_largest(a);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_scalar(ref.result, result, tol, why, "second largest");
    }
    template <class V> void state(V& v) { v(a); v(result); }
};

LESSONL_MAIN(Case)
