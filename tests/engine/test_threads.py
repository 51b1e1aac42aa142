"""Threads: evaluations of different organisations from four threads give exactly the single-threaded reports."""

import importlib.util
import json
import pathlib
import random
import threading

import pytest

import natssips_rules as nr

EXAMPLES = sorted(pathlib.Path(__file__).parent.parent.parent.joinpath("examples").glob("*.json"))
THREADS = 4
ROUNDS = 12


def flip_some(value, rng):
    """The same facts with about one yes/no in five flipped (still valid facts)."""
    if isinstance(value, dict):
        return {k: flip_some(v, rng) for k, v in value.items()}
    if isinstance(value, list):
        return [flip_some(v, rng) for v in value]
    if isinstance(value, bool) and rng.random() < 0.2:
        return not value
    return value


def organisations(count: int = 40) -> list[nr.Organisation]:
    rng = random.Random(7)
    bases = [json.loads(path.read_text()) for path in EXAMPLES]
    return [nr.load_facts(flip_some(bases[i % len(bases)], rng)) for i in range(count)]


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("durable_rules_engine") is None, reason="the durable extra is not installed")
def test_four_threads_give_the_single_threaded_reports():
    orgs = organisations()
    engines = ("durable", "reference")
    expected = {(i, e): nr.evaluate(org, engine=e).to_dict() for i, org in enumerate(orgs) for e in engines}
    assert len({json.dumps(v, sort_keys=True) for v in expected.values()}) > len(orgs)  # the organisations differ
    failures: list[str] = []
    done = [0] * THREADS

    def work(number: int) -> None:
        rng = random.Random(number)
        jobs = [(i, e) for i in range(len(orgs)) for e in engines]
        for _ in range(ROUNDS):
            rng.shuffle(jobs)
            for i, engine in jobs:
                if nr.evaluate(orgs[i], engine=engine).to_dict() != expected[(i, engine)]:
                    failures.append(f"thread {number}: organisation {i} on {engine}")
                done[number] += 1

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sum(done) == THREADS * ROUNDS * len(orgs) * len(engines)  # 3,840 evaluations


@pytest.mark.slow
def test_a_poisoned_evaluation_never_breaks_the_others(monkeypatch):
    """Eight threads evaluate valid organisations on both engines while a ninth feeds bad facts and makes the
    durable engine fail: the eight get exactly their single-threaded reports, the ninth only its own errors."""
    pytest.importorskip("durable_rules_engine", reason="the durable extra is not installed")
    import natssips_rules.engine.durable as durable

    orgs = organisations(16)
    engines = ("durable", "reference")
    expected = {(i, e): nr.evaluate(org, engine=e).to_dict() for i, org in enumerate(orgs) for e in engines}
    bad_text = json.loads(EXAMPLES[0].read_text()) | {"name": "bad \ud800 name"}
    poisoned = nr.load_facts(json.loads(EXAMPLES[0].read_text()) | {"beds": 424_242})
    real_assert = durable._engine.assert_facts

    def failing_assert(handle, text):
        if '"beds": 424242' in text:
            raise RuntimeError("Could not assert facts, error code: 303")  # as the engine raises it
        return real_assert(handle, text)

    monkeypatch.setattr(durable._engine, "assert_facts", failing_assert)
    failures: list[str] = []
    counts = {"good": 0, "facts_error": 0, "engine_error": 0}
    stop = threading.Event()

    def work(number: int) -> None:
        rng = random.Random(number)
        jobs = [(i, e) for i in range(len(orgs)) for e in engines]
        for _ in range(4):
            rng.shuffle(jobs)
            for i, engine in jobs:
                try:
                    got = nr.evaluate(orgs[i], engine=engine).to_dict()
                except Exception as exc:  # noqa: BLE001 - any failure of a valid evaluation is the test failing
                    failures.append(f"thread {number}: organisation {i} on {engine}: {type(exc).__name__}: {exc}")
                    continue
                if got != expected[(i, engine)]:
                    failures.append(f"thread {number}: organisation {i} on {engine}: a different report")
                counts["good"] += 1

    def poison() -> None:
        while not stop.is_set():
            for engine in engines:
                try:
                    nr.evaluate(bad_text, engine=engine)
                except nr.FactsError:
                    counts["facts_error"] += 1
            try:
                nr.evaluate(poisoned, engine="durable")
            except nr.EngineError:
                counts["engine_error"] += 1

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    spoiler = threading.Thread(target=poison)
    spoiler.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    spoiler.join()
    print(
        f"\n{counts['good']} valid evaluations in 8 threads; the ninth: {counts['facts_error']} refused facts, "
        f"{counts['engine_error']} engine failures"
    )
    assert failures == []
    assert counts["good"] == 8 * 4 * len(orgs) * len(engines)
    assert counts["facts_error"] > 0 and counts["engine_error"] > 0
