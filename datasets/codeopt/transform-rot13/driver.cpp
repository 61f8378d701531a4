#include "lessonl.hpp"

namespace lessonl_baseline { std::string transform_rot13(const std::string& s); }
namespace lessonl_candidate { std::string transform_rot13(const std::string& s); }

struct Case {
    std::string s, out;
    // n printable ASCII characters (32..126): letters of both cases,
    // digits, punctuation and spaces.
    void generate(std::size_t n, lessonl::Rng& rng) {
        s.resize(n);
        for (auto& c : s) c = char(rng.int_in(32, 126));
    }
    void reset() { out.clear(); }
    void run(bool candidate) {
        if (candidate) out = lessonl_candidate::transform_rot13(s);
        else out = lessonl_baseline::transform_rot13(s);
    }
    bool check(const Case& ref, double, std::string& why) const {
        if (ref.out == out) return true;
        std::size_t i = 0;
        while (i < ref.out.size() && i < out.size() && ref.out[i] == out[i]) ++i;
        why = "text differs at index " + std::to_string(i) + " (lengths " + std::to_string(ref.out.size()) +
              " and " + std::to_string(out.size()) + ")";
        return false;
    }
    template <class V> void state(V& v) { v(s); v(out); }
};

LESSONL_MAIN(Case)
