#include <algorithm>
#include <vector>

// Sorting network with shared work: copy the image into a buffer with a
// one-pixel border that repeats the edges (no clamping in the loop). For
// each output row, sort every vertical triple once into lo <= mid <= hi;
// three neighbouring outputs share it. The median of the 3x3 window is
// then med3(max of the three lo, med3 of the three mid, min of the three
// hi). Only min and max on bytes remain, which the compiler vectorizes.
std::vector<unsigned char> stencil_median_3x3(const std::vector<unsigned char>& img, int rows, int cols) {
    std::vector<unsigned char> out(img.size());
    if (rows == 0 || cols == 0) return out;
    const int w = cols + 2;
    std::vector<unsigned char> pad(std::size_t(rows + 2) * w);
    for (int r = -1; r <= rows; ++r) {
        const unsigned char* src = &img[std::size_t(std::min(std::max(r, 0), rows - 1)) * cols];
        unsigned char* dst = &pad[std::size_t(r + 1) * w];
        std::copy(src, src + cols, dst + 1);
        dst[0] = src[0];
        dst[w - 1] = src[cols - 1];
    }
    std::vector<unsigned char> lo(w), mid(w), hi(w);
    for (int r = 0; r < rows; ++r) {
        const unsigned char* a = &pad[std::size_t(r) * w];
        const unsigned char* b = a + w;
        const unsigned char* c = b + w;
        for (int j = 0; j < w; ++j) {
            unsigned char x = a[j], y = b[j], z = c[j];
            unsigned char t = std::min(x, y);
            y = std::max(x, y);
            x = t;  // x <= y
            t = std::min(y, z);
            z = std::max(y, z);
            y = t;  // z is the largest
            t = std::min(x, y);
            y = std::max(x, y);
            x = t;  // x <= y <= z
            lo[j] = x;
            mid[j] = y;
            hi[j] = z;
        }
        unsigned char* o = &out[std::size_t(r) * cols];
        for (int j = 0; j < cols; ++j) {
            unsigned char l = std::max(std::max(lo[j], lo[j + 1]), lo[j + 2]);
            unsigned char h = std::min(std::min(hi[j], hi[j + 1]), hi[j + 2]);
            unsigned char m0 = mid[j], m1 = mid[j + 1], m2 = mid[j + 2];
            unsigned char m = std::max(std::min(m0, m1), std::min(std::max(m0, m1), m2));
            o[j] = std::max(std::min(l, m), std::min(std::max(l, m), h));
        }
    }
    return out;
}
