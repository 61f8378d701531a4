#include <array>
#include <string>

// A 256-entry lookup table built once maps every byte to its image; the
// output is allocated at its final size and filled by index.
std::string transform_rot13(const std::string& s) {
    static const std::array<char, 256> table = [] {
        std::array<char, 256> t{};
        for (int c = 0; c < 256; ++c) {
            char d = char(c);
            if (c >= 'a' && c <= 'z') d = char('a' + (c - 'a' + 13) % 26);
            else if (c >= 'A' && c <= 'Z') d = char('A' + (c - 'A' + 13) % 26);
            t[c] = d;
        }
        return t;
    }();
    std::string out(s.size(), '\0');
    for (std::size_t i = 0; i < s.size(); ++i) out[i] = table[static_cast<unsigned char>(s[i])];
    return out;
}
