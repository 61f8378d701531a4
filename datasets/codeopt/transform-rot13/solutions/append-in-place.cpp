#include <string>

// Appends in place: out += d grows the string with amortised O(1) cost,
// where out = out + d copied the whole string for every character.
std::string transform_rot13(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        char d = c;
        if (c >= 'a' && c <= 'z') d = char('a' + (c - 'a' + 13) % 26);
        else if (c >= 'A' && c <= 'Z') d = char('A' + (c - 'A' + 13) % 26);
        out += d;
    }
    return out;
}
