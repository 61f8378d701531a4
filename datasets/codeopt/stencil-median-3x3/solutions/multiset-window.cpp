#include <algorithm>
#include <iterator>
#include <set>
#include <vector>

// Sliding window: keeps the 9 window pixels in a std::multiset, and moving
// one column right erases the 3 pixels that leave and inserts the 3 that
// enter instead of rebuilding the window. Every insert is a node
// allocation and every step a tree walk, so nothing is saved.
std::vector<unsigned char> stencil_median_3x3(const std::vector<unsigned char>& img, int rows, int cols) {
    std::vector<unsigned char> out(img.size());
    auto at = [&](int r, int c) {
        r = std::min(std::max(r, 0), rows - 1);
        c = std::min(std::max(c, 0), cols - 1);
        return img[r * cols + c];
    };
    for (int r = 0; r < rows; ++r) {
        std::multiset<unsigned char> window;
        for (int dr = -1; dr <= 1; ++dr)
            for (int dc = -1; dc <= 1; ++dc) window.insert(at(r + dr, dc));
        for (int c = 0; c < cols; ++c) {
            if (c > 0) {
                for (int dr = -1; dr <= 1; ++dr) {
                    window.erase(window.find(at(r + dr, c - 2)));
                    window.insert(at(r + dr, c + 1));
                }
            }
            out[r * cols + c] = *std::next(window.begin(), 4);
        }
    }
    return out;
}
