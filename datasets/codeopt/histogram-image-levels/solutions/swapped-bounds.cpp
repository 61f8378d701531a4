#include <cstdint>
#include <vector>

// Loop interchange done carelessly: the loops are swapped but their
// bounds are not, so y runs to width and x to height. For a square image
// this is right; for any other shape it counts the wrong pixels (here the
// reads stay inside the buffer, but some pixels are counted twice and
// others never).
std::vector<std::int64_t> histogram_image_levels(const std::vector<std::uint16_t>& pixels,
                                                 int width, int height) {
    std::vector<std::int64_t> counts(4096, 0);
    for (int y = 0; y < width; ++y)
        for (int x = 0; x < height; ++x)
            ++counts[pixels[std::size_t(y) * width + x]];
    return counts;
}
