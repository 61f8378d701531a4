#include <set>
#include <vector>

// Inserts everything into a std::set, which keeps its elements sorted,
// and reads off the first k. A set keeps one copy of each value, so
// repeated values are lost and the answer runs past them.
std::vector<int> sort_smallest_k(const std::vector<int>& a, std::size_t k) {
    std::set<int> s(a.begin(), a.end());
    std::vector<int> out;
    for (auto it = s.begin(); it != s.end() && out.size() < k; ++it) out.push_back(*it);
    return out;
}
