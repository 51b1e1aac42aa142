"""Hypothesis strategies for valid facts, for testing rules (built-in or local).

Install the ``test`` extra (it brings Hypothesis). Every generated value
satisfies the validators of :mod:`natssips_rules.facts.model` and the loader's
integrity checks: ids are unique and every reference points to a fact that
exists. Unknown (``None``) values appear everywhere a fact is optional.

>>> from hypothesis import given
>>> from natssips_rules.testing import organisations
>>> @given(organisations())
... def test_my_rule(org): ...
"""

import contextvars
import datetime
import enum
from typing import Any, TypeVar

import attrs
from hypothesis import assume, strategies as st

from natssips_rules._internal.structuring import shown
from natssips_rules.facts import model as f
from natssips_rules.facts.paths import FieldInfo, fields_of
from natssips_rules.rules import conditions as c
from natssips_rules.rules.model import Citation, Level, Parameter, Rule, SubjectKind

__all__ = [
    "AS_OF",
    "LIMIT_COUNTS",
    "LIMIT_DATES",
    "LIMIT_DAYS",
    "LIMIT_NUMBERS",
    "SHARED_PARAMETER_NAMES",
    "KnowledgeStep",
    "any_conditions",
    "any_rule_sets",
    "any_rules",
    "conditions",
    "dates_around",
    "erased",
    "filled",
    "local_rule_sets",
    "local_rules",
    "natssips_leads",
    "organisations",
    "people",
    "shuffled",
    "sites",
    "specialties",
    "staffing",
    "staffing_factors",
    "steering_groups",
]

#: The default evaluation date of generated organisations.
AS_OF = datetime.date(2026, 3, 31)

T = TypeVar("T")


#: Tenths of the optional facts that are known, while an organisation is being built.
_KNOWN: contextvars.ContextVar[int] = contextvars.ContextVar("natssips_rules_testing_known", default=5)


def _maybe(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    known = _KNOWN.get()
    if known == 5:
        return st.none() | strategy
    return st.integers(min_value=0, max_value=9).flatmap(lambda k: strategy if k < known else st.none())


def _or_absent(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[Any]:
    """Unknown, recorded absent (``False``: known, there is none), or a value (for object and reference fields)."""
    absent: st.SearchStrategy[Any] = st.just(False)
    return _maybe(st.one_of(absent, strategy, strategy))


def _flag() -> st.SearchStrategy[bool | None]:
    return _maybe(st.booleans())


def _number(max_value: float) -> st.SearchStrategy[float | None]:
    return _maybe(
        st.sampled_from([0.0, 0.2, 0.5, 1.0, 1.5, 2.0, 3.0]) | st.floats(min_value=0, max_value=max_value, allow_nan=False)
    )


def dates_around(as_of: datetime.date = AS_OF, *, days: int = 800) -> st.SearchStrategy[datetime.date]:
    """Dates within ``days`` of ``as_of`` (before and after), and the edges of a year."""
    edges = [as_of - datetime.timedelta(days=d) for d in (0, 1, 365, 366, 367)] + [as_of + datetime.timedelta(days=1)]
    spread = st.integers(min_value=-days, max_value=days).map(lambda d: as_of - datetime.timedelta(days=d))
    return st.sampled_from(edges) | spread


def _subset(enum_cls: Any) -> st.SearchStrategy[tuple[Any, ...] | None]:
    return _maybe(st.lists(st.sampled_from(list(enum_cls)), unique=True).map(tuple))


def people(ids: list[str], site_ids: list[str]) -> st.SearchStrategy[tuple[f.Person, ...]]:
    """One person for each id, with any mix of known and unknown attributes."""

    def person(pid: str) -> st.SearchStrategy[f.Person]:
        return st.builds(
            f.Person,
            id=st.just(pid),
            name=st.just(f"Person {pid}"),
            profession=_maybe(st.sampled_from(list(f.Profession))),
            seniority=_maybe(st.sampled_from(list(f.Seniority))),
            substantive=_flag(),
            practises_invasive_procedures=_flag(),
            in_training=_flag(),
            board_member=_flag(),
            site=_maybe(st.sampled_from(site_ids)) if site_ids else st.none(),
        )

    return st.tuples(*[person(pid) for pid in ids])


def _ref(ids: list[str]) -> st.SearchStrategy[str | None]:
    return _maybe(st.sampled_from(ids)) if ids else st.none()


def sites(ids: list[str], person_ids: list[str]) -> st.SearchStrategy[tuple[f.Site, ...]]:
    """One site for each id, each with or without a site lead."""

    def site(sid: str) -> st.SearchStrategy[f.Site]:
        lead = (
            _or_absent(
                st.builds(
                    f.SiteLead,
                    person=st.sampled_from(person_ids),
                    sessions_per_week=_number(10),
                    time_allocated=_flag(),
                )
            )
            if person_ids
            else _maybe(st.just(False))
        )
        return st.builds(
            f.Site,
            id=st.just(sid),
            name=st.just(f"Site {sid}"),
            performs_invasive_procedures=_flag(),
            natssips_lead=lead,
            represented_on_steering_group=_flag(),
        )

    return st.tuples(*[site(sid) for sid in ids])


def specialties(count: int, person_ids: list[str]) -> st.SearchStrategy[tuple[f.Specialty, ...]]:
    """``count`` specialties, each with or without a lead."""

    def specialty(index: int) -> st.SearchStrategy[f.Specialty]:
        return st.builds(
            f.Specialty,
            id=st.just(f"sp{index}"),
            name=st.just(f"Specialty {index}"),
            performs_invasive_procedures=_flag(),
            natssips_lead=_or_absent(st.sampled_from(person_ids)) if person_ids else _maybe(st.just(False)),
            lead_has_governance_responsibility=_flag(),
            lead_represented_on_steering_group=_flag(),
            trainees_part_of_group=_flag(),
        )

    return st.tuples(*[specialty(i) for i in range(count)])


def natssips_leads(person_ids: list[str]) -> st.SearchStrategy[tuple[f.NatssipsLead, ...]]:
    """Zero or more NatSSIPs leads, each a different person."""
    if not person_ids:
        return st.just(())

    def lead(pid: str) -> st.SearchStrategy[f.NatssipsLead]:
        return st.builds(
            f.NatssipsLead,
            person=st.just(pid),
            responsible_for_strategy_and_oversight=_flag(),
            job_plan_sessions_per_week=_number(10),
            time_transparently_allocated=_flag(),
            admin_support_wte=_number(2),
            admin_support_transparently_allocated=_flag(),
            authority_to_obtain_support=_subset(f.SupportArea),
            chairs_steering_group=_flag(),
        )

    chosen = st.lists(st.sampled_from(person_ids), unique=True, max_size=3)
    return chosen.flatmap(lambda ids: st.tuples(*[lead(pid) for pid in ids]))


def steering_groups(person_ids: list[str]) -> st.SearchStrategy[f.SteeringGroup]:
    """A steering group whose members are drawn from the given person ids."""
    return st.builds(
        f.SteeringGroup,
        formally_constituted=_flag(),
        members=_maybe(st.lists(st.sampled_from(person_ids), unique=True).map(tuple)) if person_ids else st.none(),
        responsibilities=_subset(f.SteeringResponsibility),
        informed_by=_subset(f.IntelligenceSource),
        meetings_in_last_year=_maybe(st.integers(min_value=0, max_value=24)),
    )


def staffing_factors() -> st.SearchStrategy[f.StaffingFactors]:
    """The eleven staffing factors, each absent, blank or partly known."""
    factor = _or_absent(
        st.builds(
            f.StaffingFactor,
            described_by_lead=_flag(),
            informs_steering_group=_flag(),
            state_summary=_maybe(st.sampled_from(["Stable.", "A concern: vacancies in recovery."])),
        )
    )
    return st.builds(f.StaffingFactors, **{name: factor for name in f.STAFFING_FACTOR_FIELDS})


def staffing() -> st.SearchStrategy[f.Staffing]:
    """Staffing facts: the factors and the staffing numbers (never judged by a built-in rule)."""
    return st.builds(
        f.Staffing,
        factors=_or_absent(staffing_factors()),
        agency_staffing_rate=_maybe(st.floats(min_value=0, max_value=1)),
        staff_turnover_rate=_maybe(st.floats(min_value=0, max_value=1)),
    )


@st.composite
def organisations(
    draw: st.DrawFn,
    *,
    max_people: int = 12,
    max_sites: int = 5,
    max_specialties: int = 6,
    as_of: datetime.date = AS_OF,
    known: float = 0.5,
) -> f.Organisation:
    """Whole organisations: from tiny to several sites, with unknowns everywhere.

    ``known`` is the share of optional facts that are known (0 to 1; each is
    left unknown otherwise). Dense organisations (0.9) reach the combinations
    that meet or fail a rule; sparse ones exercise unknowns.
    """
    if not 0 <= known <= 1:
        raise ValueError(f"known is a share between 0 and 1, not {shown(known)}")
    token = _KNOWN.set(round(known * 10))
    try:
        return _organisation(draw, max_people, max_sites, max_specialties, as_of)
    finally:
        _KNOWN.reset(token)


def _organisation(draw: st.DrawFn, max_people: int, max_sites: int, max_specialties: int, as_of: datetime.date) -> f.Organisation:
    n_people = draw(st.integers(min_value=0, max_value=max_people))
    n_sites = draw(st.integers(min_value=0, max_value=max_sites))
    person_ids = [f"p{i}" for i in range(n_people)]
    site_ids = [f"s{i}" for i in range(n_sites)]
    sites_known = draw(_maybe(st.just(True))) is True
    site_refs = site_ids if sites_known else []
    people_value = draw(_maybe(people(person_ids, site_refs)))
    refs = person_ids if people_value is not None else []
    return f.Organisation(
        id="org",
        name="Generated Trust",
        kind=draw(st.sampled_from(list(f.OrganisationKind))),
        nation=draw(st.sampled_from(list(f.Nation))),
        as_of=as_of,
        beds=draw(_maybe(st.sampled_from([0, 150, 999, 1000, 1001, 1500]))),
        invasive_procedure_professions=draw(_subset(f.Profession)),
        mdt_trainees_in_invasive_areas=draw(_flag()),
        staff_headcount=draw(_maybe(st.integers(min_value=0, max_value=20000))),
        people=people_value,
        sites=draw(sites(site_ids, refs)) if sites_known else None,
        specialties=draw(_maybe(specialties(draw(st.integers(0, max_specialties)), refs))),
        board=draw(
            _or_absent(
                st.builds(
                    f.Board,
                    natssips_portfolio_holder=_or_absent(st.sampled_from(refs)) if refs else _maybe(st.just(False)),
                )
            )
        ),
        natssips_leads=draw(_maybe(natssips_leads(refs))),
        steering_group=draw(_or_absent(steering_groups(refs))),
        assurance=draw(
            _or_absent(
                st.builds(
                    f.Assurance,
                    to_board=_flag(),
                    to_sites=_flag(),
                    last_board_report_on=_maybe(dates_around(as_of)),
                    public_account=_or_absent(
                        st.builds(
                            f.PublicAccount,
                            published_on=_maybe(dates_around(as_of)),
                            publicly_available=_flag(),
                            reports_measurable_outcomes=_flag(),
                        )
                    ),
                )
            )
        ),
        patient_safety_specialists=draw(
            _or_absent(
                st.builds(
                    f.PatientSafetySpecialists,
                    natssips_in_strategic_remit=_flag(),
                    integration_with_other_roles_considered=_flag(),
                )
            )
        ),
        staffing=draw(_or_absent(staffing())),
        escalation=draw(
            _or_absent(
                st.builds(
                    f.EscalationProcedure,
                    procedure_in_place=_flag(),
                    risk_assessment=_flag(),
                    escalation_route=_flag(),
                )
            )
        ),
    )


# --------------------------------------------------------------------------
# One fact more, or one fact less: knowledge steps for monotonicity tests


@attrs.frozen
class KnowledgeStep:
    """Two organisations that differ by one fact: ``more`` knows it, ``less`` does not.

    ``path`` says where (``sites[2].natssips_lead.time_allocated``).
    """

    less: f.Organisation
    more: f.Organisation
    path: str


Steps = tuple[str | int, ...]


def _required(cls: type[Any], name: str) -> bool:
    return attrs.fields_dict(cls)[name].default is attrs.NOTHING


def _positions(org: f.Organisation) -> list[tuple[Steps, FieldInfo, Any, bool]]:
    """Every field of the organisation's facts: steps to it, its kind, its value, and whether it is required."""
    out: list[tuple[Steps, FieldInfo, Any, bool]] = []

    def walk(obj: Any, cls: type[Any], steps: Steps) -> None:
        for name, info in fields_of(cls).items():
            value = getattr(obj, name)
            here = (*steps, name)
            out.append((here, info, value, _required(cls, name)))
            if value is None or (value is False and info.kind in ("object", "ref")):
                continue
            if info.kind == "object":
                walk(value, info.type, here)
            elif info.kind == "collection":
                for index, item in enumerate(value):
                    walk(item, info.type, (*here, index))

    walk(org, f.Organisation, ())
    return out


def _replace(obj: Any, steps: Steps, value: Any) -> Any:
    head, rest = steps[0], steps[1:]
    if isinstance(head, int):
        items = list(obj)
        items[head] = _replace(items[head], rest, value) if rest else value
        return tuple(items)
    new = _replace(getattr(obj, head), rest, value) if rest else value
    return attrs.evolve(obj, **{head: new})


def _path_text(steps: Steps) -> str:
    text = ""
    for step in steps:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


_FRACTION_VALUES = [0.0, 0.05, 0.1, 0.5, 1.0]
_NUMBER_VALUES = [0.0, 0.2, 0.5, 1.0, 1.5, 2.0, 3.0]
_COUNT_VALUES = [0, 1, 2, 3, 4, 999, 1000, 1500]


def _ids(org: f.Organisation, target: type[Any]) -> list[str]:
    field = "people" if target is f.Person else "sites"
    return [item.id for item in getattr(org, field) or ()]


def _fill_value(org: f.Organisation, owner: type[Any], info: FieldInfo) -> st.SearchStrategy[Any] | None:
    """Values a field left unknown could take, or None when filling it adds no fact."""
    if info.kind == "scalar":
        if info.type is bool:
            return st.booleans()
        if info.type is int:
            return st.sampled_from(_COUNT_VALUES)
        if info.type is float:
            fraction = f.field_spec(owner, info.name).kind == "fraction"
            return st.sampled_from(_FRACTION_VALUES if fraction else _NUMBER_VALUES)
        if info.type is datetime.date:
            return dates_around(org.as_of)
        if info.type is str:
            return st.just("Filled in")
        return st.sampled_from(list(info.type))
    if info.kind == "enumset":
        return st.lists(st.sampled_from(list(info.type)), unique=True).map(tuple)
    if info.kind == "collection":
        return st.just(())
    if info.kind in ("ref", "reflist"):
        ids = _ids(org, info.type)
        absent = st.just(False) if info.absent_ok else None
        if not ids:
            return st.just(()) if info.kind == "reflist" else absent
        one = st.sampled_from(ids)
        if info.kind == "reflist":
            return st.lists(one, unique=True).map(tuple)
        return one if absent is None else (one | absent)
    if info.kind == "object" and info.absent_ok:
        # an object left out is the same as one with every field unknown; learning there is none adds a fact
        return st.just(False)
    return None  # evidence is never read


def _owner(org: f.Organisation, steps: Steps) -> type[Any]:
    obj: Any = org
    for step in steps[:-1]:
        obj = obj[step] if isinstance(step, int) else getattr(obj, step)
    return type(obj)


@st.composite
def filled(draw: st.DrawFn, orgs: st.SearchStrategy[f.Organisation] | None = None) -> KnowledgeStep:
    """An organisation (``less``) and the same with one unknown fact filled in (``more``)."""
    org = draw(organisations() if orgs is None else orgs)
    candidates = []
    for steps, info, value, _ in _positions(org):
        if value is None:
            strategy = _fill_value(org, _owner(org, steps), info)
            if strategy is not None:
                candidates.append((steps, strategy))
    assume(candidates)
    steps, strategy = draw(st.sampled_from(candidates))
    return KnowledgeStep(less=org, more=_replace(org, steps, draw(strategy)), path=_path_text(steps))


@st.composite
def erased(draw: st.DrawFn, orgs: st.SearchStrategy[f.Organisation] | None = None) -> KnowledgeStep:
    """An organisation (``more``) and the same with one known fact erased (``less``).

    People and sites as a whole are never erased: other facts refer to them.
    """
    org = draw(organisations() if orgs is None else orgs)
    candidates = [
        steps
        for steps, info, value, required in _positions(org)
        if value is not None and not required and info.kind != "evidence" and steps not in (("people",), ("sites",))
    ]
    assume(candidates)
    steps = draw(st.sampled_from(candidates))
    return KnowledgeStep(less=_replace(org, steps, None), more=org, path=_path_text(steps))


@st.composite
def shuffled(draw: st.DrawFn, org: f.Organisation) -> f.Organisation:
    """``org`` with every list in its facts (items, references, enumerated values) in another order."""

    def walk(obj: Any, cls: type[Any]) -> Any:
        changes: dict[str, Any] = {}
        for name, info in fields_of(cls).items():
            value = getattr(obj, name)
            if value is None or (value is False and info.kind in ("object", "ref")):
                continue
            if info.kind == "object":
                changes[name] = walk(value, info.type)
            elif info.kind == "collection":
                changes[name] = tuple(draw(st.permutations([walk(item, info.type) for item in value])))
            elif info.kind in ("reflist", "enumset"):
                changes[name] = tuple(draw(st.permutations(list(value))))
        return attrs.evolve(obj, **changes) if changes else obj

    result: f.Organisation = walk(org, f.Organisation)
    return result


# --------------------------------------------------------------------------
# Conditions and local rules, generated from the condition language

#: Parameter names the generated rules may reuse: a local rule's parameter of the
#: same name as a built-in one must never change the built-in rule.
SHARED_PARAMETER_NAMES = ("large_trust_min_beds", "lead_min_sessions_large", "annual_max_age_days")


def _leaf_paths(cls: type[Any], prefix: str = "", depth: int = 1) -> list[tuple[str, FieldInfo]]:
    """Paths a condition on ``cls`` may read: its own fields, and one step into objects and references."""
    out: list[tuple[str, FieldInfo]] = []
    for name, info in fields_of(cls).items():
        path = f"{prefix}{name}"
        if info.kind in ("scalar", "enumset", "collection", "reflist"):
            out.append((path, info))
        elif info.kind in ("object", "ref"):
            out.append((path, info))  # for present / is_known
            if depth > 0:
                out += _leaf_paths(info.type, f"{path}.", depth - 1)
    return out


@st.composite
def _leaf(draw: st.DrawFn, cls: type[Any], params: dict[str, Any], nested: bool) -> Any:
    paths = _leaf_paths(cls)
    if cls is not f.Organisation and not nested:
        paths += [(f"organisation.{p}", i) for p, i in _leaf_paths(f.Organisation, depth=0)]
    path, info = draw(st.sampled_from(paths))
    if draw(st.integers(0, 9)) == 0:
        return c.IsKnown(path)
    if info.kind in ("object", "ref"):
        return c.Present(path)
    if info.kind == "enumset":
        values = draw(st.lists(st.sampled_from([m.value for m in info.type]), unique=True, max_size=3))
        return c.Includes(path, tuple(values))
    if info.kind in ("collection", "reflist"):
        where = None
        if not nested and draw(st.booleans()):
            where = draw(conditions(info.type, depth=1, nested=True, params=params))
        numbers = [n for n, i in fields_of(info.type).items() if i.is_number] if info.kind == "collection" else []
        if numbers and draw(st.integers(0, 2)) == 0:
            return c.Sum(
                path,
                draw(st.sampled_from(numbers)),
                draw(st.sampled_from(c.COMPARISON_OPERATORS)),
                draw(st.sampled_from([0, 0.5, 1, 1.5, 2, 3])),
                where,
            )
        return c.Count(path, draw(st.sampled_from(c.COMPARISON_OPERATORS)), draw(st.integers(0, 3)), where)
    tp = info.type
    if tp is bool:
        return c.Compare(path, draw(st.sampled_from(["==", "!="])), draw(st.booleans()))
    if tp in (int, float):
        if not nested and draw(st.integers(0, 3)) == 0:
            name = draw(st.sampled_from(SHARED_PARAMETER_NAMES))
            params.setdefault(name, draw(st.sampled_from([0, 1, 2, 366, 1000])))
            value: Any = c.Param(name)
        else:
            value = draw(st.sampled_from([0, 0.5, 1, 2, 3, 1000]) | st.integers(0, 200))
        return c.Compare(path, draw(st.sampled_from(c.COMPARISON_OPERATORS)), value)
    if tp is datetime.date:
        return c.WithinDays(path, draw(st.sampled_from([0, 30, 365, 366])))
    if tp is str:
        values = draw(st.lists(st.sampled_from(["p0", "s1", "sp2", "x", "Person p0", "Site 1"]), unique=True, max_size=2))
        if draw(st.integers(0, 7)) == 0:
            # a Trust's list of codes: hundreds or thousands of values
            size = draw(st.sampled_from([255, 256, 257, 511, 512, 600, 2000]))
            values += [f"code {i}" for i in range(size)]
        return c.In(path, tuple(values))
    members = [m.value for m in tp]
    if draw(st.booleans()):
        return c.Compare(path, draw(st.sampled_from(["==", "!="])), draw(st.sampled_from(members)))
    return c.In(path, tuple(draw(st.lists(st.sampled_from(members), unique=True, min_size=1, max_size=3))))


def conditions(
    cls: type[Any], *, depth: int = 2, nested: bool = False, params: dict[str, Any] | None = None
) -> st.SearchStrategy[Any]:
    """Valid conditions judged on facts class ``cls``, up to ``depth`` levels of all/any/not.

    Numeric comparisons sometimes use a parameter; its name and value are put
    in ``params`` (pass a dict to collect them).
    """
    store: dict[str, Any] = {} if params is None else params
    leaf = _leaf(cls, store, nested)
    if depth <= 0:
        return leaf

    def extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(
            st.lists(children, min_size=1, max_size=3).map(c.AllOf),
            st.lists(children, min_size=1, max_size=3).map(c.AnyOf),
            children.map(c.Not),
            children.map(lambda sub: c.Named("a named part", sub, "Do what the part asks")),
        )

    return st.recursive(leaf, extend, max_leaves=4 if depth >= 2 else 2)


def _deep(draw: st.DrawFn, condition: Any) -> Any:
    """``condition`` wrapped in up to 20 more levels of all/any/not (the language allows 32 in all)."""
    for _ in range(draw(st.integers(5, 20))):
        wrap = draw(st.sampled_from(["all", "any", "not"]))
        condition = c.AllOf([condition]) if wrap == "all" else c.AnyOf([condition]) if wrap == "any" else c.Not(condition)
    return condition


@st.composite
def local_rules(draw: st.DrawFn, rule_id: str | None = None, subject: SubjectKind | None = None) -> Rule:
    """A valid local rule built from the condition language, for any subject (or ``subject``).

    Now and then its condition is deeply nested, or holds a long ``in`` list
    (hundreds or thousands of values), as Trusts' rules files do.
    """
    kind = subject or draw(st.sampled_from(list(SubjectKind)))
    params: dict[str, Any] = {}
    holds = draw(conditions(kind.facts_class, params=params))
    if draw(st.integers(0, 9)) == 0:
        holds = _deep(draw, holds)
    applies_when = draw(st.none() | conditions(kind.facts_class, depth=1, params=params))
    # a rule may declare a parameter it documents but does not compare with; reusing a built-in
    # parameter's name must not change the built-in rule either way
    for name in SHARED_PARAMETER_NAMES:
        if draw(st.booleans()):
            params.setdefault(name, draw(st.sampled_from([0, 1, 2, 366, 1000])))
    return Rule(
        id=rule_id or draw(st.sampled_from(["trust.local-1", "trust.local-2", "northvale.policy-3.1"])),
        title="A generated local rule",
        citation=Citation(document="Generated Trust policy", section="1", clause="1.1", quote="A generated clause."),
        level=draw(st.sampled_from(list(Level))),
        subject=kind,
        holds=holds,
        applies_when=applies_when,
        parameters=[
            Parameter(name=name, default=value, description="Generated.", interpretation="Generated.")
            for name, value in sorted(params.items())
        ],
        requirement="The generated condition holds.",
        remediation="None: a generated rule.",
        origin="local",
    )


@st.composite
def local_rule_sets(draw: st.DrawFn, min_rules: int = 1, max_rules: int = 40) -> tuple[Rule, ...]:
    """Between ``min_rules`` and ``max_rules`` local rules with distinct ids, as a Trust's rules file holds them.

    Large sets (hundreds of rules) make rules share the facts and tests they
    read, which is where a rules engine's tables fill up.
    """
    count = draw(st.integers(min_rules, max_rules))
    subject = draw(st.none() | st.sampled_from(list(SubjectKind)))  # sometimes every rule about one subject
    return tuple(draw(local_rules(rule_id=f"trust.rule-{i}", subject=subject)) for i in range(count))


# --------------------------------------------------------------------------
# Every shape of the condition language: what check accepts, as a Trust might write it


#: Numbers a rule may compare with, at the limits as well as in the middle (10^15 is the largest allowed).
LIMIT_NUMBERS = (0, 0.5, 1, 2, 12, 13, 999, 1000, 10**9, 10**15, 1e15, -(10**15), 2.5e-7)
#: Day spans of ``within_days``, to the span of the calendar (0001-01-01 to 9999-12-31).
LIMIT_DAYS = (0, 1, 30, 365, 366, 739_706, 3_652_058)
#: Counts a rule may compare with: small ones, and the ones above 12 a Trust's counts reach.
LIMIT_COUNTS = (0, 1, 2, 3, 12, 13, 20, 10_000)
#: Evaluation dates at the ends of the calendar, beside the facts' own.
LIMIT_DATES = (datetime.date(1, 1, 1), datetime.date(9999, 12, 31))


def _is_enum(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, enum.Enum)


def _wide_paths(cls: type[Any], nested: bool) -> list[tuple[str, FieldInfo]]:
    """Paths from ``cls`` (two steps into objects and references) and, from the organisation, its own paths."""
    paths = _leaf_paths(cls, depth=2)
    if not nested or cls is not f.Organisation:
        paths += [(f"organisation.{p}", i) for p, i in _leaf_paths(f.Organisation, depth=2)]
    if nested:  # inside a 'where': no list conditions (check refuses a count, sum or covers there)
        paths = [(p, i) for p, i in paths if i.kind not in ("collection", "reflist")]
    return paths


def _scalar_constant(draw: st.DrawFn, info: FieldInfo) -> Any:
    tp = info.type
    if tp is bool:
        return draw(st.booleans())
    if tp in (int, float):
        return draw(st.sampled_from(LIMIT_NUMBERS))
    if tp is str:
        return draw(st.sampled_from(["p0", "s1", "Person p0", "Site 1", "x" * 2000]))
    return draw(st.sampled_from([m.value for m in tp]))


@st.composite
def _wide_leaf(draw: st.DrawFn, cls: type[Any], params: dict[str, Any], nested: bool) -> Any:
    paths = _wide_paths(cls, nested)
    lists = [(p, i) for p, i in paths if i.kind in ("collection", "reflist")]
    path, info = draw(st.sampled_from(lists if lists and draw(st.integers(0, 2)) == 0 else paths))
    if draw(st.integers(0, 11)) == 0:
        return c.IsKnown(path)
    if draw(st.integers(0, 15)) == 0:
        name = "reading"
        params.setdefault(name, ("strict",))
        return c.Option(name, draw(st.sampled_from(["strict", "loose"])))
    if info.kind in ("object", "ref"):
        return c.Present(path)
    if info.kind == "enumset":
        return c.Includes(path, tuple(draw(st.lists(st.sampled_from([m.value for m in info.type]), unique=True, max_size=3))))
    if info.kind in ("collection", "reflist"):
        return draw(_wide_list(path, info, params, nested))
    tp = info.type
    if tp is datetime.date:
        days: Any = draw(st.sampled_from(LIMIT_DAYS))
        if draw(st.booleans()):
            params.setdefault("days", days)
            days = c.Param("days")
        return c.WithinDays(path, days)
    if tp in (int, float):
        value: Any = _scalar_constant(draw, info)
        if draw(st.integers(0, 3)) == 0:
            params.setdefault("number", value)
            value = c.Param("number")
        return c.Compare(path, draw(st.sampled_from(c.COMPARISON_OPERATORS)), value)
    if tp is bool or draw(st.booleans()):
        return c.Compare(path, draw(st.sampled_from(["==", "!="])), _scalar_constant(draw, info))
    values = tuple(draw(st.lists(st.builds(_scalar_constant, st.just(draw), st.just(info)), unique=True, max_size=3)))
    if tp is str and draw(st.integers(0, 5)) == 0:
        values += tuple(f"code {i}" for i in range(draw(st.sampled_from([255, 256, 257, 700]))))
    return c.In(path, values)


@st.composite
def _wide_list(draw: st.DrawFn, path: str, info: FieldInfo, params: dict[str, Any], nested: bool) -> Any:
    """A count, sum or covers of the list at ``path`` (none inside another's 'where': check refuses that)."""
    item_fields = fields_of(info.type)
    where = None
    if not nested and draw(st.booleans()):
        where = draw(any_conditions(info.type, depth=1, nested=True, params=params))
    numbers = [n for n, i in item_fields.items() if i.is_number] if info.kind == "collection" else []
    covered = [(n, i) for n, i in item_fields.items() if i.kind == "scalar" and (i.type is str or _is_enum(i.type))]
    shape = draw(st.sampled_from(["count", "count", *(["sum", "sum"] if numbers else []), *(["covers"] * 2 if covered else [])]))
    op = draw(st.sampled_from(c.COMPARISON_OPERATORS))
    if shape == "sum":
        value: Any = draw(st.sampled_from(LIMIT_NUMBERS))
        return c.Sum(path, draw(st.sampled_from(numbers)), op, value, where)
    if shape == "covers":
        name, field = draw(st.sampled_from(covered))
        values: Any = tuple(draw(st.lists(st.builds(_scalar_constant, st.just(draw), st.just(field)), unique=True, max_size=3)))
        if draw(st.booleans()) and params.setdefault(f"covered_{name}", values) == values:
            values = c.Param(f"covered_{name}")
        return c.Covers(path, name, values)
    count: Any = draw(st.sampled_from(LIMIT_COUNTS))
    if draw(st.integers(0, 4)) == 0:
        params.setdefault("count", count)
        count = c.Param("count")
    return c.Count(path, op, count, where)


def any_conditions(
    cls: type[Any], *, depth: int = 3, nested: bool = False, params: dict[str, Any] | None = None
) -> st.SearchStrategy[Any]:
    """Conditions on facts class ``cls`` reaching every node of the language and every kind of path.

    Every node kind (``covers`` and ``option`` included), paths from the
    subject two steps deep, ``organisation.`` paths, lists of lists, several
    list conditions over the organisation's lists in one condition, counts
    above 12, sums, numbers and day spans at their limits. Parameters used are
    put in ``params``. Only what the rule checks accept (no count, sum or
    covers inside another's ``where``).
    """
    store: dict[str, Any] = {} if params is None else params
    leaf = _wide_leaf(cls, store, nested)
    if depth <= 0:
        return leaf

    def extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(
            st.lists(children, min_size=1, max_size=4).map(c.AllOf),
            st.lists(children, min_size=1, max_size=4).map(c.AnyOf),
            children.map(c.Not),
            children.map(lambda sub: c.Named("a named part", sub, "Do what the part asks")),
        )

    return st.recursive(leaf, extend, max_leaves=6 if depth >= 2 else 2)


@st.composite
def any_rules(draw: st.DrawFn, rule_id: str = "trust.any-1", subject: SubjectKind | None = None) -> Rule:
    """A local rule of any shape the rule checks accept (see :func:`any_conditions`); sometimes nested to the
    deepest allowed (32)."""
    kind = subject or draw(st.sampled_from(list(SubjectKind)))
    params: dict[str, Any] = {}
    holds = draw(any_conditions(kind.facts_class, params=params))
    if draw(st.integers(0, 9)) == 0:
        for _ in range(31 - _depth(holds)):
            holds = c.Not(holds) if draw(st.booleans()) else c.AllOf([holds])
    applies_when = draw(st.none() | any_conditions(kind.facts_class, depth=1, params=params))
    parameters = [
        Parameter(
            name=name,
            default=value,
            description="Generated.",
            interpretation="Generated.",
            choices=("strict", "loose") if name == "reading" else None,
        )
        for name, value in sorted(params.items())
    ]
    return Rule(
        id=rule_id,
        title="A generated local rule",
        citation=Citation(document="Generated Trust policy", section="1", clause="1.1", quote="A generated clause."),
        level=draw(st.sampled_from(list(Level))),
        subject=kind,
        holds=holds,
        applies_when=applies_when,
        parameters=parameters,
        requirement="The generated condition holds.",
        remediation="None: a generated rule.",
        origin="local",
    )


def _depth(cond: Any) -> int:
    return 1 + max((_depth(sub) for sub in c.children(cond)), default=0)


@st.composite
def any_rule_sets(draw: st.DrawFn, min_rules: int = 1, max_rules: int = 6) -> tuple[Rule, ...]:
    """Between ``min_rules`` and ``max_rules`` rules of :func:`any_rules`, with distinct ids."""
    count = draw(st.integers(min_rules, max_rules))
    return tuple(draw(any_rules(rule_id=f"trust.any-{i}")) for i in range(count))


# --------------------------------------------------------------------------
# Type strategies: st.from_type gives valid facts too


def _register() -> None:
    people_ids = ["p0", "p1", "p2"]
    register = st.register_type_strategy
    register(f.Organisation, organisations())
    register(f.Person, people(people_ids[:1], []).map(lambda t: t[0]))
    register(f.Site, sites(["s0"], people_ids).map(lambda t: t[0]))
    register(f.Specialty, specialties(1, people_ids).map(lambda t: t[0]))
    register(f.SteeringGroup, steering_groups(people_ids))
    register(f.Staffing, staffing())
    register(f.StaffingFactors, staffing_factors())


_register()
