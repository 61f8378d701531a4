package datasets

import (
	"strconv"
	"strings"
)

func init() {
	RegisterSource(Source{Name: SourceMBPP, Task: TaskGenerate, Usage: "generate task: EvalPlus's MBPP+ from this .jsonl[.gz]",
		Flag: SourceMBPP, LoadGen: func(s Settings) ([]*GenProblem, error) { return LoadMBPP(s.Path) },
		Suites: []Suite{{Name: "mbpp", Column: "MBPP"}, {Name: SuiteMBPPPlus, Column: "MBPP+", BaseColumn: "MBPP"}}})
}

// LoadMBPP reads MBPP+ in EvalPlus's format (MbppPlus.jsonl[.gz]: task_id,
// prompt, entry_point, canonical_solution as a whole program, base_input,
// plus_input, atol) from a .jsonl or .jsonl.gz file. base_input are the
// original MBPP's test inputs (MBPP's score), plus_input EvalPlus's extra
// ones (MBPP+'s score, with the base). EvalPlus's special oracles apply by
// entry point, and its argument conversions (tuples, sets, complex
// numbers) by task number.
func LoadMBPP(path string) ([]*GenProblem, error) {
	return loadJSONL(path, func(r evalPlusRecord, at string) (*GenProblem, error) {
		if r.BaseInput == nil {
			return nil, &FieldError{File: at, Field: "base_input", Msg: "missing: MBPP problems are read in EvalPlus's MBPP+ format"}
		}
		p := &GenProblem{ID: r.TaskID, Suite: SuiteMBPPPlus, Prompt: r.Prompt, EntryPoint: r.EntryPoint,
			Canonical: r.CanonicalSolution}
		if err := setInputs(&p.Tests, r, at); err != nil {
			return nil, err
		}
		p.Tests.Oracle = mbppOracles[r.EntryPoint]
		p.Tests.Convert = mbppConversion(r.TaskID)
		return p, nil
	})
}

// mbppOracles are EvalPlus's special oracles for MBPP+, by entry point.
var mbppOracles = map[string]string{
	"are_equivalent":         OracleAlways,
	"sum_div":                OracleOrZero,
	"surface_Area":           OracleSurfaceArea,
	"digit_distance_nums":    OracleDigitDistance,
	"similar_elements":       OracleSetEq,
	"find_char_long":         OracleSetEq,
	"common_in_nested_lists": OracleSetEq,
	"extract_singly":         OracleSetEq,
	"larg_nnum":              OracleSetEq,
	"intersection_array":     OracleSetEq,
	"find_dissimilar":        OracleSetEq,
	"Diff":                   OracleSetEq,
	"check_str":              OracleNotNone,
	"text_match_three":       OracleNotNone,
	"text_starta_endb":       OracleNotNone,
}

// The argument conversions of MBPP+ (EvalPlus stores tuples, sets and
// complex numbers as JSON lists and strings and rebuilds them before the
// call; the harness does the same, by these names).
const (
	ConvertArgsTuple       = "args_tuple"        // every argument: list -> tuple
	ConvertArgsInnerTuples = "args_inner_tuples" // every argument: list of lists -> list of tuples
	ConvertArgsTupleTuples = "args_tuple_tuples" // every argument: list of lists -> tuple of tuples
	ConvertFirstInner      = "first_inner"       // first argument: list of lists -> list of tuples
	ConvertFirstTuple      = "first_tuple"       // first argument: list -> tuple
	ConvertSecondTuple     = "second_tuple"      // second argument: list -> tuple
	ConvertFirstMixed      = "first_mixed"       // first argument: tuple, its list items tuples too
	ConvertFirstSets       = "first_sets"        // first argument: items become sets ({} when empty)
	ConvertFloatComplex    = "float_complex"     // (float, complex from its string)
	ConvertComplex         = "complex"           // first argument: complex from its string
	ConvertDictTuples      = "dict_tuples"       // first argument: dict values -> tuples
	ConvertDeepTuple       = "deep_tuple"        // every list at any depth -> tuple
)

// mbppConversions maps an MBPP task number to its conversion.
var mbppConversions = func() map[int]string {
	m := map[int]string{}
	add := func(rule string, ids ...int) {
		for _, id := range ids {
			m[id] = rule
		}
	}
	add(ConvertArgsTuple, 2, 116, 132, 143, 222, 261, 273, 394, 399, 421, 424, 429, 470, 560, 579, 596, 616, 630, 726, 740, 744, 809)
	add(ConvertArgsInnerTuples, 63, 64, 70, 94, 120, 237, 272, 299, 400, 409, 417, 438, 473, 614, 780)
	add(ConvertFirstInner, 75, 413, 444, 753)
	add(ConvertSecondTuple, 106, 750)
	add(ConvertFirstSets, 115)
	add(ConvertFloatComplex, 124)
	add(ConvertFirstTuple, 250, 405, 446, 617, 720, 763, 808, 307)
	add(ConvertArgsTupleTuples, 259, 401, 445)
	add(ConvertFirstMixed, 278)
	add(ConvertDictTuples, 722)
	add(ConvertComplex, 252)
	add(ConvertDeepTuple, 580, 615, 791)
	return m
}()

// mbppConversion returns the conversion of task id "Mbpp/N", "" if none.
func mbppConversion(id string) string {
	i := strings.LastIndexByte(id, '/')
	n, err := strconv.Atoi(id[i+1:])
	if err != nil {
		return ""
	}
	return mbppConversions[n]
}
