#include "lessonl.hpp"

namespace lessonl_baseline {
std::vector<std::int64_t> histogram_bin_edges(const std::vector<double>& values, const std::vector<double>& edges);
}
namespace lessonl_candidate {
std::vector<std::int64_t> histogram_bin_edges(const std::vector<double>& values, const std::vector<double>& edges);
}

struct Case {
    std::vector<double> values, edges;
    std::vector<std::int64_t> out;
    // 512 bins of random widths in [0.5, 2); n values: 5% outside the
    // range, 10% exactly on an edge (the last edge included), the rest
    // uniform within a uniformly chosen bin.
    void generate(std::size_t n, lessonl::Rng& rng) {
        const int bins = 512;
        edges.resize(bins + 1);
        edges[0] = 0.0;
        for (int k = 1; k <= bins; ++k) edges[k] = edges[k - 1] + rng.real_in(0.5, 2.0);
        values.resize(n);
        for (auto& x : values) {
            std::int64_t kind = rng.int_in(0, 99);
            if (kind < 5) x = kind % 2 ? -rng.real_in(0.0, 10.0) : edges[bins] + rng.real_in(0.0, 10.0);
            else if (kind < 15) x = edges[std::size_t(rng.int_in(0, bins))];
            else {
                std::size_t k = std::size_t(rng.int_in(0, bins - 1));
                x = rng.real_in(edges[k], edges[k + 1]);
            }
        }
    }
    void reset() { out.clear(); }
    void run(bool candidate) {
        if (candidate) out = lessonl_candidate::histogram_bin_edges(values, edges);
        else out = lessonl_baseline::histogram_bin_edges(values, edges);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_vector(ref.out, out, tol, why, "counts");
    }
    template <class V> void state(V& v) { v(values); v(edges); v(out); }
};

LESSONL_MAIN(Case)
