#include "lessonl.hpp"

namespace lessonl_baseline { void dense_lu_solve(std::vector<double>& a, std::vector<double>& b, int n); }
namespace lessonl_candidate { void dense_lu_solve(std::vector<double>& a, std::vector<double>& b, int n); }

struct Case {
    int n = 0;
    std::vector<double> a0, b0, a, b;
    void generate(std::size_t size, lessonl::Rng& rng) {
        n = int(size);
        a0.resize(size * size);
        b0.resize(size);
        // Off-diagonal entries in [-1, 1); the diagonal dominates its row,
        // so elimination without pivoting is stable.
        for (std::size_t i = 0; i < size; ++i) {
            double row = 0.0;
            for (std::size_t j = 0; j < size; ++j) {
                double v = rng.real_in(-1.0, 1.0);
                a0[i * size + j] = v;
                if (j != i) row += std::fabs(v);
            }
            double sign = rng.next() & 1 ? 1.0 : -1.0;
            a0[i * size + i] = sign * (row + rng.real_in(1.0, 2.0));
        }
        for (auto& x : b0) x = rng.real_in(-100.0, 100.0);
    }
    void reset() { a = a0; b = b0; }
    void run(bool candidate) {
        if (candidate) lessonl_candidate::dense_lu_solve(a, b, n);
        else lessonl_baseline::dense_lu_solve(a, b, n);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_vector(ref.b, b, tol, why, "x");
    }
    template <class V> void state(V& v) { v(n); v(a0); v(b0); v(a); v(b); }
};

LESSONL_MAIN(Case)
