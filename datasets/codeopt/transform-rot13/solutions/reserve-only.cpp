#include <string>

// Reserves the output's final size up front, but still writes
// out = out + d: each step builds a new string of the full length so far,
// so the copying stays quadratic.
std::string transform_rot13(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        char d = c;
        if (c >= 'a' && c <= 'z') d = char('a' + (c - 'a' + 13) % 26);
        else if (c >= 'A' && c <= 'Z') d = char('A' + (c - 'A' + 13) % 26);
        out = out + d;
    }
    return out;
}
