#include "lessonl.hpp"

namespace lessonl_baseline { void fft_dft(const std::vector<double>& re, const std::vector<double>& im, std::vector<double>& out_re, std::vector<double>& out_im); }
namespace lessonl_candidate { void fft_dft(const std::vector<double>& re, const std::vector<double>& im, std::vector<double>& out_re, std::vector<double>& out_im); }

struct Case {
    std::vector<double> re, im, out_re, out_im;
    void generate(std::size_t n, lessonl::Rng& rng) {
        re.resize(n);
        im.resize(n);
        for (std::size_t j = 0; j < n; ++j) {
            re[j] = rng.real_in(-1.0, 1.0);
            im[j] = rng.real_in(-1.0, 1.0);
        }
    }
    void reset() {
        out_re.assign(re.size(), 5.0);
        out_im.assign(re.size(), -5.0);
    }
    void run(bool candidate) {
        if (candidate) lessonl_candidate::fft_dft(re, im, out_re, out_im);
        else lessonl_baseline::fft_dft(re, im, out_re, out_im);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_vector(ref.out_re, out_re, tol, why, "out_re") &&
               lessonl::same_vector(ref.out_im, out_im, tol, why, "out_im");
    }
    template <class V> void state(V& v) { v(re); v(im); v(out_re); v(out_im); }
};

LESSONL_MAIN(Case)
