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

/* A random undirected graph, NxN row-major, about one edge per vertex, so
   that it has several components; returns the number of edges. A plain
   function at file scope, as the published utilities.hpp's graph
   generators are: a model's code may call it. */
int fillRandomUndirectedGraph_(std::vector<int> &A, size_t N, std::mt19937& engine) {
    std::uniform_int_distribution<size_t> pick(0, N);
    std::fill(A.begin(), A.end(), 0);
    int edges = 0;
    for (size_t i = 0; i < N; i++) {
        for (size_t j = i + 1; j < N; j++) {
            if (pick(engine) == 0) {
                A[i * N + j] = A[j * N + i] = 1;
                edges++;
            }
        }
    }
    return edges;
}

#if defined(USE_KOKKOS)
/* Compiled only for Kokkos, as the published utilities.hpp's view helpers. */
void fillRandKokkos(int *x, size_t n) {
    for (size_t i = 0; i < n; i++) x[i] = 0;
}
#endif
