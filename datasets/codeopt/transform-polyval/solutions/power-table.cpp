#include <cmath>
#include <numeric>
#include <vector>

// Separates the powers from the sum: per point, fill a table of x^k with
// std::pow, then take its dot product with the coefficients. The same pow
// calls as before, plus the table.
std::vector<double> transform_polyval(const std::vector<double>& c, const std::vector<double>& xs) {
    std::vector<double> out(xs.size());
    for (std::size_t i = 0; i < xs.size(); ++i) {
        std::vector<double> powers(c.size());
        for (std::size_t k = 0; k < c.size(); ++k) powers[k] = std::pow(xs[i], double(k));
        out[i] = std::inner_product(c.begin(), c.end(), powers.begin(), 0.0);
    }
    return out;
}
