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
#
# Exit status: 0 no error and every test passed; 1 valgrind reported errors; 3 the
# tests failed (valgrind reported none); 2 valgrind itself did not run or did not
# finish (not installed, a bad option, killed): said on standard error, with the end
# of its log, never silently.
set -u
here=$(dirname "$0")
log=${VALGRIND_LOG:-valgrind.log}
if ! command -v valgrind >/dev/null 2>&1; then
  echo "valgrind.sh: valgrind is not installed (or not on PATH); nothing was checked" >&2
  exit 2
fi
rm -f "$log"
status=0
PYTHONMALLOC=malloc valgrind \
  --error-exitcode=99 \
  --suppressions="$here/valgrind-cpython.supp" \
  --trace-children=no \
  --log-file="$log" \
  python -m pytest -q -p no:cacheprovider -p no:randomly "$here/../tests/engine/test_durable_guards.py" "$here/../tests/engine/test_durable_envelope.py" "$@" \
  || status=$?
summary=$(grep -E "ERROR SUMMARY|definitely lost" "$log" 2>/dev/null || true)
if [ -z "$summary" ]; then
  echo "valgrind.sh: valgrind did not run to the end (exit status $status) and wrote no error summary; nothing was checked." >&2
  if [ -s "$log" ]; then
    echo "valgrind.sh: the end of its log ($log):" >&2
    tail -n 20 "$log" >&2
  else
    echo "valgrind.sh: it wrote no log ($log); its own message, if any, is above." >&2
  fi
  exit 2
fi
echo "$summary"
case $status in
  0) exit 0 ;;
  99) echo "valgrind.sh: valgrind reported errors (see $log)" >&2; exit 1 ;;
  *) echo "valgrind.sh: the tests under valgrind ended with exit status $status (valgrind reported no error)" >&2; exit 3 ;;
esac
