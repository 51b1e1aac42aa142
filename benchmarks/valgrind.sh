#!/bin/sh
# Run the durable engine adapter's tests (guards and envelope) under valgrind; exit 1 on any error valgrind reports.
#
#   sh benchmarks/valgrind.sh            (from the repository root, in an environment with the package)
#
# Python's own allocator is switched to malloc so valgrind sees every allocation.
# benchmarks/valgrind-cpython.supp suppresses only uninitialised-value reports raised
# inside libpython itself (present with no project code loaded); invalid reads and
# writes, and anything raised in durable_rules_engine or libc, are reported. Tests
# that pin crashing engine behaviours run in subprocesses, which are not traced.
set -eu
here=$(dirname "$0")
log=${VALGRIND_LOG:-valgrind.log}
PYTHONMALLOC=malloc valgrind \
  --error-exitcode=1 \
  --suppressions="$here/valgrind-cpython.supp" \
  --trace-children=no \
  --log-file="$log" \
  python -m pytest -q -p no:cacheprovider -p no:randomly "$here/../tests/engine/test_durable_guards.py" "$here/../tests/engine/test_durable_envelope.py" "$@"
status=$?
grep -E "ERROR SUMMARY|definitely lost" "$log" || true
exit $status
