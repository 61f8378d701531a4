#include <cstdint>
#include <vector>

// Lookup table of reversed bytes, but each reversed byte is put back in
// its own place: the bits inside every byte are mirrored while the byte
// order is kept, which is not the reversal of the word.
std::vector<std::uint32_t> transform_bit_reverse(const std::vector<std::uint32_t>& a) {
    std::uint8_t t[256];
    for (int v = 0; v < 256; ++v) {
        int r = 0;
        for (int b = 0; b < 8; ++b) r |= ((v >> b) & 1) << (7 - b);
        t[v] = std::uint8_t(r);
    }
    std::vector<std::uint32_t> out(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        std::uint32_t x = a[i];
        out[i] = std::uint32_t(t[x & 0xff]) | (std::uint32_t(t[(x >> 8) & 0xff]) << 8) |
                 (std::uint32_t(t[(x >> 16) & 0xff]) << 16) | (std::uint32_t(t[x >> 24]) << 24);
    }
    return out;
}
