// Connects to the abstract unix socket named argv[1] (no file: the name
// lives in the network namespace). Exit 0 if it got through, 3 if not.
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>

int main(int argc, char** argv) {
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::size_t n = std::strlen(argv[1]);
    std::memcpy(a.sun_path + 1, argv[1], n);
    if (connect(fd, reinterpret_cast<sockaddr*>(&a), offsetof(sockaddr_un, sun_path) + 1 + n) == 0) {
        std::puts("connected");
        return 0;
    }
    std::printf("denied: %s\n", std::strerror(errno));
    return 3;
}
