#include "lessonl.hpp"

namespace lessonl_baseline {
void sparse_lower_solve(int n, const std::vector<int>& ptr, const std::vector<int>& idx, const std::vector<double>& val,
                        std::vector<double>& x);
}
namespace lessonl_candidate {
void sparse_lower_solve(int n, const std::vector<int>& ptr, const std::vector<int>& idx, const std::vector<double>& val,
                        std::vector<double>& x);
}

struct Case {
    int n = 0;
    std::vector<int> ptr, idx;
    std::vector<double> val, b, x;
    // Row i holds up to 8 off-diagonal entries at distinct random columns
    // below i, values in [-1, 1), and a diagonal that exceeds the row's
    // absolute sum by 1 to 2, with a random sign; the entries of each row,
    // diagonal included, are shuffled. b is uniform in [-100, 100).
    void generate(std::size_t size, lessonl::Rng& rng) {
        n = int(size);
        ptr.assign(size + 1, 0);
        idx.clear();
        val.clear();
        std::vector<int> cols;
        std::vector<double> vs;
        for (int i = 0; i < n; ++i) {
            cols.clear();
            vs.clear();
            int want = int(rng.int_in(0, 8));
            if (want > i) want = i;
            double abs_sum = 0.0;
            while (int(cols.size()) < want) {
                int c = int(rng.int_in(0, i - 1));
                bool seen = false;
                for (int d : cols) seen = seen || d == c;
                if (seen) continue;
                double v = rng.real_in(-1.0, 1.0);
                cols.push_back(c);
                vs.push_back(v);
                abs_sum += std::fabs(v);
            }
            double sign = rng.next() & 1 ? 1.0 : -1.0;
            cols.push_back(i);
            vs.push_back(sign * (abs_sum + rng.real_in(1.0, 2.0)));
            // Fisher-Yates shuffle of the row, so the diagonal may sit anywhere.
            for (int k = int(cols.size()) - 1; k > 0; --k) {
                int r = int(rng.int_in(0, k));
                std::swap(cols[k], cols[r]);
                std::swap(vs[k], vs[r]);
            }
            for (std::size_t k = 0; k < cols.size(); ++k) {
                idx.push_back(cols[k]);
                val.push_back(vs[k]);
            }
            ptr[i + 1] = int(idx.size());
        }
        b.resize(size);
        for (auto& v : b) v = rng.real_in(-100.0, 100.0);
    }
    void reset() { x = b; }
    void run(bool candidate) {
        if (candidate) lessonl_candidate::sparse_lower_solve(n, ptr, idx, val, x);
        else lessonl_baseline::sparse_lower_solve(n, ptr, idx, val, x);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_vector(ref.x, x, tol, why, "x");
    }
    template <class V> void state(V& v) { v(n); v(ptr); v(idx); v(val); v(b); v(x); }
};

LESSONL_MAIN(Case)
