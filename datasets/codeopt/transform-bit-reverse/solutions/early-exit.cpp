#include <cstdint>
#include <vector>

// Early exit: stops shifting once no set bit is left in x, placing each
// bit straight at its mirrored position. Words are uniform, so the top
// bit is set half the time and the loop still runs about 31 times; the
// exit point is data-dependent and mispredicted, so nothing is gained.
std::vector<std::uint32_t> transform_bit_reverse(const std::vector<std::uint32_t>& a) {
    std::vector<std::uint32_t> out(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        std::uint32_t x = a[i];
        std::uint32_t r = 0;
        int pos = 31;
        while (x != 0) {
            r |= (x & 1u) << pos;
            x >>= 1;
            --pos;
        }
        out[i] = r;
    }
    return out;
}
