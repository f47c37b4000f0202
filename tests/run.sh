#!/bin/bash
# gepsim test suite (make check): behaviour. Every test asserts numbers against a
# reference (analytic solutions, peers' outputs, the SBML Test Suite's expected
# results) or an exact error contract; MPI tests run on 1, 2 and 4 ranks. The
# scientific figures (full schedules, several seeds, published thresholds) are
# make validate's (tests/validate.sh). Harness: tests/lib.sh. Ends with
# "N passed, N failed".
# Environment: GEPSIM (binary), TESTBIN (unit test binaries), MPIRUN.
cd "$(dirname "$0")/.."
GEPSIM=${GEPSIM:-build/release/gepsim}
TESTBIN=${TESTBIN:-build/release/tests}
MPIRUN=${MPIRUN:-mpirun --allow-run-as-root --oversubscribe}
SUITE=../shared/data/sbml-test-suite
golden=../shared/data/mofa-golden/model.hdf5
rosmap=../shared/data/mogonet-rosmap
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
GEPSIM=$(realpath "$GEPSIM")
if [ "$SANITIZE" = 1 ]; then
  export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0:fast_unwind_on_malloc=0"
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:detect_odr_violation=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  # every program under PETSc's -malloc_dump (tests/malloc-dump.sh), through wrappers of the same names
  mkdir -p "$work/bin" "$work/testbin"
  wrap() { printf '#!/bin/bash\nexec %q %q "$@"\n' "$PWD/tests/malloc-dump.sh" "$1" > "$2"; chmod +x "$2"; }
  wrap "$GEPSIM" "$work/bin/gepsim"
  for t in "$TESTBIN"/*; do wrap "$(realpath "$t")" "$work/testbin/$(basename "$t")"; done
  GEPSIM=$work/bin/gepsim TESTBIN=$work/testbin
fi
source tests/lib.sh

echo "== the harness itself (tests/lib.sh): a timeout, a failed run and a skip under CI=true are failures"
selftest() { echo "cd $PWD; work=$work; source tests/lib.sh > /dev/null; { $1; } > /dev/null"; } # a script for bash -c
check "harness: a check that outruns its timeout fails" bash -c "$(selftest 'TEST_TIMEOUT=1; check t sleep 5'); [ \$fail = 1 ] && [ \$pass = 0 ]"
check "harness: an expected error that hangs fails" bash -c "$(selftest 'TEST_TIMEOUT=1; expect_error t x sleep 5'); [ \$fail = 1 ] && [ \$pass = 0 ]"
check "harness: a run whose output later checks read fails when it fails" bash -c "$(selftest 'produce t false; produce u true'); [ \$fail = 1 ] && [ \$pass = 0 ]"
check "harness: missing data skips each check of its block, and under CI=true each is a failure" bash -c "$(selftest 'CI=; needs /nonexistent; check a true; check b true; needs_end; check c true; CI=true; needs /nonexistent; check d true; needs_end'); [ \$skip = 2 ] && [ \$fail = 1 ] && [ \$pass = 1 ]"

echo "== sources"
check "no line of the C sources is longer than 120 characters (make format)" bash -c "! awk 'length > 120 { print FILENAME \":\" FNR; bad = 1 } END { exit !bad }' src/*/*.c src/*/*.h include/*.h tests/unit/*.c tests/unit/*.h bench/*.c"

echo "== unit tests"
check "expression values vs libm and derivatives vs finite differences" "$TESTBIN/test_expr"
check "screen summaries: the Hill fit (Tao BRGN) recovers bottom, top, IC50 and h of 5 noise-free curves (falling, rising, a zero dose) to 1e-6" "$TESTBIN/test_screen_hill"
for n in 1 2 4; do
  check "ensemble vs analytic solution, $n rank(s)" $MPIRUN -n $n "$TESTBIN/test_ensemble_analytic"
  check "ensemble with per-member events vs analytic solution, $n rank(s)" $MPIRUN -n $n "$TESTBIN/test_events_analytic"
  check "ensemble given parameters (a reaction's rate multiplier, a knockout), irregular output times, doses between them (added, set) and a monitor that ends one chunk, vs closed forms, $n rank(s)" $MPIRUN -n $n "$TESTBIN/test_ensemble_inputs"
  check "ensemble given initial states member by member, and its final states (the tissue's reaction step), vs closed forms, chunks of 2, $n rank(s)" $MPIRUN -n $n "$TESTBIN/test_ensemble_states"
  check "objects: two ensembles under their own prefixes share a model by reference and read their own size and TS tolerances (analytic), $n rank(s)" $MPIRUN -n $n "$TESTBIN/test_objects"
  check "graph threshold: the (k N)-th smallest distance from each rank's k N + 1 smallest equals every distance gathered and sorted (distinct values and ties; k = 1, 2, 5, 10), $n rank(s)" bash -c "$MPIRUN -n $n $TESTBIN/test_gnn_threshold > /dev/null && $MPIRUN -n $n $TESTBIN/test_gnn_threshold -levels 50 > /dev/null"
done

echo "== command line"
check "gepsim -version" bash -c "$GEPSIM -version | grep -q '^libSBML' && $GEPSIM -version | grep -q '^PETSc'"
check "gepsim -help" bash -c "$GEPSIM -help | grep -q 'gepsim simulate DECK'"
check "gepsim simulate -help writes nothing" bash -c "cd $work && $GEPSIM simulate $OLDPWD/inputs/default.yaml -help -model_file $OLDPWD/inputs/models/Boehm_JProteomeRes2014_STAT5.xml | grep -q -- -ensemble_size && ! ls $work/*.h5 2>/dev/null"

needs "$rosmap/1_tr.csv" "$golden"
  check "docs/deck-reference.md: every option a command's -help lists is documented, every documented one is read" bash tests/check_deck_reference.sh "$GEPSIM"
needs_end

echo "== simulate on 1, 2 and 4 ranks: same answer"
# chunks of 7 members: ranks own different numbers of chunks, results must not change
deck="inputs/default.yaml -ensemble_size 40 -ensemble_steps 24 -ensemble_chunk_size 7"
for n in 1 2 4; do
  produce "simulate default deck, $n rank(s)" $MPIRUN -n $n "$GEPSIM" simulate $deck -o "$work/sim$n.h5"
  produce "simulate default deck, synchronized stepping, $n rank(s)" $MPIRUN -n $n "$GEPSIM" simulate $deck -ensemble_synchronized -o "$work/sync$n.h5"
done
for n in 2 4; do
  check "trajectories on $n ranks equal 1 rank (exactly: chunks do not depend on ranks)" h5diff "$work/sim1.h5" "$work/sim$n.h5" /trajectories
  check "synchronized trajectories on $n ranks equal 1 rank (rel 1e-6)" h5diff -p 1e-6 "$work/sync1.h5" "$work/sync$n.h5" /trajectories
  check "parameters on $n ranks equal 1 rank (exact)" h5diff "$work/sim1.h5" "$work/sim$n.h5" /parameters
done
check "chunked and synchronized stepping agree to the tolerances (rel 1e-3)" h5diff -p 1e-3 "$work/sim1.h5" "$work/sync1.h5" /trajectories
check "HDF5 layout" bash -c "h5dump -H $work/sim2.h5 | grep -q parameter_names && h5dump -H -d /trajectories $work/sim2.h5 | grep -q '( 40, 25, 8 )' && h5dump -a /ranks $work/sim2.h5 | grep -q '(0): 2'"
check "SVG written" grep -q '<polyline' "$work/sim2.svg"
# the figure's bands from a fixed subsample (every 6th member: 7 of 40), never all members gathered: the same on any ranks
for n in 1 2 4; do
  produce "simulate, bands of a subsample, $n rank(s)" $MPIRUN -n $n "$GEPSIM" simulate $deck -simulate_plot_members 7 -o "$work/sub$n.h5"
done
check "figure: the subsample is stated on the figure" grep -q '40 members (median, 5-95 % of every 6th: 7)' "$work/sub1.svg"
check "figure: the subsample's bands are the same on 1, 2 and 4 ranks" bash -c "cmp $work/sub1.svg $work/sub2.svg && cmp $work/sub1.svg $work/sub4.svg"

echo "== large models: the sparse per-member Jacobian (a chain of 100 or 200 species, closed form)"
produce "chain models" bash -c "bash tests/gen_chain.sh 100 > $work/chain100.xml && bash tests/gen_chain.sh 200 > $work/chain200.xml"
chainopt="-ensemble_tfinal 10 -ensemble_size 6 -ensemble_chunk_size 2 -ensemble_vary k:lognormal:0.3"
for n in 1 2 4; do
  check "sparse Jacobian (chosen from 50 states), KLU: 200-species chain, 6 members against the closed form (abs 1e-6), $n rank(s)" bash -c "$MPIRUN -n $n $GEPSIM simulate -model_file $work/chain200.xml $chainopt -model_outputs A1,A5,A199 -o $work/chain$n.h5 -log_view :$work/chainlog$n.txt > /dev/null && grep -q '^MatLUFactorNum' $work/chainlog$n.txt && /usr/bin/python3 tests/ref/chain_closed_form.py $work/chain$n.h5 200 1e-6"
  check "sparse Jacobian, synchronized stepping (MUMPS across ranks): the chain against the closed form (abs 1e-6), $n rank(s)" bash -c "$MPIRUN -n $n $GEPSIM simulate -model_file $work/chain200.xml $chainopt -ensemble_synchronized -model_outputs A1,A5,A199 -o $work/chainsync$n.h5 > /dev/null && /usr/bin/python3 tests/ref/chain_closed_form.py $work/chainsync$n.h5 200 1e-6"
done
for n in 2 4; do
  check "sparse Jacobian: the chain on $n ranks equals 1 rank (exactly: chunks do not depend on ranks)" h5diff "$work/chain1.h5" "$work/chain$n.h5" /trajectories
  check "sparse Jacobian, synchronized: $n ranks equal 1 rank (abs 1e-8)" h5diff -d 1e-8 "$work/chainsync1.h5" "$work/chainsync$n.h5" /trajectories
done
check "-ensemble_view: auto takes the sparse Jacobian for the 200-species chain (399 entries a member) and dense blocks for STAT5 (64)" bash -c "$GEPSIM simulate -model_file $work/chain200.xml -ensemble_view -o $work/view.h5 | grep -q 'per-member Jacobian: sparse (AIJ, sparse direct LU), 399 entries a member' && $GEPSIM simulate inputs/default.yaml -ensemble_size 3 -ensemble_view -o $work/view.h5 | grep -q 'per-member Jacobian: dense blocks (BAIJ, point-block Jacobi), 64 entries a member'"
# the same Newton iterations need the same Jacobian: a wrong sparse value moves results by about 1e-7 (the solution stays right)
check "sparse and dense per-member Jacobians give the same results (100 species, abs 1e-9)" bash -c "for j in dense sparse; do $GEPSIM simulate -model_file $work/chain100.xml $chainopt -ensemble_jacobian \$j -model_outputs A1,A5,A99 -o $work/chain-\$j.h5 > /dev/null || exit 1; done; h5diff -d 1e-9 $work/chain-dense.h5 $work/chain-sparse.h5 /trajectories"

echo "== bad input: one-line error naming file and problem, non-zero exit, no output"
expect_error "malformed SBML" "malformed.xml:[0-9]+: libSBML" "$GEPSIM" simulate -model_file tests/data/malformed.xml
expect_error "unsupported SBML feature" "algebraic.xml: unsupported SBML feature: algebraic rules" "$GEPSIM" simulate -model_file tests/data/algebraic.xml
expect_error "unknown option in deck" "deck tests/data/typo.yaml: unknown option -model_fiel" "$GEPSIM" simulate tests/data/typo.yaml
expect_error "unknown option on command line" "unknown option -ensemble_sizee" "$GEPSIM" simulate inputs/default.yaml -ensemble_sizee 3
# the options registry: an option passes only if some command reads it (a component's prefix passed unchecked)
expect_error "an option no command reads (-tissue_typo: its prefix was accepted unchecked)" "command line: unknown option -tissue_typo \(no gepsim command reads it" "$GEPSIM" simulate -model_file tests/data/decay.xml -tissue_typo 3
expect_error "train: -tao_gatoll (the prefix of no solver of gepsim) is an error" "command line: unknown option -tao_gatoll \(no gepsim command reads it" "$GEPSIM" train -gnn_model linear -tao_gatoll 1e-3
expect_error "simulate: a typo in another command's option (-gnn_epochz) is an error" "unknown option -gnn_epochz \(no gepsim command reads it" "$GEPSIM" simulate -model_file tests/data/decay.xml -gnn_epochz 3
expect_error "factor: a typo under its own prefix says so" "unknown option -fa_factrs \(gepsim factor reads no such option" "$GEPSIM" factor -omics_tables tests/data/fa-gauss.csv -fa_factrs 2
expect_error "the ensemble's TS reads -ensemble_ts_*, not -ts_* (each solver its own prefix)" "unknown option -ts_rtol \(no gepsim command reads it" "$GEPSIM" simulate -model_file tests/data/decay.xml -ts_rtol 1e-3
check "a deck shared with other commands: their options (-fa_factors, -gnn_epochs, -gnn_linear_tao_gatol, -omics_samples_in_rows) pass simulate, which writes its output" bash -c "$GEPSIM simulate -model_file tests/data/decay.xml -fa_factors 3 -gnn_epochs 3 -gnn_linear_tao_gatol 1e-3 -omics_samples_in_rows 1 -o $work/shared.h5 > /dev/null && h5ls $work/shared.h5 | grep -q '^trajectories'"
check "the TS's default error norm (infinity) is set in its own options, not the global database" bash -c "$GEPSIM simulate -model_file tests/data/decay.xml -help | grep -q -- '-ensemble_ts_adapt_wnormtype <now INFINITY : formerly 2>' && $GEPSIM simulate -model_file tests/data/decay.xml -o $work/norm.h5 > /dev/null && ! h5dump -a /options $work/norm.h5 | grep -q wnormtype"
expect_error "a solver option read only when solving is checked after the solve (-ensemble_ts_viewx), and no output is left" "unknown option -ensemble_ts_viewx \(gepsim simulate reads no such option" "$GEPSIM" simulate -model_file tests/data/decay.xml -ensemble_ts_viewx -o $work/viewx.h5
check "... and no output is left" bash -c "[ ! -e $work/viewx.h5 ] && [ ! -e $work/viewx.h5.part ]"
check "-model_view and -ensemble_view show the objects as PETSc does (class, type)" bash -c "$GEPSIM simulate -model_file tests/data/decay.xml -model_view -ensemble_view -o $work/views.h5 > $work/views.out && grep -A1 '^GepModel Object' $work/views.out | grep -q 'type: sbml' && grep -A1 '^GepEnsemble Object' $work/views.out | grep -q 'type: chunked'"
check "-ensemble_ts_view (read only when solving) passes and shows the ensemble's TS" bash -c "$GEPSIM simulate -model_file tests/data/decay.xml -ensemble_ts_view -o $work/tsview.h5 | grep -q 'TS Object: (ensemble_)'"
expect_error "missing model file" "nope.xml: file not found" "$GEPSIM" simulate -model_file tests/data/nope.xml
expect_error "missing deck" "deck tests/data/nope.yaml: file not found" "$GEPSIM" simulate tests/data/nope.yaml
expect_error "non-positive tolerance" "-ensemble_ts_rtol must be positive" "$GEPSIM" simulate -model_file tests/data/decay.xml -ensemble_ts_rtol 0
expect_error "NaN in parameter table" "nan-params.tsv: row 3 column 1: 'nan' is not a number" "$GEPSIM" simulate -model_file tests/data/decay.xml -ensemble_parameters_file tests/data/nan-params.tsv -ensemble_size 2
expect_error "unknown species in outputs" "decay.xml: unknown output variable 'Q'" "$GEPSIM" simulate -model_file tests/data/decay.xml -model_outputs A,Q
expect_error "unknown parameter in variation" "decay.xml: unknown parameter 'kk'" "$GEPSIM" simulate -model_file tests/data/decay.xml -ensemble_vary kk:lognormal:0.1
# decks that are not decks: one line naming the file (and the line), once on 2 ranks
produce "decks that are not decks" bash -c "mkdir -p $work/dir.yaml && : > $work/empty.yaml && printf 'model_file: x\\000\\001' > $work/binary.yaml && printf 'model_file: tests/data/decay.xml\nensemble_size: [1, 2\n  bad: : :\n' > $work/broken.yaml"
expect_error "a deck that is a directory" "deck .*dir.yaml: is a directory, not a file" "$GEPSIM" simulate "$work/dir.yaml"
expect_error "an empty deck" "deck .*empty.yaml: the file is empty" "$GEPSIM" simulate "$work/empty.yaml"
expect_error "a binary deck" "deck .*binary.yaml:1: not a text file" "$GEPSIM" simulate "$work/binary.yaml"
produce "a deck with a key given twice" bash -c "printf 'model_file: tests/data/decay.xml\nensemble:\n  ts_rtol: 1e-6\n  ts_rtol: 1e-8\n' > $work/twice.yaml"
expect_error "a YAML key given twice in one mapping names both lines (PETSc kept one silently)" "deck .*twice.yaml:4: key 'ts_rtol' given twice \(first on line 3\)" "$GEPSIM" simulate "$work/twice.yaml"
expect_error "a YAML syntax error names file and line" "deck .*broken.yaml:3: YAML: did not find expected ',' or ']'" "$GEPSIM" simulate "$work/broken.yaml"
check "a YAML syntax error is reported once on 2 ranks" bash -c "$MPIRUN -n 2 $GEPSIM simulate $work/broken.yaml -o $work/broken.h5 > /dev/null 2> $work/broken.err; [ \$? != 0 ] && [ \$(grep -c 'gepsim: error: deck .*broken.yaml:3: YAML' $work/broken.err) = 1 ]"
# an error on the ranks that hold a chunk only (1 member): every rank ends, one message (it deadlocked)
for n in 2 4; do
  for o in "-ensemble_ts_type foo" "-ensemble_ts_rtol -1" "-ensemble_ts_atol 0" "-ensemble_ts_bdf_order 99"; do
    TEST_TIMEOUT=120 check "an error on some ranks only ($o, 1 member) ends all $n ranks with one message" bash -c "$MPIRUN -n $n $GEPSIM simulate -model_file tests/data/decay.xml -ensemble_size 1 $o -o $work/some.h5 > /dev/null 2> $work/some.err; [ \$? != 0 ] && [ \$(grep -c 'gepsim: error' $work/some.err) = 1 ] && [ ! -e $work/some.h5 ]"
  done
done
# the output's directory is checked before any work (it was checked after it, under 28 lines of HDF5 messages)
check "an output in a directory that does not exist: one line, before any work (2 ranks)" bash -c "$MPIRUN -n 2 $GEPSIM simulate -model_file tests/data/decay.xml -o $work/nodir/x.h5 > $work/nodir.out 2> $work/nodir.err; [ \$? != 0 ] && [ \$(grep -c . $work/nodir.err) -ge 1 ] && [ \$(grep -c 'gepsim: error' $work/nodir.err) = 1 ] && grep -q 'output $work/nodir/x.h5: the directory $work/nodir does not exist' $work/nodir.err && ! grep -q 'member(s) on' $work/nodir.out"
# a failed step after an output was renamed into place removes it too; SIGTERM says why and leaves nothing
check "a figure that cannot be written removes the HDF5 output already renamed into place" bash -c "! $GEPSIM simulate -model_file tests/data/decay.xml -simulate_svg $work/nodir/x.svg -o $work/svgfail.h5 > /dev/null 2> $work/svgfail.err && grep -q 'x.svg.part: cannot create' $work/svgfail.err && [ ! -e $work/svgfail.h5 ] && [ ! -e $work/svgfail.h5.part ]"
check "SIGTERM to mpirun (2 ranks), once the run integrates: the run says why once and leaves no output" bash -c "$MPIRUN -n 2 $GEPSIM simulate inputs/default.yaml -ensemble_size 400000 -o $work/term.h5 > $work/term.out 2> $work/term.err & p=\$!; for i in \$(seq 600); do grep -q 'member(s) on' $work/term.out && break; sleep 0.1; done; sleep 1; kill -TERM \$p; wait \$p; [ \$? != 0 ] && [ \$(grep -c 'gepsim: terminated by a signal' $work/term.err) = 1 ] && ! ls $work/term.* 2> /dev/null | grep -v 'term.err\\|term.out'"
# the process that runs gepsim (a wrapper script; under SANITIZE=1 the -malloc_dump wrapper) is killed;
# found through /proc (a minimal Debian has no procps)
check "a run whose parent is killed (SIGKILL: a wrapper script) writes nothing and says why (it wrote its output after the kill)" bash -c "bash -c '$GEPSIM simulate inputs/default.yaml -ensemble_size 20000 -o $work/orphan.h5 > $work/orphan.out 2> $work/orphan.err & wait' > /dev/null 2>&1 & for i in \$(seq 600); do grep -q 'member(s) on' $work/orphan.out 2> /dev/null && break; sleep 0.1; done; for i in \$(seq 100); do q=\$(for d in /proc/[0-9]*; do [ \"\$(basename \"\$(readlink \$d/exe 2> /dev/null)\")\" = gepsim ] && grep -q orphan.h5 \$d/cmdline 2> /dev/null && echo \${d#/proc/}; done | head -1); [ -n \"\$q\" ] && break; sleep 0.2; done; kill -KILL \$(awk '/^PPid:/ { print \$2 }' /proc/\$q/status); while kill -0 \$q 2> /dev/null; do sleep 0.2; done; [ ! -e $work/orphan.h5 ] && [ ! -e $work/orphan.h5.part ] && grep -q 'the process that started this run (pid [0-9]*) is gone' $work/orphan.err"
# in an ensemble a member that fails does so alone: status 1 and NaN, the others integrated (the run used to end)
for n in 1 2 4; do
  check "ensemble: the member that blows up before t = 1.25 (k = 0.9) fails alone, the 5 others equal 1/(1 - k t) (rel 1e-4), $n rank(s)" bash -c "$MPIRUN -n $n $GEPSIM simulate -model_file tests/data/blowup.xml -model_outputs x -ensemble_tfinal 1.25 -ensemble_size 6 -ensemble_chunk_size 2 -ensemble_parameters_file tests/data/blowup-params.tsv -o $work/bk$n.h5 | grep -q '1 of 6 members failed .* member 2: .*blowup.xml: integration failed' && /usr/bin/python3 tests/ref/blowup_status.py $work/bk$n.h5 tests/data/blowup-params.tsv 1e-4"
done
# solver failures end with one line naming the member, the time and the state (each used to hang)
TEST_TIMEOUT=120 expect_error "a rate that turns NaN (dy/dt = sqrt(1 - t)) ends the run naming member, time and state" "nanrate.xml: integration failed at t = 1.? \(DIVERGED_STEP_REJECTED\); member 0: y or its rate is not a number just after this time" "$GEPSIM" simulate -model_file tests/data/nanrate.xml -ensemble_tfinal 2
TEST_TIMEOUT=120 expect_error "a blow-up (dx/dt = x^2, x(0) = 1) ends the run near t = 1 naming member and state" "blowup.xml: integration failed at t = 0.99[0-9]* \(DIVERGED_STEP_REJECTED\); member 0: x = .* grows without bound" "$GEPSIM" simulate -model_file tests/data/blowup.xml -ensemble_tfinal 2
TEST_TIMEOUT=120 expect_error "a Zeno event (a reset whose trigger re-arms at once) ends the run with an error (it hung, -ensemble_ts_max_reject or not)" "zeno.xml: events stop the integration 1000 times within 2e-09 of t = 1.?: an event whose trigger re-arms at once \(a Zeno cascade\)" "$GEPSIM" simulate -model_file tests/data/zeno.xml -ensemble_tfinal 2 -ensemble_ts_max_reject 10
TEST_TIMEOUT=120 expect_error "-ensemble_ts_max_steps reached ends the run with the maximum-steps error" "decay.xml: integration stopped at t = .*: the maximum number of steps \(-ensemble_ts_max_steps 5\) was taken" "$GEPSIM" simulate -model_file tests/data/decay.xml -ensemble_ts_max_steps 5
expect_error "bad distribution" "unknown distribution 'gauss'" "$GEPSIM" simulate -model_file tests/data/decay.xml -ensemble_vary k:gauss:0.1
# -o naming an input file (here through a symbolic link: compared by inode): refused, the input unchanged
refuses_input() { # the check's script: the command fails, says so, and leaves the input as it was
  echo "cp $1 $work/in-copy && ln -sf in-copy $work/in-link.h5 && ! $2 -o $work/in-link.h5 > /dev/null 2> $work/in.err && grep -q 'in-link.h5 is an input file of this run' $work/in.err && cmp -s $1 $work/in-copy"
}
check "simulate: -o naming the model file is refused and the model kept" bash -c "$(refuses_input tests/data/decay.xml "$GEPSIM simulate -model_file $work/in-link.h5")"
check "import: -o naming the long table is refused and the table kept" bash -c "$(refuses_input tests/data/omics-long.tsv "$GEPSIM import -omics_long $work/in-link.h5")"
check "options of other subcommands (-fa_factors) are fine in a deck (and the run writes its trajectories)" bash -c "$GEPSIM simulate -model_file tests/data/decay.xml -fa_factors 3 -o $work/other.h5 > /dev/null && h5dump -H -d /trajectories $work/other.h5 | grep -q '( 1, 101, '"

echo "== factor analysis (MOFA+ class): golden model, missing data, 1, 2 and 4 ranks"
golden=../shared/data/mofa-golden/model.hdf5
needs "$golden"
  for n in 1 2 4; do
    produce "factor: MOFA+ golden deck, $n rank(s)" $MPIRUN -n $n "$GEPSIM" factor inputs/mofa-golden.yaml -fa_progress 0 -o "$work/fa$n.h5"
  done
  # R2 per view within 1 point of MOFA+'s 76.21 / 76.98 %; its 5 active factors in the span of ours (canonical correlations >= 0.95)
  check "factor: golden R2 and canonical correlations vs MOFA+" "$TESTBIN/check_fa_mofa" -ours "$work/fa1.h5" -mofa "$golden" -r2_tol 1.0 -min_cc 0.95
  for n in 2 4; do
    check "factor: factors on $n ranks equal 1 rank (rel 1e-6)" h5diff -p 1e-6 "$work/fa1.h5" "$work/fa$n.h5" /expectations/Z/single_group
    check "factor: R2 on $n ranks equals 1 rank (rel 1e-8)" h5diff -p 1e-8 "$work/fa1.h5" "$work/fa$n.h5" /variance_explained/r2_total/single_group
  done
  check "factor: SVG figures written (variance, factors, ELBO)" bash -c "grep -q 'Factor 1' $work/fa1-variance.svg && grep -q '<circle' $work/fa1-factors.svg && grep -q polyline $work/fa1-elbo.svg"
  check "factor: MOFA+ layout" bash -c "h5dump -H $work/fa1.h5 | grep -q '\"r2_per_factor\"' && h5dump -H -d /expectations/W/view_0 $work/fa1.h5 | grep -q '( 10, 1000 )' && h5dump -d /model_options/likelihoods $work/fa1.h5 | grep -q gaussian"
  expect_error "factor: more factors than samples" "model.hdf5: more factors \(200\) than samples \(100\)" "$GEPSIM" factor inputs/mofa-golden.yaml -fa_factors 200
  produce "truncate the golden file" bash -c "head -c 300000 $golden > $work/truncated.h5"
  expect_error "factor: truncated HDF5 file" "truncated.h5: .*(truncated|cannot)" "$GEPSIM" factor -omics_file "$work/truncated.h5"
  expect_error "factor: typo in a factor option" "unknown option -fa_factrs" "$GEPSIM" factor inputs/mofa-golden.yaml -fa_factrs 3
  expect_error "factor: a metadata file that does not exist, no colour column set (it was ignored)" "-factor_metadata .*nometa.csv: file not found" "$GEPSIM" factor inputs/mofa-golden.yaml -factor_metadata "$work/nometa.csv"
  expect_error "factor: a colour column without a metadata table" "-factor_color_by IGHV needs -factor_metadata TABLE" "$GEPSIM" factor inputs/mofa-golden.yaml -factor_color_by IGHV
  check "factor: a likelihood registered from outside the package (one file, one registration call) is selected by name and, as the gaussian one by another name, gives its results bitwise" "$TESTBIN/test_fa_likelihood_register" -omics_file "$golden"
needs_end
# 30 % of the entries and 20 % of whole views per sample missing: 4 true factors still recovered
produce "synthetic data syn.h5" "$TESTBIN/gen_fa_synthetic" -o "$work/syn.h5" -n 300 -d 300,200,100 -k 4 -decay 0.9 -sparsity 0.3 -missing 0.3 -missing_views 0.2 -seed 1
for n in 1 2 4; do
  produce "factor: missing data, $n rank(s)" $MPIRUN -n $n "$GEPSIM" factor -omics_file "$work/syn.h5" -fa_factors 6 -fa_progress 0 -o "$work/syn$n.h5"
  check "factor: missing data, $n rank(s): true factors recovered (mean best |r| >= 0.9)" "$TESTBIN/check_fa_mofa" -ours "$work/syn$n.h5" -truth "$work/syn.h5" -group group_0 -min_mean_r 0.9
done
expect_error "factor: bernoulli view with a value other than 0, 1 or missing" "fa-binary-bad.csv: view mutations \(bernoulli\): value 2 for sample s3, feature m2 is neither 0, 1 nor missing" "$GEPSIM" factor -omics_tables tests/data/fa-gauss.csv,tests/data/fa-binary-bad.csv -omics_view_names expression,mutations -fa_likelihoods gaussian,bernoulli -fa_factors 2
produce "a table with a feature given twice" bash -c "(cat tests/data/fa-gauss.csv; sed -n 2p tests/data/fa-gauss.csv) > $work/feature-twice.csv"
expect_error "factor: a feature name given twice in a table (both were kept)" "feature-twice.csv: feature 'g1' appears twice \(data rows 1 and 4\)" "$GEPSIM" factor -omics_tables "$work/feature-twice.csv" -fa_factors 2
expect_error "factor: tables with no sample id in common" "fa-other-ids.csv: no sample id in common with tests/data/fa-gauss.csv" "$GEPSIM" factor -omics_tables tests/data/fa-gauss.csv,tests/data/fa-other-ids.csv -fa_factors 2
# import: CSV tables and the long format into gepsim's HDF5 layout
cll=../shared/data/cll-partial
needs "$cll/cll_drugs.csv"
  produce "import: CSV tables, 2 ranks" $MPIRUN -n 2 "$GEPSIM" import -omics_tables $cll/cll_drugs.csv,$cll/cll_mutations.csv -omics_view_names drugs,mutations -o "$work/cll.h5"
  produce "factor: CSV tables directly" "$GEPSIM" factor inputs/cll.yaml -fa_progress 0 -factor_figures 0 -o "$work/cll-csv.h5"
  produce "factor: imported HDF5" "$GEPSIM" factor -omics_file "$work/cll.h5" -fa_likelihoods gaussian,bernoulli -fa_convergence_mode medium -fa_drop_factor_threshold 0.02 -fa_progress 0 -factor_figures 0 -o "$work/cll-h5.h5"
  check "import: factors from the imported file equal those from the tables (rel 1e-10)" h5diff -p 1e-10 "$work/cll-csv.h5" "$work/cll-h5.h5" /expectations/Z/group_0
  # the CLL deck on 1, 2 and 4 ranks: the same factors (the IGHV marker figure is make validate's)
  for n in 1 2 4; do
    produce "factor: CLL cohort, $n rank(s)" $MPIRUN -n $n "$GEPSIM" factor inputs/cll.yaml -fa_progress 0 -factor_figures 0 -o "$work/cll$n.h5"
  done
  for n in 2 4; do
    check "factor: CLL factors on $n ranks equal 1 rank (rel 1e-6)" h5diff -p 1e-6 "$work/cll1.h5" "$work/cll$n.h5" /expectations/Z/group_0
  done
needs_end
for n in 1 2; do
  produce "import: long format, $n rank(s)" $MPIRUN -n $n "$GEPSIM" import -omics_long tests/data/omics-long.tsv -o "$work/long$n.h5"
done
check "import: long format values, groups and missing entries" bash -c "h5dump -d /data/rna/g1 $work/long1.h5 | grep -q '(1,0): 3.5, nan' && h5dump -d /data/met/g2 $work/long1.h5 | grep -q '(0,0): 0.75' && h5dump -d /samples/g1 $work/long1.h5 | grep -q '\"a\", \"b\"'"
check "import: long format on 2 ranks equals 1 rank" h5diff "$work/long1.h5" "$work/long2.h5"
produce "a long table with a value given twice" bash -c "(cat tests/data/omics-long.tsv; sed -n 3p tests/data/omics-long.tsv) > $work/long-twice.tsv"
expect_error "import: a (sample, feature, view) given twice in the long format (one was kept silently)" "long-twice.tsv:8: sample a, feature f2, view rna given twice \(first on line 3\)" "$GEPSIM" import -omics_long "$work/long-twice.tsv"
# headerless tables (MOGONET's layout), read by byte ranges: on 4 ranks some ranks own no line of a 3-row file
for n in 1 2 4; do
  produce "import: headerless tables, $n rank(s)" $MPIRUN -n $n "$GEPSIM" import -omics_tables tests/data/headerless-a.csv,tests/data/headerless-b.csv -omics_headerless -o "$work/hl$n.h5"
done
check "import: headerless tables (a blank line, a CRLF line end, NA, no final newline) hold the files' values and names" bash -c "h5dump -d /data/view_0/group_0 $work/hl1.h5 | grep -q '(1,0): 4, nan, 6' && h5dump -d /data/view_0/group_0 $work/hl1.h5 | grep -q '(2,0): 7, 8, 9' && h5dump -d /data/view_1/group_0 $work/hl1.h5 | grep -q '(1,0): -1000' && h5dump -d /samples/group_0 $work/hl1.h5 | grep -q '\"sample3\"' && h5dump -d /features/view_0 $work/hl1.h5 | grep -q '\"feature3\"'"
for n in 2 4; do
  check "import: headerless tables on $n ranks equal 1 rank" h5diff "$work/hl1.h5" "$work/hl$n.h5"
done
produce "headerless tables with faults" bash -c "printf '1,2\\n3,x\\n5,6\\n' > $work/hl-text.csv && printf '1,2\\n3\\n' > $work/hl-ragged.csv && printf '1,2\\n3,-inf\\n' > $work/hl-inf.csv && printf '1\\n2\\n' > $work/hl-short.csv && { for i in \$(seq 1 2000); do echo \$i,\$i; done; echo 1,oops; } > $work/hl-late.csv"
expect_error "import: text in a headerless table" "hl-text.csv:2: column 2: 'x' is not a number" "$GEPSIM" import -omics_tables "$work/hl-text.csv" -omics_headerless
produce "a headerless table with CRLF line ends" bash -c "printf '1,2\\r\\n3,4\\r\\n5,6\\r\\n7,x\\r\\n' > $work/hl-crlf.csv"
expect_error "import: text on line 4 of a CRLF headerless table is named on line 4 (each CRLF line counted twice, it said 7)" "hl-crlf.csv:4: column 2: 'x' is not a number" "$GEPSIM" import -omics_tables "$work/hl-crlf.csv" -omics_headerless
expect_error "import: a ragged headerless table" "hl-ragged.csv:2: 1 fields, the first row has 2" "$GEPSIM" import -omics_tables "$work/hl-ragged.csv" -omics_headerless
expect_error "import: an infinite value (every reader refuses them)" "hl-inf.csv:2: column 2: '-inf' is infinite" "$GEPSIM" import -omics_tables "$work/hl-inf.csv" -omics_headerless
expect_error "import: headerless tables of different lengths" "hl-short.csv: 2 rows, tests/data/headerless-a.csv has 3 \(headerless tables align their samples by row\)" "$GEPSIM" import -omics_tables tests/data/headerless-a.csv,"$work/hl-short.csv" -omics_headerless
check "import: a fault in the last rank's byte range ends every rank with its error (2 ranks, no hang, no output)" bash -c "$MPIRUN -n 2 $GEPSIM import -omics_tables $work/hl-late.csv -omics_headerless -o $work/hl-late.h5 > /dev/null 2> $work/hl-late.err; rc=\$?; [ \$rc != 0 ] && [ \$rc != 124 ] && grep -q \"hl-late.csv:2001: column 2: 'oops' is not a number\" $work/hl-late.err && [ ! -e $work/hl-late.h5 ]"
produce "an HDF5 file holding an infinite value" /usr/bin/python3 -c "import h5py, shutil; shutil.copy('$work/hl1.h5', '$work/hl-inf.h5'); f = h5py.File('$work/hl-inf.h5', 'r+'); d = f['/data/view_0/group_0']; a = d[...]; a[2, 1] = float('inf'); d[...] = a; f.close()"
expect_error "import: an infinite value in an HDF5 file is refused, naming view, sample and feature" "hl-inf.h5: view view_0, sample sample3, feature feature2: an infinite value" "$GEPSIM" import -omics_file "$work/hl-inf.h5"
expect_error "import: feature-name files are for headerless tables" "-omics_feature_names names one file per headerless table" "$GEPSIM" import -omics_tables tests/data/fa-gauss.csv -omics_feature_names tests/data/headerless-b.csv
# two groups with their own feature offsets, ARD on the factors per group
produce "synthetic data grp.h5" "$TESTBIN/gen_fa_synthetic" -o "$work/grp.h5" -n 400 -d 300,200,100 -k 4 -decay 0.9 -sparsity 0.3 -groups 2 -seed 1
for n in 1 2 4; do
  produce "factor: two groups, ARD on factors, $n rank(s)" $MPIRUN -n $n "$GEPSIM" factor -omics_file "$work/grp.h5" -fa_factors 6 -fa_ard_factors -fa_progress 0 -o "$work/grp$n.h5"
done
for g in group_0 group_1; do
  check "factor: two groups: true factors of $g recovered (mean best |r| >= 0.9)" "$TESTBIN/check_fa_mofa" -ours "$work/grp1.h5" -truth "$work/grp.h5" -group $g -min_mean_r 0.9
done
for n in 2 4; do
  check "factor: two groups on $n ranks equal 1 rank (rel 1e-6)" h5diff -p 1e-6 "$work/grp1.h5" "$work/grp$n.h5" /expectations/Z/group_1
done
# gaussian, bernoulli and poisson views (10 % missing)
produce "synthetic data lik.h5" "$TESTBIN/gen_fa_synthetic" -o "$work/lik.h5" -n 400 -d 300,200,200 -k 4 -decay 0.9 -sparsity 0.3 -likelihoods gaussian,bernoulli,poisson -missing 0.1 -seed 2
for n in 1 2; do
  produce "factor: gaussian, bernoulli and poisson views, $n rank(s)" $MPIRUN -n $n "$GEPSIM" factor -omics_file "$work/lik.h5" -fa_factors 6 -fa_likelihoods gaussian,bernoulli,poisson -fa_progress 0 -factor_figures 0 -o "$work/lik$n.h5"
done
check "factor: bernoulli and poisson views: true factors recovered (mean best |r| >= 0.9)" "$TESTBIN/check_fa_mofa" -ours "$work/lik1.h5" -truth "$work/lik.h5" -group group_0 -min_mean_r 0.9
check "factor: bernoulli and poisson views on 2 ranks equal 1 rank (rel 1e-6)" h5diff -p 1e-6 "$work/lik1.h5" "$work/lik2.h5" /expectations/Z/group_0
produce "synthetic data const.h5" "$TESTBIN/gen_fa_synthetic" -o "$work/const.h5" -n 50 -d 20,10 -k 2 -constant_view 1
check "factor: -o naming the omics file is refused and the file kept (2 ranks)" bash -c "$(refuses_input $work/syn.h5 "$MPIRUN -n 2 $GEPSIM factor -omics_file $work/in-link.h5 -fa_factors 2 -fa_progress 0")"
expect_error "factor: view with zero variance" "const.h5: view view_1 has zero variance" "$GEPSIM" factor -omics_file "$work/const.h5" -fa_factors 2
produce "synthetic data short.h5" "$TESTBIN/gen_fa_synthetic" -o "$work/short.h5" -n 50 -d 20,10 -k 2 -short_view 1
expect_error "factor: mismatched samples between views" "short.h5: /data/view_1/group_0 has 49 samples but view view_0 has 50" "$GEPSIM" factor -omics_file "$work/short.h5" -fa_factors 2

echo "== graph neural networks (MOGONET class): graphs, layers, model, 1, 2 and 4 ranks"
rosmap=../shared/data/mogonet-rosmap
needs "$rosmap/1_tr.csv"
  # references: /usr/bin/python3 tests/ref/mogonet_sample_graph.py $rosmap/V_tr.csv 2 (numpy)
  ref1="-ref_threshold 4.626007238459e-03 -ref_edges 246 -ref_sum_of_squares 1.882231551152e+02 -ref_trace 1.882921442158e+02"
  ref3="-ref_threshold 2.001867106388e-03 -ref_edges 246 -ref_sum_of_squares 2.133229970425e+02 -ref_trace 2.133364026179e+02"
  # ... $rosmap/1_tr.csv 2 $rosmap/1_te.csv: the prediction-time graph
  ref1te="-ref_threshold 4.626007238459e-03 -ref_edges 262 -ref_sum_of_squares 2.829381317185e+02 -ref_trace 2.830326985564e+02"
  for n in 1 2 4; do
    check "graph: ROSMAP mRNA training-sample graph (k = 2) equals MOGONET's construction, $n rank(s)" $MPIRUN -n $n "$TESTBIN/test_gnn_graph" -data $rosmap/1_tr.csv -k 2 $ref1
    check "graph: ROSMAP miRNA training-sample graph (k = 2) equals MOGONET's construction, $n rank(s)" $MPIRUN -n $n "$TESTBIN/test_gnn_graph" -data $rosmap/3_tr.csv -k 2 $ref3
    check "graph: ROSMAP mRNA prediction-time graph (training to test edges) equals MOGONET's construction, $n rank(s)" $MPIRUN -n $n "$TESTBIN/test_gnn_graph" -data $rosmap/1_tr.csv -new $rosmap/1_te.csv -k 2 $ref1te
    check "layers and loss: dense, graph convolution and graph attention (with a_src, a_dst) backward, weighted cross-entropy vs central differences (rel 1e-6), Adam step, $n rank(s)" $MPIRUN -n $n "$TESTBIN/test_gnn_gradcheck" -data $rosmap/3_tr.csv -rtol 1e-6
    check "layers: a widening graph convolution (200 -> 240, aggregating first: (A X) W, dX = A^T (dpre W^T)) vs central differences (rel 1e-6), $n rank(s)" $MPIRUN -n $n "$TESTBIN/test_gnn_gradcheck" -data $rosmap/3_tr.csv -rtol 1e-6 -fout 240 -weight_stride 97 -gat 0
    check "model: MOGONET view network with dropout (3 layers) and VCDN backward vs central differences (rel 1e-6); its single-precision passes vs double (rel 1e-5); stacks sharing scratch exactly, $n rank(s)" $MPIRUN -n $n "$TESTBIN/test_gnn_model_gradcheck" -data $rosmap/3_tr.csv -rtol 1e-6
    check "model: view network of graph attention layers with dropout backward vs central differences (rel 1e-6), $n rank(s)" $MPIRUN -n $n "$TESTBIN/test_gnn_model_gradcheck" -data $rosmap/3_tr.csv -rtol 1e-6 -gat
  done
  trrust=../shared/data/knowledge-graphs/trrust_rawdata.human.tsv
  needs "$trrust"
    # features: the first 300 targets and 100 regulators of TRRUST (sorted) and two names it lacks;
    # reference: /usr/bin/python3 tests/ref/edge_graph.py NAMES $trrust [signed] (numpy)
    produce "gene names for the knowledge-graph tests" bash -c "{ LC_ALL=C cut -f2 $trrust | LC_ALL=C sort -u | head -300; printf 'NOT_A_GENE1\nNOT_A_GENE2\n'; LC_ALL=C cut -f1 $trrust | LC_ALL=C sort -u | head -100; } | LC_ALL=C sort -u > $work/kgnames.txt"
    kgref="-ref_edges 9396 -ref_mapped 149 -ref_unknown 9246 -ref_self 1 -ref_nonzeros 644"
    for n in 1 2 4; do
      check "knowledge graph: TRRUST onto 372 gene names (149 edges mapped, 9246 naming other genes counted) equals numpy, $n rank(s)" $MPIRUN -n $n "$TESTBIN/test_gnn_edges" -names "$work/kgnames.txt" -edges $trrust $kgref -ref_sum 3.618968789114e+02 -ref_sumsq 2.912454642090e+02 -ref_trace 3.011175366300e+02
      check "knowledge graph: signed (Repression -1), $n rank(s)" $MPIRUN -n $n "$TESTBIN/test_gnn_edges" -names "$work/kgnames.txt" -edges $trrust -sign $kgref -ref_sum 3.389293773886e+02 -ref_sumsq 2.923290851364e+02 -ref_trace 3.018609126984e+02
    done
    # the same names in reverse order (unsorted), their TRRUST neighbours added as nodes: edge_graph.py ... unsigned neighbours
    produce "gene names, reversed" bash -c "LC_ALL=C sort -r $work/kgnames.txt > $work/kgnames_rev.txt"
    for n in 1 2 4; do
      check "knowledge graph: TRRUST neighbours added as nodes (372 + 805 nodes, 5482 edges mapped) equals numpy, unsorted names, $n rank(s)" $MPIRUN -n $n "$TESTBIN/test_gnn_edges" -names "$work/kgnames_rev.txt" -edges $trrust -add -ref_edges 9396 -ref_mapped 5482 -ref_unknown 3890 -ref_self 24 -ref_nonzeros 10519 -ref_nodes 1177 -ref_sum 9.188627497188e+02 -ref_sumsq 1.820672741957e+02 -ref_trace 3.024702342033e+02
      check "feature-graph network: graph convolutions over TRRUST, node and mean readouts, chunked and whole (a second backward pass after one forward pass the same), backward vs central differences (rel 1e-6), $n rank(s)" $MPIRUN -n $n "$TESTBIN/test_gnn_feature_gradcheck" -names "$work/kgnames_rev.txt" -edges $trrust -rtol 1e-6
      # h = 3e-7: over 38,000 attention logits (5,482 edges x 7 signals) a step of 1e-6 moves some across their LeakyReLU's kink
      check "feature-graph network: graph attention over TRRUST (one attention per sample), both readouts, chunked and whole, backward vs central differences (rel 1e-6), $n rank(s)" $MPIRUN -n $n "$TESTBIN/test_gnn_feature_gradcheck" -names "$work/kgnames_rev.txt" -edges $trrust -rtol 1e-6 -gat -h 3e-7
      check "feature-graph network distributed by samples (the graph copied to every rank, gradients summed over ranks): convolutions and attention, both readouts, chunked and whole, backward vs central differences (rel 1e-6), $n rank(s)" bash -c "$MPIRUN -n $n $TESTBIN/test_gnn_feature_gradcheck -names $work/kgnames_rev.txt -edges $trrust -rtol 1e-6 -distribute samples && $MPIRUN -n $n $TESTBIN/test_gnn_feature_gradcheck -names $work/kgnames_rev.txt -edges $trrust -rtol 1e-6 -gat -h 3e-7 -distribute samples"
    done
    # 7 signals over 8 ranks: the last holds none (its chunk size is then 0)
    check "feature-graph network distributed by samples with a rank holding no samples: backward vs central differences (rel 1e-6), 8 ranks" $MPIRUN -n 8 "$TESTBIN/test_gnn_feature_gradcheck" -names "$work/kgnames_rev.txt" -edges $trrust -rtol 1e-6 -distribute samples
    produce "an edge list with a NaN weight on line 3" bash -c "{ head -2 $trrust; printf 'AATF\\tBAX\\tnan\\t1\\n'; } > $work/nanedge.tsv"
    check "knowledge graph: a non-finite edge weight is refused, naming the file and line (it reached the training as NaN)" bash -c "! $TESTBIN/test_gnn_edges -names $work/kgnames.txt -edges $work/nanedge.tsv > /dev/null 2> $work/nanedge.err && grep -q \"nanedge.tsv, line 3: weight 'nan' is not a finite number\" $work/nanedge.err"
    check "knowledge graph: -strict makes an edge naming an unknown feature an error naming the file, line and name" bash -c "! $TESTBIN/test_gnn_edges -names $work/kgnames.txt -edges $trrust -strict > /dev/null 2> $work/kg.err && grep -q \"trrust_rawdata.human.tsv, line 2: 'CDKN1A' is not a node of the graph (strict\" $work/kg.err"
  needs_end
  echo "== gepsim train: ROSMAP, linear baseline and MOGONET, 1, 2 and 4 ranks"
  # reference: /usr/bin/python3 tests/ref/logistic_baseline.py $rosmap 0.01 10 (scikit-learn; its lbfgs
  # stops at a relative objective change of 64 eps, hence probabilities compared to 1e-4)
  refp1=0.759477763176,0.624668877459,0.231960550649,0.316493939159,0.293741284061,0.869360842026,0.684897768238,0.122668659518,0.417904456879,0.575340498956
  for n in 1 2 4; do
    check "train: linear baseline (L2 logistic regression, C = 0.01) equals scikit-learn on ROSMAP, $n rank(s)" bash -c "$MPIRUN -n $n $GEPSIM train inputs/rosmap.yaml -gnn_model linear -gnn_sample_weight none -o $work/lin$n.h5 > /dev/null && $TESTBIN/check_gnn_scores -labels $rosmap/labels_te.csv -ours $work/lin$n.h5 -ref_acc 0.811320754717 -ref_f1 0.818181818182 -ref_f1_weighted 0.811320754717 -ref_f1_macro 0.811051693405 -ref_auc 0.900891265597 -tol 1e-9 -ref_p1 $refp1 -ptol 1e-4"
    check "train: MOGONET, 60 + 40 epochs, top features listed by name, $n rank(s)" bash -c "$MPIRUN -n $n $GEPSIM train inputs/rosmap.yaml -gnn_pretrain_epochs 60 -gnn_epochs 40 -gnn_monitor_interval 20 -o $work/mog$n.h5 | grep -q 'top features of miRNA (gradient x input): hsa-'"
  done
  # a trained model against the baseline trained above on the same split: seed 1, 500 + 500 epochs, double and
  # float32 (the full schedules over five seeds against the published figures: make validate)
  for p in double single; do
    check "train: MOGONET in $p precision (seed 1, 500 + 500 epochs, 2 ranks) within 0.08 of the linear baseline on the same split (ACC, F1, AUC)" bash -c "$MPIRUN -n 2 $GEPSIM train inputs/rosmap.yaml -gnn_precision $p -gnn_seed 1 -gnn_epochs 500 -gnn_monitor_interval 0 -train_figures 0 -o $work/trained-$p.h5 > /dev/null && $TESTBIN/check_gnn_scores -labels $rosmap/labels_te.csv -ours $work/trained-$p.h5 -baseline $work/lin2.h5 -max_gap 0.08"
  done
  for n in 2 4; do
    check "train: MOGONET test probabilities on $n ranks equal 1 rank (abs 1e-8)" h5diff -d 1e-8 "$work/mog1.h5" "$work/mog$n.h5" /predictions/test/probability
    check "train: MOGONET gradient x input importance of every view on $n ranks equals 1 rank (rel 1e-6)" bash -c "for v in mRNA methylation miRNA; do h5diff -p 1e-6 $work/mog1.h5 $work/mog$n.h5 /importance/\$v/gradient_input || exit 1; done"
    # Tao stops at a gradient norm of 1e-7; the ranks' summation order moves the iterates below that
    check "train: linear baseline probabilities on $n ranks equal 1 rank (abs 1e-6)" h5diff -d 1e-6 "$work/lin1.h5" "$work/lin$n.h5" /predictions/test/probability
  done
  # the same split as one GepOmics HDF5 file: views from a long table through gepsim import, groups train and test
  produce "ROSMAP as one GepOmics HDF5 file" bash -c "tests/mogonet_to_long.sh $rosmap mRNA,methylation,miRNA > $work/rosmap-long.csv && $GEPSIM import -omics_long $work/rosmap-long.csv -o $work/rosmap-omics.h5 > /dev/null && grep -v '^  \(train\|test\|feature_names\|view_names\):' inputs/rosmap.yaml > $work/rosmap-omics.yaml"
  for n in 1 2 4; do
    check "train: MOGONET from one GepOmics HDF5 file (groups train and test, read by rows) equals the tables' model, 60 + 40 epochs, $n rank(s) (abs 1e-10)" bash -c "$MPIRUN -n $n $GEPSIM train $work/rosmap-omics.yaml -gnn_omics $work/rosmap-omics.h5 -gnn_pretrain_epochs 60 -gnn_epochs 40 -gnn_monitor_interval 0 -train_figures 0 -o $work/mogh5-$n.h5 > /dev/null && h5diff -d 1e-10 $work/mog1.h5 $work/mogh5-$n.h5 /predictions/test/probability"
  done
  check "predict: the tables' model on the GepOmics HDF5 file's test group gives the model's own probabilities (abs 1e-10), 2 ranks" bash -c "$MPIRUN -n 2 $GEPSIM predict $work/rosmap-omics.yaml -gnn_omics $work/rosmap-omics.h5 -predict_model $work/mog1.h5 -o $work/mogh5-p.h5 > /dev/null && h5diff -d 1e-10 $work/mog1.h5 $work/mogh5-p.h5 /predictions/test/probability"
  expect_error "train: a -gnn_omics group that is not in the file" "rosmap-omics.h5: no group held \(-gnn_test_group\)" "$GEPSIM" train "$work/rosmap-omics.yaml" -gnn_omics "$work/rosmap-omics.h5" -gnn_test_group held
  expect_error "train: -gnn_omics given beside the tables" "-gnn_omics holds the views, their names and features" "$GEPSIM" train inputs/rosmap.yaml -gnn_omics "$work/rosmap-omics.h5"
  for n in 1 2; do
    # hsa-miR-132, the miRNA most consistently down in Alzheimer's brains, leads gradient x input in every seed of the full schedule
    check "train: MOGONET importance (100 + 100 epochs): hsa-miR-132 first among miRNAs by gradient x input, in the top 5 by ablation, $n rank(s)" bash -c "$MPIRUN -n $n $GEPSIM train inputs/rosmap.yaml -gnn_pretrain_epochs 100 -gnn_epochs 100 -gnn_monitor_interval 0 -gnn_importance both -gnn_importance_top 5 -train_figures 0 -o $work/abl$n.h5 > $work/abl$n.txt && grep -q 'top features of miRNA (gradient x input): hsa-miR-132 ' $work/abl$n.txt && grep 'top features of miRNA (ablation):' $work/abl$n.txt | grep -q 'hsa-miR-132 '"
  done
  check "train: ablation importance on 2 ranks equals 1 rank (abs 1e-9)" bash -c "for v in mRNA methylation miRNA; do h5diff -d 1e-9 $work/abl1.h5 $work/abl2.h5 /importance/\$v/ablation || exit 1; done"
  # early stopping: 0.2 of each class held out (round(0.2 x 118) + round(0.2 x 127) = 49 samples); the kept
  # weights must give the best validation loss again; stops within patience of the best epoch
  for n in 1 2; do
    produce "train: early stopping, $n rank(s)" bash -c "$MPIRUN -n $n $GEPSIM train inputs/rosmap.yaml -gnn_pretrain_epochs 100 -gnn_epochs 600 -gnn_validation_fraction 0.2 -gnn_validation_interval 10 -gnn_patience 100 -gnn_monitor_interval 0 -train_figures 0 -o $work/es$n.h5 > $work/es$n.txt 2>&1"
    check "train: early stopping keeps the best weights (validation loss recomputed equal, 49 validation samples), $n rank(s)" bash -c "grep 'early stopping: epochs run' $work/es$n.txt | awk '{ e = \$5 + 0; b = \$8 + 0; if (\$14 \";\" != \$19 || \$16 != 49 || (\$20 == \"stopped\" && e - b < 100)) exit 1; found = 1 } END { exit !found }'"
  done
  check "train: early stopping on 2 ranks equals 1 rank (abs 1e-8)" h5diff -d 1e-8 "$work/es1.h5" "$work/es2.h5" /predictions/test/probability
  for n in 1 2 4; do
    check "predict: the 1-rank model (its weights from the file) on $n rank(s) gives the trained model's test probabilities (abs 1e-12)" bash -c "$MPIRUN -n $n $GEPSIM predict inputs/rosmap.yaml -predict_model $work/mog1.h5 -o $work/pred$n.h5 > /dev/null && h5diff -d 1e-12 $work/mog1.h5 $work/pred$n.h5 /predictions/test/probability"
  done
  check "predict: the linear baseline from its file gives the same probabilities (abs 1e-12)" bash -c "$GEPSIM predict inputs/rosmap.yaml -gnn_model linear -gnn_sample_weight none -predict_model $work/lin1.h5 -o $work/predlin.h5 > /dev/null && h5diff -d 1e-12 $work/lin1.h5 $work/predlin.h5 /predictions/test/probability"
  check "train: concatenation fusion (60 + 40 epochs) on 2 ranks equals 1 rank (abs 1e-8)" bash -c "for n in 1 2; do $MPIRUN -n \$n $GEPSIM train inputs/rosmap.yaml -gnn_fusion concat -gnn_pretrain_epochs 60 -gnn_epochs 40 -gnn_monitor_interval 0 -train_figures 0 -o $work/cat\$n.h5 > /dev/null || exit 1; done; h5diff -d 1e-8 $work/cat1.h5 $work/cat2.h5 /predictions/test/probability"
  check "train: MOGONET with the graph products on 1 rank in 3 column blocks (A and, the graphs not symmetric, A^T) equals whole (abs 1e-10)" bash -c "$GEPSIM train inputs/rosmap.yaml -gnn_pretrain_epochs 60 -gnn_epochs 40 -gnn_monitor_interval 20 -gnn_graph_column_blocks 3 -train_figures 0 -o $work/mogb.h5 > /dev/null && h5diff -d 1e-10 $work/mog1.h5 $work/mogb.h5 /predictions/test/probability"
  check "train: output layout (probabilities 106 x 2, labels, metrics, curves, weights) and CSV, SVG beside it" bash -c "h5dump -H -d /predictions/test/label $work/mog2.h5 | grep -q '( 106 )' && h5dump -H -d /predictions/test/probability $work/mog2.h5 | grep -q '( 106, 2 )' && h5dump -H -d /model/mRNA/W1 $work/mog2.h5 | grep -q '( 200, 200 )' && h5dump -H -d /training/monitor $work/mog2.h5 | grep -q '( 5, 7 )' && [ \$(wc -l < $work/mog2-predictions.csv) = 107 ] && grep -q '<polyline' $work/mog2-loss.svg && grep -q '<polyline' $work/mog2-test-metrics.svg"
  # graph attention layers (-gnn_layer_type gat): the same on 1, 2 and 4 ranks; the prediction recomputed by
  # tests/ref/gnn_forward.py (numpy, GATConv's definition; it also recomputes the GCN model's)
  for n in 1 2 4; do
    produce "train gat: ROSMAP with graph attention layers (60 + 40 epochs), $n rank(s)" $MPIRUN -n $n "$GEPSIM" train inputs/rosmap.yaml -gnn_layer_type gat -gnn_pretrain_epochs 60 -gnn_epochs 40 -gnn_monitor_interval 0 -train_figures 0 -o "$work/gat$n.h5"
  done
  for n in 2 4; do
    check "train gat: test probabilities on $n ranks equal 1 rank (abs 1e-8)" h5diff -d 1e-8 "$work/gat1.h5" "$work/gat$n.h5" /predictions/test/probability
  done
  check "train gat: the test probabilities equal numpy's forward pass of the stored weights (GATConv, heads 1; abs 1e-10)" /usr/bin/python3 tests/ref/gnn_forward.py "$work/gat2.h5" $rosmap mRNA,methylation,miRNA 2 0.25 1e-10
  check "train gat: ablation importance (each feature's graph rebuilt; it crashed: the layers read the graph freed before them) on 2 ranks equals 1 rank (abs 1e-9)" bash -c "for n in 1 2; do $MPIRUN -n \$n $GEPSIM train inputs/rosmap.yaml -gnn_layer_type gat -gnn_hidden 20,20,10 -gnn_pretrain_epochs 20 -gnn_epochs 20 -gnn_monitor_interval 0 -gnn_importance ablation -train_figures 0 -o $work/gatabl\$n.h5 > /dev/null || exit 1; done; for v in mRNA methylation miRNA; do h5diff -d 1e-9 $work/gatabl1.h5 $work/gatabl2.h5 /importance/\$v/ablation || exit 1; done"
  check "layers: a layer type registered from outside the package (one file, one registration call), a plain graph convolution, is selected by -gnn_layer_type and gives the built-in gcn's MOGONET (abs 1e-8), 2 ranks" $MPIRUN -n 2 "$TESTBIN/test_gnn_layer_register" -gnn_train $rosmap/1_tr.csv,$rosmap/2_tr.csv,$rosmap/3_tr.csv -gnn_test $rosmap/1_te.csv,$rosmap/2_te.csv,$rosmap/3_te.csv -gnn_train_labels $rosmap/labels_tr.csv -gnn_test_labels $rosmap/labels_te.csv -gnn_hidden 20,20,10 -gnn_pretrain_epochs 30 -gnn_epochs 30 -gnn_monitor_interval 0
  check "train: MOGONET's test probabilities equal numpy's forward pass of the stored weights (GCN; abs 1e-10)" /usr/bin/python3 tests/ref/gnn_forward.py "$work/mog2.h5" $rosmap mRNA,methylation,miRNA 2 0.25 1e-10
  check "train gat: gradient x input importance of each view's top feature equals central differences through graph attention layers (rel 1e-5), hidden 20-20-10, 60 + 60 epochs" "$TESTBIN/test_gnn_importance_fd" -deck inputs/rosmap.yaml -gnn_layer_type gat -gnn_hidden 20,20,10 -gnn_pretrain_epochs 60 -gnn_epochs 60 -gnn_monitor_interval 0 -rtol 1e-5
  check "predict gat: the model from its file on 2 ranks gives its test probabilities (abs 1e-12)" bash -c "$MPIRUN -n 2 $GEPSIM predict inputs/rosmap.yaml -gnn_layer_type gat -predict_model $work/gat1.h5 -o $work/gatp.h5 > /dev/null && h5diff -d 1e-12 $work/gat1.h5 $work/gatp.h5 /predictions/test/probability"
  expect_error "predict gat: a graph attention model read by a deck of graph convolutions" "gat1.h5: /model/mRNA layer 1 is of type gat, the deck's is gcn \(-gnn_layer_type\)" "$GEPSIM" predict inputs/rosmap.yaml -predict_model "$work/gat1.h5"
  check "train: MOGONET gradient x input importance of each view's top feature equals central differences over all 351 graph nodes (rel 1e-5), hidden 20-20-10, 60 + 60 epochs" "$TESTBIN/test_gnn_importance_fd" -deck inputs/rosmap.yaml -gnn_hidden 20,20,10 -gnn_pretrain_epochs 60 -gnn_epochs 60 -gnn_monitor_interval 0 -rtol 1e-5
  echo "== gepsim train: knowledge-graph model (-gnn_model feature), ROSMAP + TRRUST, 1, 2 and 4 ranks"
  needs "$trrust"
    for n in 1 2 4; do
      check "train feature: TRRUST onto the mRNA view by gene symbol (9396 edges read, 133 neighbours added), 30 + 30 epochs, $n rank(s)" bash -c "$MPIRUN -n $n $GEPSIM train inputs/rosmap-trrust.yaml -gnn_pretrain_epochs 30 -gnn_epochs 30 -gnn_monitor_interval 0 -train_figures 0 -o $work/kg$n.h5 > $work/kg$n.out && grep -q '9396 edges read, 825 between its nodes, 8557 naming other genes .*; 133 neighbours added as nodes without data' $work/kg$n.out && grep -q 'top features of mRNA (gradient x input): ' $work/kg$n.out"
    done
    for n in 2 4; do
      check "train feature: test probabilities and gradient x input on $n ranks equal 1 rank (abs 1e-10, rel 1e-8)" bash -c "h5diff -d 1e-10 $work/kg1.h5 $work/kg$n.h5 /predictions/test/probability && h5diff -p 1e-8 $work/kg1.h5 $work/kg$n.h5 /importance/mRNA/gradient_input"
    done
    check "train feature: the graph products in 3 column blocks (-gnn_graph_column_blocks) give the same model and gradient x input as whole (abs 1e-10, rel 1e-8), 2 ranks" bash -c "$MPIRUN -n 2 $GEPSIM train inputs/rosmap-trrust.yaml -gnn_pretrain_epochs 30 -gnn_epochs 30 -gnn_monitor_interval 0 -gnn_graph_column_blocks 3 -train_figures 0 -o $work/kgb.h5 > /dev/null && h5diff -d 1e-10 $work/kg1.h5 $work/kgb.h5 /predictions/test/probability && h5diff -p 1e-8 $work/kg1.h5 $work/kgb.h5 /importance/mRNA/gradient_input"
    check "train feature: samples in chunks of 50 (the last padded) give the same model as one pass (abs 1e-10), 2 ranks" bash -c "$MPIRUN -n 2 $GEPSIM train inputs/rosmap-trrust.yaml -gnn_pretrain_epochs 30 -gnn_epochs 30 -gnn_monitor_interval 0 -gnn_feature_chunk 50 -train_figures 0 -o $work/kgc.h5 > /dev/null && h5diff -d 1e-10 $work/kg1.h5 $work/kgc.h5 /predictions/test/probability"
    for n in 2 4; do
      check "train feature: distributed by nodes (halo exchanges in the graph products) equals by samples on 1 rank (abs 1e-10), $n ranks" bash -c "$MPIRUN -n $n $GEPSIM train inputs/rosmap-trrust.yaml -gnn_feature_distribute nodes -gnn_pretrain_epochs 30 -gnn_epochs 30 -gnn_monitor_interval 0 -train_figures 0 -o $work/kgn$n.h5 > $work/kgn$n.out && grep -q 'distributed by nodes' $work/kgn$n.out && h5diff -d 1e-10 $work/kg1.h5 $work/kgn$n.h5 /predictions/test/probability && h5diff -p 1e-8 $work/kg1.h5 $work/kgn$n.h5 /importance/mRNA/gradient_input"
    done
    check "train feature: by nodes, the graph products' symbolic phase is done once (as many MatMatMultSym calls in 5 + 5 epochs as in 15 + 15), 2 ranks" bash -c "set -o pipefail; for e in 5 15; do $MPIRUN -n 2 $GEPSIM train inputs/rosmap-trrust.yaml -gnn_feature_distribute nodes -gnn_pretrain_epochs \$e -gnn_epochs \$e -gnn_monitor_interval 0 -gnn_importance none -train_figures 0 -o $work/kgs.h5 -log_view | awk '/^MatMatMultSym / {print \$2}' > $work/kgs\$e.txt || exit 1; done; test -s $work/kgs5.txt && cmp -s $work/kgs5.txt $work/kgs15.txt"
    check "train feature: mean readout, 2 ranks equal 1 rank (abs 1e-10)" bash -c "for n in 1 2; do $MPIRUN -n \$n $GEPSIM train inputs/rosmap-trrust.yaml -gnn_feature_readout mean -gnn_pretrain_epochs 30 -gnn_epochs 30 -gnn_monitor_interval 0 -train_figures 0 -o $work/kgm\$n.h5 > /dev/null || exit 1; done; h5diff -d 1e-10 $work/kgm1.h5 $work/kgm2.h5 /predictions/test/probability"
    for n in 1 4; do
      check "predict feature: the 2-rank model from its file on $n rank(s) gives its test probabilities (abs 1e-12)" bash -c "$MPIRUN -n $n $GEPSIM predict inputs/rosmap-trrust.yaml -predict_model $work/kg2.h5 -o $work/kgp$n.h5 > /dev/null && h5diff -d 1e-12 $work/kg2.h5 $work/kgp$n.h5 /predictions/test/probability"
    done
    check "train feature gat: graph attention over TRRUST (30 + 30 epochs), 2 ranks equal 1 rank (abs 1e-10)" bash -c "for n in 1 2; do $MPIRUN -n \$n $GEPSIM train inputs/rosmap-trrust.yaml -gnn_layer_type gat -gnn_pretrain_epochs 30 -gnn_epochs 30 -gnn_monitor_interval 0 -train_figures 0 -o $work/kgg\$n.h5 > /dev/null || exit 1; done; h5diff -d 1e-10 $work/kgg1.h5 $work/kgg2.h5 /predictions/test/probability && h5dump -H -d /model/mRNA/attention2 $work/kgg2.h5 | grep -q '( 2, 8 )'"
    check "train feature: output layout (nodes, readout weights 333 x 16, convolutions)" bash -c "h5dump -H -d /model/mRNA/readout_weights $work/kg2.h5 | grep -q '( 333, 16 )' && h5dump -H -d /model/mRNA/nodes $work/kg2.h5 | grep -q '( 333 )' && h5dump -H -d /model/mRNA/W2 $work/kg2.h5 | grep -q '( 8, 8 )'"
    # the deck as shipped (200 + 300 epochs), seed 1 on 2 ranks: it learns (seeds 1-5 in docs/benchmarks.md: AUC 0.885)
    check "train feature: the ROSMAP + TRRUST deck, seed 1 (200 + 300 epochs, 2 ranks): test ACC, F1 and AUC within 0.1 of the linear baseline's on the same split" bash -c "$MPIRUN -n 2 $GEPSIM train inputs/rosmap-trrust.yaml -gnn_monitor_interval 0 -train_figures 0 -o $work/kgfull.h5 > /dev/null && $TESTBIN/check_gnn_scores -labels $rosmap/labels_te.csv -ours $work/kgfull.h5 -baseline $work/lin1.h5 -max_gap 0.1"
    check "train feature: gradient x input importance of each view's top feature equals central differences through the whole model (rel 1e-5), 60 + 60 epochs, 2 ranks" $MPIRUN -n 2 "$TESTBIN/test_gnn_importance_fd" -deck inputs/rosmap-trrust.yaml -gnn_pretrain_epochs 60 -gnn_epochs 60 -gnn_monitor_interval 0 -rtol 1e-5
    check "predict feature: ablation importance of the seed-1 model (each feature's signal zeroed) on 2 ranks equals 1 rank (abs 1e-10), the model's own probabilities kept" bash -c "for n in 1 2; do $MPIRUN -n \$n $GEPSIM predict inputs/rosmap-trrust.yaml -predict_model $work/kgfull.h5 -gnn_importance ablation -o $work/kgab\$n.h5 > $work/kgab\$n.out || exit 1; done; grep -q 'top features of mRNA (ablation): ' $work/kgab1.out && h5diff -d 1e-10 $work/kgab1.h5 $work/kgab2.h5 /importance/mRNA/ablation && h5diff -d 1e-12 $work/kgfull.h5 $work/kgab2.h5 /predictions/test/probability"
    expect_error "train feature: -gnn_graph_strict makes an edge naming an unknown gene an error" "trrust_rawdata.human.tsv, line 1: 'AATF' is not a node of the graph \(strict" "$GEPSIM" train inputs/rosmap-trrust.yaml -gnn_graph_strict
    expect_error "train feature: an edge list whose names are not the features'" "none of its 9396 edges joins two features of view mRNA" "$GEPSIM" train inputs/rosmap-trrust.yaml -gnn_feature_names $rosmap/1_featname.csv,$rosmap/2_featname.csv,$rosmap/3_featname.csv
    expect_error "train feature: one edge list for three views" "-gnn_graph names 1 edge list\(s\) for 3 view\(s\)" "$GEPSIM" train inputs/rosmap-trrust.yaml -gnn_graph $trrust
    expect_error "train feature: a knowledge graph given to MOGONET's model" "-gnn_graph gives knowledge graphs to -gnn_model feature, not to -gnn_model mogonet" "$GEPSIM" train inputs/rosmap-trrust.yaml -gnn_model mogonet
    expect_error "predict feature: a model whose knowledge graph has other nodes" "/model/mRNA/nodes lists 333 nodes, the deck's knowledge graph has 200" "$GEPSIM" predict inputs/rosmap-trrust.yaml -predict_model "$work/kg2.h5" -gnn_graph_neighbours 0
  needs_end
  echo "== gepsim train: single precision (-gnn_precision single: float32 passes, as PyTorch trains), 1, 2 and 4 ranks"
  # the passes' gradients against double's: test_gnn_model_gradcheck part 4 (above). The same weights evaluated in
  # float32: the double model mog1.h5 predicted in single precision gives its probabilities to float32 rounding
  for n in 1 2 4; do
    check "predict single: the double-trained model evaluated in float32 gives its test probabilities (abs 1e-6; float32 shows: not to 1e-15), $n rank(s)" bash -c "$MPIRUN -n $n $GEPSIM predict inputs/rosmap.yaml -gnn_precision single -predict_model $work/mog1.h5 -o $work/sp$n.h5 > /dev/null && h5diff -d 1e-6 $work/mog1.h5 $work/sp$n.h5 /predictions/test/probability && ! h5diff -d 1e-15 $work/mog1.h5 $work/sp$n.h5 /predictions/test/probability > /dev/null"
    produce "train single: 60 + 40 epochs, $n rank(s)" $MPIRUN -n $n "$GEPSIM" train inputs/rosmap.yaml -gnn_precision single -gnn_pretrain_epochs 60 -gnn_epochs 40 -gnn_monitor_interval 0 -train_figures 0 -o "$work/sgl$n.h5"
  done
  # training: the ranks' float32 partial sums differ in the last bit, which Adam (normalised steps) carries into the
  # weights: after 100 epochs the probabilities agree to about 6e-4
  for n in 2 4; do
    check "train single: test probabilities (60 + 40 epochs) on $n ranks equal 1 rank (abs 3e-3)" h5diff -d 3e-3 "$work/sgl1.h5" "$work/sgl$n.h5" /predictions/test/probability
  done
  check "train single: the output records the precision" bash -c "h5dump -a /training/precision $work/sgl2.h5 | grep -q single && h5dump -a /training/precision $work/mog2.h5 | grep -q double"
  expect_error "train: a layer type that is not registered" "-gnn_layer_type gcm: no such layer type" "$GEPSIM" train inputs/rosmap.yaml -gnn_layer_type gcm
  expect_error "train: dense layers asked for as graph layers" "-gnn_layer_type dense: dense layers are not graph layers" "$GEPSIM" train inputs/rosmap.yaml -gnn_layer_type dense
  expect_error "train single: graph attention layers asked for single precision" "-gnn_precision single is implemented for -gnn_model mogonet with layers that have single-precision passes \(gcn\), not for -gnn_model mogonet with gat layers" "$GEPSIM" train inputs/rosmap.yaml -gnn_precision single -gnn_layer_type gat
  expect_error "train single: a typo in the precision" "Unknown option half for -gnn_precision" "$GEPSIM" train inputs/rosmap.yaml -gnn_precision half
  echo "== gepsim train: regression (-gnn_loss mse), CLL ibrutinib response, 1, 2 and 4 ranks"
  cll=../shared/data/cll-partial
  needs "$cll/cll_drugs.csv"
    produce "train regression: the CLL tables prepared (scripts/cll_drug_regression.py)" /usr/bin/python3 scripts/cll_drug_regression.py $cll "$work/cll"
    cllopt="-gnn_train $work/cll/1_tr.csv,$work/cll/2_tr.csv -gnn_test $work/cll/1_te.csv,$work/cll/2_te.csv -gnn_feature_names $work/cll/1_featname.csv,$work/cll/2_featname.csv -gnn_train_labels $work/cll/labels_tr.csv -gnn_test_labels $work/cll/labels_te.csv -gnn_monitor_interval 0 -train_figures 0"
    # reference: /usr/bin/python3 tests/ref/ridge_baseline.py $work/cll 2 1.0 5 (scikit-learn's Ridge)
    for n in 1 2 4; do
      check "train regression: linear model = ridge regression (alpha 1, one Cholesky solve) equals scikit-learn's Ridge (RMSE, MAE, R2, r to 1e-9, predictions to 1e-9), $n rank(s)" bash -c "$MPIRUN -n $n $GEPSIM train inputs/cll-ibrutinib.yaml -gnn_model linear $cllopt -o $work/ridge$n.h5 > /dev/null && $TESTBIN/check_gnn_scores -labels $work/cll/labels_te.csv -ours $work/ridge$n.h5 -ref_rmse 0.049344661044 -ref_mae 0.037969967616 -ref_r2 0.850795611975 -ref_r 0.923305178452 -ref_values 0.455950808590,0.835001701077,0.518374386918,0.653910758777,0.848230926958 -tol 1e-9 -ptol 1e-9"
      produce "train regression: MOGONET model, $n rank(s)" $MPIRUN -n $n "$GEPSIM" train inputs/cll-ibrutinib.yaml $cllopt -gnn_importance both -o "$work/reg$n.h5"
    done
    check "train regression: MOGONET model on the deck inputs/cll-ibrutinib.yaml (300 + 1,000 epochs, 1 rank): test R2 within 0.15 of the ridge baseline's on the same split" "$TESTBIN/check_gnn_scores" -labels "$work/cll/labels_te.csv" -ours "$work/reg1.h5" -baseline "$work/ridge1.h5" -max_gap 0.15
    for n in 2 4; do
      check "train regression: predictions and ablation importance on $n ranks equal 1 rank (abs 1e-8)" bash -c "h5diff -d 1e-8 $work/reg1.h5 $work/reg$n.h5 /predictions/test/value && h5diff -d 1e-8 $work/reg1.h5 $work/reg$n.h5 /importance/drugs/ablation"
    done
    check "train regression: the predictions equal numpy's forward pass of the stored weights (GCN, outputs averaged then weighted, z-scores back to the targets' units; abs 1e-10)" /usr/bin/python3 tests/ref/gnn_forward.py "$work/reg2.h5" "$work/cll" mutations,drugs 2 0.25 1e-10
    check "train regression: output layout (value, target, metrics, loss function, CSV)" bash -c "h5dump -H -d /predictions/test/value $work/reg2.h5 | grep -q '( 55 )' && h5dump -a /metrics/r2 $work/reg2.h5 | grep -q '(0)' && h5dump -a /training/loss_function $work/reg2.h5 | grep -q mse && head -1 $work/reg2-predictions.csv | grep -q '^test_sample,target,predicted$' && [ \$(wc -l < $work/reg2-predictions.csv) = 56 ]"
    check "train regression: gradient x input importance of each view's top feature equals central differences through the whole model, outputs fused (rel 1e-5), 60 + 60 epochs, 2 ranks" $MPIRUN -n 2 "$TESTBIN/test_gnn_importance_fd" -deck inputs/cll-ibrutinib.yaml $cllopt -gnn_pretrain_epochs 60 -gnn_epochs 60 -rtol 1e-5
    check "predict regression: the model from its file on 2 ranks gives its predictions (abs 1e-12)" bash -c "$MPIRUN -n 2 $GEPSIM predict inputs/cll-ibrutinib.yaml $cllopt -predict_model $work/reg1.h5 -o $work/regp.h5 > /dev/null && h5diff -d 1e-12 $work/reg1.h5 $work/regp.h5 /predictions/test/value"
    check "train regression: graph attention layers and early stopping (a validation fifth), 2 ranks equal 1 rank (abs 1e-8)" bash -c "for n in 1 2; do $MPIRUN -n \$n $GEPSIM train inputs/cll-ibrutinib.yaml $cllopt -gnn_layer_type gat -gnn_epochs 300 -gnn_validation_fraction 0.2 -gnn_patience 50 -o $work/regg\$n.h5 > /dev/null || exit 1; done; h5diff -d 1e-8 $work/regg1.h5 $work/regg2.h5 /predictions/test/value"
    produce "a target that is not a number" bash -c "sed '4s/.*/0.7x/' $work/cll/labels_tr.csv > $work/cll/labels_tr_bad.csv"
    expect_error "train regression: a target that is not a number" "labels_tr_bad.csv:4: column 1: '0.7x' is not a number" "$GEPSIM" train inputs/cll-ibrutinib.yaml $cllopt -gnn_train_labels "$work/cll/labels_tr_bad.csv"
    expect_error "train regression: VCDN asked to fuse a regression" "-gnn_fusion vcdn fuses class scores; with -gnn_loss mse the views' outputs are fused by concat" "$GEPSIM" train inputs/cll-ibrutinib.yaml $cllopt -gnn_fusion vcdn
  needs_end
  echo "== gepsim train: bad input"
  produce "a test label outside the classes" bash -c "sed '3s/.*/2/' $rosmap/labels_te.csv > $work/labels_te_bad.csv"
  expect_error "train: test label outside the classes" "labels_te_bad.csv:3: class 2 is outside the training classes 0..1" "$GEPSIM" train inputs/rosmap.yaml -gnn_test_labels "$work/labels_te_bad.csv"
  produce "a label that is not a class" bash -c "sed '4s/.*/0.5/' $rosmap/labels_tr.csv > $work/labels_tr_half.csv"
  expect_error "train: a label that is not a class" "labels_tr_half.csv:4: 0.5 is not a class" "$GEPSIM" train inputs/rosmap.yaml -gnn_train_labels "$work/labels_tr_half.csv"
  produce "a view with fewer samples" bash -c "head -n 244 $rosmap/2_tr.csv > $work/2_tr_short.csv"
  expect_error "train: view with fewer samples than labels" "2_tr_short.csv: 244 rows, .*1_tr.csv has 245 \(headerless tables align their samples by row\)" "$GEPSIM" train inputs/rosmap.yaml -gnn_train $rosmap/1_tr.csv,"$work/2_tr_short.csv",$rosmap/3_tr.csv
  produce "a NaN feature" bash -c "awk -F, 'NR == 5 { \$3 = \"nan\" } 1' OFS=, $rosmap/3_te.csv > $work/3_te_nan.csv"
  expect_error "train: NaN feature" "3_te_nan.csv: view miRNA, sample sample5, feature hsa-let-7f \(row 5, column 3\): a missing value, which the graph networks cannot take" "$GEPSIM" train inputs/rosmap.yaml -gnn_test $rosmap/1_te.csv,$rosmap/2_te.csv,"$work/3_te_nan.csv"
  produce "a narrower test view" bash -c "cut -d, -f1-199 $rosmap/1_te.csv > $work/1_te_narrow.csv"
  expect_error "train: test view with other features" "feature names .*1_featname.csv: 200 names for the 199 features of .*1_te_narrow.csv" "$GEPSIM" train inputs/rosmap.yaml -gnn_test "$work/1_te_narrow.csv",$rosmap/2_te.csv,$rosmap/3_te.csv
  expect_error "predict: a model of another architecture" "model .*mog1.h5: /model/mRNA/W1 is 200 x 200, the deck's network needs 100 x 200" "$GEPSIM" predict inputs/rosmap.yaml -predict_model "$work/mog1.h5" -gnn_hidden 100,100,50
  produce "feature names with one given twice" bash -c "sed '5s/.*/ENSG00000161896.6/' $rosmap/1_featname.csv > $work/1_featname_twice.csv"
  expect_error "train: a feature name given twice (both were kept)" "1_featname_twice.csv: feature name 'ENSG00000161896.6' appears twice \(lines 1 and 5\)" "$GEPSIM" train inputs/rosmap.yaml -gnn_feature_names "$work/1_featname_twice.csv,$rosmap/2_featname.csv,$rosmap/3_featname.csv"
  expect_error "predict: no model" "gepsim predict needs -predict_model" "$GEPSIM" predict inputs/rosmap.yaml
  check "predict: -o naming the model file is refused and the model kept" bash -c "$(refuses_input $work/mog1.h5 "$GEPSIM predict inputs/rosmap.yaml -predict_model $work/in-link.h5")"
  produce "a model with a NaN weight" /usr/bin/python3 -c "import h5py, shutil; shutil.copy('$work/mog1.h5', '$work/mognan.h5'); f = h5py.File('$work/mognan.h5', 'r+'); d = f['/model/methylation/W2']; a = d[...]; a[3, 7] = float('nan'); d[...] = a; f.close()"
  TEST_TIMEOUT=120 expect_error "predict: a model file with a NaN weight is refused when read (it hung in the AUC)" "model .*mognan.h5: /model/methylation/W2 has a NaN value at entry 608" "$GEPSIM" predict inputs/rosmap.yaml -predict_model "$work/mognan.h5"
  TEST_TIMEOUT=120 check "predict: a model file with a NaN weight is refused on 2 ranks too, with no output" bash -c "$MPIRUN -n 2 $GEPSIM predict inputs/rosmap.yaml -predict_model $work/mognan.h5 -o $work/mognan-p.h5 > /dev/null 2> $work/mognan.err; [ \$? != 0 ] && grep -q 'W2 has a NaN value at entry 608' $work/mognan.err && [ ! -e $work/mognan-p.h5 ]"
  expect_error "train: typo in an option" "unknown option -gnn_epoch" "$GEPSIM" train inputs/rosmap.yaml -gnn_epoch 3
  expect_error "train: a negative number of column blocks" "-gnn_graph_column_blocks must be non-negative, got -1" "$GEPSIM" train inputs/rosmap.yaml -gnn_graph_column_blocks -1
  expect_error "train: a negative LeakyReLU slope" "-gnn_leaky_slope must be at least 0 .*, got -0.1" "$GEPSIM" train inputs/rosmap.yaml -gnn_leaky_slope -0.1
  check "train: a predictions file that cannot be created ends every rank (2 ranks) with its error and leaves no output" bash -c "mkdir -p $work/csvdir/o-predictions.csv.part && timeout 120 $MPIRUN -n 2 $GEPSIM train inputs/rosmap.yaml -gnn_pretrain_epochs 2 -gnn_epochs 2 -gnn_monitor_interval 0 -o $work/csvdir/o.h5 > /dev/null 2> $work/csvdir/err; rc=\$?; [ \$rc != 0 ] && [ \$rc != 124 ] && [ \$rc != 137 ] && grep -q 'o-predictions.csv.part: cannot create' $work/csvdir/err && [ ! -e $work/csvdir/o.h5 ] && [ ! -e $work/csvdir/o.h5.part ]"
needs_end

echo "== screens (GepScreen, GepPerturbation): closed-form steady states of tests/data/screen/chain.xml, 1, 2 and 4 ranks"
sd=tests/data/screen
scr=$sd/chain.yaml # the model, its genotypes and environments, the readouts ss(A),ss(B),ss(C),ss(A)+2*ss(B),A@20
for n in 1 2 4; do
  check "screen: 5 genotypes (dosages 0/1/2, composed variants) x their single and pair knockouts of 4 reactions x 4 environments (a dose schedule) = 220 conditions in units of 7: steady states vs closed form (rel 1e-8), no steady state found where there is none, A(20) past the doses (rel 1e-6), the CSV equals the HDF5 table, $n rank(s)" bash -c "$MPIRUN -n $n $GEPSIM screen $scr -screen_knockouts R_syn,R_conv,R_degA,R_bind -screen_pairs -screen_chunk_size 7 -o $work/scr$n.h5 -screen_csv $work/scr$n.csv > /dev/null && /usr/bin/python3 tests/ref/screen_closed_form.py $work/scr$n.h5 $sd 220 1e-8 1e-6 $work/scr$n.csv"
done
check "screen summaries: each knockout's ss(A) over its background's and the genetic-interaction score f_ab - f_a f_b of every pair (OUT-knockouts.csv, OUT-gi.csv) vs closed form (rel 1e-8)" /usr/bin/python3 tests/ref/screen_closed_form.py $work/scr2.h5 $sd 220 1e-8 1e-6 $work/scr2.csv $work/scr2-gi.csv $work/scr2-knockouts.csv
check "screen summaries: inputs/screen-dose.yaml (two independent inhibitors, 8 x 8 doses, 3 genotypes): the Hill fits recover IC50 (x4 and x2.5 for the variant by the dosage rule), h and top of the closed form (rel 1e-6), the Bliss excess is 0 and the HSA excess the closed form's (abs 1e-8), figures written, 2 ranks" bash -c "$MPIRUN -n 2 $GEPSIM screen inputs/screen-dose.yaml -screen_csv $work/dose.csv -o $work/dose.h5 > /dev/null && /usr/bin/python3 tests/ref/screen_dose.py $work/dose.h5 && grep -q '<polyline' $work/dose-dose-response.svg && grep -q '<rect' $work/dose-bliss.svg && grep -q '<rect' $work/dose-hsa.svg"
check "screen: inputs/screen-stat5.yaml (9 single knockouts of the STAT5 model x 2 genotypes x 3 Epo environments) runs on 2 ranks: 60 conditions ok; knocking out v1_v_0 (STAT5A homodimer phosphorylation) leaves max(pApA) exactly 0 in every environment, and the environments differ" bash -c "$MPIRUN -n 2 $GEPSIM screen inputs/screen-stat5.yaml -o $work/stat5s.h5 -screen_csv $work/stat5s.csv | grep -q '60 conditions, 60 ok' && [ \$(grep -c ',ko:v1_v_0,.*,ok,0,0,' $work/stat5s.csv) = 3 ] && [ \$(grep ',wt,' $work/stat5s.csv | cut -d, -f6 | sort -u | wc -l) = 3 ] && grep -q '<rect' $work/stat5s-knockouts.svg"
check "screen: the table is the same on 1, 2 and 4 ranks (CSV, 17 digits)" bash -c "cmp $work/scr1.csv $work/scr2.csv && cmp $work/scr1.csv $work/scr4.csv"
check "screen: -screen_ranks_per_condition 2 on 4 ranks (groups of 2 share units of two chunks of 7) gives the same table" bash -c "$MPIRUN -n 4 $GEPSIM screen $scr -screen_knockouts R_syn,R_conv,R_degA,R_bind -screen_pairs -screen_chunk_size 7 -screen_ranks_per_condition 2 -o $work/scrg.h5 -screen_csv $work/scrg.csv > /dev/null && /usr/bin/python3 tests/ref/screen_closed_form.py $work/scrg.h5 $sd 220 1e-8 1e-6 && cmp <(cut -d, -f2- $work/scr1.csv) <(cut -d, -f2- $work/scrg.csv)"
check "screen: sweeps (a list, a log range, a Latin hypercube of 4) set the base values: 288 conditions vs closed form, 2 ranks" bash -c "$MPIRUN -n 2 $GEPSIM screen $scr -screen_sweep ksyn:list:1,2,4,kdegB:log:0.1:1:3,kconv:lhs:0.2:0.8 -screen_lhs_samples 4 -screen_genotypes wt,combo -screen_chunk_size 5 -o $work/sw.h5 -screen_csv $work/sw.csv > /dev/null && /usr/bin/python3 tests/ref/screen_closed_form.py $work/sw.h5 $sd 288 1e-8 1e-6 $work/sw.csv && /usr/bin/python3 tests/ref/screen_lhs.py $work/sw.h5 kconv 0.2 0.8 4"
check "screen: replicates draw the same factors in every condition (-screen_vary ksyn:lognormal:0.3): ss(A) of replicate r over replicate 0 is one number for all conditions (rel 1e-8), and not 1" bash -c "$MPIRUN -n 2 $GEPSIM screen $scr -screen_replicates 3 -screen_vary ksyn:lognormal:0.3 -screen_seed 7 -screen_chunk_size 4 -o $work/rep.h5 > /dev/null && /usr/bin/python3 tests/ref/screen_replicates.py $work/rep.h5 3"

echo "== screens: kill-safety (SIGKILL three times and resume; SIGTERM; a resume with another deck)"
long="$sd/chain.yaml -screen_sweep ksyn:lin:1:2:800,kconv:lin:0.3:0.6:10 -screen_genotypes wt,combo -screen_environments ref,pulse -screen_chunk_size 50 -screen_commit_interval 0.2"
produce "screen: an uninterrupted 32,000-condition screen (the reference of the kill tests), 2 ranks" bash -c "$MPIRUN -n 2 $GEPSIM screen $long -o $work/long.h5 -screen_csv $work/long.csv > /dev/null"
check "screen: SIGKILL (mpirun and its ranks) at a random time, three times, resuming each time: each killed file reads with h5dump and holds no fewer done conditions, the final table equals the uninterrupted one (CSV, HDF5 readouts and status), every condition once" bash tests/screen_kill.sh "$GEPSIM" "$MPIRUN" "$work" "$work/long.csv" "$RANDOM" -- $long
check "screen: SIGTERM to the ranks ends the run within 10 s with exit status 75, NAME.part readable with some conditions done; -screen_resume then finishes it to the uninterrupted table" bash tests/screen_term.sh "$GEPSIM" "$MPIRUN" "$work" "$work/long.csv" -- $long
check "screen: a resume with another deck is refused in one line naming the option (-screen_tfinal 30 now, 20 then), exit 1, the stopped file left as it was" bash -c "cp $work/scr1.h5 $work/refused.h5.part && : > $work/refused.h5.part.journal && ! $GEPSIM screen $scr -screen_tfinal 30 -screen_resume -o $work/refused.h5 2> $work/refused.err > /dev/null && [ \$(wc -l < $work/refused.err) = 1 ] && grep -q -- '-screen_resume: .*refused.h5.part belongs to another screen: -screen_tfinal is 30 now, it was 20' $work/refused.err && cmp $work/scr1.h5 $work/refused.h5.part && [ ! -e $work/refused.h5 ]"
check "screen: a resume after a changed input file is refused, naming the file" bash -c "cp $sd/variants.tsv $work/variants.tsv && $GEPSIM screen $scr -perturb_variants $work/variants.tsv -screen_knockouts R_syn,R_conv,R_degA,R_bind -screen_pairs -screen_chunk_size 7 -o $work/changed.h5 > /dev/null && mv $work/changed.h5 $work/changed.h5.part && : > $work/changed.h5.part.journal && echo '# edited' >> $work/variants.tsv && { $GEPSIM screen $scr -perturb_variants $work/variants.tsv -screen_knockouts R_syn,R_conv,R_degA,R_bind -screen_pairs -screen_chunk_size 7 -screen_resume -o $work/changed.h5 2> $work/changed.err > /dev/null; [ \$? = 1 ]; } && grep -q 'belongs to another screen: input file .*variants.tsv has changed since' $work/changed.err"

echo "== batch jobs under a real Slurm on localhost (scripts/slurm-local.sh; jobs/screen*.slurm, screen-array.sh)"
slurm_dir=$work/slurm
if why=$(bash scripts/slurm-local.sh start "$slurm_dir" 2>&1); then
  export SLURM_CONF=$slurm_dir/slurm.conf
  trap 'bash scripts/slurm-local.sh stop "$slurm_dir"; rm -rf "$work"' EXIT
  check "slurm: jobs/screen.slurm, a 2-task screen submitted with sbatch: the table equals the uninterrupted run's" bash tests/slurm_jobs.sh single "$GEPSIM" "$work" "$work/long.csv" -- $long
  check "slurm: jobs/screen-array.sh, an array of 3 slices (-screen_slice I/3) and gepsim screen-merge after them (afterok): the merged table equals the uninterrupted run's" bash tests/slurm_jobs.sh array "$GEPSIM" "$work" "$work/long.csv" -- $long
  check "slurm: a running jobs/screen.slurm cancelled with scancel --batch --signal=TERM ends with exit code 75 and NAME.part; requeued, it resumes and its table equals the uninterrupted run's" bash tests/slurm_jobs.sh term "$GEPSIM" "$work" "$work/long.csv" -- $long
  bash scripts/slurm-local.sh stop "$slurm_dir"
  trap 'rm -rf "$work"' EXIT
else
  skip "slurm: the jobs/ scripts under sbatch" "the Slurm daemons cannot start on this machine: $(echo "$why" | tail -1)"
fi

echo "== PBS scripts run as PBS runs them (PBS_* environment; no PBS server is packaged for Debian 12); the subjobs run jobs/screen.pbs"
check "pbs: jobs/screen-array.pbs as subjobs 0, 1, 2 of 3, then the merge of its header: the merged table equals the uninterrupted run's" bash tests/pbs_jobs.sh array "$GEPSIM" "$work" "$work/long.csv" -- $long
check "pbs: jobs/screen.pbs sent SIGTERM mid-run exits 75 with NAME.part; run again, it resumes to the uninterrupted table" bash tests/pbs_jobs.sh term "$GEPSIM" "$work" "$work/long.csv" -- $long

echo "== screens: bad input (one line naming file, line and problem; no result file)"
expect_error "screen: an unknown target in a variant map" "variants-unknown.tsv:3: unknown target 'kfoo'" "$GEPSIM" screen $scr -perturb_variants $sd/bad/variants-unknown.tsv
expect_error "screen: dosage 3" "genotypes-dosage3.tsv:3: dosage '3' \(it must be 0, 1 or 2" "$GEPSIM" screen $scr -perturb_genotypes $sd/bad/genotypes-dosage3.tsv
expect_error "screen: an empty genotype table" "genotypes-empty.tsv: no genotypes" "$GEPSIM" screen $scr -perturb_genotypes $sd/bad/genotypes-empty.tsv
expect_error "screen: a negative scale" "variants-negative.tsv:2: scale by a negative factor" "$GEPSIM" screen $scr -perturb_variants $sd/bad/variants-negative.tsv -perturb_genotypes ''
expect_error "screen: an unknown operation" "variants-operation.tsv:2: unknown operation 'multiply'" "$GEPSIM" screen $scr -perturb_variants $sd/bad/variants-operation.tsv -perturb_genotypes ''
expect_error "screen: the tissue scope, which does not exist yet" "variants-scope.tsv:2: scope 'tissue' is not available yet" "$GEPSIM" screen $scr -perturb_variants $sd/bad/variants-scope.tsv -perturb_genotypes ''
expect_error "screen: a dose schedule of a parameter (not a state)" "environments-schedule-fixed.tsv:2: a schedule doses a state, and 'kdegA' is none" "$GEPSIM" screen $scr -perturb_environments $sd/bad/environments-schedule-fixed.tsv
expect_error "screen: an unknown readout species" "-screen_readouts: unknown species 'Foo'" "$GEPSIM" screen $scr -screen_readouts 'ss(A),max(Foo)'
expect_error "screen: a readout name outside a building block" "-screen_readouts: 'ss\(A\)/kconv': 'kconv' must be inside" "$GEPSIM" screen $scr -screen_readouts 'ss(A)/kconv'
expect_error "screen: a malformed sweep" "-screen_sweep 'ksyn:lin:1:2': expected NAME:lin:LO:HI:N" "$GEPSIM" screen $scr -screen_sweep ksyn:lin:1:2
expect_error "screen: a sweep of an unknown parameter" "-screen_sweep 'kfoo:list:1,2': unknown parameter 'kfoo'" "$GEPSIM" screen $scr -screen_sweep kfoo:list:1,2
expect_error "screen: an unknown genotype selected" "-screen_genotypes: unknown name 'het_hyper'" "$GEPSIM" screen $scr -screen_genotypes wt,het_hyper
expect_error "screen: a target that an assignment rule computes (editing it would change nothing)" "environments-assigned.tsv:2: target 'BaF3_Epo' cannot be edited: an assignment rule computes it" "$GEPSIM" screen inputs/screen-stat5.yaml -perturb_environments $sd/bad/environments-assigned.tsv
expect_error "simulate: -ensemble_vary of a symbol an assignment rule computes" "-ensemble_vary BaF3_Epo:lognormal:0.1: 'BaF3_Epo' cannot vary: an assignment rule computes it" "$GEPSIM" simulate inputs/default.yaml -ensemble_size 4 -ensemble_vary BaF3_Epo:lognormal:0.1
expect_error "screen: a dose that is not swept" "-screen_dose: 'C' is not swept" "$GEPSIM" screen $scr -screen_dose C
expect_error "screen: one drug for a synergy grid" "-screen_drugs 'ksyn': expected two swept parameters" "$GEPSIM" screen $scr -screen_sweep ksyn:list:1,2 -screen_drugs ksyn
expect_error "screen: a time outside the window" "-screen_readouts: A@30\.? is outside" "$GEPSIM" screen $scr -screen_readouts 'A@30'

echo "== tissue: diffusion-decay of the fields and the cells' exchange with them against closed forms (orders in space and time, mass balance, Bessel steady state), 1, 2 and 4 ranks"
for n in 1 2 4; do
  for scheme in cn bdf2 sdirk2; do
    check "tissue: BioFVM convergence problem 1 (1-D strip, D = 1e5), order 2 in space and in time ($scheme), $n rank(s)" $MPIRUN -n $n "$TESTBIN/test_tissue_diffusion" -case strip -scheme $scheme
    check "tissue: 3-D box, periodic x, no-flux y and z, decay, order 2 in space (cn) and in time ($scheme), $n rank(s)" $MPIRUN -n $n "$TESTBIN/test_tissue_diffusion" -case box -scheme $scheme
    check "tissue: Dirichlet faces, steady state with decay (cosh/sinh closed form), order 2 in space ($scheme), $n rank(s)" $MPIRUN -n $n "$TESTBIN/test_tissue_diffusion" -case dirichlet -scheme $scheme
  done
  for scheme in bdf2 sdirk2; do
    check "tissue: a vessel voxel held at 1 (tests/data/tissue/vessel-strip.csv), steady state with decay (cosh closed form), order 2 in space ($scheme, L-stable), $n rank(s)" $MPIRUN -n $n "$TESTBIN/test_tissue_diffusion" -case vessel -scheme $scheme
  done
done
for n in 1 2 4; do
  check "tissue: cells exchange S with the field through the model's reactions (tests/data/tissue/exchange.xml): field + cell amounts constant to 1e-10 over 1,000 coupling steps, no-flux faces, $n rank(s)" $MPIRUN -n $n "$TESTBIN/test_tissue_cells" -case balance
  check "tissue: a disc of cells with linear uptake inside a ring of vessels: steady state against the Bessel-function closed form, converging (h = 20, 10, 5 um), $n rank(s)" $MPIRUN -n $n "$TESTBIN/test_tissue_cells" -case bessel
done
expect_error "tissue: a field that is a species of another compartment" "-tissue_fields: species 'Sin' is in compartment 'cell', not in the extracellular compartment 'ext'" "$TESTBIN/test_tissue_cells" -case balance -tissue_fields Sin
expect_error "tissue: a field no species of the model" "-tissue_fields: 'Q' is no species of the model that reactions change" "$TESTBIN/test_tissue_cells" -case balance -tissue_fields Q
expect_error "tissue: a cell position outside the grid" "bad-cells.csv:3: the position is outside the grid" "$TESTBIN/test_tissue_cells" -case balance -tissue_initial file:tests/data/tissue/bad-cells.csv
expect_error "tissue: a ball in a 2-D grid" "-tissue_initial ball:50: a 2-D grid takes disc:R" "$TESTBIN/test_tissue_cells" -case balance -tissue_initial ball:50
expect_error "tissue: a vessel file with a voxel outside the grid" "bad-vessel.csv:3: voxel \\(0,7,0\\) is outside the 25 x 1 x 1 grid" "$TESTBIN/test_tissue_diffusion" -case vessel -scheme bdf2 -tissue_vessels file:tests/data/tissue/bad-vessel.csv
expect_error "tissue: negative diffusion" "-tissue_diffusion: the diffusion coefficient of S must be finite and non-negative, not -1" "$TESTBIN/test_tissue_diffusion" -case strip -tissue_diffusion S:-1
expect_error "tissue: a field no -tissue_fields names" "-tissue_diffusion: 'O2' names no field of -tissue_fields" "$TESTBIN/test_tissue_diffusion" -case strip -tissue_diffusion O2:1e5

echo "== SBML Test Suite: the judge (tests/sbml/compare.awk) on case 00001's expected results"
res=$SUITE/cases/semantic/00001/00001-results.csv
judge="awk -F, -v atol=1e-10 -v rtol=1e-5 -f tests/sbml/compare.awk $res"
needs "$res"
  produce "judge inputs" bash -c "awk -F, 'NR == 2 { \$3 = \"junk\" } 1' OFS=, $res > $work/junk.csv && awk -F, 'NR == 3 { \$1 = \$1 + 0.5 } 1' OFS=, $res > $work/time.csv && awk -F, 'NR == 3 { \$2 = \"\" } 1' OFS=, $res > $work/empty.csv && awk -F, 'NR == 3 { \$2 = \$2 * 1.001 } 1' OFS=, $res > $work/off.csv"
  check "SBML judge: the expected results judged against themselves pass" bash -c "$judge $res > /dev/null"
  check "SBML judge: 'junk' where 0 is expected fails" bash -c "! $judge $work/junk.csv > /dev/null"
  check "SBML judge: a time column off by 0.5 fails" bash -c "! $judge $work/time.csv > /dev/null"
  check "SBML judge: an empty field fails" bash -c "! $judge $work/empty.csv > /dev/null"
  check "SBML judge: a value off by 1e-3 relative (tolerance 1e-5) fails" bash -c "! $judge $work/off.csv > /dev/null"
needs_end

needs "$SUITE/cases/semantic/00001"
  produce "settings that are not numbers" bash -c "for c in zero 5x; do mkdir -p $work/set-\$c/00001 && cp $SUITE/cases/semantic/00001/* $work/set-\$c/00001/; done && sed -i 's/^start: .*/start: zero/' $work/set-zero/00001/00001-settings.txt && sed -i 's/^steps: .*/steps: 5x/' $work/set-5x/00001/00001-settings.txt"
  check "sbml-test: 'start: zero' in the settings is an error naming file and line (it was read as 0)" bash -c "! $GEPSIM sbml-test $work/set-zero 00001 $work 3 2 2> $work/set.err && grep -q \"00001-settings.txt:1: start: 'zero' is not a number\" $work/set.err"
  check "sbml-test: 'steps: 5x' in the settings is an error naming file and line (it was read as 5)" bash -c "! $GEPSIM sbml-test $work/set-5x 00001 $work 3 2 2> $work/set.err && grep -q \"00001-settings.txt:3: steps: '5x' is not a whole number\" $work/set.err"
needs_end

echo "== SBML Test Suite: Test Runner convention (one case per process)"
for id in 00001 00028 00100; do
  check "sbml-test $id (l3v2 via the wrapper convention)" bash -c "bash tests/sbml/case.sh $SUITE/cases/semantic $id $work | grep -q '^PASS'"
done

# suite_cases LIST: every case of the list is one test, judged by the suite's criterion
suite_cases() {
  local results="$work/$(basename "$1").results"
  QUIET=1 GEPSIM=$GEPSIM timed bash tests/sbml/suite.sh "$1" "$results" || bad "SBML Test Suite: $1" "the batch run failed or timed out"
  while read -r status id rest; do
    case $status in
      PASS) ok;;
      *) bad "SBML case ${id%:}" "$status $rest";;
    esac
  done < "$results"
  [ "$(wc -l < "$results")" = "$(wc -l < "$1")" ] || bad "SBML list $1" "ran $(wc -l < "$results") of $(wc -l < "$1") cases"
}
bash tests/sbml/cases.sh $SUITE/cases/semantic > "$work/sbml-cases.txt"
echo "== SBML Test Suite: every time-course case without a refused tag (tests/sbml/refused-tags.txt), $(wc -l < "$work/sbml-cases.txt") cases, each one test"
needs "$SUITE/cases/semantic"
  check "SBML Test Suite: the cases without a refused tag include tier B ($(wc -l < $SUITE/tier-b.txt) cases)" bash -c "[ -s $work/sbml-cases.txt ] && [ -z \"\$(tr -d '\r' < $SUITE/tier-b.txt | sort | comm -23 - $work/sbml-cases.txt)\" ]"
  missing > /dev/null || suite_cases "$work/sbml-cases.txt"
needs_end

summary
