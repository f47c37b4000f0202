# gepsim — one place for flags. Targets: all, run, check, validate, sbml-suite, bench, format, install-deps, clean.
# SANITIZE=1 builds with AddressSanitizer + UndefinedBehaviorSanitizer into build/san.

SHELL    := /bin/bash
PKGS     := petsc hdf5-openmpi libsbml yaml-0.1
CC       := mpicc
SANITIZE ?= 0
ifeq ($(SANITIZE),1)
  BUILD    := build/san
  SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
  OPT      := -O1 -g
else
  BUILD    := build/release
  SANFLAGS :=
  ARCH     ?= -march=native# the vector units of the machine it runs on; ARCH= for a portable binary
  OPT      := -O3 -g $(ARCH)
endif
BIN      := $(BUILD)/gepsim
CFLAGS   := -std=c17 -D_XOPEN_SOURCE=700 $(OPT) -fno-math-errno -Wall -Wextra -Werror -Iinclude $(SANFLAGS)
# Checked where a recipe first needs the flags (after install-deps has run): a .pc
# file that is missing, or one that a package requires, stops the build naming it.
pkgcheck  = $(foreach p,$(PKGS),$(if $(shell pkg-config --exists $(p) && echo ok),,$(error pkg-config: \
  $(p): $(shell pkg-config --exists --print-errors $(p) 2>&1 | tail -n 1) (install: sh scripts/install-deps.sh))))
PKGFLAGS  = $(pkgcheck)$(shell pkg-config --cflags $(PKGS))
LIBS      = $(pkgcheck)$(shell pkg-config --libs $(PKGS)) -llapack -lblas -lm
MPIRUN   := mpirun --allow-run-as-root --oversubscribe
export OMPI_MCA_rmaps_base_oversubscribe := 1

# libgepsim: every package (src/sys, model, omics, fa, gnn); the command line (src/cli) links it, as the tests do
SRC      := $(wildcard src/*/*.c)
OBJ      := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(SRC))
CLIOBJ   := $(filter $(BUILD)/obj/cli/%,$(OBJ))
LIBOBJ   := $(filter-out $(BUILD)/obj/cli/%,$(OBJ))
LIB      := $(BUILD)/libgepsim.a
TESTSRC  := $(wildcard tests/unit/*.c)
TESTBIN  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(TESTSRC))

.PHONY: all deps install-deps run check validate sbml-suite bench clean build tests format
all: build

# Install what is missing (idempotent, quick when nothing is), then re-enter
# make so that pkg-config sees it.
deps:
	@sh scripts/install-deps.sh

install-deps:
	sh scripts/install-deps.sh

build: deps
	@$(MAKE) --no-print-directory $(BIN)

tests: build
	@$(MAKE) --no-print-directory $(TESTBIN)

$(BUILD)/obj/%.o: src/%.c $(wildcard include/*.h src/*/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC $<"; $(CC) $(CFLAGS) $(PKGFLAGS) -c $< -o $@

# the GNN passes' element-wise loops (a select per element) vectorise only when
# comparisons may be evaluated on every lane: no floating-point traps there
$(BUILD)/obj/gnn/passes_%.o: CFLAGS += -fno-trapping-math

$(LIB): $(LIBOBJ)
	@rm -f $@
	@echo "  AR $@"; ar rcs $@ $^

$(BIN): $(CLIOBJ) $(LIB)
	$(CC) $(CFLAGS) -o $@ $(CLIOBJ) $(LIB) $(LIBS)
	@ln -sf $(abspath $@) bin-gepsim 2>/dev/null || true

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKGFLAGS) -Isrc/model -Isrc/gnn -Isrc/fa -o $@ $< $(LIB) $(LIBS)

run: build
	@mkdir -p output
	$(MPIRUN) -n 2 $(BIN) simulate inputs/default.yaml -o output/stat5-ensemble.h5
	@echo "outputs: output/stat5-ensemble.h5 (HDF5, layout in docs/formats.md)"
	@echo "figure:  output/stat5-ensemble.svg"

# the test suite starts a private Slurm (scripts/slurm-local.sh) to run the jobs/ scripts, and
# signals ranks with pkill (procps, not in a minimal Debian);
# only make check installs it (not make run); without root and without it those tests skip
CHECK_PKGS := slurmctld slurmd slurm-client munge procps
check: tests
	@GEPSIM_EXTRA_PKGS="$(CHECK_PKGS)" sh scripts/install-deps.sh || echo "make check: no Slurm here (not root?): the batch-job tests will skip"
	@GEPSIM=$(BIN) TESTBIN=$(BUILD)/tests SANITIZE=$(SANITIZE) MPIRUN="$(MPIRUN)" bash tests/run.sh

# scientific figures beside their references (full schedules, several seeds; an hour or more)
validate: tests
	@GEPSIM=$(BIN) TESTBIN=$(BUILD)/tests MPIRUN="$(MPIRUN)" bash tests/validate.sh

sbml-suite: build
	@GEPSIM=$(BIN) bash tests/sbml/suite.sh all

bench: tests
	@GEPSIM=$(BIN) MPIRUN="$(MPIRUN)" bash bench/run.sh
	@GEPSIM=$(BIN) bash bench/chain.sh
	@GEPSIM=$(BIN) TESTBIN=$(BUILD)/tests MPIRUN="$(MPIRUN)" bash bench/fa.sh
	@GEPSIM=$(BIN) TESTBIN=$(BUILD)/tests MPIRUN="$(MPIRUN)" bash bench/gnn.sh
	@GEPSIM=$(BIN) TESTBIN=$(BUILD)/tests MPIRUN="$(MPIRUN)" bash bench/gnn_feature.sh
	@GEPSIM=$(BIN) TESTBIN=$(BUILD)/tests bash bench/gnn_regression.sh
	@GEPSIM=$(BIN) MPIRUN="$(MPIRUN)" bash bench/screen.sh

# the checked-in .clang-format (lines of at most 120 characters; make check tests the length)
FORMATTED := src/*/*.c src/*/*.h include/*.h tests/unit/*.c tests/unit/*.h bench/*.c
format:
	clang-format -i $(FORMATTED)

clean:
	rm -rf build bin-gepsim
