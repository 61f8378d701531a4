#include "lessonl.hpp"

#include <algorithm>

namespace lessonl_baseline {
std::vector<int> search_count_at_most(const std::vector<int>& sorted, const std::vector<int>& queries);
}
namespace lessonl_candidate {
std::vector<int> search_count_at_most(const std::vector<int>& sorted, const std::vector<int>& queries);
}

struct Case {
    std::vector<int> sorted, queries, out;
    // n sorted values in [0, 4n] (with duplicates) and n queries in
    // [-1, 4n + 1], half of them copies of array elements.
    void generate(std::size_t n, lessonl::Rng& rng) {
        const std::int64_t hi = 4 * std::int64_t(n);
        sorted.resize(n);
        for (auto& x : sorted) x = int(rng.int_in(0, hi));
        std::sort(sorted.begin(), sorted.end());
        queries.resize(n);
        for (auto& x : queries) {
            if (rng.int_in(0, 1) == 0) x = sorted[std::size_t(rng.int_in(0, std::int64_t(n) - 1))];
            else x = int(rng.int_in(-1, hi + 1));
        }
    }
    void reset() { out.clear(); }
    void run(bool candidate) {
        if (candidate) out = lessonl_candidate::search_count_at_most(sorted, queries);
        else out = lessonl_baseline::search_count_at_most(sorted, queries);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_vector(ref.out, out, tol, why, "counts");
    }
    template <class V> void state(V& v) { v(sorted); v(queries); v(out); }
};

LESSONL_MAIN(Case)
