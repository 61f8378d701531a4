#include <algorithm>
#include <cstdint>
#include <vector>

// Blocking (loop tiling): walks the image tile by tile, 32 x 32 pixels,
// keeping the column-by-column order inside a tile. A tile's 32 row
// segments (one or two cache lines each) stay in the L1 cache while its
// columns are walked, so each line is fetched from memory once instead
// of once per pixel.
std::vector<std::int64_t> histogram_image_levels(const std::vector<std::uint16_t>& pixels,
                                                 int width, int height) {
    std::vector<std::int64_t> counts(4096, 0);
    const int tile = 32;
    for (int y0 = 0; y0 < height; y0 += tile) {
        int y1 = std::min(height, y0 + tile);
        for (int x0 = 0; x0 < width; x0 += tile) {
            int x1 = std::min(width, x0 + tile);
            for (int x = x0; x < x1; ++x)
                for (int y = y0; y < y1; ++y)
                    ++counts[pixels[std::size_t(y) * width + x]];
        }
    }
    return counts;
}
