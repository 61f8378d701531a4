#include "lessonl.hpp"

namespace lessonl_baseline { void fft_circular_convolution(const std::vector<double>& a, const std::vector<double>& b, std::vector<double>& c); }
namespace lessonl_candidate { void fft_circular_convolution(const std::vector<double>& a, const std::vector<double>& b, std::vector<double>& c); }

struct Case {
    std::vector<double> a, b, c;
    void generate(std::size_t n, lessonl::Rng& rng) {
        a.resize(n);
        b.resize(n);
        for (auto& x : a) x = rng.real_in(-1.0, 1.0);
        for (auto& x : b) x = rng.real_in(-1.0, 1.0);
    }
    void reset() { c.assign(a.size(), 3.0); }
    void run(bool candidate) {
        if (candidate) lessonl_candidate::fft_circular_convolution(a, b, c);
        else lessonl_baseline::fft_circular_convolution(a, b, c);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_vector(ref.c, c, tol, why, "c");
    }
    template <class V> void state(V& v) { v(a); v(b); v(c); }
};

LESSONL_MAIN(Case)
