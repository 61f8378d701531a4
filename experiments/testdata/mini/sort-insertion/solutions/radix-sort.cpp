#include <cstdint>
#include <cstring>
#include <vector>

void sort_ints(std::vector<int>& a) {
    const std::size_t n = a.size();
    std::vector<std::uint32_t> keys(n), tmp(n);
    for (std::size_t i = 0; i < n; ++i) keys[i] = static_cast<std::uint32_t>(a[i]) ^ 0x80000000u;
    for (int shift = 0; shift < 32; shift += 8) {
        std::size_t count[257] = {0};
        for (std::size_t i = 0; i < n; ++i) ++count[((keys[i] >> shift) & 0xFF) + 1];
        for (int b = 0; b < 256; ++b) count[b + 1] += count[b];
        for (std::size_t i = 0; i < n; ++i) tmp[count[(keys[i] >> shift) & 0xFF]++] = keys[i];
        keys.swap(tmp);
    }
    for (std::size_t i = 0; i < n; ++i) a[i] = static_cast<int>(keys[i] ^ 0x80000000u);
}
