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
// Three optional members adapt drivers that bring their own checking, such as
// the bridge to a ParEval benchmark's cpu.cc:
//
//   static bool own_validate(std::size_t n, std::uint64_t seed, std::string& why);
//                                  // validate the candidate on its own
//                                  // seeded input of size n
//   void reset_for(bool candidate); // untimed: prepare only that side
//   void generate_once(std::size_t n, lessonl::Rng& rng);
//                                  // generate, for an input that serves a
//                                  // single call ("input"): a Case that
//                                  // copies its input to restore it
//                                  // between calls need not
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
//   input N SEED      build a fresh input of size N from SEED, untimed: "ready"
//   call              one call of the side in the candidate's place on it:
//                     "done" (lessonl times the call itself, from outside)
//   dump              the state after the call, the members it changed:
//                     "state LEN" and LEN bytes
//   judge LEN         another process's dump after a call on the same
//                     input follows (LEN bytes); it is checked against
//                     this process's state: "same" or "differ reason"
//   quit              exit 0
//
// The first six commands run both sides in this process; lessonl uses them
// only for the checked build and the paper's protocol. The timed protocol
// runs the baseline and the candidate each in a process of its own (the
// baseline's binary has the baseline's code in the candidate's place), gives
// both the same fresh input, times "call" from outside, and has the
// baseline's process judge the candidate's dump against its own state;
// both timed processes run the same commands up to that.
// Without fds 3 and 4 (a person running the binary by hand) it validates
// on sizes given as arguments and times 11 pairs, printing to stdout.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <array>
#include <complex>
#include <exception>
#include <memory>
#include <string>
#include <tuple>
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

// A Case also lists its whole state for lessonl to carry between processes:
//
//   template <class V> void state(V& v) { v(n); v(a); v(b); v(c); }
//
// naming every data member (inputs too), in declaration order. The
// candidate runs in a process of its own; after each call the members its
// call changed are written out ("dump"), carried by lessonl to the
// baseline's process, which ran the baseline on the same input, read into
// a Case there (unchanged members from that process's own copy of the
// input), and compared by check() with the baseline's state. So the
// comparison runs where the candidate's code is not, and a call's inputs,
// often far bigger than its outputs, are never carried.
// Members may be arithmetic, enums, std::string, std::complex, std::pair,
// std::tuple, std::array, std::vector of any of these (nested too), or any
// other trivially copyable type (carried as bytes).

// carriable<T> is whether a state can carry a T (as Writer writes it): a
// driver that cannot name the fields of a member's type (the ParEval
// bridge, for a struct holding a std::string) leaves such members out of
// its state() and its check() alike.
template <class T, class = void>
struct carriable
    : std::integral_constant<bool, std::is_arithmetic<T>::value || std::is_enum<T>::value || std::is_trivially_copyable<T>::value> {};
template <>
struct carriable<std::string> : std::true_type {};
template <class E, class A>
struct carriable<std::vector<E, A>> : carriable<E> {};
template <class E>
struct carriable<std::complex<E>> : std::true_type {};
template <class A, class B>
struct carriable<std::pair<A, B>> : std::integral_constant<bool, carriable<A>::value && carriable<B>::value> {};
template <class... E>
struct carriable<std::tuple<E...>> : std::integral_constant<bool, (carriable<E>::value && ...)> {};
template <class E, std::size_t N>
struct carriable<std::array<E, N>> : carriable<E> {};

// Writer appends a state to a byte buffer.
struct Writer {
  std::string buf;
  template <class T>
  void operator()(const T& x) { put(x); }

 private:
  void raw(const void* p, std::size_t n) { buf.append(static_cast<const char*>(p), n); }
  void size(std::size_t n) {
    std::uint64_t m = n;
    raw(&m, sizeof m);
  }
  template <class T>
  void put(const T& x) {
    if constexpr (std::is_arithmetic<T>::value || std::is_enum<T>::value) raw(&x, sizeof x);
    else if constexpr (is_vector<T>::value) {
      size(x.size());
      using E = typename T::value_type;
      if constexpr (std::is_same<E, bool>::value) {
        for (bool b : x) put(static_cast<unsigned char>(b));
      } else if constexpr (std::is_arithmetic<E>::value) {
        if (!x.empty()) raw(x.data(), x.size() * sizeof(E));
      } else {
        for (const auto& e : x) put(e);
      }
    } else if constexpr (std::is_same<T, std::string>::value) {
      size(x.size());
      raw(x.data(), x.size());
    } else if constexpr (is_complex<T>::value) {
      put(x.real());
      put(x.imag());
    } else if constexpr (is_tuple_like<T>::value) {
      std::apply([this](const auto&... e) { (put(e), ...); }, x);
    } else {
      static_assert(std::is_trivially_copyable<T>::value, "lessonl: a state member must be a value type state() can carry");
      raw(&x, sizeof x);
    }
  }

 public:
  template <class T> struct is_vector : std::false_type {};
  template <class E, class A> struct is_vector<std::vector<E, A>> : std::true_type {};
  template <class T> struct is_complex : std::false_type {};
  template <class E> struct is_complex<std::complex<E>> : std::true_type {};
  template <class T> struct is_tuple_like : std::false_type {};
  template <class A, class B> struct is_tuple_like<std::pair<A, B>> : std::true_type {};
  template <class... E> struct is_tuple_like<std::tuple<E...>> : std::true_type {};
  template <class E, std::size_t N> struct is_tuple_like<std::array<E, N>> : std::true_type {};
};

// Reader reads a state Writer wrote. Its bytes come from the candidate's
// process and are not trusted: every length is checked against what is
// left, and a short or long buffer is an error (ok false), never a read
// past the end.
struct Reader {
  const char* p;
  std::size_t left;
  bool ok = true;
  template <class T>
  void operator()(T& x) { get(x); }

 private:
  bool raw(void* dst, std::size_t n) {
    if (!ok || n > left) return ok = false;
    if (n) std::memcpy(dst, p, n);
    p += n;
    left -= n;
    return true;
  }
  bool size(std::size_t& n, std::size_t each) {
    std::uint64_t m = 0;
    if (!raw(&m, sizeof m)) return false;
    if (each > 0 && m > left / each) return ok = false;
    n = std::size_t(m);
    return true;
  }
  template <class T>
  void get(T& x) {
    if constexpr (std::is_arithmetic<T>::value || std::is_enum<T>::value) raw(&x, sizeof x);
    else if constexpr (Writer::is_vector<T>::value) {
      using E = typename T::value_type;
      std::size_t n = 0;
      if (!size(n, std::is_same<E, bool>::value ? 1 : (std::is_arithmetic<E>::value ? sizeof(E) : 1))) return;
      x.clear();
      if constexpr (std::is_same<E, bool>::value) {
        x.resize(n);
        for (std::size_t i = 0; i < n && ok; ++i) {
          unsigned char b = 0;
          raw(&b, 1);
          x[i] = b != 0;
        }
      } else if constexpr (std::is_arithmetic<E>::value) {
        x.resize(n);
        if (n) raw(x.data(), n * sizeof(E));
      } else {
        for (std::size_t i = 0; i < n && ok; ++i) {
          E e{};
          get(e);
          x.push_back(std::move(e));
        }
      }
    } else if constexpr (std::is_same<T, std::string>::value) {
      std::size_t n = 0;
      if (!size(n, 1)) return;
      x.assign(n, '\0');
      if (n) raw(&x[0], n);
    } else if constexpr (Writer::is_complex<T>::value) {
      typename T::value_type re{}, im{};
      get(re);
      get(im);
      x = T(re, im);
    } else if constexpr (Writer::is_tuple_like<T>::value) {
      std::apply([this](auto&... e) { (get(e), ...); }, x);
    } else {
      raw(&x, sizeof x);
    }
  }
};

// same_state is whether a and b are the same state member, as Writer
// would write them: the same bytes for numbers (so -0.0 is not 0.0, and a
// NaN is itself), the same elements for containers. It compares in place:
// an unchanged input of hundreds of megabytes is neither serialized nor
// copied to find it unchanged.
template <class T>
bool same_state(const T& a, const T& b) {
  if constexpr (std::is_arithmetic<T>::value || std::is_enum<T>::value) {
    return std::memcmp(&a, &b, sizeof a) == 0;
  } else if constexpr (Writer::is_vector<T>::value) {
    using E = typename T::value_type;
    if (a.size() != b.size()) return false;
    if constexpr (std::is_same<E, bool>::value) {
      return a == b;
    } else if constexpr (std::is_arithmetic<E>::value) {
      return a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(E)) == 0;
    } else {
      for (std::size_t i = 0; i < a.size(); ++i)
        if (!same_state(a[i], b[i])) return false;
      return true;
    }
  } else if constexpr (std::is_same<T, std::string>::value) {
    return a == b;
  } else if constexpr (Writer::is_complex<T>::value) {
    return same_state(a.real(), b.real()) && same_state(a.imag(), b.imag());
  } else if constexpr (Writer::is_tuple_like<T>::value) {
    return std::apply([&b](const auto&... x) {
      return std::apply([&](const auto&... y) { return (same_state(x, y) && ...); }, b);
    }, a);
  } else {
    return std::memcmp(&a, &b, sizeof a) == 0;
  }
}

// Members holds a copy of a Case's state member by member: what the input
// was before the call ("input" keeps it), so that "dump" sends only what
// the call changed and "judge" restores the rest from it. The copies keep
// their types, so that finding a member unchanged and restoring it are a
// comparison and a copy in place, not a serialization and a parse (on
// ParEval's 35_search, 16 million strings: seconds per call).
struct Members {
  // Kept is one member's copy; type tells the copy's type apart from
  // another's, so that a state visited in another order is an error.
  struct Kept {
    std::shared_ptr<const void> copy;
    const void* type;
    template <class T>
    const T* as() const { return type == tag<T>() ? static_cast<const T*>(copy.get()) : nullptr; }
  };
  std::vector<Kept> m;
  template <class T>
  void operator()(const T& x) { m.push_back(Kept{std::make_shared<const T>(x), tag<T>()}); }
  // tag is a distinct address per type: a mutable object's, which no
  // compiler merges with another's.
  template <class T>
  static const void* tag() {
    static char t;
    return &t;
  }
};

// Diff writes a state after a call member by member: byte 0 for a member
// as the input had it, byte 1 and the member for one the call changed.
struct Diff {
  const std::vector<Members::Kept>& before;
  std::string out;
  std::size_t i = 0;
  template <class T>
  void operator()(const T& x) {
    const T* was = i < before.size() ? before[i].as<T>() : nullptr;
    ++i;
    if (was && same_state(x, *was)) {
      out.push_back('\0');
      return;
    }
    // Written in place after its marker: a big member is serialized once.
    out.push_back('\1');
    Writer w{std::move(out)};
    w(x);
    out = std::move(w.buf);
  }
};

// Undiff reads a state Diff wrote, taking each unchanged member from
// before. The bytes come from the candidate's process: a marker other
// than 0 or 1, a member past before's, or a short or long buffer is an
// error (ok false).
struct Undiff {
  Reader r;
  const std::vector<Members::Kept>& before;
  std::size_t i = 0;
  bool ok = true;
  template <class T>
  void operator()(T& x) {
    unsigned char mark = 2;
    r(mark);
    const T* was = i < before.size() ? before[i].as<T>() : nullptr;
    if (!r.ok || !was || mark > 1) {
      ok = false;
    } else if (mark == 0) {
      x = *was;
    } else {
      r(x);
    }
    ++i;
  }
};

// reads_state<V> is whether state() is filling a Case from bytes (V a
// Reader or Undiff) rather than reading it (writing a state, keeping the
// input's): a Case that keeps part of its state elsewhere between calls
// (the ParEval bridge's entry-function result) copies it in for the
// others.
template <class V>
struct reads_state : std::false_type {};
template <>
struct reads_state<Reader> : std::true_type {};
template <>
struct reads_state<Undiff> : std::true_type {};

namespace detail {

inline std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Out {
  int fd;
  void line(const std::string& s) { bytes(s + "\n"); }
  void bytes(const std::string& l) {
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
  // bytes reads exactly n bytes, straight into s: a state of hundreds of
  // megabytes is neither grown piece by piece nor copied out of buf.
  bool bytes(std::string& s, std::size_t n) {
    std::size_t have = std::min(buf.size(), n);
    s.assign(buf, 0, have);
    buf.erase(0, have);
    s.resize(n);
    while (have < n) {
      ssize_t r = ::read(fd, &s[have], n - have);
      if (r <= 0) return false;
      have += std::size_t(r);
    }
    return true;
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

template <class C, class = void>
struct has_generate_once : std::false_type {};
template <class C>
struct has_generate_once<C, std::void_t<decltype(std::declval<C&>().generate_once(std::size_t(), std::declval<Rng&>()))>>
    : std::true_type {};

// fresh_input builds c's input of size n for a single call ("input"):
// with generate_once, a Case that keeps a copy of its input to restore
// before each of many calls skips that copy.
template <class Case>
void fresh_input(Case& c, std::size_t n, Rng& r) {
  if constexpr (has_generate_once<Case>::value) c.generate_once(n, r);
  else c.generate(n, r);
}

template <class C, class = void>
struct has_state : std::false_type {};
template <class C>
struct has_state<C, std::void_t<decltype(std::declval<C&>().state(std::declval<Writer&>()))>> : std::true_type {};

// keep records c's state before a call, member by member (nothing for a
// driver without state()).
template <class Case>
void keep(Case& c, Members& before) {
  before.m.clear();
  if constexpr (has_state<Case>::value) c.state(before);
  else (void)c;
}

// dump writes c's state after a call, as the members the call changed
// (Diff against before): "state LEN" and LEN bytes, or "nostate" for a
// driver without state(). A call's inputs usually come back as they went
// in, so the state carried is the size of its outputs.
template <class Case>
void dump(Out& out, Case& c, const Members& before) {
  if constexpr (has_state<Case>::value) {
    Diff d{before.m, {}};
    c.state(d);
    out.line("state " + std::to_string(d.out.size()));
    out.bytes(d.out);
  } else {
    (void)c;
    (void)before;
    out.line("nostate");
  }
}

// judge reads another process's state after a call on the same input as
// this one's last (LEN bytes, as dump wrote it: its unchanged members are
// this process's input), and checks it against this process's state,
// the reference: "same", or "differ reason". The bytes come from another
// process, so malformed ones are an answer, not a crash.
template <class Case>
void judge(Out& out, In& in, std::size_t len, Case& ref, const Members& before, double tol) {
  std::string b;
  if (!in.bytes(b, len)) std::_Exit(3);
  if constexpr (has_state<Case>::value) {
    Case got;
    Undiff u{Reader{b.data(), b.size()}, before.m};
    got.state(u);
    std::string why;
    if (!u.ok || !u.r.ok || u.r.left != 0 || u.i != before.m.size()) out.line("differ the candidate's process sent a malformed state");
    else if (got.check(ref, tol, why)) out.line("same");
    else out.line("differ " + oneline(why));
  } else {
    (void)ref;
    (void)before;
    (void)tol;
    out.line("nostate");
  }
}

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
  Case cur;  // the input of "input" and, after "call", its outputs
  Members before;  // cur's state as "input" made it
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
      } else if (c == "input" && got == 3) {
        cur = Case();  // release the previous input before building the next
        before.m.clear();
        Rng r(b);
        fresh_input(cur, a, r);
        if constexpr (has_reset_for<Case>::value) cur.reset_for(true);
        else cur.reset();
        keep(cur, before);
        out.line("ready");
      } else if (c == "call") {
        cur.run(true);
        out.line("done");
      } else if (c == "dump") {
        dump(out, cur, before);
      } else if (c == "judge" && got == 2) {
        judge<Case>(out, in, a, cur, before, tol);
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
