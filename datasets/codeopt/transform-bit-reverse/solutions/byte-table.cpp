#include <cstdint>
#include <vector>

// Lookup table: a 256-entry table holds the reversal of every byte, built
// once; a word is reversed by reversing its four bytes through the table
// and putting them back in the opposite order (byte 0 becomes byte 3).
std::vector<std::uint32_t> transform_bit_reverse(const std::vector<std::uint32_t>& a) {
    static const std::vector<std::uint8_t> table = [] {
        std::vector<std::uint8_t> t(256);
        for (int v = 0; v < 256; ++v) {
            int r = 0;
            for (int b = 0; b < 8; ++b) r |= ((v >> b) & 1) << (7 - b);
            t[v] = std::uint8_t(r);
        }
        return t;
    }();
    const std::uint8_t* t = table.data();
    std::vector<std::uint32_t> out(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        std::uint32_t x = a[i];
        out[i] = (std::uint32_t(t[x & 0xff]) << 24) | (std::uint32_t(t[(x >> 8) & 0xff]) << 16) |
                 (std::uint32_t(t[(x >> 16) & 0xff]) << 8) | std::uint32_t(t[x >> 24]);
    }
    return out;
}
