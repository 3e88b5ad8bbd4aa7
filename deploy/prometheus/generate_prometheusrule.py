#!/usr/bin/env python3
"""Writes deploy/k8s/base/monitoring/prometheusrule.yaml from deploy/prometheus/rules/switchyard.rules.yml.

Usage: generate_prometheusrule.py [--check] [SOURCE_DIR]

The PrometheusRule (Prometheus Operator) carries the rule file's groups verbatim, comments
included, under `spec:`, so the two cannot drift: edit the rule file, then run this script.
--check writes nothing and exits 1 (naming this command) if the committed object differs from
what it would generate (ctest prometheus_rule_object; tests/deploy/check_k8s.py also compares
the rendered object's groups with the rule file).
"""
import os
import sys

RULES = "deploy/prometheus/rules/switchyard.rules.yml"
OUTPUT = "deploy/k8s/base/monitoring/prometheusrule.yaml"

HEADER = """\
# GENERATED from {rules} by deploy/prometheus/generate_prometheusrule.py: do not edit here.
# Edit the rule file (promtool-tested by deploy/prometheus/tests), then run
#   deploy/prometheus/generate_prometheusrule.py
# The Prometheus Operator loads it when its ruleSelector matches (kube-prometheus-stack: the
# `release` label, set by each overlay's prometheus-release-label.yaml; docs/deploy.md).
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: switchyard
  labels:
    app.kubernetes.io/name: switchyard
spec:
"""


def generate(source_dir):
    with open(os.path.join(source_dir, RULES), encoding="utf-8") as f:
        lines = f.read().rstrip("\n").split("\n")
    start = next(i for i, l in enumerate(lines) if l.startswith("groups:"))
    body = "\n".join(("  " + l) if l.strip() else "" for l in lines[start:])
    return HEADER.format(rules=RULES) + body + "\n"


def main(argv):
    args = [a for a in argv[1:] if a != "--check"]
    source_dir = os.path.abspath(args[0]) if args else os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    text = generate(source_dir)
    out = os.path.join(source_dir, OUTPUT)
    if "--check" in argv:
        current = open(out, encoding="utf-8").read() if os.path.exists(out) else None
        if current != text:
            print(f"{OUTPUT} is not what {RULES} generates: run deploy/prometheus/generate_prometheusrule.py",
                  file=sys.stderr)
            return 1
        print(f"{OUTPUT} matches {RULES}")
        return 0
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
