// Stand-in for an original ParEval driver, written for lessonl's tests.
bool validate(Context *ctx) {
    const size_t TEST_SIZE = 64;
    std::vector<int> input(TEST_SIZE * TEST_SIZE), correct(TEST_SIZE * TEST_SIZE), test(TEST_SIZE * TEST_SIZE);
    fillRand(input, 0, 2);
    correctBorderXor(input, correct, TEST_SIZE);
    borderXor(input, test, TEST_SIZE);
    for (size_t i = 0; i < TEST_SIZE * TEST_SIZE; i++) {
        if (test[i] != correct[i]) {
            return false;
        }
    }
    return true;
}
