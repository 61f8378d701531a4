#include <cstdint>
#include <vector>

// transform_bit_reverse returns, for every 32-bit word of a, the word with
// its bits in reverse order: bit 0 becomes bit 31, bit 1 becomes bit 30...
std::vector<std::uint32_t> transform_bit_reverse(const std::vector<std::uint32_t>& a) {
    std::vector<std::uint32_t> out(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        std::uint32_t x = a[i];
        std::uint32_t r = 0;
        for (int b = 0; b < 32; ++b) {
            r = (r << 1) | (x & 1u);
            x >>= 1;
        }
        out[i] = r;
    }
    return out;
}
