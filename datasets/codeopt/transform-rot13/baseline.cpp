#include <string>

// transform_rot13 returns s with every ASCII letter rotated 13 places in
// the alphabet (case kept); every other character is unchanged.
std::string transform_rot13(const std::string& s) {
    std::string out;
    for (char c : s) {
        char d = c;
        if (c >= 'a' && c <= 'z') d = char('a' + (c - 'a' + 13) % 26);
        else if (c >= 'A' && c <= 'Z') d = char('A' + (c - 'A' + 13) % 26);
        out = out + d;
    }
    return out;
}
