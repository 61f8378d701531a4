#pragma once
#include <vector>

/* Set each cell of the N x N grid output to 1 if exactly one of its four
   neighbours in input is 1, else 0; cells outside the grid count as 0. */
void NO_INLINE correctBorderXor(std::vector<int> const& input, std::vector<int> &output, size_t N) {
    for (size_t i = 0; i < N; i++) {
        for (size_t j = 0; j < N; j++) {
            int count = 0;
            if (i > 0 && input[(i - 1) * N + j] == 1) count++;
            if (i + 1 < N && input[(i + 1) * N + j] == 1) count++;
            if (j > 0 && input[i * N + j - 1] == 1) count++;
            if (j + 1 < N && input[i * N + j + 1] == 1) count++;
            output[i * N + j] = count == 1 ? 1 : 0;
        }
    }
}
