#include "lessonl.hpp"

namespace lessonl_baseline { int64_t graph_count_triangles(const std::vector<int>& adj, int n); }
namespace lessonl_candidate { int64_t graph_count_triangles(const std::vector<int>& adj, int n); }

struct Case {
    int n = 0;
    std::vector<int> adj;
    int64_t result = -1;
    // Random graph: each edge present with probability 1/4.
    void generate(std::size_t size, lessonl::Rng& rng) {
        n = int(size);
        adj.assign(size * size, 0);
        for (std::size_t i = 0; i < size; ++i)
            for (std::size_t j = i + 1; j < size; ++j)
                if (rng.int_in(0, 3) == 0) adj[i * size + j] = adj[j * size + i] = 1;
    }
    void reset() { result = -1; }
    void run(bool candidate) {
        if (candidate) result = lessonl_candidate::graph_count_triangles(adj, n);
        else result = lessonl_baseline::graph_count_triangles(adj, n);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_scalar(ref.result, result, tol, why, "triangles");
    }
    template <class V> void state(V& v) { v(n); v(adj); v(result); }
};

LESSONL_MAIN(Case)
