#include <algorithm>
#include <vector>

// Takes the median of each row of the window and returns the median of
// the three row medians. It is cheap and usually close, but it is not the
// median of the nine pixels: rows {0,0,9}, {0,0,9}, {9,9,9} give
// med(0, 0, 9) = 0, while five of the nine pixels are 9.
std::vector<unsigned char> stencil_median_3x3(const std::vector<unsigned char>& img, int rows, int cols) {
    auto med3 = [](unsigned char a, unsigned char b, unsigned char c) {
        return std::max(std::min(a, b), std::min(std::max(a, b), c));
    };
    std::vector<unsigned char> out(img.size());
    for (int r = 0; r < rows; ++r) {
        unsigned char m[3];
        for (int c = 0; c < cols; ++c) {
            const int c0 = std::max(c - 1, 0), c2 = std::min(c + 1, cols - 1);
            for (int dr = -1; dr <= 1; ++dr) {
                const int rr = std::min(std::max(r + dr, 0), rows - 1);
                const unsigned char* p = &img[rr * cols];
                m[dr + 1] = med3(p[c0], p[c], p[c2]);
            }
            out[r * cols + c] = med3(m[0], m[1], m[2]);
        }
    }
    return out;
}
