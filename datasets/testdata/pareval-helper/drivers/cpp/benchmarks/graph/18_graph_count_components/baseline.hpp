#pragma once
#include <vector>

/* Marks every vertex reachable from node as visited (a helper the reference
   uses, defined at file scope: a model's code may call it too). */
void dfs(std::vector<int> const& A, int node, size_t N, std::vector<bool> &visited) {
    visited[node] = true;
    for (size_t i = 0; i < N; i++) {
        if (A[node * N + i] == 1 && !visited[i]) {
            dfs(A, (int)i, N, visited);
        }
    }
}

/* Count the connected components of the undirected graph A (NxN, row-major). */
int NO_INLINE correctComponentCount(std::vector<int> const& A, size_t N) {
    std::vector<bool> visited(N, false);
    int count = 0;
    for (size_t i = 0; i < N; i++) {
        if (!visited[i]) {
            dfs(A, (int)i, N, visited);
            count++;
        }
    }
    return count;
}
