#include "lessonl.hpp"

#include <algorithm>

namespace lessonl_baseline {
void sparse_csr_transpose(int n, const std::vector<int>& ptr, const std::vector<int>& idx, const std::vector<double>& val,
                          std::vector<int>& tptr, std::vector<int>& tidx, std::vector<double>& tval);
}
namespace lessonl_candidate {
void sparse_csr_transpose(int n, const std::vector<int>& ptr, const std::vector<int>& idx, const std::vector<double>& val,
                          std::vector<int>& tptr, std::vector<int>& tidx, std::vector<double>& tval);
}

struct Case {
    int n = 0;
    std::vector<int> ptr, idx, tptr, tidx;
    std::vector<double> val, tval;
    // n x n with up to 6 entries per row at distinct random columns,
    // ascending; values in [-1, 1).
    void generate(std::size_t size, lessonl::Rng& rng) {
        n = int(size);
        ptr.assign(size + 1, 0);
        idx.clear();
        val.clear();
        for (int r = 0; r < n; ++r) {
            std::vector<int> cols;
            for (int k = int(rng.int_in(0, 6)); k > 0; --k) cols.push_back(int(rng.int_in(0, n - 1)));
            std::sort(cols.begin(), cols.end());
            cols.erase(std::unique(cols.begin(), cols.end()), cols.end());
            for (int c : cols) {
                idx.push_back(c);
                val.push_back(rng.real_in(-1.0, 1.0));
            }
            ptr[r + 1] = int(idx.size());
        }
    }
    void reset() {
        tptr.clear();
        tidx.clear();
        tval.clear();
    }
    void run(bool candidate) {
        if (candidate) lessonl_candidate::sparse_csr_transpose(n, ptr, idx, val, tptr, tidx, tval);
        else lessonl_baseline::sparse_csr_transpose(n, ptr, idx, val, tptr, tidx, tval);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_vector(ref.tptr, tptr, tol, why, "tptr") && lessonl::same_vector(ref.tidx, tidx, tol, why, "tidx") &&
               lessonl::same_vector(ref.tval, tval, tol, why, "tval");
    }
    template <class V> void state(V& v) { v(n); v(ptr); v(idx); v(tptr); v(tidx); v(val); v(tval); }
};

LESSONL_MAIN(Case)
