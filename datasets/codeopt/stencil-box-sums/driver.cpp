#include "lessonl.hpp"

namespace lessonl_baseline { std::vector<std::int64_t> stencil_box_sums(const std::vector<int>& a, int r); }
namespace lessonl_candidate { std::vector<std::int64_t> stencil_box_sums(const std::vector<int>& a, int r); }

struct Case {
    std::vector<int> a;
    std::vector<std::int64_t> out;
    int r = 0;
    // n values in [-1e6, 1e6] and radius r = 48 (wider than small inputs,
    // so the clamping at both ends matters).
    void generate(std::size_t n, lessonl::Rng& rng) {
        a.resize(n);
        for (auto& x : a) x = int(rng.int_in(-1000000, 1000000));
        r = 48;
    }
    void reset() { out.clear(); }
    void run(bool candidate) {
        if (candidate) out = lessonl_candidate::stencil_box_sums(a, r);
        else out = lessonl_baseline::stencil_box_sums(a, r);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_vector(ref.out, out, tol, why, "sums");
    }
    template <class V> void state(V& v) { v(a); v(out); v(r); }
};

LESSONL_MAIN(Case)
