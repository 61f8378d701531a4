#include <string>

// Rotates in place through s.data() to avoid building a new string; s is a
// const reference, and data() of a const string is a const char*.
std::string transform_rot13(const std::string& s) {
    char* p = s.data();
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = p[i];
        if (c >= 'a' && c <= 'z') p[i] = char('a' + (c - 'a' + 13) % 26);
        else if (c >= 'A' && c <= 'Z') p[i] = char('A' + (c - 'A' + 13) % 26);
    }
    return s;
}
