#include <cstdint>
#include <set>
#include <vector>

// Collects the bytes in a std::multiset and asks it for each value's
// count: an allocation per byte to build it, no faster to query.
std::vector<std::int64_t> histogram_byte_counts(const std::vector<unsigned char>& data) {
    std::multiset<unsigned char> s(data.begin(), data.end());
    std::vector<std::int64_t> out(256, 0);
    for (int b = 0; b < 256; ++b) out[b] = std::int64_t(s.count(static_cast<unsigned char>(b)));
    return out;
}
