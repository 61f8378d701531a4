#include <cstdint>
#include <vector>

// Loop interchange with a row pointer, but the pointer is declared to
// non-const uint16_t while pixels is a const reference: initializing it
// from pixels.data() (a const pointer) does not compile.
std::vector<std::int64_t> histogram_image_levels(const std::vector<std::uint16_t>& pixels,
                                                 int width, int height) {
    std::vector<std::int64_t> counts(4096, 0);
    for (int y = 0; y < height; ++y) {
        std::uint16_t* row = pixels.data() + std::size_t(y) * width;
        for (int x = 0; x < width; ++x) ++counts[row[x]];
    }
    return counts;
}
