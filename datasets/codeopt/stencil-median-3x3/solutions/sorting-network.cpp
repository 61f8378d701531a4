#include <algorithm>
#include <vector>

// Sorting network: gathers the 9 clamped window pixels into a stack array
// (no per-pixel allocation) and finds the median with Paeth's fixed
// 19-step compare-exchange network for 9 elements. Each step is a min and
// a max, with no data-dependent branches to mispredict.
std::vector<unsigned char> stencil_median_3x3(const std::vector<unsigned char>& img, int rows, int cols) {
    std::vector<unsigned char> out(img.size());
    for (int r = 0; r < rows; ++r) {
        const unsigned char* up = &img[std::max(r - 1, 0) * cols];
        const unsigned char* mid = &img[r * cols];
        const unsigned char* down = &img[std::min(r + 1, rows - 1) * cols];
        for (int c = 0; c < cols; ++c) {
            const int c0 = std::max(c - 1, 0), c2 = std::min(c + 1, cols - 1);
            unsigned char p[9] = {up[c0], up[c], up[c2], mid[c0], mid[c], mid[c2], down[c0], down[c], down[c2]};
            auto cx = [&p](int i, int j) {
                unsigned char a = p[i], b = p[j];
                p[i] = std::min(a, b);
                p[j] = std::max(a, b);
            };
            cx(1, 2); cx(4, 5); cx(7, 8);
            cx(0, 1); cx(3, 4); cx(6, 7);
            cx(1, 2); cx(4, 5); cx(7, 8);
            cx(0, 3); cx(5, 8); cx(4, 7);
            cx(3, 6); cx(1, 4); cx(2, 5);
            cx(4, 7); cx(4, 2); cx(6, 4);
            cx(4, 2);
            out[r * cols + c] = p[4];
        }
    }
    return out;
}
