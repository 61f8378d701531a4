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
//
// The built-in suite codeopt holds 33 problems, two or more in each of the
// 12 categories of the paper's benchmark, each with at least five known
// solutions: two faster by different techniques, one correct but not
// faster, one incorrect, one that does not compile.
//
// LoadParEval reads the paper's own benchmarks (ParEval and PolyBench, from
// a checkout of its repository) as Problems of the same type. Their driver
// is a generated bridge to each benchmark's own cpu.cc, so the evaluator
// treats them like any other problem; Problem.Files, Prelude and Shared
// carry what that bridge needs, and Problem.Defects lists the published
// benchmark's known defects and how each was handled. Package cxx holds the
// small amount of C++ reading this takes (signatures, file-scope types).
//
// Those are the problems of the optimize task. The generate task (Task,
// TaskGenerate) has its own shape, GenProblem: a Python prompt, an entry
// point, a canonical solution and hidden tests. LoadHumanEval reads
// HumanEval and EvalPlus's HumanEval+ (.jsonl or .jsonl.gz), LoadMBPP
// EvalPlus's MBPP+; users supply these files, as with ParEval. EvalPlus's
// rules for the + variants travel with each problem (GenTests: atol,
// special oracles, MBPP+ argument conversions) for internal/pyeval to
// apply.
//
// Each of these is a registered Source (RegisterSource, beside its
// loader): its name, its task, its CLI flag and options, and how it loads.
// The experiment spec, the CLI, the run's records and the generate
// report ask the registry, so a new source is one file and a test.
//
// A task is likewise one registered value (TaskKind, RegisterTask): its
// name here, and the parts the layers above ask of it through interfaces
// of their own (strategy.TaskKind scores a candidate, analysis.Reporter
// lays its results out), so a third task is one file and a test.
package datasets
