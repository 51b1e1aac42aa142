"""The report layer: findings and reports, and their renderings.

``model`` (Finding, Report, Status, Summary), ``text`` (the plain-text
report), ``board`` (the Board assurance report in Markdown and HTML),
``diff`` (what changed between two reports) and ``account`` (the draft
annual public account).
"""
