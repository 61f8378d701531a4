#include <algorithm>
#include <vector>

// stencil_median_3x3 applies a 3x3 median filter to a rows x cols 8-bit
// image stored row-major: each output pixel is the median of the 9 pixels
// around it, where a coordinate outside the image is clamped to the
// nearest edge (the edge pixels repeat).
std::vector<unsigned char> stencil_median_3x3(const std::vector<unsigned char>& img, int rows, int cols) {
    std::vector<unsigned char> out(img.size());
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            std::vector<unsigned char> window;
            for (int dr = -1; dr <= 1; ++dr) {
                for (int dc = -1; dc <= 1; ++dc) {
                    int rr = std::min(std::max(r + dr, 0), rows - 1);
                    int cc = std::min(std::max(c + dc, 0), cols - 1);
                    window.push_back(img[rr * cols + cc]);
                }
            }
            std::sort(window.begin(), window.end());
            out[r * cols + c] = window[4];
        }
    }
    return out;
}
