#include "lessonl.hpp"

namespace lessonl_baseline { void dense_matmul(const std::vector<double>& a, const std::vector<double>& b, std::vector<double>& c, int n); }
namespace lessonl_candidate { void dense_matmul(const std::vector<double>& a, const std::vector<double>& b, std::vector<double>& c, int n); }

struct Case {
    int n = 0;
    std::vector<double> a, b, c;
    void generate(std::size_t size, lessonl::Rng& rng) {
        n = int(size);
        a.resize(size * size);
        b.resize(size * size);
        for (auto& x : a) x = rng.real_in(-1.0, 1.0);
        for (auto& x : b) x = rng.real_in(-1.0, 1.0);
    }
    // c holds stale values on entry, so a rewrite must overwrite every entry.
    void reset() { c.assign(std::size_t(n) * std::size_t(n), 7.0); }
    void run(bool candidate) {
        if (candidate) lessonl_candidate::dense_matmul(a, b, c, n);
        else lessonl_baseline::dense_matmul(a, b, c, n);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_vector(ref.c, c, tol, why, "c");
    }
    template <class V> void state(V& v) { v(n); v(a); v(b); v(c); }
};

LESSONL_MAIN(Case)
