// Package datasets holds code-optimization problems: the Problem type, the
// folder format a problem is written in, the loader that checks it, and the
// built-in suite codeopt, embedded in the binary.
//
// A problem is a folder:
//
//	problem.yaml        metadata: id, category, title, description, language,
//	                    function, sizes, tolerance, and the known solutions
//	baseline.cpp        the code the LLM is shown: one self-contained C++
//	                    function plus the includes it needs
//	driver.cpp          seeded input generation, the calls to both sides, and
//	                    the output comparison (see internal/evaluate/harness)
//	solutions/*.cpp     known rewrites, each described in problem.yaml by the
//	                    technique it uses and the outcome it should get
//
// Loading a malformed folder fails with the file and the field named, so a
// researcher adding problems learns at once what to fix.
package datasets
