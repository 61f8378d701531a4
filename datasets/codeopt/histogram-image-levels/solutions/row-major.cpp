#include <cstdint>
#include <vector>

// Loop interchange: the image is stored row by row, so the rows go in the
// outer loop and the columns in the inner one. The pixels are then read
// in memory order, one cache line serving 32 of them, instead of a
// stride of a whole row per read.
std::vector<std::int64_t> histogram_image_levels(const std::vector<std::uint16_t>& pixels,
                                                 int width, int height) {
    std::vector<std::int64_t> counts(4096, 0);
    for (int y = 0; y < height; ++y) {
        const std::uint16_t* row = pixels.data() + std::size_t(y) * width;
        for (int x = 0; x < width; ++x) ++counts[row[x]];
    }
    return counts;
}
