"""The rules layer: rules as data, and how they are built, checked, tailored and read from files.

``model`` (Rule, RuleSet, Citation, Level, Parameter, SubjectKind),
``conditions`` (the condition language), ``describe`` (conditions in words),
``tailoring`` (local rules, tailoring, waivers), ``files`` (rules files) and
``plugins`` (rules from installed packages).
"""
