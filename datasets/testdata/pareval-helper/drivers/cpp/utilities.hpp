#pragma once
// A small stand-in, written for lessonl's tests, for the utilities.hpp of
// the ParEval-PolyBench-Code-Opt layout: the macros its drivers use.
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#if !defined(USE_SERIAL) && !defined(USE_OMP)
#error "No parallel model defined"
#endif
#if defined(USE_MPI)
#include <mpi.h>
#endif
#if !defined(DRIVER_PROBLEM_SIZE)
#error "DRIVER_PROBLEM_SIZE not defined"
#endif

#define NO_OPTIMIZE
#define NO_INLINE
#define BCAST(vec, type)
#define BCAST_PTR(ptr, n, type)
#define SYNC()
#define GET_RANK(rank) rank = 0
#define IS_ROOT(rank) ((rank) == 0)

template <typename T>
bool fequal(T a, T b, double eps) {
    return std::fabs(double(a) - double(b)) <= eps;
}

template <typename T>
bool fequal(std::vector<T> const& a, std::vector<T> const& b, double eps) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); i++)
        if (!fequal(a[i], b[i], eps)) return false;
    return true;
}
