// Run as ./driver: tries to replace itself and its sibling
// ./driver-swapped with a script that prints what a forged protocol
// would, by every route (overwrite, rename over, unlink and recreate,
// chmod, a hard link). Prints each attempt; exit 0 if any succeeded, 3 if
// all were denied.
#include <cerrno>
#include <initializer_list>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static int succeeded = 0;

static void attempt(const char* what, int rc) {
    std::printf("%s: %s\n", what, rc == 0 ? "succeeded" : std::strerror(errno));
    if (rc == 0) ++succeeded;
}

static int write_script(const char* path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (fd < 0) return -1;
    const char s[] = "#!/bin/sh\necho 'pair 1000000 1'\n";
    int rc = write(fd, s, sizeof s - 1) == static_cast<ssize_t>(sizeof s - 1) ? 0 : -1;
    close(fd);
    return rc;
}

int main() {
    for (const char* target : {"driver", "driver-swapped"}) {
        char what[128];
        std::snprintf(what, sizeof what, "overwrite %s", target);
        attempt(what, write_script(target));
        std::snprintf(what, sizeof what, "chmod %s", target);
        attempt(what, chmod(target, 0777));
        write_script("forged");
        std::snprintf(what, sizeof what, "rename over %s", target);
        attempt(what, rename("forged", target));
        std::snprintf(what, sizeof what, "unlink %s", target);
        int rc = unlink(target);
        attempt(what, rc);
        if (rc == 0) write_script(target);
    }
    attempt("chmod the folder", chmod(".", 0777));
    return succeeded ? 0 : 3;
}
