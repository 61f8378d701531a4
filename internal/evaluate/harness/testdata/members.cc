// members.cc checks the harness's state carrying: a member is sent when
// its bytes changed and only then, and an unchanged one is restored from
// the copy kept before the call. Each failed check prints a line; the
// exit status is the number of failures.
#include "lessonl.hpp"

#include <cmath>
#include <iostream>
#include <limits>

namespace {

int failures = 0;

void expect(bool ok, const char* what) {
  if (!ok) {
    std::cout << "FAIL " << what << "\n";
    ++failures;
  }
}

struct Pod {
  int a;
  double b;
};

// S is a state with one member of each kind Writer carries.
struct S {
  double x = 0.0;
  std::vector<int> v{1, 2, 3};
  std::vector<bool> flags{true, false, true};
  std::vector<std::string> names{"ab", "cde"};
  std::vector<std::complex<double>> z{{1, 2}};
  std::pair<int, std::string> p{7, "q"};
  std::array<float, 2> arr{{1.5f, 2.5f}};
  Pod pod{1, 2.0};
  template <class V>
  void state(V& v) {
    v(x);
    v(this->v);
    v(flags);
    v(names);
    v(z);
    v(p);
    v(arr);
    v(pod);
  }
};

// Other is a state whose one member has another type than S's first.
struct Other {
  int x = 0;
  template <class V>
  void state(V& v) { v(x); }
};

// Walk reads a dump's markers, skipping the members sent.
struct Walk {
  lessonl::Reader& r;
  std::string& m;
  template <class T>
  void operator()(T& x) {
    unsigned char mark = 2;
    r(mark);
    m.push_back(char('0' + mark));
    if (mark == 1) r(x);
  }
};

// markers lists each member's marker in a dump: 0 unchanged, 1 sent.
std::string markers(const std::string& dump, S& s) {
  std::string m;
  lessonl::Reader r{dump.data(), dump.size()};
  Walk w{r, m};
  S copy = s;
  copy.state(w);
  return m;
}

std::string dumpOf(S& s, const lessonl::Members& before) {
  lessonl::Diff d{before.m, {}};
  s.state(d);
  return d.out;
}

}  // namespace

int main() {
  // Unchanged: every marker 0, and the state read back equals the input.
  {
    S s;
    lessonl::Members before;
    s.state(before);
    std::string d = dumpOf(s, before);
    expect(markers(d, s) == "00000000", "an unchanged state sends no member");
    S got;
    got.names.clear();
    got.v.clear();
    lessonl::Undiff u{lessonl::Reader{d.data(), d.size()}, before.m};
    got.state(u);
    expect(u.ok && u.r.ok && u.r.left == 0, "an unchanged state reads back");
    expect(lessonl::same_state(got.v, s.v) && lessonl::same_state(got.names, s.names) && got.pod.a == 1,
           "unchanged members are restored from before");
  }
  // Each kind of change is sent, and only the changed member.
  struct Change {
    const char* what;
    void (*apply)(S&);
    const char* want;
  } changes[] = {
      {"0.0 to -0.0", [](S& s) { s.x = -0.0; }, "10000000"},
      {"an int in a vector", [](S& s) { s.v[2] = 4; }, "01000000"},
      {"a vector's length", [](S& s) { s.v.push_back(0); }, "01000000"},
      {"a bool", [](S& s) { s.flags[1] = true; }, "00100000"},
      {"a string", [](S& s) { s.names[1] = "cdf"; }, "00010000"},
      {"a complex's imaginary part", [](S& s) { s.z[0] = {1, -2}; }, "00001000"},
      {"a pair's second", [](S& s) { s.p.second = "r"; }, "00000100"},
      {"an array's float", [](S& s) { s.arr[1] = 0.5f; }, "00000010"},
      {"a trivially copyable struct", [](S& s) { s.pod.b = 3.0; }, "00000001"},
  };
  for (const auto& c : changes) {
    S s;
    lessonl::Members before;
    s.state(before);
    c.apply(s);
    std::string d = dumpOf(s, before);
    std::string m = markers(d, s);
    if (m != c.want) std::cout << "  " << c.what << ": markers " << m << ", want " << c.want << "\n";
    expect(m == c.want, c.what);
    S got;
    lessonl::Undiff u{lessonl::Reader{d.data(), d.size()}, before.m};
    got.state(u);
    lessonl::Members after;
    s.state(after);
    lessonl::Diff same{after.m, {}};
    got.state(same);
    expect(u.ok && markers(same.out, got) == "00000000", "a changed state reads back as it was dumped");
  }
  // A NaN left as it was is unchanged: its bytes are the same.
  {
    S s;
    s.x = std::numeric_limits<double>::quiet_NaN();
    lessonl::Members before;
    s.state(before);
    expect(markers(dumpOf(s, before), s) == "00000000", "an unchanged NaN is unchanged");
  }
  // A state visited against another's kept members (another type at the
  // same place) is malformed, not misread.
  {
    Other t;
    lessonl::Members before;
    t.state(before);
    std::string d(1, '\0');
    S got;
    lessonl::Undiff u{lessonl::Reader{d.data(), d.size()}, before.m};
    got.state(u);
    expect(!u.ok, "an unchanged marker for a member of another type is malformed");
  }
  return failures;
}
