"""Threads: evaluations of different organisations from four threads give exactly the single-threaded reports."""

import json
import pathlib
import random
import threading

import natssips_rules as nr

EXAMPLES = sorted(pathlib.Path(__file__).parent.parent.joinpath("examples").glob("*.json"))
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
