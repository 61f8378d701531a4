#include <cstdint>
#include <vector>

// Strength reduction: walks each column through a pointer that advances a
// row at a time instead of recomputing y * width + x. The index
// arithmetic was never the cost: every read still lands a whole row after
// the last one, so the cache and page misses stay, and it is no faster.
std::vector<std::int64_t> histogram_image_levels(const std::vector<std::uint16_t>& pixels,
                                                 int width, int height) {
    std::vector<std::int64_t> counts(4096, 0);
    for (int x = 0; x < width; ++x) {
        const std::uint16_t* p = pixels.data() + x;
        for (int y = 0; y < height; ++y, p += width)
            ++counts[*p];
    }
    return counts;
}
