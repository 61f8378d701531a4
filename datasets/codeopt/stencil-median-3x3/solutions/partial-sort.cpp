#include <algorithm>
#include <vector>

// Only the lower half of the window has to be in order to read its median,
// so std::partial_sort replaces the full std::sort. On nine elements the
// heap it builds costs as much as the insertion sort std::sort uses, and
// the window is still a std::vector allocated for every pixel.
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
            std::partial_sort(window.begin(), window.begin() + 5, window.end());
            out[r * cols + c] = window[4];
        }
    }
    return out;
}
