from natssips_rules.cli import run

run()
