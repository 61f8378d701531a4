#include "lessonl.hpp"

namespace lessonl_baseline {
std::int64_t search_count_occurrences(const std::string& text, const std::string& pattern);
}
namespace lessonl_candidate {
std::int64_t search_count_occurrences(const std::string& text, const std::string& pattern);
}

struct Case {
    std::string text, pattern;
    std::int64_t count = -1;
    // The pattern is 8 repetitions of a random 6-letter word over "acgt",
    // so it overlaps itself at every multiple of 6. The text is n random
    // letters over the same alphabet with runs of 9 to 12 copies of the
    // word planted about every 2000 letters: each run holds several
    // overlapping occurrences.
    void generate(std::size_t n, lessonl::Rng& rng) {
        static const char letters[] = "acgt";
        std::string word(6, 'a');
        for (auto& c : word) c = letters[rng.int_in(0, 3)];
        pattern.clear();
        for (int i = 0; i < 8; ++i) pattern += word;
        text.resize(n);
        for (auto& c : text) c = letters[rng.int_in(0, 3)];
        std::size_t at = 0;
        while (n > 0) {
            at += std::size_t(rng.int_in(500, 3500));
            std::size_t run = std::size_t(rng.int_in(9, 12)) * word.size();
            if (at + run > n) break;
            for (std::size_t i = 0; i < run; ++i) text[at + i] = word[i % word.size()];
            at += run;
        }
    }
    void reset() { count = -1; }
    void run(bool candidate) {
        if (candidate) count = lessonl_candidate::search_count_occurrences(text, pattern);
        else count = lessonl_baseline::search_count_occurrences(text, pattern);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_scalar(ref.count, count, tol, why, "occurrences");
    }
    template <class V> void state(V& v) { v(text); v(pattern); v(count); }
};

LESSONL_MAIN(Case)
