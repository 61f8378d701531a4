// Holds 5 GiB in memfds (anonymous files, which no address-space limit
// sees): 60 MiB each, written page by page, none mapped. Exit 0 if it
// holds them all; 4 if a write failed.
#include <cstdio>
#include <vector>
#include <sys/mman.h>
#include <unistd.h>

int main() {
    std::vector<char> buf(1 << 20, 'y');
    long long held = 0;
    for (int i = 0; held < (5LL << 30); ++i) {
        int fd = memfd_create("hold", 0);
        if (fd < 0) return 5;
        for (int j = 0; j < 60; ++j) {
            if (write(fd, buf.data(), buf.size()) != static_cast<ssize_t>(buf.size())) {
                std::printf("held %lld MiB\n", held >> 20);
                return 4;
            }
            held += buf.size();
        }
    }
    std::puts("held 5 GiB");
    return 0;
}
