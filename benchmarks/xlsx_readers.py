"""Reading a facts workbook: openpyxl (what the library uses) against python-calamine (not a dependency).

    pip install python-calamine   # only for this measurement
    python benchmarks/xlsx_readers.py

Reads every cell of the bundled example workbook, and of a template filled in
with 5,000 more people, both ways, and prints the median time of a few runs
and the cells each found. It also shows what each makes of a formula, which
the facts reader must refuse (formulas are never evaluated).

Measured on the 2-core development machine, shared (load average about 11):
the example (34 KB) took openpyxl 69 ms and calamine 2 ms; 5,000 extra people
(211 KB) 2,067 ms and 124 ms; both found the same cells with a value. But
calamine reads a formula as its cached value, or as nothing at all (a formula
with no cached value vanished and the rows below moved up): it cannot tell the
reader that a cell holds a formula. It is also a compiled extension, where the
core of this library is pure Python. So the library keeps openpyxl, reads
only .xlsx, and refuses .ods, .xls, .xlsm and .xlsb by their content, naming
the format and how to save the file as .xlsx.
"""

import io
import statistics
import time
import warnings

import attrs
import openpyxl

import natssips_rules as nr

try:
    from python_calamine import CalamineWorkbook
except ImportError:  # pragma: no cover - a measurement script
    raise SystemExit("this measurement needs python-calamine: pip install python-calamine") from None


def larger() -> nr.Organisation:
    org = nr.load_facts("examples/northvale-large-trust.json")
    people = org.people or ()
    more = tuple(attrs.evolve(people[i % len(people)], id=f"p{i}") for i in range(5000))
    return attrs.evolve(org, people=people + more)


def median_seconds(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def with_openpyxl(data: bytes) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=False, keep_links=False)  # as the reader does
    return sum(1 for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v is not None)


def with_calamine(data: bytes) -> int:
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return sum(1 for name in wb.sheet_names for row in wb.get_sheet_by_name(name).to_python() for v in row if v not in ("", None))


def formulas() -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"], wb.active["A2"] = "=1000+450", 5
    out = io.BytesIO()
    wb.save(out)
    seen = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    print(
        f"a formula in A1, 5 in A2: openpyxl sees A1 {seen['A1'].value!r} (type {seen['A1'].data_type!r}), A2 {seen['A2'].value!r}; "
        f"calamine's rows: {CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue())).get_sheet_by_index(0).to_python()!r}"
    )


def main() -> None:
    with open("examples/northvale-large-trust.xlsx", "rb") as handle:
        example = handle.read()
    for label, data in (("the example", example), ("5,000 more people", nr.facts_workbook(larger()))):
        runs = 5 if len(data) < 200_000 else 3
        print(
            f"{label} ({len(data):,} bytes): cells with a value: openpyxl {with_openpyxl(data):,}, calamine {with_calamine(data):,}; "
            f"openpyxl {median_seconds(lambda d=data: with_openpyxl(d), runs) * 1000:,.0f} ms, "
            f"calamine {median_seconds(lambda d=data: with_calamine(d), runs) * 1000:,.0f} ms"
        )
    formulas()


if __name__ == "__main__":
    main()
