#!/usr/bin/env python3
"""Static checks of Switchyard's Grafana dashboards and Prometheus rules (standard library only).

  lint_observability.py dashboards SOURCE_DIR
      Every deploy/grafana/dashboards/*.json parses; has a unique uid, a schemaVersion and a
      `datasource` variable of type datasource (prometheus); every panel except rows has the
      datasource ${datasource}, a gridPos and targets that each have a refId and an expr; panel ids
      are unique; template variables used in exprs are defined and matched with =~; a `namespace`
      variable exists (label_values(..., namespace)), scopes every other variable's query, filters
      every metric selector (namespace=~"$namespace") and is kept by every aggregation; and every
      metric name in an expr or a variable query is one our services export (found in the C++
      sources: .Name("...") of prometheus-cpp builders, histograms with _bucket/_sum/_count) or
      Prometheus' own `up`.

  lint_observability.py rules SOURCE_DIR
      Every alert in deploy/prometheus/rules/*.yml has labels.severity and the annotations
      summary, description and runbook_url; every aggregation keeps the namespace label (by
      (namespace, ...) or without (...) not naming it) and every on (...) matching names it; every metric name in an expr is exported by our
      services, recorded by a rule, `up`, or an allowed kube-state-metrics series.

  lint_observability.py runbooks SOURCE_DIR
      Every runbook_url anchor (…/runbooks.md#anchor) is a heading of docs/runbooks.md.

  lint_observability.py metrics SOURCE_DIR
      Prints the exported metric names (for debugging).

Exit status 0 when everything holds, 1 with one line per problem otherwise.
"""

import glob
import json
import os
import re
import sys

# Series that alerts may use although our services do not export them.
EXTERNAL_ALERT_METRICS = {"kube_pod_container_status_restarts_total"}
PROMETHEUS_OWN = {"up"}

BUILDER_RE = re.compile(r"Build(Counter|Gauge|Histogram|Summary|Info)\s*\(\s*\)")
NAME_RE = re.compile(r'\.Name\(\s*"([A-Za-z_:][A-Za-z0-9_:]*)"\s*\)')

PROMQL_KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or",
                   "unless", "offset", "inf", "nan"}
STRING_RE = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
NAME_MATCHER_RE = re.compile(r'__name__\s*(=~|!=|!~|=)\s*"((?:[^"\\]|\\.)*)"')
GROUPING_RE = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
TOKEN_RE = re.compile(r"0x[0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[a-zA-Z]*|[A-Za-z_:][A-Za-z0-9_:]*")
TEMPLATE_VAR_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::[A-Za-z]+)?\}|\$([A-Za-z_][A-Za-z0-9_]*)|\[\[([A-Za-z_][A-Za-z0-9_]*)\]\]")
GRAFANA_BUILTINS = {"__rate_interval", "__interval", "__interval_ms", "__range", "__range_s", "__range_ms",
                    "__from", "__to", "__dashboard", "__org", "__user", "__name", "__all"}


def exported_metrics(source_dir):
    """{name: type} of every metric registered in libs/ and services/ (prometheus-cpp builders)."""
    found = {}
    for sub in ("libs", "services"):
        for path in glob.glob(os.path.join(source_dir, sub, "**", "*.*"), recursive=True):
            if not path.endswith((".cpp", ".cc", ".h", ".hpp")):
                continue
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            for m in NAME_RE.finditer(text):
                builders = list(BUILDER_RE.finditer(text, max(0, m.start() - 300), m.start()))
                found[m.group(1)] = builders[-1].group(1) if builders else "unknown"
    return found


def allowed_series_names(exported):
    names = set(PROMETHEUS_OWN)
    for name, kind in exported.items():
        if kind in ("Histogram", "unknown"):
            names.update({name + "_bucket", name + "_sum", name + "_count"})
        if kind in ("Summary", "unknown"):
            names.update({name + "_sum", name + "_count"})
        if kind != "Histogram":
            names.add(name)
    return names


def metric_names_in(expr):
    """(names, name_regexes): metric names an expr selects, and __name__ regex matchers."""
    names, regexes = set(), []
    for op, value in NAME_MATCHER_RE.findall(expr):
        if op == "=":
            names.add(value)
        elif op == "=~":
            regexes.append(value)
    text = STRING_RE.sub('""', expr)
    text = TEMPLATE_VAR_RE.sub(" 1m ", text)
    text = re.sub(r"\{[^}]*\}", " ", text)      # label matchers
    text = re.sub(r"\[[^\]]*\]", " ", text)     # ranges and subqueries
    text = GROUPING_RE.sub(" ", text)
    for m in TOKEN_RE.finditer(text):
        token = m.group(0)
        if token[0].isdigit():
            continue
        if token.lower() in PROMQL_KEYWORDS:
            continue
        if re.match(r"\s*\(", text[m.end():]):  # a function or an aggregation
            continue
        names.add(token)
    return names, regexes


def check_names(where, expr, allowed, problems):
    names, regexes = metric_names_in(expr)
    for name in sorted(names - allowed):
        problems.append(f"{where}: metric {name} is not exported by the services (expr: {one_line(expr)})")
    for rx in regexes:
        try:
            if not any(re.fullmatch(rx, n) for n in allowed):
                problems.append(f"{where}: __name__=~\"{rx}\" matches no exported metric")
        except re.error as e:
            problems.append(f"{where}: bad __name__ regex {rx!r}: {e}")


AGGREGATION_RE = re.compile(r"\b(sum|min|max|avg|count|group|stddev|stdvar|topk|bottomk|quantile|count_values)\s*"
                            r"(?:(by|without)\s*\(([^)]*)\)\s*)?\(")
MATCHING_RE = re.compile(r"\b(on|ignoring)\s*\(([^)]*)\)")
NAMESPACE = "namespace"
DASHBOARD_NAMESPACE_MATCHER = 'namespace=~"$namespace"'
METRIC_SELECTOR_RE = re.compile(r"\b(switchyard_[a-z0-9_]+|up)\b(\{[^}]*\})?(?!\s*\()")


def closing_paren(text, start):
    """Index of the parenthesis closing the one at text[start]."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return len(text)


def namespace_problems(expr):
    """Aggregations and vector matchings that would add up or match series of different namespaces.

    Every aggregation must keep `namespace`: `by (...)` listing it (before or after the body), or
    `without (...)` not listing it. Every `on (...)` must list it, and `ignoring (...)` must not."""
    text = STRING_RE.sub('""', expr)
    out = []
    for m in AGGREGATION_RE.finditer(text):
        op, mode, labels = m.group(1), m.group(2), m.group(3)
        if mode is None:  # the grouping may follow the body: sum(x) by (a)
            end = closing_paren(text, m.end() - 1)
            after = re.match(r"\s*(by|without)\s*\(([^)]*)\)", text[end + 1:])
            if after:
                mode, labels = after.group(1), after.group(2)
        names = {l.strip() for l in (labels or "").split(",") if l.strip()}
        if mode is None:
            out.append(f"{op}(...) aggregates across namespaces: use {op} by ({NAMESPACE}, ...)")
        elif mode == "by" and NAMESPACE not in names:
            out.append(f"{op} by ({labels.strip()}) drops the {NAMESPACE} label")
        elif mode == "without" and NAMESPACE in names:
            out.append(f"{op} without ({labels.strip()}) drops the {NAMESPACE} label")
    for m in MATCHING_RE.finditer(text):
        names = {l.strip() for l in m.group(2).split(",") if l.strip()}
        if (m.group(1) == "on") != (NAMESPACE in names):
            out.append(f"{m.group(1)} ({m.group(2).strip()}) matches series of different namespaces")
    return out


def one_line(s):
    return " ".join(s.split())


# ------------------------------------------------------------------------------- dashboards

def all_panels(panels):
    for p in panels or []:
        yield p
        yield from all_panels(p.get("panels"))


def variable_query_text(var):
    q = var.get("query", "")
    if isinstance(q, dict):
        q = q.get("query", "")
    return q if isinstance(q, str) else ""


def check_dashboards(source_dir):
    exported = exported_metrics(source_dir)
    problems = []
    if len(exported) < 5:
        problems.append(f"found only {len(exported)} metric definitions in the C++ sources: {sorted(exported)}")
    allowed = allowed_series_names(exported)
    files = sorted(glob.glob(os.path.join(source_dir, "deploy", "grafana", "dashboards", "*.json")))
    if not files:
        problems.append("no dashboards in deploy/grafana/dashboards")
    uids = {}
    panel_count = 0
    for path in files:
        name = os.path.relpath(path, source_dir)
        try:
            with open(path, encoding="utf-8") as f:
                d = json.load(f)
        except (OSError, ValueError) as e:
            problems.append(f"{name}: does not parse: {e}")
            continue
        uid = d.get("uid")
        if not uid:
            problems.append(f"{name}: no uid")
        elif uid in uids:
            problems.append(f"{name}: uid {uid} also used by {uids[uid]}")
        else:
            uids[uid] = name
        if not d.get("title"):
            problems.append(f"{name}: no title")
        if not isinstance(d.get("schemaVersion"), int) or d["schemaVersion"] < 36:
            problems.append(f"{name}: schemaVersion must be a number >= 36, is {d.get('schemaVersion')!r}")

        variables = {v.get("name"): v for v in d.get("templating", {}).get("list", [])}
        ds = variables.get("datasource")
        if not ds or ds.get("type") != "datasource" or ds.get("query") != "prometheus":
            problems.append(f"{name}: needs a template variable `datasource` of type datasource, query prometheus")
        nsvar = variables.get(NAMESPACE)
        if not nsvar or nsvar.get("type") != "query" or not re.fullmatch(
                r"\s*label_values\(.*,\s*namespace\s*\)\s*", variable_query_text(nsvar)):
            problems.append(f"{name}: needs a template variable `namespace` (query label_values(..., namespace))")
        for vname, var in variables.items():
            if var.get("type") == "query" and vname != NAMESPACE and \
                    DASHBOARD_NAMESPACE_MATCHER not in variable_query_text(var):
                problems.append(f"{name}: variable {vname}: its query must be scoped by {DASHBOARD_NAMESPACE_MATCHER}")
            if var.get("type") == "query":
                vds = var.get("datasource")
                if not isinstance(vds, dict) or vds.get("uid") != "${datasource}":
                    problems.append(f"{name}: variable {vname}: datasource must be ${{datasource}}")
                q = variable_query_text(var)
                m = re.fullmatch(r"\s*label_values\((.*),\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*", q)
                if m:
                    check_names(f"{name}: variable {vname}", m.group(1), allowed, problems)
                elif re.fullmatch(r"\s*label_values\(\s*[A-Za-z_][A-Za-z0-9_]*\s*\)\s*", q):
                    pass
                elif q.strip().startswith("query_result("):
                    check_names(f"{name}: variable {vname}", q.strip()[len("query_result("):-1], allowed, problems)
                else:
                    problems.append(f"{name}: variable {vname}: unsupported query {q!r}")

        ids = {}
        for p in all_panels(d.get("panels")):
            pid, title = p.get("id"), p.get("title", "")
            where = f"{name}: panel {pid} \"{title}\""
            if not isinstance(pid, int):
                problems.append(f"{where}: id must be a number")
            elif pid in ids:
                problems.append(f"{where}: id {pid} also used by \"{ids[pid]}\"")
            else:
                ids[pid] = title
            if not isinstance(p.get("gridPos"), dict):
                problems.append(f"{where}: no gridPos")
            if p.get("type") == "row":
                continue
            panel_count += 1
            if not title:
                problems.append(f"{where}: no title")
            pds = p.get("datasource")
            if not isinstance(pds, dict) or pds.get("uid") != "${datasource}" or pds.get("type") != "prometheus":
                problems.append(f"{where}: datasource must be {{\"type\": \"prometheus\", \"uid\": \"${{datasource}}\"}}")
            targets = p.get("targets")
            if not targets:
                problems.append(f"{where}: no targets")
                continue
            refids = set()
            for t in targets:
                ref = t.get("refId")
                if not ref or ref in refids:
                    problems.append(f"{where}: target refId {ref!r} missing or repeated")
                refids.add(ref)
                tds = t.get("datasource")
                if tds is not None and (not isinstance(tds, dict) or tds.get("uid") != "${datasource}"):
                    problems.append(f"{where} target {ref}: datasource must be ${{datasource}}")
                expr = t.get("expr")
                if not isinstance(expr, str) or not expr.strip():
                    problems.append(f"{where} target {ref}: no expr")
                    continue
                check_names(f"{where} target {ref}", expr, allowed, problems)
                for problem in namespace_problems(expr):
                    problems.append(f"{where} target {ref}: {problem}")
                for sm in METRIC_SELECTOR_RE.finditer(STRING_RE.sub('""', expr)):
                    selector = METRIC_SELECTOR_RE.search(expr, sm.start())
                    if DASHBOARD_NAMESPACE_MATCHER not in (selector.group(2) or ""):
                        problems.append(f"{where} target {ref}: {selector.group(1)} is not filtered by "
                                        f"{DASHBOARD_NAMESPACE_MATCHER}")
                for m in TEMPLATE_VAR_RE.finditer(expr):
                    var = m.group(1) or m.group(2) or m.group(3)
                    if var in GRAFANA_BUILTINS:
                        continue
                    if var not in variables:
                        problems.append(f"{where} target {ref}: uses ${var}, not defined in templating")
                    elif not re.search(r'=~\s*"[^"]*$', expr[:m.start()]):
                        problems.append(f"{where} target {ref}: ${var} must be matched with =~ (it can be All/several)")
    if not problems:
        print(f"{len(files)} dashboards, {panel_count} panels: OK "
              f"({len(exported)} exported metrics: {', '.join(sorted(exported))})")
    return problems


# ------------------------------------------------------------------------------- rules

def rules_in_yaml(path):
    """The rules of a Prometheus rule file, as dicts of the scalar fields we check.

    A small reader for the subset of YAML rule files use (block mappings, `- ` list items,
    plain/quoted scalars, `|`/`>` block scalars); the files themselves are validated by promtool.
    """
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    rules, current, section = [], None, None
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        m = re.match(r"^(\s*)(- )?([A-Za-z_]+):\s*(.*)$", line)
        if not m:
            continue
        key, value = m.group(3), m.group(4)
        if m.group(2) and key in ("record", "alert"):
            current = {"_indent": indent, "labels": {}, "annotations": {}}
            rules.append(current)
            section = None
        if current is None:
            continue
        key_indent = indent + (2 if m.group(2) else 0)
        if value.startswith(("|", ">")):
            folded = value.startswith(">")
            block = []
            while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > key_indent):
                block.append(lines[i].strip())
                i += 1
            value = (" " if folded else "\n").join(b for b in block if b)
        else:
            value = value.strip()
            if value.startswith(("'", '"')) and value.endswith(value[0]) and len(value) >= 2:
                value = value[1:-1]
        if key in ("labels", "annotations") and not value:
            section = (key, key_indent)
            continue
        if section and key_indent > section[1]:
            current[section[0]][key] = value
        else:
            section = None
            current[key] = value
    return rules


def rule_files(source_dir):
    return sorted(glob.glob(os.path.join(source_dir, "deploy", "prometheus", "rules", "*.yml")) +
                  glob.glob(os.path.join(source_dir, "deploy", "prometheus", "rules", "*.yaml")))


def check_rules(source_dir):
    exported = exported_metrics(source_dir)
    problems = []
    files = rule_files(source_dir)
    if not files:
        problems.append("no rule files in deploy/prometheus/rules")
    all_rules = [(os.path.relpath(p, source_dir), r) for p in files for r in rules_in_yaml(p)]
    allowed = allowed_series_names(exported) | EXTERNAL_ALERT_METRICS | {r["record"] for _, r in all_rules if "record" in r}
    alerts = 0
    for name, r in all_rules:
        what = f"{name}: " + (f"alert {r['alert']}" if "alert" in r else f"record {r.get('record')}")
        expr = r.get("expr", "")
        if not expr:
            problems.append(f"{what}: no expr")
        else:
            check_names(what, expr, allowed, problems)
            for problem in namespace_problems(expr):
                problems.append(f"{what}: {problem}")
        if "alert" in r:
            alerts += 1
            if r["labels"].get("severity") not in ("critical", "warning", "info"):
                problems.append(f"{what}: labels.severity must be critical, warning or info")
            for a in ("summary", "description", "runbook_url"):
                if not r["annotations"].get(a):
                    problems.append(f"{what}: no annotations.{a}")
    if not problems:
        print(f"{len(all_rules)} rules ({alerts} alerts) in {len(files)} file(s): OK")
    return problems


def github_anchor(heading):
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def check_runbooks(source_dir):
    problems = []
    doc = os.path.join(source_dir, "docs", "runbooks.md")
    with open(doc, encoding="utf-8") as f:
        anchors = {github_anchor(m.group(1)) for m in re.finditer(r"^#{1,6}\s+(.*)$", f.read(), re.M)}
    used = 0
    for path in rule_files(source_dir):
        for r in rules_in_yaml(path):
            url = r["annotations"].get("runbook_url")
            if not url:
                continue
            used += 1
            m = re.search(r"docs/runbooks\.md#(.+)$", url)
            if not m:
                problems.append(f"{os.path.relpath(path, source_dir)}: alert {r.get('alert')}: runbook_url {url} "
                                "does not point at docs/runbooks.md#<anchor>")
            elif m.group(1) not in anchors:
                problems.append(f"{os.path.relpath(path, source_dir)}: alert {r.get('alert')}: docs/runbooks.md has "
                                f"no heading with anchor #{m.group(1)}")
    if not problems:
        print(f"{used} runbook links: every anchor is a heading of docs/runbooks.md")
    return problems


def main(argv):
    if len(argv) != 3 or argv[1] not in ("dashboards", "rules", "runbooks", "metrics"):
        print(__doc__, file=sys.stderr)
        return 2
    source_dir = argv[2]
    if argv[1] == "metrics":
        for name, kind in sorted(exported_metrics(source_dir).items()):
            print(f"{name} {kind.lower()}")
        return 0
    check = {"dashboards": check_dashboards, "rules": check_rules, "runbooks": check_runbooks}[argv[1]]
    problems = check(source_dir)
    for p in problems:
        print(p)
    if problems:
        print(f"FAILED: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
