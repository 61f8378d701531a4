// lessonl.hpp: the harness every problem driver includes.
//
// A driver defines one struct, say Case, with
//
//   void generate(std::size_t n, lessonl::Rng& rng); // build inputs of size n
//   void reset();                  // untimed: restore what a call mutates
//   void run(bool candidate);      // one call of the baseline or the candidate
//   bool check(const Case& ref, double tol, std::string& why) const;
//                                  // compare this run's outputs with ref's
//
// declares the entry function in namespaces lessonl_baseline and
// lessonl_candidate, and ends with LESSONL_MAIN(Case).
//
// Two optional members adapt drivers that bring their own checking, such as
// the bridge to a ParEval benchmark's cpu.cc:
//
//   static bool own_validate(std::size_t n, std::uint64_t seed, std::string& why);
//                                  // validate the candidate on its own
//                                  // seeded input of size n
//   void reset_for(bool candidate); // untimed: prepare only that side
//
// With own_validate, "validate" calls it instead of comparing two runs, and
// the warmup comparison at the timing size is left to check(). The harness main
// then speaks a line protocol with lessonl: commands arrive on fd 4 and
// results leave on fd 3, so whatever the candidate prints on stdout or
// stderr cannot corrupt them. Statistics are computed by lessonl, not here.
//
// Commands:
//   validate N SEED   run both sides on a fresh seeded input of size N and
//                     compare: "valid N SEED" or "invalid N SEED reason"
//   setup N SEED      build the timing input: "ready"
//   warmup K          K untimed pairs; the first one's outputs are compared:
//                     "warm" or "invalid N SEED reason"
//   time K START      K timed pairs, baseline first when (START+i) is even:
//                     "pair BASELINE_NS CANDIDATE_NS" each, then "done"
//   sample K SIDE     K timed calls of one side (1 the candidate, 0 the
//                     baseline): "call NS" each, then "done" (the paper's
//                     protocol, which times each side in its own block)
//   quit              exit 0
// Without fds 3 and 4 (a person running the binary by hand) it validates
// on sizes given as arguments and times 11 pairs, printing to stdout.
#pragma once

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>
#include <unistd.h>
#include <fcntl.h>

namespace lessonl {

// Rng is a small, portable generator (splitmix64): the same seed gives the
// same inputs on every compiler and standard library, unlike <random>'s
// distributions.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // int_in returns a uniform integer in [lo, hi].
  std::int64_t int_in(std::int64_t lo, std::int64_t hi) {
    std::uint64_t span = static_cast<std::uint64_t>(hi - lo) + 1;
    return lo + static_cast<std::int64_t>(span == 0 ? next() : next() % span);
  }
  // real_in returns a uniform double in [lo, hi).
  double real_in(double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(next() >> 11) * 0x1.0p-53;
  }

 private:
  std::uint64_t s_;
};

// close reports whether a and b agree within tol, relative to their size
// (absolute below magnitude 1).
inline bool close(double a, double b, double tol) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  double scale = std::fmax(1.0, std::fmax(std::fabs(a), std::fabs(b)));
  return std::fabs(a - b) <= tol * scale;
}

// same_scalar compares one output value; why says how it differs.
template <class T>
bool same_scalar(const T& want, const T& got, double tol, std::string& why, const char* what = "result") {
  bool ok;
  if constexpr (std::is_floating_point<T>::value) ok = close(double(want), double(got), tol);
  else ok = (want == got);
  if (!ok) why = std::string(what) + ": want " + std::to_string(want) + ", got " + std::to_string(got);
  return ok;
}

// same_vector compares an output vector element by element.
template <class T>
bool same_vector(const std::vector<T>& want, const std::vector<T>& got, double tol, std::string& why, const char* what = "output") {
  if (want.size() != got.size()) {
    why = std::string(what) + ": want " + std::to_string(want.size()) + " elements, got " + std::to_string(got.size());
    return false;
  }
  for (std::size_t i = 0; i < want.size(); ++i) {
    bool ok;
    if constexpr (std::is_floating_point<T>::value) ok = close(double(want[i]), double(got[i]), tol);
    else ok = (want[i] == got[i]);
    if (!ok) {
      why = std::string(what) + "[" + std::to_string(i) + "]: want " + std::to_string(want[i]) + ", got " + std::to_string(got[i]);
      return false;
    }
  }
  return true;
}

namespace detail {

inline std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Out {
  int fd;
  void line(const std::string& s) {
    std::string l = s + "\n";
    const char* p = l.data();
    std::size_t left = l.size();
    while (left > 0) {
      ssize_t w = ::write(fd, p, left);
      if (w <= 0) std::_Exit(3);
      p += w;
      left -= std::size_t(w);
    }
  }
};

struct In {
  int fd;
  std::string buf;
  bool line(std::string& s) {
    for (;;) {
      auto nl = buf.find('\n');
      if (nl != std::string::npos) {
        s = buf.substr(0, nl);
        buf.erase(0, nl + 1);
        return true;
      }
      char tmp[512];
      ssize_t r = ::read(fd, tmp, sizeof tmp);
      if (r <= 0) return false;
      buf.append(tmp, std::size_t(r));
    }
  }
};

inline std::string oneline(std::string s) {
  for (auto& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  if (s.size() > 300) s.resize(300);
  return s;
}

template <class C, class = void>
struct has_own_validate : std::false_type {};
template <class C>
struct has_own_validate<C, std::void_t<decltype(C::own_validate(std::size_t(), std::uint64_t(), std::declval<std::string&>()))>>
    : std::true_type {};

template <class C, class = void>
struct has_reset_for : std::false_type {};
template <class C>
struct has_reset_for<C, std::void_t<decltype(std::declval<C&>().reset_for(true))>> : std::true_type {};

template <class Case>
bool validate(std::size_t n, std::uint64_t seed, double tol, std::string& why) {
  if constexpr (has_own_validate<Case>::value) {
    (void)tol;
    return Case::own_validate(n, seed, why);
  }
  Case ref, cand;
  Rng r1(seed), r2(seed);
  ref.generate(n, r1);
  cand.generate(n, r2);
  ref.reset();
  ref.run(false);
  cand.reset();
  cand.run(true);
  return cand.check(ref, tol, why);
}

template <class Case>
std::int64_t timed(Case& c, bool candidate) {
  if constexpr (has_reset_for<Case>::value) c.reset_for(candidate);
  else c.reset();
  std::int64_t t0 = now_ns();
  c.run(candidate);
  std::int64_t t1 = now_ns();
  return t1 - t0;
}

template <class Case>
int serve(int in_fd, int out_fd, double tol) {
  In in{in_fd, {}};
  Out out{out_fd};
  Case timing;
  std::size_t tn = 0;
  std::uint64_t tseed = 0;
  std::string cmd;
  while (in.line(cmd)) {
    char name[16] = {0};
    unsigned long long a = 0, b = 0;
    int got = std::sscanf(cmd.c_str(), "%15s %llu %llu", name, &a, &b);
    if (got < 1) continue;
    std::string c(name);
    try {
      if (c == "validate" && got == 3) {
        std::string why;
        if (validate<Case>(a, b, tol, why))
          out.line("valid " + std::to_string(a) + " " + std::to_string(b));
        else
          out.line("invalid " + std::to_string(a) + " " + std::to_string(b) + " " + oneline(why));
      } else if (c == "setup" && got == 3) {
        tn = a;
        tseed = b;
        Rng r(tseed);
        timing = Case();  // release the previous input before building the next
        timing.generate(tn, r);
        out.line("ready");
      } else if (c == "warmup" && got >= 2) {
        std::string why;
        bool ok = true;
        for (unsigned long long i = 0; i < a; ++i) {
          timed(timing, false);
          if (i == 0) {
            Case ref = timing;
            timed(timing, true);
            ok = timing.check(ref, tol, why);
            if (!ok) break;
          } else {
            timed(timing, true);
          }
        }
        if (ok) out.line("warm");
        else out.line("invalid " + std::to_string(tn) + " " + std::to_string(tseed) + " " + oneline(why));
      } else if (c == "time" && got == 3) {
        for (unsigned long long i = 0; i < a; ++i) {
          std::int64_t tb, tc;
          if ((b + i) % 2 == 0) {
            tb = timed(timing, false);
            tc = timed(timing, true);
          } else {
            tc = timed(timing, true);
            tb = timed(timing, false);
          }
          out.line("pair " + std::to_string(tb) + " " + std::to_string(tc));
        }
        out.line("done");
      } else if (c == "sample" && got == 3) {
        for (unsigned long long i = 0; i < a; ++i) out.line("call " + std::to_string(timed(timing, b == 1)));
        out.line("done");
      } else if (c == "quit") {
        return 0;
      } else {
        out.line("error unknown command: " + oneline(cmd));
      }
    } catch (const std::exception& e) {
      out.line(std::string("error exception: ") + oneline(e.what()));
      return 2;
    } catch (...) {
      out.line("error exception of unknown type");
      return 2;
    }
  }
  return 0;
}

// manual is for a person running a driver by hand:
//   ./driver [tol] [timing-size] [validate-size...]
template <class Case>
int manual(int argc, char** argv) {
  double tol = argc > 1 ? std::atof(argv[1]) : 1e-9;
  std::size_t tn = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1000;
  bool all = true;
  for (int i = 3; i < argc; ++i) {
    std::string why;
    std::size_t n = std::strtoull(argv[i], nullptr, 10);
    bool ok = validate<Case>(n, std::uint64_t(i), tol, why);
    std::printf("validate n=%zu: %s %s\n", n, ok ? "ok" : "MISMATCH", why.c_str());
    all = all && ok;
  }
  Case c;
  Rng r(12345);
  c.generate(tn, r);
  timed(c, false);
  Case ref = c;
  timed(c, true);
  std::string why;
  bool ok = c.check(ref, tol, why);
  std::printf("validate timing size n=%zu: %s %s\n", tn, ok ? "ok" : "MISMATCH", why.c_str());
  std::vector<double> ratios;
  double sb = 0, sc = 0;
  for (int i = 0; i < 11; ++i) {
    std::int64_t tb = timed(c, false), tc = timed(c, true);
    sb += double(tb);
    sc += double(tc);
    ratios.push_back(double(tb) / double(tc));
  }
  std::printf("mean baseline %.2f ms, candidate %.2f ms, ratio %.3f\n", sb / 11e6, sc / 11e6, sb / sc);
  return (all && ok) ? 0 : 1;
}

}  // namespace detail

template <class Case>
int main_for(int argc, char** argv, const char* tol_env) {
  double tol = 0;
  if (const char* t = std::getenv(tol_env)) tol = std::atof(t);
  if (::fcntl(3, F_GETFD) != -1 && ::fcntl(4, F_GETFD) != -1) return detail::serve<Case>(4, 3, tol);
  return detail::manual<Case>(argc, argv);
}

}  // namespace lessonl

#define LESSONL_MAIN(Case) \
  int main(int argc, char** argv) { return ::lessonl::main_for<Case>(argc, argv, "LESSONL_TOLERANCE"); }
