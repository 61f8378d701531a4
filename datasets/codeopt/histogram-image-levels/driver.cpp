#include "lessonl.hpp"

namespace lessonl_baseline {
std::vector<std::int64_t> histogram_image_levels(const std::vector<std::uint16_t>& pixels, int width, int height);
}
namespace lessonl_candidate {
std::vector<std::int64_t> histogram_image_levels(const std::vector<std::uint16_t>& pixels, int width, int height);
}

struct Case {
    std::vector<std::uint16_t> pixels;
    int width = 0, height = 0;
    std::vector<std::int64_t> counts;
    // An image of n rows and 3n/4 + 1 columns (wider than tall only for
    // n <= 3): a smooth diagonal ramp plus a slow wave, with uniform noise
    // of +-40 levels, clamped to the 12-bit range 0..4095.
    void generate(std::size_t n, lessonl::Rng& rng) {
        height = int(n);
        width = int(n * 3 / 4 + 1);
        pixels.resize(std::size_t(width) * std::size_t(height));
        double sx = 2000.0 / double(width), sy = 1800.0 / double(height > 0 ? height : 1);
        for (int y = 0; y < height; ++y) {
            for (int x = 0; x < width; ++x) {
                double base = 150.0 + sx * x + sy * y + 300.0 * ((x / 37 + y / 53) % 5) / 4.0;
                int v = int(base) + int(rng.int_in(-40, 40));
                if (v < 0) v = 0;
                if (v > 4095) v = 4095;
                pixels[std::size_t(y) * width + x] = std::uint16_t(v);
            }
        }
    }
    void reset() { counts.clear(); }
    void run(bool candidate) {
        if (candidate) counts = lessonl_candidate::histogram_image_levels(pixels, width, height);
        else counts = lessonl_baseline::histogram_image_levels(pixels, width, height);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_vector(ref.counts, counts, tol, why, "counts");
    }
    template <class V> void state(V& v) { v(pixels); v(width); v(height); v(counts); }
};

LESSONL_MAIN(Case)
