#include "lessonl.hpp"

namespace lessonl_baseline { void sort_ints(std::vector<int>& a); }
namespace lessonl_candidate { void sort_ints(std::vector<int>& a); }

struct Case {
    std::vector<int> input, a;
    void generate(std::size_t n, lessonl::Rng& rng) {
        input.resize(n);
        for (auto& x : input) x = int(rng.int_in(-1000000, 1000000));
    }
    void reset() { a = input; }
    void run(bool candidate) {
        if (candidate) lessonl_candidate::sort_ints(a);
        else lessonl_baseline::sort_ints(a);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_vector(ref.a, a, tol, why);
    }
    template <class V> void state(V& v) { v(input); v(a); }
};

LESSONL_MAIN(Case)
