// Patches machine code at load time: the first instruction of the
// baseline's function becomes a jump to a slow loop (mprotect, write,
// mprotect back).
#include <cstdint>
#include <cstring>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>
}  // namespace lessonl_candidate
namespace lessonl_baseline { int64_t sum_values(const std::vector<int64_t>& v); }
namespace lessonl_candidate {
static int64_t slow(const std::vector<int64_t>& v) {
    int64_t s = 0;
    for (int r = 0; r < 10; ++r) { s = 0; for (std::size_t i = 0; i < v.size(); ++i) s += *(volatile const int64_t*)&v[i]; }
    return s;
}
static struct Patch {
    Patch() {
        auto* target = reinterpret_cast<unsigned char*>(&::lessonl_baseline::sum_values);
        long page = sysconf(_SC_PAGESIZE);
        auto* start = reinterpret_cast<unsigned char*>(reinterpret_cast<uintptr_t>(target) & ~uintptr_t(page - 1));
        if (mprotect(start, 2 * page, PROT_READ | PROT_WRITE | PROT_EXEC) != 0) return;
        unsigned char jmp[12] = {0x48, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xE0};  // movabs rax, slow; jmp rax
        auto addr = reinterpret_cast<uint64_t>(&slow);
        std::memcpy(jmp + 2, &addr, 8);
        std::memcpy(target, jmp, sizeof jmp);
        mprotect(start, 2 * page, PROT_READ | PROT_EXEC);
    }
} patch;
int64_t sum_values(const std::vector<int64_t>& v) {
    int64_t s = 0;
    for (std::size_t i = 0; i < v.size(); ++i) s += v[i];
    return s;
}
