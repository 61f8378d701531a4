#include <cstdint>
#include <vector>

// Uses the compiler's bit-reverse intrinsic, but __builtin_bitreverse32 is
// a Clang builtin: GCC does not declare it, so the code does not compile.
std::vector<std::uint32_t> transform_bit_reverse(const std::vector<std::uint32_t>& a) {
    std::vector<std::uint32_t> out(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) out[i] = __builtin_bitreverse32(a[i]);
    return out;
}
