// Stand-in for an original ParEval driver, written for lessonl's tests.
bool validate(Context *ctx) {
    const size_t numTries = MAX_VALIDATION_ATTEMPTS;
    for (int trialIter = 0; trialIter < numTries; trialIter += 1) {
        std::vector<double> x(1024);
        fillRand(x, -1.0, 1.0);
        double correct = correctSumOfSquares(x);
        double test = sumOfSquares(x);
        if (std::abs(correct - test) > 1e-12) {
            return false;
        }
    }
    return true;
}
