#include <cstdint>
#include <vector>

// Contiguous memory layout: copies the image into column-major order so
// that the column-by-column count reads contiguous memory. But the copy
// itself writes (or reads) with a stride of a whole column, the same
// cache-missing pattern as the baseline, plus a second pass and a large
// allocation. Whether it wins depends on the machine (problem.yaml).
std::vector<std::int64_t> histogram_image_levels(const std::vector<std::uint16_t>& pixels,
                                                 int width, int height) {
    std::vector<std::int64_t> counts(4096, 0);
    std::vector<std::uint16_t> columns(pixels.size());
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            columns[std::size_t(x) * height + y] = pixels[std::size_t(y) * width + x];
    for (int x = 0; x < width; ++x)
        for (int y = 0; y < height; ++y)
            ++counts[columns[std::size_t(x) * height + y]];
    return counts;
}
