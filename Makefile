# lessonl — common tasks. `make help` lists them.
GO      ?= go
BIN     ?= bin/lessonl
PKGS    ?= ./...

.PHONY: help build test test-under-load readme-figures bench bench-precision bench-protocol bench-pareval lint quickstart quickstart-generate check-suite clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

# The VCS revision for builds the go command cannot stamp (a git worktree,
# GOFLAGS=-buildvcs=false); a stamped build's own information wins.
REV     := $(shell git rev-parse HEAD 2>/dev/null)
DIRTY   := $(shell test -n "$$(git status --porcelain 2>/dev/null)" && echo true || echo false)

build: ## build bin/lessonl
	$(GO) build -ldflags "-X main.revision=$(REV) -X main.modified=$(DIRTY)" -o $(BIN) ./cmd/lessonl

test: ## run every test (compiles and runs real C++; needs g++)
	$(GO) test -count=1 -timeout 45m $(PKGS)

test-under-load: ## make test with four CPU-bound processes beside it, as on a busy shared machine
	.ci/under-load.sh 4 $(MAKE) test

bench: ## run the benchmarks and print their figures
	$(GO) test -run '^$$' -bench . -benchtime 1x -timeout 60m $(PKGS)

bench-precision: build ## identity precision of the evaluator: 20 evaluations on 4 problems
	$(BIN) bench precision --runs 20

bench-protocol: ## BEFORE=commit [IDS="a b"] [KEEP=dir]: the built-in suite's evaluation wall time now and at BEFORE, problem by problem, and the ratio
	@test -n "$(BEFORE)" || (echo "usage: make bench-protocol BEFORE=5dcf0af [IDS='reduce-variance sort-insertion']"; exit 2)
	KEEP=$(KEEP) .ci/bench-protocol.sh $(BEFORE) $(IDS)

bench-pareval: build ## ROOT=.../ParEval-PolyBench-Code-Opt: both suites' own code as candidates; evaluation cost beside the authors' driver's
	@test -n "$(ROOT)" || (echo "usage: make bench-pareval ROOT=path/to/LessonL/code-opt/ParEval-PolyBench-Code-Opt"; exit 2)
	$(BIN) bench pareval --pareval $(ROOT) --timeout 300s --memory-gib 12

lint: ## gofmt and go vet
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet $(PKGS)

QUICKSTART_OUT := results/quickstart-$(shell date +%Y%m%d-%H%M%S)

quickstart: build ## the main job: LessonL vs baselines on the sim team, then its report
	$(BIN) run experiments/specs/quickstart.yaml --out $(QUICKSTART_OUT)
	$(BIN) report $(QUICKSTART_OUT) --reference single-a

# RESULTS is where readme-figures looks for runs.
RESULTS ?= results

readme-figures: build ## the figures README.md quotes: problems in the suite and the quickstart, and the last quickstart's wall time
	@echo "built-in problems: $$($(BIN) datasets list | tail -n +2 | wc -l)"
	@echo "quickstart: $$($(BIN) plan experiments/specs/quickstart.yaml | tail -n 1)"
	@# The newest complete run whose manifest names the spec quickstart (not
	@# a folder name: quickstart-generate-* would match a glob; not a run
	@# with failed or missing cells, whose time is not the quickstart's).
	@last=""; for m in $$(ls -t $(RESULTS)/*/manifest.json 2>/dev/null); do \
	  if grep -q '^  "name": "quickstart",' $$m && grep -q '^  "ended": "' $$m && grep -q '^  "state": "complete",' $$m; then last=$$(dirname $$m); break; fi; \
	done; \
	field() { sed -n "s/^  \"$$1\": \"\{0,1\}\([^\",]*\).*/\1/p" $$last/manifest.json; }; \
	if [ -n "$$last" ]; then \
	  s=$$(( $$(date -d "$$(field ended)" +%s) - $$(date -d "$$(field started)" +%s) )); \
	  echo "last quickstart ($$last): $$((s / 60)) m $$((s % 60)) s on $$(field host), $$(field cores) cores"; \
	else echo "no finished quickstart in $(RESULTS)/: make quickstart"; fi

QUICKSTART_GEN_OUT := results/quickstart-generate-$(shell date +%Y%m%d-%H%M%S)

quickstart-generate: build ## the generate task: LessonL vs baselines on the built-in Python suite (sim team), Table 2 layout
	$(BIN) run experiments/specs/quickstart-generate.yaml --out $(QUICKSTART_GEN_OUT)
	$(BIN) report $(QUICKSTART_GEN_OUT) --reference lessonl

check-suite: build ## evaluate every built-in problem's baseline and known solutions (C++ and Python suites)
	$(BIN) datasets check
	$(BIN) datasets check --pysuite

clean: ## remove build output
	rm -rf bin
