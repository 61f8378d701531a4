#include "lessonl.hpp"

namespace lessonl_baseline { std::vector<std::uint32_t> transform_bit_reverse(const std::vector<std::uint32_t>& a); }
namespace lessonl_candidate { std::vector<std::uint32_t> transform_bit_reverse(const std::vector<std::uint32_t>& a); }

struct Case {
    std::vector<std::uint32_t> a, out;
    // n words, uniform over all 2^32 values.
    void generate(std::size_t n, lessonl::Rng& rng) {
        a.resize(n);
        for (auto& v : a) v = std::uint32_t(rng.next() >> 32);
    }
    void reset() { out.clear(); }
    void run(bool candidate) {
        if (candidate) out = lessonl_candidate::transform_bit_reverse(a);
        else out = lessonl_baseline::transform_bit_reverse(a);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_vector(ref.out, out, tol, why, "words");
    }
    template <class V> void state(V& v) { v(a); v(out); }
};

LESSONL_MAIN(Case)
