#include "lessonl.hpp"

namespace lessonl_baseline { int64_t sum_values(const std::vector<int64_t>& v); }
namespace lessonl_candidate { int64_t sum_values(const std::vector<int64_t>& v); }

struct Case {
    std::vector<int64_t> v;
    int64_t out = 0;
    void generate(std::size_t n, lessonl::Rng& rng) {
        v.resize(n);
        for (auto& x : v) x = rng.int_in(-1000, 1000);
    }
    void reset() { out = 0; }
    void run(bool candidate) {
        out = candidate ? lessonl_candidate::sum_values(v) : lessonl_baseline::sum_values(v);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_scalar(ref.out, out, tol, why, "sum");
    }
    template <class V> void state(V& visit) { visit(v); visit(out); }  // not "v": that is a member
};

LESSONL_MAIN(Case)
