#include <cstdint>
#include <vector>

// histogram_image_levels counts how many pixels of a 12-bit grayscale
// image take each level 0..4095. The image is width x height, stored row
// by row: pixel (x, y) is pixels[y * width + x].
std::vector<std::int64_t> histogram_image_levels(const std::vector<std::uint16_t>& pixels,
                                                 int width, int height) {
    std::vector<std::int64_t> counts(4096, 0);
    for (int x = 0; x < width; ++x)
        for (int y = 0; y < height; ++y)
            ++counts[pixels[std::size_t(y) * width + x]];
    return counts;
}
