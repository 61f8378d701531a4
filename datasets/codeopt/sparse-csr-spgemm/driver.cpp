#include "lessonl.hpp"

#include <algorithm>

namespace lessonl_baseline {
void sparse_csr_spgemm(int n, const std::vector<int>& ap, const std::vector<int>& ai, const std::vector<double>& av,
                       const std::vector<int>& bp, const std::vector<int>& bi, const std::vector<double>& bv,
                       std::vector<int>& cp, std::vector<int>& ci, std::vector<double>& cv);
}
namespace lessonl_candidate {
void sparse_csr_spgemm(int n, const std::vector<int>& ap, const std::vector<int>& ai, const std::vector<double>& av,
                       const std::vector<int>& bp, const std::vector<int>& bi, const std::vector<double>& bv,
                       std::vector<int>& cp, std::vector<int>& ci, std::vector<double>& cv);
}

// random_csr builds an n x n matrix with 0 to 8 entries a row at distinct
// random columns, ascending, values in [-1, 1).
static void random_csr(int n, lessonl::Rng& rng, std::vector<int>& ptr, std::vector<int>& idx, std::vector<double>& val) {
    ptr.assign(std::size_t(n) + 1, 0);
    idx.clear();
    val.clear();
    std::vector<int> cols;
    for (int r = 0; r < n; ++r) {
        cols.clear();
        for (int k = int(rng.int_in(0, 8)); k > 0; --k) cols.push_back(int(rng.int_in(0, n - 1)));
        std::sort(cols.begin(), cols.end());
        cols.erase(std::unique(cols.begin(), cols.end()), cols.end());
        for (int c : cols) {
            idx.push_back(c);
            val.push_back(rng.real_in(-1.0, 1.0));
        }
        ptr[r + 1] = int(idx.size());
    }
}

struct Case {
    int n = 0;
    std::vector<int> ap, ai, bp, bi, cp, ci;
    std::vector<double> av, bv, cv;
    void generate(std::size_t size, lessonl::Rng& rng) {
        n = int(size);
        random_csr(n, rng, ap, ai, av);
        random_csr(n, rng, bp, bi, bv);
    }
    // The outputs start out holding leftovers, as a reused buffer would.
    void reset() {
        cp.assign(3, 5);
        ci.assign(3, 1);
        cv.assign(3, 9.0);
    }
    void run(bool candidate) {
        if (candidate) lessonl_candidate::sparse_csr_spgemm(n, ap, ai, av, bp, bi, bv, cp, ci, cv);
        else lessonl_baseline::sparse_csr_spgemm(n, ap, ai, av, bp, bi, bv, cp, ci, cv);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_vector(ref.cp, cp, tol, why, "cp") && lessonl::same_vector(ref.ci, ci, tol, why, "ci") &&
               lessonl::same_vector(ref.cv, cv, tol, why, "cv");
    }
    template <class V> void state(V& v) { v(n); v(ap); v(ai); v(bp); v(bi); v(cp); v(ci); v(av); v(bv); v(cv); }
};

LESSONL_MAIN(Case)
