#include <cstdint>
#include <vector>

// Bit twiddling (divide and conquer): swap the two 16-bit halves, then the
// bytes inside each half, then the nibbles, the bit pairs and finally the
// single bits, each step one shift-and-mask on the whole word: five steps
// of straight-line code instead of a 32-step loop.
std::vector<std::uint32_t> transform_bit_reverse(const std::vector<std::uint32_t>& a) {
    std::vector<std::uint32_t> out(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        std::uint32_t x = a[i];
        x = (x >> 16) | (x << 16);
        x = ((x >> 8) & 0x00ff00ffu) | ((x & 0x00ff00ffu) << 8);
        x = ((x >> 4) & 0x0f0f0f0fu) | ((x & 0x0f0f0f0fu) << 4);
        x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
        x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
        out[i] = x;
    }
    return out;
}
