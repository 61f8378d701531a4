#include <algorithm>
#include <array>
#include <vector>

// Keeps the window in a std::array to avoid the per-pixel allocation, but
// passes the array to std::nth_element as if it decayed to a pointer like a
// C array; std::array does not, so w + 4 does not compile.
std::vector<unsigned char> stencil_median_3x3(const std::vector<unsigned char>& img, int rows, int cols) {
    std::vector<unsigned char> out(img.size());
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            std::array<unsigned char, 9> w;
            int k = 0;
            for (int dr = -1; dr <= 1; ++dr)
                for (int dc = -1; dc <= 1; ++dc) {
                    int rr = std::min(std::max(r + dr, 0), rows - 1);
                    int cc = std::min(std::max(c + dc, 0), cols - 1);
                    w[k++] = img[rr * cols + cc];
                }
            std::nth_element(w, w + 4, w + 9);
            out[r * cols + c] = w[4];
        }
    }
    return out;
}
