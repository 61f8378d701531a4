#include "lessonl.hpp"

namespace lessonl_baseline { std::vector<int> sort_smallest_k(const std::vector<int>& a, std::size_t k); }
namespace lessonl_candidate { std::vector<int> sort_smallest_k(const std::vector<int>& a, std::size_t k); }

struct Case {
    std::vector<int> a, out;
    std::size_t k = 0;
    // n values in [0, n/4], so about four copies of each, and
    // k = ceil(n / 100).
    void generate(std::size_t n, lessonl::Rng& rng) {
        a.resize(n);
        for (auto& x : a) x = int(rng.int_in(0, std::int64_t(n / 4)));
        k = (n + 99) / 100;
    }
    void reset() { out.clear(); }
    void run(bool candidate) {
        if (candidate) out = lessonl_candidate::sort_smallest_k(a, k);
        else out = lessonl_baseline::sort_smallest_k(a, k);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_vector(ref.out, out, tol, why, "smallest");
    }
    template <class V> void state(V& v) { v(a); v(out); v(k); }
};

LESSONL_MAIN(Case)
