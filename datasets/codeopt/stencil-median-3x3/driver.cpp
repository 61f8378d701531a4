#include "lessonl.hpp"

namespace lessonl_baseline {
std::vector<unsigned char> stencil_median_3x3(const std::vector<unsigned char>& img, int rows, int cols);
}
namespace lessonl_candidate {
std::vector<unsigned char> stencil_median_3x3(const std::vector<unsigned char>& img, int rows, int cols);
}

struct Case {
    std::vector<unsigned char> img, out;
    int rows = 0, cols = 0;
    // An n x (n + 7) image: a diagonal ramp plus uniform noise in [-40, 40],
    // clamped to [0, 255], with one pixel in eight replaced by salt (255)
    // or pepper (0).
    void generate(std::size_t n, lessonl::Rng& rng) {
        rows = int(n);
        cols = n == 0 ? 0 : int(n) + 7;
        img.resize(std::size_t(rows) * std::size_t(cols));
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < cols; ++c) {
                long v = (2 * r + 3 * c) % 256 + rng.int_in(-40, 40);
                if (rng.int_in(0, 7) == 0) v = rng.int_in(0, 1) ? 255 : 0;
                img[std::size_t(r) * cols + c] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
            }
    }
    void reset() { out.clear(); }
    void run(bool candidate) {
        if (candidate) out = lessonl_candidate::stencil_median_3x3(img, rows, cols);
        else out = lessonl_baseline::stencil_median_3x3(img, rows, cols);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_vector(ref.out, out, tol, why, "pixels");
    }
    template <class V> void state(V& v) { v(img); v(out); v(rows); v(cols); }
};

LESSONL_MAIN(Case)
