#include <cstdint>
#include <map>
#include <vector>

// histogram_byte_counts returns how many times each byte value 0..255
// occurs in data, as 256 counts.
std::vector<std::int64_t> histogram_byte_counts(const std::vector<unsigned char>& data) {
    std::map<unsigned char, std::int64_t> counts;
    for (unsigned char c : data) counts[c]++;
    std::vector<std::int64_t> out(256, 0);
    for (const auto& kv : counts) out[kv.first] = kv.second;
    return out;
}
