"""durable_rules' measured envelope, pinned: the raw engine just inside and just past each limit (in a
child process, so a crash or a hang fails the test, not the run), the adapter's check agreeing with it,
and the adapter just past each limit giving the reference engine's answer or refusing clearly.

The raw shapes are the adapter's own: every engine rule starts with a barrier pattern, facts are asserted
in one batch with the barrier last. If a new durable_rules moves a limit, a test here says which.
"""

import json
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("durable_rules_engine", reason="the durable extra is not installed")

import natssips_rules as nr
from natssips_rules.engine import compiled, get_engine
from natssips_rules.engine.durable import MAX_SESSION_FACTS, fnv1_32
from natssips_rules.engine.durable.compile import IN_CHUNK, compile_ruleset
from natssips_rules.engine.durable.envelope import LIMITS, measure, violations

from ..helpers import org_data

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

RAW = """
import json, sys
import durable_rules_engine as d

def B(g=0):
    return {"b": {"$and": [{"kind": "$barrier"}, {"phase": 2}, {"g": g}]}}

def barrier():
    return {"id": "fB", "sid": "1", "kind": "$barrier", "phase": 2, "g": 0}

def run(rules, facts):
    h = d.create_ruleset("t", json.dumps(rules))
    res = d.assert_facts(h, json.dumps(facts))
    fired = {}
    action = d.start_action_for_state(h, res[1])
    messages = action[1] if action else None
    while messages:
        for name, frames in json.loads(messages).items():
            fired.setdefault(name, []).extend(frames if isinstance(frames, list) else [frames])
        messages = d.complete_and_start_action(h, res[1])
    d.delete_state(h, "1")
    return fired
"""


def raw(code: str, timeout: float = 30) -> tuple[str, str]:
    """Run engine code in a child process: ("ok", printed) | ("error", message) | ("signal", name) | ("hang", "")."""
    try:
        done = subprocess.run(
            [sys.executable, "-"], input=RAW + textwrap.dedent(code), capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return "hang", ""
    if done.returncode < 0:
        return "signal", str(-done.returncode)
    if done.returncode:
        return "error", done.stderr.strip().splitlines()[-1]
    return "ok", done.stdout.strip()


def beds_rules(n: int) -> dict:
    rules = {"start": {"all": [B_()]}}
    for i in range(n):
        rules[f"t{i}"] = {"all": [B_(), {"s": {"$and": [{"kind": "organisation"}, {"$gte": {"beds": i}}]}}], "cap": 1000}
        rules[f"f{i}"] = {"all": [B_(), {"s": {"$and": [{"kind": "organisation"}, {"$lt": {"beds": i}}]}}], "cap": 1000}
    return rules


def B_(g: int = 0) -> dict:
    return {"b": {"$and": [{"kind": "$barrier"}, {"phase": 2}, {"g": g}]}}


ORG_FACTS = [
    {"id": "f0", "sid": "1", "kind": "organisation", "beds": 1000},
    {"id": "fB", "sid": "1", "kind": "$barrier", "phase": 2, "g": 0},
]


def run_raw(rules: dict, facts: list, timeout: float = 30) -> tuple[str, str]:
    return raw(
        f"fired = run(json.loads({json.dumps(json.dumps(rules))}), json.loads({json.dumps(json.dumps(facts))}))\n"
        "print(json.dumps(sorted(fired)))",
        timeout,
    )


def local(i: int, holds: nr.Condition, subject: str = "organisation") -> nr.Rule:
    return nr.Rule(
        id=f"local.r{i}",
        title=f"Local rule {i}",
        citation=nr.Citation(document="Trust policy", section="1", clause=f"1.{i}", quote="A local clause."),
        level="must",
        subject=subject,
        holds=holds,
        requirement="It holds.",
        remediation="Fix it.",
        origin="local",
    )


def same_reports(org, rules) -> nr.Report:
    durable = nr.evaluate(org, rules=rules, engine="durable")
    reference = nr.evaluate(org, rules=rules, engine="reference")
    a, b = durable.to_dict(), reference.to_dict()
    a.pop("engine"), b.pop("engine")
    assert a == b
    return durable


LARGE = "examples/northvale-large-trust.json"


# --------------------------------------------------------------------------
# 1. tests one fact can match at once: 64 (MAX_STACK_SIZE)


def test_raw_engine_stack_limit():
    assert run_raw(beds_rules(64), ORG_FACTS)[0] == "ok"
    outcome, message = run_raw(beds_rules(65), ORG_FACTS)
    assert outcome == "error" and "303" in message


def test_the_check_agrees_on_the_stack():
    assert measure(beds_rules(64)).stack == 64 and not violations(measure(beds_rules(64)))
    assert [v[0] for v in violations(measure(beds_rules(65)))] == ["stack"]


def test_joins_are_never_shared_between_rules():
    def rules(n):
        out = {"start": {"all": [B_()]}}
        for k in range(n):
            out[f"r{k}"] = {
                "all": [B_(), {"i": {"kind": "$link"}}, {"a0": {"$and": [{"kind": "person"}, {"id": {"i": "target"}}]}}],
                "cap": 1000,
            }
        return out

    facts = [{"id": "l1", "sid": "1", "kind": "$link", "target": "p1"}, {"id": "p1", "sid": "1", "kind": "person"}, ORG_FACTS[1]]
    assert run_raw(rules(64), facts)[0] == "ok"
    assert run_raw(rules(65), facts)[0] == "error"
    assert measure(rules(64)).stack == 64 and measure(rules(65)).stack == 65


def test_adapter_past_the_stack_limit():
    rules = nr.compose([local(i, nr.Compare("beds", ">=", i)) for i in range(65)])
    same_reports(LARGE, rules)
    assert len(compiled(get_engine("durable"), rules).shards) > 1


# --------------------------------------------------------------------------
# 2. distinct tests under one node: 511 (NEXT_BUCKET_LENGTH 512; past it the engine loops for ever)


def in_rules(n: int) -> dict:
    values = [f"Name {i}" for i in range(n)]
    yes = {"$or": [{"name": v} for v in values]}
    no = {"$and": [{"$ex": {"name": 1}}] + [{"$neq": {"name": v}} for v in values]}
    return {
        "start": {"all": [B_()]},
        "t": {"all": [B_(), {"s": {"$and": [{"kind": "organisation"}, yes]}}], "cap": 1000},
        "f": {"all": [B_(), {"s": {"$and": [{"kind": "organisation"}, no]}}], "cap": 1000},
    }


@pytest.mark.slow
def test_raw_engine_children_limit():
    facts = [{"id": "f0", "sid": "1", "kind": "organisation", "name": "Name 3"}, ORG_FACTS[1]]
    assert run_raw(in_rules(510), facts) == ("ok", '["start", "t"]')
    assert run_raw(in_rules(511), facts, timeout=10)[0] == "hang"


def test_the_check_agrees_on_children():
    assert measure(in_rules(510)).children[0] == 511 and not violations(measure(in_rules(510)))
    assert "children" in [v[0] for v in violations(measure(in_rules(511)))]


@pytest.mark.slow
@pytest.mark.parametrize("n", [IN_CHUNK + 1, 600, 5_000, 10_000])
def test_adapter_long_in_lists(n):
    data = json.loads(open(LARGE).read())
    names = [f"Name {i}" for i in range(n - 1)]
    for listed in (True, False):
        rule = local(0, nr.In("name", [*names, data["name"]] if listed else [*names, "Another Trust"]))
        report = same_reports(data, nr.compose([rule]))
        assert report.findings_for("local.r0")[0].status is (nr.Status.MET if listed else nr.Status.NOT_MET)


# --------------------------------------------------------------------------
# 3. engine rules ending on one node: 255 (BETA_LIST_LENGTH 256, off by one)


def betas_rules(n: int) -> dict:
    rules = {"start": {"all": [B_()]}}
    for k in range(n - 1):
        rules[f"r{k}"] = {"all": [B_(), {"s": {"$and": [{"kind": "organisation"}, {"$gte": {"beds": 5}}]}}], "cap": 1000}
    return rules


def test_raw_engine_rules_on_one_node():
    assert run_raw(betas_rules(255), ORG_FACTS)[0] == "ok"
    outcome, message = run_raw(betas_rules(259), ORG_FACTS)
    assert outcome in ("error", "signal"), message


def test_the_check_agrees_on_rules_on_one_node():
    assert measure(betas_rules(255)).betas[0] == 255 and not violations(measure(betas_rules(255)))
    assert "betas" in [v[0] for v in violations(measure(betas_rules(256)))]


def test_adapter_many_rules_with_one_condition():
    rules = nr.compose([local(i, nr.Compare("beds", ">=", 5)) for i in range(300)])
    same_reports(LARGE, rules)


# --------------------------------------------------------------------------
# 4. $nex tests under one node: 127 (NEXT_LIST_LENGTH 128, off by one)


def nex_rules(n: int) -> dict:
    rules = {"start": {"all": [B_()]}}
    for k in range(n):
        rules[f"r{k}"] = {"all": [B_(), {"s": {"$and": [{"kind": "organisation"}, {"$nex": {f"p{k}": 1}}]}}], "cap": 1000}
    return rules


def test_raw_engine_next_list():
    facts = [{"id": "f0", "sid": "1", "kind": "organisation", **{f"p{k}": 1 for k in range(130)}}, ORG_FACTS[1]]
    assert run_raw(nex_rules(127), facts)[0] == "ok"
    assert run_raw(nex_rules(129), facts)[0] in ("error", "signal")
    assert not violations(measure(nex_rules(127)), ["next_list"])
    assert violations(measure(nex_rules(128)), ["next_list"])


# --------------------------------------------------------------------------
# 5. engine rules per ruleset: 4,096 (MAX_ACTIONS)


def many_rules(n: int) -> dict:
    return {f"r{k}": {"all": [B_(k // 200), {"s": {"$and": [{"kind": f"k{k % 300}"}]}}]} for k in range(n)}


def test_raw_engine_rules_per_ruleset():
    assert (
        raw(f"d.create_ruleset('t', json.dumps(json.loads({json.dumps(json.dumps(many_rules(4096)))}))); print('made')")[0]
        == "ok"
    )
    outcome, message = raw(f"d.create_ruleset('t', json.dumps(json.loads({json.dumps(json.dumps(many_rules(4097)))})))")
    assert outcome == "error" and "106" in message
    assert violations(measure(many_rules(4097)), ["rules"]) and not violations(measure(many_rules(4096)), ["rules"])


def test_adapter_more_engine_rules_than_one_ruleset_holds():
    rules = nr.compose(
        [local(i, nr.AllOf([nr.Compare("beds", ">=", i), nr.Compare("staff_headcount", ">=", i)])) for i in range(1400)]
    )
    program_rules = sum(len(shard.program.rules_json) for shard in compiled(get_engine("durable"), rules).shards)
    assert program_rules > LIMITS["rules"][0]
    same_reports(LARGE, rules)


# --------------------------------------------------------------------------
# 6. expressions in one pattern: 31 (MAX_SEQUENCE_EXPRESSIONS); 7. patterns in one rule: 16 (MAX_MESSAGE_FRAMES)


def nested_and(depth: int) -> dict:
    body: dict = {"kind": "organisation"}
    for _ in range(depth):
        body = {"$and": [body, {"$gte": {"beds": 1}}]}
    return {"start": {"all": [B_()]}, "r": {"all": [B_(), {"s": body}]}}


def test_raw_engine_expressions_per_pattern():
    assert run_raw(nested_and(15), ORG_FACTS)[0] == "ok"
    outcome, message = run_raw(nested_and(16), ORG_FACTS)
    assert outcome == "error" and "113" in message
    assert not violations(measure(nested_and(15)), ["expressions"]) and violations(measure(nested_and(16)), ["expressions"])


def joined(n: int) -> dict:
    patterns = [B_(), {"a0": {"kind": "k"}}] + [
        {f"a{k}": {"$and": [{"kind": "k"}, {"parent": {f"a{k - 1}": "id"}}]}} for k in range(1, n - 1)
    ]
    return {"start": {"all": [B_()]}, "r": {"all": patterns}}


def chain_facts(n: int) -> list:
    return [{"id": f"c{k}", "sid": "1", "kind": "k", **({"parent": f"c{k - 1}"} if k else {})} for k in range(n)] + [ORG_FACTS[1]]


def test_raw_engine_patterns_per_rule():
    assert run_raw(joined(16), chain_facts(20))[0] == "ok"
    outcome, message = run_raw(joined(17), chain_facts(20))
    assert outcome == "error" and "304" in message
    assert not violations(measure(joined(16)), ["patterns"]) and violations(measure(joined(17)), ["patterns"])


def test_adapter_a_wide_condition_is_cut_into_parts():
    # fifteen two-valued lists on one subject, and a rule reading every staffing factor: too wide for one engine rule each
    wide = nr.AllOf([nr.In("name", [f"A{k}", f"B{k}"]) for k in range(15)])
    factors = nr.AllOf(
        [
            nr.Compare(f"staffing.factors.{f}.described_by_lead", "==", True)
            for f in (
                "permanent_vs_agency",
                "trained_and_competent",
                "skill_mix",
                "rested_staff",
                "resources",
                "list_planning",
                "patient_flow",
                "supportive_culture",
                "resilience_and_wellbeing",
                "elective_vs_emergency",
                "sharing_concerns",
            )
        ]
    )
    rules = nr.compose([local(0, wide), local(1, factors), local(2, nr.AnyOf([wide, factors]))])
    for shard in compiled(get_engine("durable"), rules).shards:
        assert not violations(measure(shard.program.rules_json))
    same_reports(LARGE, rules)


# --------------------------------------------------------------------------
# 8. text length: the engine compares (length mod 65,536) bytes


def test_raw_engine_compares_long_texts_wrongly():
    def rules(constant):
        return {"start": {"all": [B_()]}, "eq": {"all": [B_(), {"s": {"$and": [{"kind": "organisation"}, {"name": constant}]}}]}}

    facts = [{"id": "f0", "sid": "1", "kind": "organisation", "name": "a"}, ORG_FACTS[1]]
    assert run_raw(rules("a" * 65_535), facts) == ("ok", '["start"]')
    assert run_raw(rules("a" * 65_537), facts) == ("ok", '["eq", "start"]')  # wrong: only 1 byte compared
    assert violations(measure(rules("a" * 65_536)), ["text_bytes"])


def test_long_text_constants_are_refused_by_every_engine():
    with pytest.raises(nr.RuleError, match="at most 2,000"):
        local(0, nr.Compare("name", "==", "a" * 65_537))


# --------------------------------------------------------------------------
# 9. a join after an $or is ignored by the engine


def test_raw_engine_ignores_a_join_after_alternatives():
    def rules(order):
        alternatives = {"$or": [{"profession": "a"}, {"profession": "b"}]}
        join = {"id": {"i": "target"}}
        tests = [{"kind": "person"}, join, alternatives] if order == "join first" else [{"kind": "person"}, alternatives, join]
        return {"start": {"all": [B_()]}, "r": {"all": [B_(), {"i": {"kind": "$link"}}, {"a0": {"$and": tests}}], "cap": 1000}}

    facts = [
        {"id": "l1", "sid": "1", "kind": "$link", "target": "p2"},
        {"id": "p1", "sid": "1", "kind": "person", "profession": "a"},
        {"id": "p2", "sid": "1", "kind": "person", "profession": "b"},
        ORG_FACTS[1],
    ]
    code = "fired = run(json.loads({0}), json.loads({1}))\nprint(len(fired['r']))"
    assert raw(code.format(json.dumps(json.dumps(rules("join first"))), json.dumps(json.dumps(facts)))) == ("ok", "1")
    assert raw(code.format(json.dumps(json.dumps(rules("join last"))), json.dumps(json.dumps(facts)))) == ("ok", "2")  # wrong
    assert violations(measure(rules("join last")), ["join_after_or"]) and not violations(measure(rules("join first")))


def test_the_compiler_never_puts_a_join_after_alternatives():
    program = compile_ruleset(nr.builtin_rules())
    assert not violations(measure(program.rules_json))


# --------------------------------------------------------------------------
# facts: how many in one session; names the engine hashes


def test_adapter_refuses_an_organisation_with_too_many_facts_for_one_session(monkeypatch):
    import natssips_rules.engine.durable as durable

    assert MAX_SESSION_FACTS == 50_000
    monkeypatch.setattr(durable, "MAX_SESSION_FACTS", 100)
    data = org_data(
        people=[{"id": f"p{i}", "name": f"P {i}"} for i in range(150)], steering_group={"members": [f"p{i}" for i in range(150)]}
    )
    with pytest.raises(nr.EngineLimitError, match="use the reference engine"):
        nr.evaluate(data, engine="durable")
    assert nr.evaluate(data, engine="reference").findings


def test_every_name_the_adapter_writes_has_its_own_hash():
    from natssips_rules.engine.durable.compile import ABSENT_PROPERTY, RESERVED_PROPERTIES, prop
    from natssips_rules.facts.model import Organisation
    from natssips_rules.facts.paths import fields_of

    names = set(RESERVED_PROPERTIES) | {ABSENT_PROPERTY, "phase", "g", "lo", "hi", "owner", "target"}
    todo, seen = [Organisation], set()
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        for name, info in fields_of(cls).items():
            names |= {prop(name), f"{name}__n"}
            if info.kind == "enumset":
                names |= {f"{name}__{member.value}" for member in info.type}
            if info.kind in ("object", "collection", "ref", "reflist") and isinstance(info.type, type):
                todo.append(info.type)
    hashes = {}
    for name in sorted(names):
        assert fnv1_32(name) not in hashes, (name, hashes.get(fnv1_32(name)))
        hashes[fnv1_32(name)] = name
    aliases = ["b", "s", "r", "o", "i", *(f"a{k}" for k in range(16))]
    assert len({fnv1_32(a) for a in aliases}) == len(aliases)
