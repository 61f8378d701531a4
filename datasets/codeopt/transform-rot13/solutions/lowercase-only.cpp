#include <string>

// Appends in place and simplifies the rotation to one branch, which only
// covers lower-case letters: upper-case letters are left unrotated.
std::string transform_rot13(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) out += (c >= 'a' && c <= 'z') ? char('a' + (c - 'a' + 13) % 26) : c;
    return out;
}
