#include "lessonl.hpp"

namespace lessonl_baseline {
void sparse_coo_spmv(const std::vector<int>& rows, const std::vector<int>& cols, const std::vector<double>& vals,
                     const std::vector<double>& x, std::vector<double>& y);
}
namespace lessonl_candidate {
void sparse_coo_spmv(const std::vector<int>& rows, const std::vector<int>& cols, const std::vector<double>& vals,
                     const std::vector<double>& x, std::vector<double>& y);
}

struct Case {
    std::vector<int> rows, cols;
    std::vector<double> vals, x, y;
    std::size_t n = 0;
    // n x n, 4n triplets at random coordinates (some repeat) in random
    // order, values and x in [-1, 1); y starts as all 7.0.
    void generate(std::size_t size, lessonl::Rng& rng) {
        n = size;
        const std::size_t nnz = 4 * n;
        rows.resize(nnz);
        cols.resize(nnz);
        vals.resize(nnz);
        for (std::size_t t = 0; t < nnz; ++t) {
            rows[t] = int(rng.int_in(0, std::int64_t(n) - 1));
            cols[t] = int(rng.int_in(0, std::int64_t(n) - 1));
            vals[t] = rng.real_in(-1.0, 1.0);
        }
        x.resize(n);
        for (auto& v : x) v = rng.real_in(-1.0, 1.0);
    }
    void reset() { y.assign(n, 7.0); }
    void run(bool candidate) {
        if (candidate) lessonl_candidate::sparse_coo_spmv(rows, cols, vals, x, y);
        else lessonl_baseline::sparse_coo_spmv(rows, cols, vals, x, y);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_vector(ref.y, y, tol, why, "y");
    }
    template <class V> void state(V& v) { v(rows); v(cols); v(vals); v(x); v(y); v(n); }
};

LESSONL_MAIN(Case)
