// Writes 2 GiB into its own folder, 1 MiB at a time, and holds on.
// Exit 0 if all of it was written; 4 (after saying how much) if a write
// failed.
#include <cstdio>
#include <vector>
#include <unistd.h>

int main() {
    std::vector<char> buf(1 << 20, 'x');
    FILE* f = std::fopen("fill", "w");
    if (!f) return 5;
    long long written = 0;
    for (int i = 0; i < 2048; ++i) {
        if (std::fwrite(buf.data(), 1, buf.size(), f) != buf.size() || std::fflush(f) != 0) {
            std::printf("wrote %lld MiB\n", written >> 20);
            std::fflush(stdout);
            sleep(2);  // long enough for the sandbox to see the folder full
            return 4;
        }
        written += buf.size();
    }
    std::fclose(f);
    return 0;
}
