// Connects to the unix socket at argv[1], a path on the host (under its
// /tmp). Exit 0 and "connected" if it got through; 3 and why not else.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char** argv) {
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, argv[1], sizeof a.sun_path - 1);
    if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
        write(fd, "hello\n", 6);
        std::puts("connected");
        return 0;
    }
    std::printf("denied: %s\n", std::strerror(errno));
    return 3;
}
