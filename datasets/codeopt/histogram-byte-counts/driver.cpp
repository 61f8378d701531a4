#include "lessonl.hpp"

namespace lessonl_baseline { std::vector<std::int64_t> histogram_byte_counts(const std::vector<unsigned char>& data); }
namespace lessonl_candidate { std::vector<std::int64_t> histogram_byte_counts(const std::vector<unsigned char>& data); }

struct Case {
    std::vector<unsigned char> data;
    std::vector<std::int64_t> out;
    // Skewed like text: 40% spaces, 30% lower-case letters, 30% any byte.
    void generate(std::size_t n, lessonl::Rng& rng) {
        data.resize(n);
        for (auto& c : data) {
            std::int64_t k = rng.int_in(0, 9);
            if (k < 4) c = ' ';
            else if (k < 7) c = static_cast<unsigned char>(rng.int_in('a', 'z'));
            else c = static_cast<unsigned char>(rng.int_in(0, 255));
        }
    }
    void reset() { out.clear(); }
    void run(bool candidate) {
        if (candidate) out = lessonl_candidate::histogram_byte_counts(data);
        else out = lessonl_baseline::histogram_byte_counts(data);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_vector(ref.out, out, tol, why, "counts");
    }
    template <class V> void state(V& v) { v(data); v(out); }
};

LESSONL_MAIN(Case)
