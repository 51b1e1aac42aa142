"""Writes the analysis corpus: 25 correct, non-vacuous local rules files and 25 with one planted problem each.

    python tests/analysis/corpus/make.py

Each correct file's rules can each be met and fail, contradict nothing and repeat nothing; several use what the
analysis once got wrong (one person in two roles, two doctors and two nurses, at most 20 members, another staffing
factor, dates centuries apart, covers on a text field). Each planted file holds one problem, named in expected.json
(kind, rule, other rule). benchmarks/analysis_corpus.py runs the analysis on every file and counts false claims,
false alarms, crashes and problems caught.
"""

import json
import pathlib

HERE = pathlib.Path(__file__).parent


def cmp(path, op, value):
    return {"op": "compare", "path": path, "compare": op, "value": value}


def known(path):
    return {"op": "is_known", "path": path}


def present(path):
    return {"op": "present", "path": path}


def all_(*of):
    return {"op": "all", "of": list(of)}


def any_(*of):
    return {"op": "any", "of": list(of)}


def not_(of):
    return {"op": "not", "of": of}


def count(path, op, n, where=None):
    out = {"op": "count", "path": path, "compare": op, "value": n}
    if where is not None:
        out["where"] = where
    return out


def total(path, field, op, value, where=None):
    out = {"op": "sum", "path": path, "field": field, "compare": op, "value": value}
    if where is not None:
        out["where"] = where
    return out


def within(path, days):
    return {"op": "within_days", "path": path, "days": days}


def covers(path, field, values):
    return {"op": "covers", "path": path, "field": field, "values": values}


def in_(path, values):
    return {"op": "in", "path": path, "values": values}


def includes(path, values):
    return {"op": "includes", "path": path, "values": values}


def option(param, value):
    return {"op": "option", "param": param, "value": value}


def rule(rule_id, holds, subject="organisation", applies_when=None, parameters=None):
    out = {
        "id": rule_id,
        "title": f"Trust rule {rule_id}",
        "level": "must",
        "subject": subject,
        "requirement": "What the Trust policy asks.",
        "remediation": "Do what the Trust policy asks.",
        "citation": {"section": "1", "clause": rule_id.rsplit(".", 1)[-1], "quote": "A clause of the Trust policy."},
        "holds": holds,
    }
    if applies_when is not None:
        out["applies_when"] = applies_when
    if parameters:
        out["parameters"] = parameters
    return out


def param(name, default):
    return {"name": name, "default": default, "description": "A Trust choice.", "interpretation": "The Trust's reading."}


def waiver(rule_id):
    return {
        "rule": rule_id,
        "justification": "Agreed while the post is recruited.",
        "approved_by": "Quality Committee",
        "expires": "2027-03-31",
    }


def tailor(rule_id, name, value):
    return {"rule": rule_id, "parameter": name, "value": value, "rationale": "The Trust's reading.", "approved_by": "Board"}


MEDICAL = cmp("profession", "==", "medical")
NURSING = cmp("profession", "==", "nursing")

CORRECT = {
    "beds-recorded": [rule("t.beds", known("beds")), rule("t.headcount", cmp("staff_headcount", ">=", 50))],
    "two-roles": [
        rule(
            "t.holder-in-group",
            all_(
                cmp("board.natssips_portfolio_holder.id", "==", "dr-a"),
                count("steering_group.members", ">=", 1, cmp("id", "==", "dr-a")),
            ),
        )
    ],
    "doctors-and-nurses": [
        rule("t.mix", all_(count("steering_group.members", ">=", 2, MEDICAL), count("steering_group.members", ">=", 2, NURSING)))
    ],
    "small-group": [rule("t.group-size", count("steering_group.members", "<=", 20))],
    "skill-mix-factor": [
        rule(
            "t.factor-described",
            any_(
                cmp("described_by_lead", "==", True),
                not_(cmp("organisation.staffing.factors.permanent_vs_agency.described_by_lead", "==", True)),
            ),
            subject="staffing_factor",
        )
    ],
    "old-account": [rule("t.account-not-ancient", within("assurance.public_account.published_on", 100_000))],
    "named-sites": [rule("t.sites-named", covers("sites", "name", ["North Hospital", "South Hospital"]))],
    "site-time": [
        rule(
            "t.site-time",
            cmp("natssips_lead.sessions_per_week", ">=", 1.0),
            subject="site",
            applies_when=cmp("performs_invasive_procedures", "==", True),
        )
    ],
    "specialty-governance": [
        rule(
            "t.spec-gov",
            cmp("lead_has_governance_responsibility", "==", True),
            subject="specialty",
            applies_when=cmp("performs_invasive_procedures", "==", True),
        )
    ],
    "lead-chairs": [rule("t.lead-chairs", count("natssips_leads", ">=", 1, cmp("chairs_steering_group", "==", True)))],
    "meetings": [
        rule("t.meetings", cmp("meetings_in_last_year", ">=", 4), subject="steering_group"),
        rule("t.constituted", cmp("formally_constituted", "==", True), subject="steering_group"),
    ],
    "professions": [rule("t.prof", includes("invasive_procedure_professions", ["medical", "nursing"]))],
    "nation-scope": [rule("t.wales-beds", cmp("beds", ">=", 100), applies_when=cmp("nation", "==", "wales"))],
    "agency-rate": [rule("t.agency", cmp("staffing.agency_staffing_rate", "<=", 0.2))],
    "lead-time-total": [rule("t.lead-time", total("natssips_leads", "job_plan_sessions_per_week", ">=", 2.0))],
    "admin-support": [rule("t.admin", cmp("admin_support_wte", ">=", 0.5), subject="natssips_lead")],
    "lead-authority": [rule("t.authority", includes("authority_to_obtain_support", ["education"]), subject="natssips_lead")],
    "kinds": [rule("t.kind", in_("kind", ["nhs_trust", "nhs_foundation_trust"]))],
    "sites-represented": [rule("t.site-rep", cmp("represented_on_steering_group", "==", True), subject="site")],
    "board-report": [rule("t.board-report", within("assurance.last_board_report_on", 120))],
    "lead-present": [rule("t.site-lead-person", present("natssips_lead.person"), subject="site")],
    "large-trust": [
        rule("t.many-sites", count("sites", ">=", 3), applies_when=cmp("beds", ">=", 1000)),
        rule("t.small-sites", count("sites", "<=", 2), applies_when=cmp("beds", "<", 1000)),
    ],
    "waiver-for-evidence": [rule("t.headcount-known", cmp("staff_headcount", ">=", 10))],
    "trainees": [
        rule(
            "t.trainees",
            cmp("trainees_part_of_group", "==", True),
            subject="specialty",
            applies_when=cmp("organisation.mdt_trainees_in_invasive_areas", "==", True),
        )
    ],
    "turnover": [
        rule(
            "t.turnover",
            any_(
                cmp("staffing.staff_turnover_rate", "<", 0.15),
                cmp("staffing.factors.resilience_and_wellbeing.described_by_lead", "==", True),
            ),
        )
    ],
}
# a correct file may hold notes (a bounded claim) but no problem; a waiver of a rule that can fail is not useless
CORRECT_EXTRA = {"waiver-for-evidence": {"waivers": [waiver("t.headcount-known")]}}

PLANTED = {
    "never-met-range": ([rule("p.range", all_(cmp("beds", ">=", 500), cmp("beds", "<", 100)))], ("never_met", "p.range", None)),
    "never-fails-tautology": ([rule("p.taut", any_(known("beds"), not_(known("beds"))))], ("never_fails", "p.taut", None)),
    "never-fails-zero": ([rule("p.zero", cmp("staff_headcount", ">=", 0))], ("never_fails", "p.zero", None)),
    "never-applies": (
        [rule("p.never", known("beds"), applies_when=all_(cmp("beds", ">", 10), cmp("beds", "<", 5)))],
        ("never_applies", "p.never", None),
    ),
    "never-met-count": ([rule("p.count", all_(count("sites", ">=", 3), count("sites", "<", 2)))], ("never_met", "p.count", None)),
    "contradicts-builtin": (
        [rule("p.no-lead", count("natssips_leads", "==", 0))],
        ("contradicts", "p.no-lead", "roles.natssips-lead"),
    ),
    "repeats-builtin": ([], None),  # the built-in rule's own conditions, filled in by write()
    "contradicts-local": (
        [rule("p.big", cmp("beds", ">=", 500)), rule("p.small", cmp("beds", "<", 100))],
        ("contradicts", "p.big", "p.small"),
    ),
    "duplicate-local": (
        [
            rule("p.one", cmp("meetings_in_last_year", ">=", 4), subject="steering_group"),
            rule("p.two", cmp("meetings_in_last_year", ">=", 4), subject="steering_group"),
        ],
        ("repeats", "p.one", "p.two"),
    ),
    "cross-subject": (
        [rule("p.org-small", cmp("beds", "<", 100)), rule("p.site-large", cmp("organisation.beds", ">=", 200), subject="site")],
        ("contradicts", "p.org-small", "p.site-large"),
    ),
    "dead-part-any": (
        [
            rule(
                "p.dead-any",
                all_(
                    cmp("beds", ">=", 100),
                    any_(cmp("staff_headcount", ">=", 10), all_(cmp("beds", "<", 50), known("staff_headcount"))),
                ),
            )
        ],
        ("part_never_matters", "p.dead-any", None),
    ),
    "dead-part-all": (
        [rule("p.dead-all", all_(cmp("beds", ">=", 100), cmp("beds", ">=", 50)))],
        ("part_never_matters", "p.dead-all", None),
    ),
    "switched-off": (
        [rule("p.off", known("beds"), applies_when=option("scope", "day_case"), parameters=[param("scope", ["inpatient"])])],
        ("switched_off", "p.off", None),
    ),
    "waiver-useless": ([rule("p.always", any_(known("beds"), not_(known("beds"))))], ("waiver_useless", "p.always", None)),
    "tailoring-automatic": ([], ("tailoring_automatic", "roles.natssips-lead.authority", None)),
    "tailoring-exclusive-never-met": (
        [rule("p.sites-and-none", all_(count("sites", ">=", 1), not_(count("sites", ">=", 1))))],
        ("never_met", "p.sites-and-none", None),
    ),
    "never-met-members": (
        [rule("p.members", all_(count("steering_group.members", ">=", 5), count("steering_group.members", "<=", 3)))],
        ("never_met", "p.members", None),
    ),
    "never-met-factor": (
        [
            rule(
                "p.factor",
                all_(cmp("described_by_lead", "==", True), cmp("described_by_lead", "==", False)),
                subject="staffing_factor",
            )
        ],
        ("never_met", "p.factor", None),
    ),
    "never-met-in": (
        [rule("p.in", all_(in_("kind", ["nhs_trust"]), in_("kind", ["health_board"])))],
        ("never_met", "p.in", None),
    ),
    "never-fails-or": (
        [
            rule(
                "p.or",
                any_(
                    cmp("mdt_trainees_in_invasive_areas", "==", True),
                    cmp("mdt_trainees_in_invasive_areas", "==", False),
                    not_(known("mdt_trainees_in_invasive_areas")),
                ),
            )
        ],
        ("never_fails", "p.or", None),
    ),
    "contradicts-site-local": (
        [
            rule("p.site-rep", cmp("represented_on_steering_group", "==", True), subject="site"),
            rule("p.site-norep", cmp("represented_on_steering_group", "==", False), subject="site"),
        ],
        ("contradicts", "p.site-rep", "p.site-norep"),
    ),
    "never-met-covers": (
        [rule("p.covers", all_(covers("sites", "name", ["North"]), not_(count("sites", ">=", 1))))],
        ("never_met", "p.covers", None),
    ),
    "never-applies-specialty": (
        [
            rule(
                "p.spec",
                known("name"),
                subject="specialty",
                applies_when=all_(
                    cmp("performs_invasive_procedures", "==", True), cmp("performs_invasive_procedures", "==", False)
                ),
            )
        ],
        ("never_applies", "p.spec", None),
    ),
    "dead-part-applies": (
        [
            rule(
                "p.dead-applies",
                known("beds"),
                applies_when=all_(cmp("staff_headcount", ">=", 10), cmp("staff_headcount", ">=", 5)),
            )
        ],
        ("part_never_matters", "p.dead-applies", None),
    ),
    "never-fails-dates": (
        [rule("p.date", any_(within("assurance.last_board_report_on", 30), not_(within("assurance.last_board_report_on", 30))))],
        ("never_fails", "p.date", None),
    ),
}
PLANTED_EXTRA = {
    "waiver-useless": {"waivers": [waiver("p.always")]},
    "tailoring-automatic": {"tailoring": {"parameters": [tailor("roles.natssips-lead.authority", "required_support_areas", [])]}},
}


def write() -> None:
    import natssips_rules as nr

    board = nr.builtin_rules()["roles.board-member"].to_data()
    PLANTED["repeats-builtin"] = (
        [rule("p.board-again", board["holds"], applies_when=board.get("applies_when"))],
        ("repeats", "p.board-again", "roles.board-member"),
    )
    expected: dict[str, list[list[str | None]]] = {}
    for folder, files, extra in (
        ("correct", {k: (v, None) for k, v in CORRECT.items()}, CORRECT_EXTRA),
        ("planted", PLANTED, PLANTED_EXTRA),
    ):
        (HERE / folder).mkdir(exist_ok=True)
        for i, (name, (rules, expect)) in enumerate(sorted(files.items()), start=1):
            data = {"source": {"document": f"Corpus Trust policy: {name}"}, "rules": rules, **extra.get(name, {})}
            path = HERE / folder / f"{i:02d}-{name}.json"
            path.write_text(json.dumps(data, indent=1) + "\n")
            if expect is not None:
                expected[f"{folder}/{path.name}"] = [list(expect)]
    (HERE / "expected.json").write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    write()
