#include "lessonl.hpp"

namespace lessonl_baseline {
std::vector<int64_t> scan_range_sums(const std::vector<int>& a, const std::vector<int>& lo, const std::vector<int>& hi);
}
namespace lessonl_candidate {
std::vector<int64_t> scan_range_sums(const std::vector<int>& a, const std::vector<int>& lo, const std::vector<int>& hi);
}

struct Case {
    std::vector<int> a, lo, hi;
    std::vector<int64_t> out;
    // n values in [-1e9, 1e9] and n queries with random bounds lo <= hi.
    void generate(std::size_t n, lessonl::Rng& rng) {
        a.resize(n);
        for (auto& x : a) x = int(rng.int_in(-1000000000, 1000000000));
        lo.resize(n);
        hi.resize(n);
        for (std::size_t q = 0; q < n; ++q) {
            int x = int(rng.int_in(0, std::int64_t(n) - 1));
            int y = int(rng.int_in(0, std::int64_t(n) - 1));
            lo[q] = x < y ? x : y;
            hi[q] = x < y ? y : x;
        }
    }
    void reset() { out.clear(); }
    void run(bool candidate) {
        if (candidate) out = lessonl_candidate::scan_range_sums(a, lo, hi);
        else out = lessonl_baseline::scan_range_sums(a, lo, hi);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_vector(ref.out, out, tol, why, "sums");
    }
    template <class V> void state(V& v) { v(a); v(lo); v(hi); v(out); }
};

LESSONL_MAIN(Case)
