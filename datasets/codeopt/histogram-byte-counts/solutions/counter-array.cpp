#include <cstdint>
#include <vector>

// A byte indexes the counts directly: one increment in a 256-entry array
// per byte instead of a search in a balanced tree.
std::vector<std::int64_t> histogram_byte_counts(const std::vector<unsigned char>& data) {
    std::vector<std::int64_t> out(256, 0);
    for (unsigned char c : data) out[c]++;
    return out;
}
