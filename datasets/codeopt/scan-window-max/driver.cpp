#include "lessonl.hpp"

namespace lessonl_baseline { std::vector<int> scan_window_max(const std::vector<int>& a, int k); }
namespace lessonl_candidate { std::vector<int> scan_window_max(const std::vector<int>& a, int k); }

struct Case {
    std::vector<int> a, out;
    int k = 1;
    // n values in [-1e9, 1e9], window length k = 1 + n / 8.
    void generate(std::size_t n, lessonl::Rng& rng) {
        a.resize(n);
        for (auto& x : a) x = int(rng.int_in(-1000000000, 1000000000));
        k = 1 + int(n / 8);
    }
    void reset() { out.clear(); }
    void run(bool candidate) {
        if (candidate) out = lessonl_candidate::scan_window_max(a, k);
        else out = lessonl_baseline::scan_window_max(a, k);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_vector(ref.out, out, tol, why, "window max");
    }
    template <class V> void state(V& v) { v(a); v(out); v(k); }
};

LESSONL_MAIN(Case)
