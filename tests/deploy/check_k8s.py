#!/usr/bin/env python3
"""Renders the Switchyard Kubernetes manifests with `kubectl kustomize` and checks them.

Usage: check_k8s.py DEPLOY_K8S_DIR      (e.g. deploy/k8s; renders base/ and every overlays/*/)

Environment: KUBECTL (default: kubectl on PATH, then /usr/bin/kubectl) or KUSTOMIZE (a
standalone kustomize binary, used when set). Needs python3-yaml.

Prints every check it made; exits 1 with a list of the failures if any, 0 otherwise.
"""
import base64
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys

try:
    import yaml
except ImportError:  # pragma: no cover
    print("check_k8s: PyYAML is missing: apt-get install python3-yaml", file=sys.stderr)
    sys.exit(1)

SERVICES = ("ingest", "normalize", "dispatch")
TOPICS = (
    "switchyard.raw.v1",
    "switchyard.raw.backfill.v1",
    "switchyard.fetch-jobs.v1",
    "switchyard.canonical.v1",
    "switchyard.commands.v1",
    "switchyard.raw.dlq.v1",
    "switchyard.commands.dlq.v1",
    "switchyard.activity.v1",
    "switchyard.audit.v1",
)
# The audit trail (docs/security.md): append-only, kept at least 400 days, and no KafkaUser may
# delete from it (the ACL check below allows each service exactly what it uses).
AUDIT_TOPIC = "switchyard.audit.v1"
AUDIT_MIN_RETENTION_MS = 400 * 24 * 3600 * 1000
DLQ_SOURCE = {"switchyard.raw.dlq.v1": "switchyard.raw.v1", "switchyard.commands.dlq.v1": "switchyard.commands.v1"}
# What each consumer reads (and the environment variable that can rename it), for its ScaledObject.
CONSUMED = {"normalize": ("SWITCHYARD_TOPIC_RAW", "switchyard.raw.v1"),
            "dispatch": ("SWITCHYARD_TOPIC_COMMANDS", "switchyard.commands.v1")}
DEFAULT_GROUP = {"normalize": "switchyard-normalize", "dispatch": "switchyard-dispatch",
                 "ingest": "switchyard-ingest-fetch"}  # ingest's fetch jobs
PSA_EGRESS = {"ingest", "dispatch"}  # services that call PSA APIs over HTTPS
# Listeners by audience (docs/configuration.md#listeners): variable -> (container port name,
# default address). Every service has the operator listener; only ingest the other two, which
# "off" turns off (the poller).
LISTENERS = {
    "SWITCHYARD_WEBHOOK_LISTEN": ("webhooks", "0.0.0.0:8080"),
    "SWITCHYARD_API_LISTEN": ("api", "0.0.0.0:8081"),
    "SWITCHYARD_OPERATOR_LISTEN": ("operator", "0.0.0.0:9090"),
}
OPERATOR_PORT = "operator"
SERVICE_LISTENERS = {"ingest": ("webhooks", "api", "operator"), "normalize": ("operator",),
                     "dispatch": ("operator",)}
# The namespace label the API port's NetworkPolicy admits (docs/deploy.md, "Listeners").
API_CLIENT_LABEL = "switchyard.io/api-client"
MIN_GRACE_SECONDS = 30               # left for the service itself after any preStop sleep
# Overlays allowed to carry Secret data (generated examples); every value must look fake.
SECRET_DATA_ALLOWED = {"dev"}
FAKE_MARKERS = ("FAKE", ".invalid", "example")
# Pod Security: the level every overlay's Namespace enforces, and the zone spread every Deployment has.
POD_SECURITY_LEVEL = "restricted"
ZONE_KEY = "topology.kubernetes.io/zone"
RESTRICTED_VOLUME_TYPES = {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
                           "projected", "secret"}
# Settings a service needs for what it serves (feature -> variable that must be set, and whether
# the variable names a file that must come from a read-only Secret mount, and which Secret).
# Ingest always serves the commands and sync routes, which answer 403 without an API tokens file.
API_TOKENS_SECRET = r"switchyard-api-tokens(-[a-z0-9]+)?"
TENANTS_SECRET = r"switchyard-tenants(-[a-z0-9]+)?"
# ingest and dispatch keep PSA tokens in Redis, sealed with these keys (docs/security.md).
SECRET_KEYS_SECRET = r"switchyard-secret-keys(-[a-z0-9]+)?"
KEY_LINE = re.compile(r"[A-Za-z0-9._-]{1,32}[ \t]+([A-Za-z0-9+/=]+)")
# SWITCHYARD_TENANTS_DIR: one <id>.json key per tenant in this ConfigMap, under its own name (no
# content hash), so an update reaches running pods and the services reload it.
TENANTS_CONFIGMAP = "switchyard-tenants"
API_SCOPES_NEEDED = {"commands", "sync"}   # the routes ingest serves today
# Topics each service produces to or consumes (env var, default), which must exist as KafkaTopics.
SERVICE_TOPICS = {
    "ingest": [("SWITCHYARD_TOPIC_RAW", "switchyard.raw.v1"),
               ("SWITCHYARD_TOPIC_RAW_BACKFILL", "switchyard.raw.backfill.v1"),
               ("SWITCHYARD_TOPIC_COMMANDS", "switchyard.commands.v1"),
               ("SWITCHYARD_TOPIC_FETCH_JOBS", "switchyard.fetch-jobs.v1"),
               ("SWITCHYARD_TOPIC_RAW_DLQ", "switchyard.raw.dlq.v1"),
               ("SWITCHYARD_TOPIC_ACTIVITY", "switchyard.activity.v1"),
               ("SWITCHYARD_TOPIC_CANONICAL", "switchyard.canonical.v1"),  # erasure events
               ("SWITCHYARD_TOPIC_AUDIT", "switchyard.audit.v1")],
    "normalize": [("SWITCHYARD_TOPIC_RAW", "switchyard.raw.v1"),
                  ("SWITCHYARD_TOPIC_RAW_BACKFILL", "switchyard.raw.backfill.v1"),
                  ("SWITCHYARD_TOPIC_CANONICAL", "switchyard.canonical.v1"),
                  ("SWITCHYARD_TOPIC_RAW_DLQ", "switchyard.raw.dlq.v1"),
                  ("SWITCHYARD_TOPIC_ACTIVITY", "switchyard.activity.v1")],
    "dispatch": [("SWITCHYARD_TOPIC_COMMANDS", "switchyard.commands.v1"),
                 ("SWITCHYARD_TOPIC_COMMANDS_RETRY", "switchyard.commands.retry.v1"),
                 ("SWITCHYARD_TOPIC_COMMAND_RESULTS", "switchyard.command-results.v1"),
                 ("SWITCHYARD_TOPIC_COMMANDS_DLQ", "switchyard.commands.dlq.v1"),
                 ("SWITCHYARD_TOPIC_ACTIVITY", "switchyard.activity.v1")],
}
# Kafka security (Strimzi): each service authenticates as its own KafkaUser (SCRAM-SHA-512,
# simple authorization) whose ACLs are exactly what it uses: Read+Describe on what it consumes,
# Write+Describe on what it produces, Read on its consumer group, IdempotentWrite on the cluster
# (every producer is idempotent). Topics by their variables (SERVICE_TOPICS gives the defaults).
KAFKA_ACCESS = {
    "ingest": {"read": ["SWITCHYARD_TOPIC_FETCH_JOBS"],
               "write": ["SWITCHYARD_TOPIC_RAW", "SWITCHYARD_TOPIC_RAW_BACKFILL", "SWITCHYARD_TOPIC_COMMANDS",
                         "SWITCHYARD_TOPIC_FETCH_JOBS", "SWITCHYARD_TOPIC_RAW_DLQ", "SWITCHYARD_TOPIC_ACTIVITY",
                         "SWITCHYARD_TOPIC_CANONICAL", "SWITCHYARD_TOPIC_AUDIT"]},
    "normalize": {"read": ["SWITCHYARD_TOPIC_RAW", "SWITCHYARD_TOPIC_RAW_BACKFILL"],
                  "write": ["SWITCHYARD_TOPIC_CANONICAL", "SWITCHYARD_TOPIC_RAW_DLQ", "SWITCHYARD_TOPIC_ACTIVITY"]},
    "dispatch": {"read": ["SWITCHYARD_TOPIC_COMMANDS", "SWITCHYARD_TOPIC_COMMANDS_RETRY"],
                 "write": ["SWITCHYARD_TOPIC_COMMANDS_RETRY", "SWITCHYARD_TOPIC_COMMAND_RESULTS",
                           "SWITCHYARD_TOPIC_COMMANDS_DLQ", "SWITCHYARD_TOPIC_ACTIVITY"]},
}
KAFKA_USER_API = "kafka.strimzi.io/v1beta2"
KAFKA_CA_SECRET = r".+-cluster-ca-cert"
# librdkafka properties that hold secrets: their values must be ${env:...}/${file:...} references.
SECRET_PROPERTIES = re.compile(r"(password|secret|jaas|\.key\.pem|ssl\.key$|ssl\.keystore\.key|credentials)")
PROPERTY_REF = re.compile(r"\$\{(env|file):([^}]*)\}")
# Prometheus Operator: the PrometheusRule carries the groups of this rule file (generated by
# deploy/prometheus/generate_prometheusrule.py), the overlays put one `release` label on the
# ServiceMonitors and the PrometheusRule, and a Role lets a Prometheus in this namespace
# discover what it scrapes.
RULE_FILE = os.path.join("..", "prometheus", "rules", "switchyard.rules.yml")  # relative to deploy/k8s
PROMETHEUS_NAMESPACE = "monitoring"
RELEASE_LABEL = "release"
SCRAPE_DISCOVERY = {("", "services"), ("", "endpoints"), ("", "pods")}
PART_OF = ("app.kubernetes.io/part-of", "switchyard")
NAME_LABEL = "app.kubernetes.io/name"


class Report:
    def __init__(self, target):
        self.target = target
        self.failures = []
        self.passed = 0

    def ok(self, message):
        self.passed += 1
        print(f"  ok    {message}")

    def fail(self, message):
        self.failures.append(message)
        print(f"  FAIL  {message}")

    def skip(self, message):
        print(f"  skip  {message}")

    def check(self, condition, message, failure=None):
        if condition:
            self.ok(message)
        else:
            self.fail(failure or message)
        return condition


# ---------------------------------------------------------------------------------- helpers

def find_renderer():
    if os.environ.get("KUSTOMIZE"):
        return [os.environ["KUSTOMIZE"], "build"]
    kubectl = os.environ.get("KUBECTL") or shutil.which("kubectl") or (
        "/usr/bin/kubectl" if os.path.exists("/usr/bin/kubectl") else None)
    if kubectl is None:
        return None
    return [kubectl, "kustomize"]


def renderer_version(renderer):
    """'kustomize vX' as the renderer reports it (for messages only)."""
    try:
        if renderer[1] == "kustomize":
            out = subprocess.run([renderer[0], "version", "--client", "-o", "json"], capture_output=True,
                                 text=True, timeout=30).stdout
            return "kustomize " + json.loads(out).get("kustomizeVersion", "?")
        return subprocess.run([renderer[0], "version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, ValueError, subprocess.SubprocessError):
        return "unknown version"


def render(renderer, directory):
    try:
        proc = subprocess.run(renderer + [directory], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as e:
        return None, f"cannot run {renderer[0]}: {e}"
    if proc.returncode != 0:
        return None, (proc.stderr or proc.stdout).strip()
    try:
        docs = [d for d in yaml.safe_load_all(proc.stdout) if d is not None]
    except yaml.YAMLError as e:
        return None, f"rendered output is not YAML: {e}"
    return docs, None


def kind_of(docs, kind):
    return [d for d in docs if d.get("kind") == kind]


def name_of(obj):
    return obj.get("metadata", {}).get("name", "?")


def labels_of(obj):
    return obj.get("metadata", {}).get("labels") or {}


def selector_matches(selector, labels):
    """matchLabels and matchExpressions (In/NotIn/Exists/DoesNotExist) against a label map."""
    if selector is None:
        return False
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and labels.get(key) in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def plain_selector_matches(selector, labels):
    """Service-style selector (a plain map)."""
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def quantity(value):
    """Kubernetes quantity → float (cores or bytes)."""
    s = str(value).strip()
    suffixes = {"m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12,
                "Ki": 2 ** 10, "Mi": 2 ** 20, "Gi": 2 ** 30, "Ti": 2 ** 40}
    m = re.fullmatch(r"([0-9.]+)([a-zA-Z]*)", s)
    if not m or (m.group(2) and m.group(2) not in suffixes):
        raise ValueError(f"not a quantity: {value!r}")
    return float(m.group(1)) * suffixes.get(m.group(2), 1)


def pod_spec(deployment):
    return deployment.get("spec", {}).get("template", {}).get("spec", {})


def pod_labels(deployment):
    return deployment.get("spec", {}).get("template", {}).get("metadata", {}).get("labels") or {}


def effective_env(container, configmaps):
    """envFrom ConfigMaps in order (later wins), then env values. Returns (env, missing refs)."""
    env, missing = {}, []
    for source in container.get("envFrom") or []:
        ref = (source.get("configMapRef") or {}).get("name")
        if ref is None:
            continue
        if ref in configmaps:
            env.update({k: str(v) for k, v in (configmaps[ref].get("data") or {}).items()})
        elif not (source.get("configMapRef") or {}).get("optional"):
            missing.append(ref)
    for item in container.get("env") or []:
        if "value" in item:
            env[item["name"]] = str(item["value"])
    return env, missing


def preStop_sleep_seconds(container):
    pre = (container.get("lifecycle") or {}).get("preStop") or {}
    if "sleep" in pre:
        return int(pre["sleep"].get("seconds", 0))
    cmd = (pre.get("exec") or {}).get("command") or []
    if len(cmd) == 2 and posixpath.basename(cmd[0]) == "sleep":
        return int(float(cmd[1]))
    return 0


def normalize_host(host, namespace):
    """A Kafka bootstrap host as seen from any namespace: name → name.ns.svc."""
    host = host.strip().lower()
    if host.endswith(".cluster.local"):
        host = host[: -len(".cluster.local")]
    labels = host.split(".")
    if len(labels) == 1 and namespace:
        return f"{host}.{namespace}.svc"
    if len(labels) == 2:
        return host + ".svc"
    return host


def bootstrap_set(value, namespace):
    out = set()
    for entry in value.split(","):
        entry = entry.strip()
        if not entry:
            continue
        host, _, port = entry.rpartition(":")
        out.add(f"{normalize_host(host, namespace)}:{port}")
    return out


def listen_port(value):
    return int(value.rsplit(":", 1)[1]) if value and ":" in value else None


def topic_name(kafka_topic):
    return (kafka_topic.get("spec") or {}).get("topicName") or name_of(kafka_topic)


# ---------------------------------------------------------------------------------- checks

def check_target(target_name, directory, docs, is_base, r, rule_groups=None):
    deployments = kind_of(docs, "Deployment")
    services = kind_of(docs, "Service")
    configmaps = {name_of(c): c for c in kind_of(docs, "ConfigMap")}
    secrets = {name_of(s): s for s in kind_of(docs, "Secret")}
    pdbs = kind_of(docs, "PodDisruptionBudget")
    monitors = kind_of(docs, "ServiceMonitor")
    policies = kind_of(docs, "NetworkPolicy")
    hpas = kind_of(docs, "HorizontalPodAutoscaler")
    scaled = kind_of(docs, "ScaledObject")
    topics = {topic_name(t): t for t in kind_of(docs, "KafkaTopic")}
    namespaces = {d.get("metadata", {}).get("namespace") for d in deployments} - {None}
    namespace = next(iter(namespaces)) if len(namespaces) == 1 else None

    print(f"  rendered {len(docs)} objects: " + ", ".join(
        f"{n} {k}" for k, n in sorted(count_kinds(docs).items())))

    # -- labels on everything
    unlabelled = [f"{d.get('kind')}/{name_of(d)}" for d in docs if labels_of(d).get(PART_OF[0]) != PART_OF[1]]
    r.check(not unlabelled, f"every object is labelled {PART_OF[0]}={PART_OF[1]}",
            f"not labelled {PART_OF[0]}={PART_OF[1]}: {', '.join(unlabelled)}")

    # -- every Deployment container
    r.check(bool(deployments), f"{len(deployments)} Deployments rendered", "no Deployment rendered")
    env_of = {}  # deployment name → effective env of its first container
    for d in deployments:
        check_deployment(d, configmaps, secrets, is_base, r, env_of)
        check_pod_security(d, r)
        check_zone_spread(d, r)
        check_required_settings(d, configmaps, secrets, topics, r)
    check_polling(deployments, configmaps, r)
    if not is_base:
        check_namespace(docs, namespace, r)

    # -- per service
    for svc in SERVICES:
        check_service(svc, deployments, services, configmaps, pdbs, monitors, policies, hpas, scaled,
                      topics, env_of, namespace, r)

    # -- topics
    for t in TOPICS:
        kt = topics.get(t)
        if not r.check(kt is not None, f"KafkaTopic {t} exists", f"no KafkaTopic for topic {t}"):
            continue
        spec = kt.get("spec") or {}
        config = spec.get("config") or {}
        partitions, replicas = spec.get("partitions"), spec.get("replicas")
        isr = config.get("min.insync.replicas")
        retention = config.get("retention.ms")
        r.check(labels_of(kt).get("strimzi.io/cluster"), f"KafkaTopic {t}: strimzi.io/cluster label set",
                f"KafkaTopic {t}: no strimzi.io/cluster label (the Topic Operator would ignore it)")
        r.check(isinstance(partitions, int) and partitions >= 1 and isinstance(replicas, int) and replicas >= 1,
                f"KafkaTopic {t}: partitions={partitions} replicas={replicas}",
                f"KafkaTopic {t}: partitions and replicas must be positive integers (got {partitions!r}, {replicas!r})")
        r.check(retention is not None, f"KafkaTopic {t}: retention.ms={retention}",
                f"KafkaTopic {t}: no retention.ms in spec.config")
        r.check(isr is not None and isinstance(replicas, int) and int(isr) <= replicas,
                f"KafkaTopic {t}: min.insync.replicas={isr} <= replicas={replicas}",
                f"KafkaTopic {t}: min.insync.replicas={isr!r} must be set and <= replicas={replicas!r} "
                "(acks=all producers would fail)")
        if t == AUDIT_TOPIC:
            r.check(config.get("cleanup.policy") == "delete",
                    f"KafkaTopic {t}: cleanup.policy=delete (append-only; compaction would drop records)",
                    f"KafkaTopic {t}: cleanup.policy must be delete, got {config.get('cleanup.policy')!r}")
            r.check(retention is not None and int(retention) >= AUDIT_MIN_RETENTION_MS,
                    f"KafkaTopic {t}: retention.ms {retention} is at least 400 days",
                    f"KafkaTopic {t}: retention.ms {retention!r} must be at least {AUDIT_MIN_RETENTION_MS} (400 days)")
        source = topics.get(DLQ_SOURCE.get(t, ""))
        if source is not None and retention is not None:
            src_retention = (source.get("spec", {}).get("config") or {}).get("retention.ms")
            r.check(src_retention is not None and int(retention) > int(src_retention),
                    f"KafkaTopic {t}: dead letters kept longer ({retention} ms) than {DLQ_SOURCE[t]} ({src_retention} ms)",
                    f"KafkaTopic {t}: retention.ms {retention} must exceed {DLQ_SOURCE[t]}'s {src_retention}")

    # -- secrets
    with_data = [n for n, s in secrets.items() if s.get("data") or s.get("stringData")]
    if is_base:
        r.check(not with_data, "base has no Secret with data", f"base has Secrets with data: {', '.join(with_data)}")
    elif target_name not in SECRET_DATA_ALLOWED:
        r.check(not with_data, f"{target_name} renders no Secret data (real secrets are created out of band)",
                f"{target_name} renders Secrets with data: {', '.join(with_data)} "
                f"(only {sorted(SECRET_DATA_ALLOWED)} may carry generated example secrets)")
    else:
        for n in with_data:
            s = secrets[n]
            values = {k: base64.b64decode(v).decode("utf-8", "replace") for k, v in (s.get("data") or {}).items()}
            values.update(s.get("stringData") or {})
            real = [k for k, v in values.items() if not any(m in v for m in FAKE_MARKERS)]
            r.check(not real, f"Secret {n}: every value is an obvious fake",
                    f"Secret {n}: keys {real} do not look fake (must contain one of {FAKE_MARKERS})")

    check_tenant_file_references(deployments, secrets, configmaps, r)
    check_kafka_security(docs, deployments, configmaps, scaled, r)
    check_monitoring(docs, is_base, rule_groups, r)

    # -- overlays pin an image tag
    if not is_base:
        for d in deployments:
            for c in pod_spec(d).get("containers") or []:
                image = c.get("image", "")
                tagged = "@" in image or (":" in image.rsplit("/", 1)[-1] and not image.endswith(":latest"))
                r.check(tagged, f"Deployment {name_of(d)}/{c.get('name')}: image {image} is pinned",
                        f"Deployment {name_of(d)}/{c.get('name')}: image {image!r} has no tag/digest or uses :latest")


def count_kinds(docs):
    counts = {}
    for d in docs:
        counts[d.get("kind")] = counts.get(d.get("kind"), 0) + 1
    return counts


def check_deployment(d, configmaps, secrets, is_base, r, env_of):
    n = name_of(d)
    spec = pod_spec(d)
    pod_sc = spec.get("securityContext") or {}
    grace = spec.get("terminationGracePeriodSeconds")
    containers = spec.get("containers") or []
    r.check(bool(containers), f"Deployment {n}: has containers", f"Deployment {n}: no containers")
    volumes = {v.get("name"): v for v in spec.get("volumes") or []}
    for c in containers:
        where = f"Deployment {n}/{c.get('name')}"
        sc = c.get("securityContext") or {}
        ports = {p.get("name"): p.get("containerPort") for p in c.get("ports") or []}
        env, missing = effective_env(c, configmaps)
        env_of.setdefault(n, env)
        r.check(not missing, f"{where}: envFrom ConfigMaps exist",
                f"{where}: envFrom references missing ConfigMaps {missing}")

        unnamed = [p.get("containerPort") for p in c.get("ports") or [] if not p.get("name")]
        r.check(not unnamed, f"{where}: every container port is named ({', '.join(map(str, ports))})",
                f"{where}: container ports {unnamed} have no name (Services, probes and NetworkPolicies refer "
                "to ports by name)")
        check_listeners(where, c, env, ports, r)

        for probe_kind, path in (("startupProbe", "/healthz"), ("livenessProbe", "/healthz"),
                                 ("readinessProbe", "/readyz")):
            probe = c.get(probe_kind)
            if probe is None and probe_kind == "startupProbe":
                continue
            http = (probe or {}).get("httpGet") or {}
            port = http.get("port")
            number = ports.get(port) if isinstance(port, str) else port
            ok = http.get("path") == path and number is not None
            r.check(ok, f"{where}: {probe_kind} GET {path} on port {port}",
                    f"{where}: {probe_kind} must be httpGet {path} on a declared container port "
                    f"(got path={http.get('path')!r} port={port!r})")
            if ok and service_of(c):
                r.check(port == OPERATOR_PORT,
                        f"{where}: {probe_kind} on the operator port",
                        f"{where}: {probe_kind} must use the container port named {OPERATOR_PORT!r} (got {port!r}): "
                        "the probes are served on the operator listener only")

        res = c.get("resources") or {}
        complete = all((res.get(section) or {}).get(r_) is not None
                       for section in ("requests", "limits") for r_ in ("cpu", "memory"))
        if r.check(complete, f"{where}: requests and limits for cpu and memory",
                   f"{where}: resources.requests and resources.limits must both set cpu and memory (got {res})"):
            try:
                bad = [x for x in ("cpu", "memory") if quantity(res["requests"][x]) > quantity(res["limits"][x])]
                r.check(not bad, f"{where}: requests <= limits", f"{where}: requests exceed limits for {bad}")
            except ValueError as e:
                r.fail(f"{where}: {e}")

        non_root = sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot"))
        r.check(non_root is True, f"{where}: runAsNonRoot", f"{where}: runAsNonRoot must be true")
        r.check(sc.get("allowPrivilegeEscalation") is False, f"{where}: allowPrivilegeEscalation false",
                f"{where}: securityContext.allowPrivilegeEscalation must be false")
        r.check(sc.get("readOnlyRootFilesystem") is True, f"{where}: readOnlyRootFilesystem",
                f"{where}: securityContext.readOnlyRootFilesystem must be true")
        r.check("ALL" in ((sc.get("capabilities") or {}).get("drop") or []), f"{where}: drops ALL capabilities",
                f"{where}: securityContext.capabilities.drop must contain ALL")
        seccomp = (sc.get("seccompProfile") or pod_sc.get("seccompProfile") or {}).get("type")
        r.check(seccomp == "RuntimeDefault", f"{where}: seccompProfile RuntimeDefault",
                f"{where}: seccompProfile must be RuntimeDefault (got {seccomp!r})")

        sleep = preStop_sleep_seconds(c)
        r.check(isinstance(grace, int) and grace >= MIN_GRACE_SECONDS and grace - sleep >= MIN_GRACE_SECONDS,
                f"{where}: terminationGracePeriodSeconds {grace} (preStop sleep {sleep}s, {grace - sleep if isinstance(grace, int) else '?'}s left for shutdown)",
                f"{where}: terminationGracePeriodSeconds={grace!r} must leave >= {MIN_GRACE_SECONDS}s after the "
                f"preStop sleep ({sleep}s) for the graceful shutdown")

        location = tenants_location(c, volumes, env)
        if location:
            r.check(tenants_mount_ok(location), f"{where}: {describe_tenants(location)}",
                    f"{where}: {describe_tenants(location)}: must be " + TENANTS_MOUNT_RULE)


TENANTS_MOUNT_RULE = ("SWITCHYARD_TENANTS_DIR = the read-only mount (no subPath: those never update) of ConfigMap "
                      f"{TENANTS_CONFIGMAP}, or SWITCHYARD_TENANTS_FILE inside a read-only mount of Secret switchyard-tenants")


def tenants_location(c, volumes, env):
    """Where a container reads its tenants: (kind, path, mount, source name) with kind "dir"
    (SWITCHYARD_TENANTS_DIR: a ConfigMap mounted at that path) or "file" (SWITCHYARD_TENANTS_FILE
    in a Secret); None when neither is set."""
    if env.get("SWITCHYARD_TENANTS_DIR"):
        path = env["SWITCHYARD_TENANTS_DIR"].rstrip("/")
        for m in c.get("volumeMounts") or []:
            if m.get("mountPath", "").rstrip("/") == path:
                volume = volumes.get(m.get("name"), {})
                mount = {"mountPath": path, "readOnly": bool(m.get("readOnly")), "subPath": m.get("subPath"),
                         "volume": volume}
                return "dir", path, mount, (volume.get("configMap") or {}).get("name", "")
        return "dir", path, None, ""
    if env.get("SWITCHYARD_TENANTS_FILE"):
        path = env["SWITCHYARD_TENANTS_FILE"]
        mount = mount_for(c, volumes, path)
        return "file", path, mount, ((mount or {}).get("volume", {}).get("secret") or {}).get("secretName", "")
    return None


def tenants_mount_ok(location):
    kind, _, mount, source = location
    if mount is None or not mount["readOnly"] or mount.get("subPath"):
        return False
    return source == TENANTS_CONFIGMAP if kind == "dir" else re.fullmatch(TENANTS_SECRET, source) is not None


def describe_tenants(location):
    kind, path, _, source = location
    if kind == "dir":
        return f"SWITCHYARD_TENANTS_DIR {path} is ConfigMap {source or '(none)'} mounted read-only"
    return f"SWITCHYARD_TENANTS_FILE {path} is in Secret {source or '(none)'} mounted read-only"


def check_listeners(where, c, env, ports, r):
    """Each listener a service has is on the container port named for its audience, a listener
    turned off has no port, and the service declares no other port (docs/configuration.md#listeners)."""
    svc = service_of(c)
    if svc is None:
        return
    r.check("SWITCHYARD_LISTEN" not in env, f"{where}: no SWITCHYARD_LISTEN (retired)",
            f"{where}: SWITCHYARD_LISTEN is set: the binary refuses to start; use SWITCHYARD_OPERATOR_LISTEN, "
            "SWITCHYARD_WEBHOOK_LISTEN, SWITCHYARD_API_LISTEN")
    expected = set()
    for var, (port_name, default) in LISTENERS.items():
        if port_name not in SERVICE_LISTENERS[svc]:
            continue
        value = env.get(var, default)
        if value == "off":
            r.check(port_name != OPERATOR_PORT and port_name not in ports,
                    f"{where}: {var}=off and no {port_name!r} port",
                    f"{where}: {var}=off but the {port_name!r} port is declared (or the operator listener is off)")
            continue
        expected.add(port_name)
        r.check(port_name in ports and ports[port_name] == listen_port(value),
                f"{where}: {var}={value} is container port {port_name!r}",
                f"{where}: {var}={value} needs a container port named {port_name!r} with that number "
                f"(got {ports.get(port_name)!r})")
    extra = sorted(set(ports) - expected)
    r.check(not extra, f"{where}: declares only its listeners' ports ({', '.join(sorted(expected))})",
            f"{where}: declares ports {extra} that no listener of {svc} serves")


def mount_for(container, volumes, path):
    """The volume mount whose mountPath contains path (longest match)."""
    best = None
    for m in container.get("volumeMounts") or []:
        mp = m.get("mountPath", "").rstrip("/")
        if path.startswith(mp + "/") and (best is None or len(mp) > len(best["mountPath"])):
            best = {"mountPath": mp, "readOnly": bool(m.get("readOnly")), "subPath": m.get("subPath"),
                    "volume": volumes.get(m.get("name"), {})}
    return best


def check_service(svc, deployments, services, configmaps, pdbs, monitors, policies, hpas, scaled, topics,
                  env_of, namespace, r):
    app = f"switchyard-{svc}"
    deps = [d for d in deployments if pod_labels(d).get(NAME_LABEL) == app]
    if not r.check(bool(deps), f"{svc}: Deployment(s) {', '.join(name_of(d) for d in deps)}",
                   f"{svc}: no Deployment with pod label {NAME_LABEL}={app}"):
        return
    main = next((d for d in deps if name_of(d) == app), deps[0])
    all_pod_labels = [pod_labels(d) for d in deps]
    container_ports = {}
    for d in deps:
        for c in pod_spec(d).get("containers") or []:
            for p in c.get("ports") or []:
                container_ports[p.get("name")] = p.get("containerPort")

    for d in deps:
        sel = d.get("spec", {}).get("selector")
        r.check(selector_matches(sel, pod_labels(d)), f"{svc}: Deployment {name_of(d)} selector matches its pods",
                f"{svc}: Deployment {name_of(d)} selector {sel} does not match its pod labels")

    # Service
    svc_objs = [s for s in services
                if any(plain_selector_matches(s.get("spec", {}).get("selector"), l) for l in all_pod_labels)]
    if r.check(bool(svc_objs), f"{svc}: Service {', '.join(name_of(s) for s in svc_objs)} selects its pods",
               f"{svc}: no Service selects the {app} pods"):
        for s in svc_objs:
            for p in s.get("spec", {}).get("ports") or []:
                tp = p.get("targetPort", p.get("port"))
                ok = tp in container_ports if isinstance(tp, str) else tp in container_ports.values()
                r.check(ok, f"{svc}: Service {name_of(s)} port {p.get('name')} targets container port {tp}",
                        f"{svc}: Service {name_of(s)} port {p.get('name')} targets {tp!r}, which no {app} container declares")
        targets = {name_of(s): {p.get("targetPort", p.get("port")) for p in s.get("spec", {}).get("ports") or []}
                   for s in svc_objs}
        if svc == "ingest":
            # The public Service carries the webhook port and nothing else, so an Ingress or a
            # LoadBalancer on it can expose nothing but the webhooks.
            public = [n for n, t in targets.items() if "webhooks" in t]
            r.check(bool(public) and all(targets[n] == {"webhooks"} for n in public),
                    f"{svc}: Service {', '.join(public)} exposes the webhook port alone",
                    f"{svc}: the webhook port must have a Service of its own with no other port (got {targets})")
            for listener in ("api", OPERATOR_PORT):
                r.check(any(listener in t for t in targets.values()),
                        f"{svc}: a Service exposes the {listener!r} port",
                        f"{svc}: no Service exposes the {listener!r} port")
        else:
            r.check(all(t == {OPERATOR_PORT} for t in targets.values()),
                    f"{svc}: Services expose the operator port only",
                    f"{svc}: Services must expose only the {OPERATOR_PORT!r} port (got {targets})")

    # ConfigMap of its own
    own = [c for c in configmaps.values() if labels_of(c).get(NAME_LABEL) == app]
    refs = {(s.get("configMapRef") or {}).get("name") for d in deps for c in pod_spec(d).get("containers") or []
            for s in c.get("envFrom") or []}
    r.check(any(name_of(c) in refs for c in own),
            f"{svc}: ConfigMap {', '.join(name_of(c) for c in own if name_of(c) in refs)} used by its Deployment",
            f"{svc}: no ConfigMap labelled {NAME_LABEL}={app} is referenced by its Deployment's envFrom")

    # PodDisruptionBudget
    pdb = [p for p in pdbs if selector_matches(p.get("spec", {}).get("selector"), pod_labels(main))]
    if r.check(bool(pdb), f"{svc}: PodDisruptionBudget {', '.join(name_of(p) for p in pdb)}",
               f"{svc}: no PodDisruptionBudget selects the {name_of(main)} pods"):
        for p in pdb:
            spec = p.get("spec", {})
            r.check(("minAvailable" in spec) != ("maxUnavailable" in spec),
                    f"{svc}: PDB {name_of(p)} sets exactly one of minAvailable/maxUnavailable",
                    f"{svc}: PDB {name_of(p)} must set exactly one of minAvailable/maxUnavailable")

    # ServiceMonitor
    mons = [m for m in monitors for s in svc_objs
            if selector_matches(m.get("spec", {}).get("selector"), labels_of(s))]
    if r.check(bool(mons), f"{svc}: ServiceMonitor {', '.join(sorted({name_of(m) for m in mons}))}",
               f"{svc}: no ServiceMonitor selects the {app} Service"):
        port_names = {p.get("name") for s in svc_objs for p in s.get("spec", {}).get("ports") or []}
        for m in mons:
            selected = [s for s in svc_objs if selector_matches(m.get("spec", {}).get("selector"), labels_of(s))]
            for ep in m.get("spec", {}).get("endpoints") or []:
                r.check(ep.get("port") in port_names and ep.get("path", "/metrics") == "/metrics",
                        f"{svc}: ServiceMonitor {name_of(m)} scrapes port {ep.get('port')} {ep.get('path', '/metrics')}",
                        f"{svc}: ServiceMonitor {name_of(m)} endpoint port {ep.get('port')!r} is not a Service port "
                        f"({sorted(port_names)}) or path is not /metrics")
                # Every Service it selects has that port, on the operator listener (/metrics is
                # served nowhere else).
                resolved = [next((p.get("targetPort", p.get("port")) for p in s.get("spec", {}).get("ports") or []
                                  if p.get("name") == ep.get("port")), None) for s in selected]
                r.check(bool(resolved) and all(t == OPERATOR_PORT for t in resolved),
                        f"{svc}: ServiceMonitor {name_of(m)} scrapes the operator port of "
                        f"{', '.join(name_of(s) for s in selected)}",
                        f"{svc}: ServiceMonitor {name_of(m)} endpoint {ep.get('port')!r} must resolve to container port "
                        f"{OPERATOR_PORT!r} on every Service it selects (got {resolved} on "
                        f"{[name_of(s) for s in selected]})")

    # NetworkPolicy
    pols = [p for p in policies if all(selector_matches(p.get("spec", {}).get("podSelector"), l) for l in all_pod_labels)]
    # Per-port policies may select some of the pods only (ingest's webhook and API ports are on
    # the webhook pods, not the poller).
    port_pols = [p for p in policies if any(selector_matches(p.get("spec", {}).get("podSelector"), l)
                                            for l in all_pod_labels)]
    if r.check(bool(pols), f"{svc}: NetworkPolicy {', '.join(name_of(p) for p in pols)}",
               f"{svc}: no NetworkPolicy selects all the {app} pods"):
        check_network_policy(svc, pols, port_pols, container_ports, r)

    # Autoscaling (the minimum it keeps, for the PDB check below)
    autoscaled_min = None
    if svc == "ingest":
        hpa = [h for h in hpas if (h.get("spec", {}).get("scaleTargetRef") or {}).get("name") == name_of(main)]
        if r.check(bool(hpa) and all(h.get("apiVersion") == "autoscaling/v2" for h in hpa),
                   f"{svc}: HorizontalPodAutoscaler (autoscaling/v2) targets Deployment {name_of(main)}",
                   f"{svc}: no autoscaling/v2 HorizontalPodAutoscaler targets Deployment {name_of(main)}"):
            for h in hpa:
                spec = h["spec"]
                cpu = [m for m in spec.get("metrics") or []
                       if m.get("type") == "Resource" and (m.get("resource") or {}).get("name") == "cpu"]
                r.check(bool(cpu), f"{svc}: HPA {name_of(h)} scales on cpu", f"{svc}: HPA {name_of(h)} has no cpu metric")
                r.check(1 <= spec.get("minReplicas", 1) <= spec.get("maxReplicas", 0),
                        f"{svc}: HPA {name_of(h)} replicas {spec.get('minReplicas', 1)}..{spec.get('maxReplicas')}",
                        f"{svc}: HPA {name_of(h)} needs 1 <= minReplicas <= maxReplicas")
                autoscaled_min = spec.get("minReplicas", 1)
    else:
        autoscaled_min = check_scaled_object(svc, main, scaled, topics, env_of.get(name_of(main), {}), namespace, r)

    if autoscaled_min is not None:
        # `kubectl apply` of a spec.replicas would reset what the autoscaler chose.
        r.check("replicas" not in main.get("spec", {}),
                f"{svc}: Deployment {name_of(main)} leaves spec.replicas to its autoscaler",
                f"{svc}: Deployment {name_of(main)} sets spec.replicas although an autoscaler owns it")
        for p in pdb:
            min_available = p.get("spec", {}).get("minAvailable")
            if isinstance(min_available, int):
                r.check(min_available < autoscaled_min,
                        f"{svc}: PDB {name_of(p)} minAvailable {min_available} < autoscaler minimum {autoscaled_min}",
                        f"{svc}: PDB {name_of(p)} minAvailable {min_available} >= autoscaler minimum "
                        f"{autoscaled_min}: node drains would block")


def check_network_policy(svc, pols, port_pols, container_ports, r):
    types = {t for p in pols for t in p.get("spec", {}).get("policyTypes") or []}
    r.check({"Ingress", "Egress"} <= types, f"{svc}: NetworkPolicy restricts Ingress and Egress",
            f"{svc}: NetworkPolicy policyTypes must include Ingress and Egress (got {sorted(types)})")
    ingress = [(name_of(p), rule) for p in port_pols for rule in p.get("spec", {}).get("ingress") or []]
    egress = [rule for p in pols for rule in p.get("spec", {}).get("egress") or []]

    def port_numbers(rule):
        out = set()
        for p in rule.get("ports") or []:
            port = p.get("port")
            out.add(container_ports.get(port) if isinstance(port, str) else port)
        return out

    def port_names(rule):
        return {p.get("port") for p in rule.get("ports") or []}

    # Each ingress rule names the ports it opens (a rule without ports opens every port; a
    # number would silently go stale when a listener moves).
    for policy, rule in ingress:
        names = port_names(rule)
        r.check(bool(names) and all(isinstance(n, str) and n in container_ports for n in names),
                f"{svc}: NetworkPolicy {policy} ingress rule names its ports {sorted(map(str, names))}",
                f"{svc}: NetworkPolicy {policy} ingress rule must list its ports by container port name "
                f"({sorted(container_ports)}), got {sorted(map(str, names))}")

    def from_monitoring(rule):
        return bool(rule.get("from")) and all(
            (peer.get("namespaceSelector") or {}).get("matchLabels", {}).get("kubernetes.io/metadata.name")
            == "monitoring" for peer in rule["from"])

    def opening(name):
        return [(policy, rule) for policy, rule in ingress if name in port_names(rule)]

    # Operator port: Prometheus in the monitoring namespace only.
    operator = opening(OPERATOR_PORT)
    r.check(bool(operator) and all(from_monitoring(rule) for _, rule in operator),
            f"{svc}: operator port reachable only from the monitoring namespace",
            f"{svc}: the {OPERATOR_PORT!r} port must be opened, and only to namespace monitoring "
            f"({len(operator)} rules)")
    if svc == "ingest":
        webhooks, api = opening("webhooks"), opening("api")
        r.check(bool(webhooks) and all(not rule.get("from") for _, rule in webhooks),
                f"{svc}: webhook port open to any source (PSA webhooks)",
                f"{svc}: NetworkPolicy must allow the webhook port from anywhere (PSA webhooks)")
        r.check(bool(api) and all(rule.get("from") and not from_monitoring(rule)
                                  and all("namespaceSelector" in peer and "ipBlock" not in peer for peer in rule["from"])
                                  for _, rule in api),
                f"{svc}: API port reachable only from selected namespaces (the vendor platform)",
                f"{svc}: the 'api' port must be opened only to selected namespaces (the vendor platform), "
                "never to any source")
        r.check(all(len(port_names(rule)) == 1 for _, rule in webhooks + api + operator)
                and {p for p, _ in webhooks}.isdisjoint({p for p, _ in api}),
                f"{svc}: the webhook and API ports have NetworkPolicies of their own "
                f"({', '.join(sorted({p for p, _ in webhooks}))} / {', '.join(sorted({p for p, _ in api}))})",
                f"{svc}: the webhook, API and operator ports must each be opened by a rule of its own, and the "
                "webhook and API ports by different NetworkPolicies")
        api_labels = {k for _, rule in api for peer in rule.get("from") or []
                      for k in ((peer.get("namespaceSelector") or {}).get("matchLabels") or {})}
        r.check(bool(api_labels), f"{svc}: API clients selected by namespace label {', '.join(sorted(api_labels))}",
                f"{svc}: the API port's NetworkPolicy must select the vendor platform's namespace by a label")
    else:
        others = [policy for policy, rule in ingress if port_names(rule) != {OPERATOR_PORT}]
        r.check(not others, f"{svc}: ingress opens the operator port only",
                f"{svc}: NetworkPolicies {others} open ports other than {OPERATOR_PORT!r}")

    wanted = {"DNS": {53}, "Kafka": {9092}, "Redis": {6379}}
    if svc in PSA_EGRESS:
        wanted["PSA HTTPS"] = {443}
    allowed = set().union(*(port_numbers(rule) for rule in egress)) if egress else set()
    for what, ports in wanted.items():
        r.check(ports <= allowed, f"{svc}: egress to {what} ({', '.join(map(str, sorted(ports)))})",
                f"{svc}: NetworkPolicy egress does not allow {what} on {sorted(ports)}")
    dns_rules = [rule for rule in egress or [] if 53 in port_numbers(rule)]
    node_local = any(((peer.get("ipBlock") or {}).get("cidr") == NODE_LOCAL_DNS) for rule in dns_rules
                     for peer in rule.get("to") or [])
    r.check(node_local, f"{svc}: DNS egress also reaches NodeLocal DNSCache ({NODE_LOCAL_DNS})",
            f"{svc}: DNS egress must also allow NodeLocal DNSCache at {NODE_LOCAL_DNS} (port 53)")
    if svc not in PSA_EGRESS:
        r.check(443 not in allowed, f"{svc}: no egress to 443 (it never calls a PSA)",
                f"{svc}: egress allows 443 though {svc} never calls a PSA")


NODE_LOCAL_DNS = "169.254.20.10/32"  # NodeLocal DNSCache's default link-local address


def check_scaled_object(svc, main, scaled, topics, env, namespace, r):
    """Checks the ScaledObject of a consumer; returns its minReplicaCount (None if unusable)."""
    so = [s for s in scaled if (s.get("spec", {}).get("scaleTargetRef") or {}).get("name") == name_of(main)]
    if not r.check(len(so) == 1 and so[0].get("apiVersion") == "keda.sh/v1alpha1",
                   f"{svc}: ScaledObject (keda.sh/v1alpha1) {', '.join(name_of(s) for s in so)} targets {name_of(main)}",
                   f"{svc}: expected one keda.sh/v1alpha1 ScaledObject targeting {name_of(main)}, found {len(so)}"):
        return None
    s = so[0]
    spec = s["spec"]
    var, default_topic = CONSUMED[svc]
    consumed = env.get(var, default_topic)
    group = env.get("SWITCHYARD_CONSUMER_GROUP", DEFAULT_GROUP[svc])
    triggers = [t for t in spec.get("triggers") or [] if t.get("type") == "kafka"]
    if not r.check(bool(triggers), f"{svc}: ScaledObject {name_of(s)} has a kafka trigger",
                   f"{svc}: ScaledObject {name_of(s)} has no kafka trigger"):
        return None
    max_replicas, min_replicas = spec.get("maxReplicaCount"), spec.get("minReplicaCount", 0)
    r.check(isinstance(max_replicas, int) and 0 <= min_replicas <= max_replicas,
            f"{svc}: ScaledObject replicas {min_replicas}..{max_replicas}",
            f"{svc}: ScaledObject needs an integer maxReplicaCount >= minReplicaCount (got {min_replicas!r}..{max_replicas!r})")
    for t in triggers:
        md = t.get("metadata") or {}
        topic, trig_group = md.get("topic"), md.get("consumerGroup")
        r.check(topic == consumed, f"{svc}: trigger topic {topic} is the topic {svc} consumes",
                f"{svc}: trigger topic {topic!r} but {svc} consumes {consumed!r}")
        r.check(trig_group == group, f"{svc}: trigger consumerGroup {trig_group} = SWITCHYARD_CONSUMER_GROUP",
                f"{svc}: trigger consumerGroup {trig_group!r} but the service's group is {group!r}")
        r.check(md.get("lagThreshold") is not None, f"{svc}: trigger lagThreshold {md.get('lagThreshold')}",
                f"{svc}: trigger has no lagThreshold")
        kt = topics.get(topic)
        partitions = (kt or {}).get("spec", {}).get("partitions")
        r.check(kt is not None and isinstance(max_replicas, int) and isinstance(partitions, int)
                and max_replicas <= partitions,
                f"{svc}: maxReplicaCount {max_replicas} <= {partitions} partitions of {topic}",
                f"{svc}: maxReplicaCount {max_replicas!r} exceeds the partitions of KafkaTopic {topic!r} "
                f"({partitions if kt is not None else 'no such KafkaTopic in this render'}); extra consumers would idle")
        # At one consumer per partition, a surge pod gets no partition, never turns ready
        # (/readyz wants an assignment) and the rollout stalls.
        rolling = (main.get("spec", {}).get("strategy") or {}).get("rollingUpdate") or {}
        surge = rolling.get("maxSurge", "25%")
        if isinstance(max_replicas, int) and isinstance(partitions, int) and max_replicas >= partitions:
            r.check(str(surge) in ("0", "0%") or main.get("spec", {}).get("strategy", {}).get("type") == "Recreate",
                    f"{svc}: rollout does not surge (maxSurge {surge}) while maxReplicaCount = partitions",
                    f"{svc}: Deployment {name_of(main)} rollingUpdate.maxSurge is {surge!r} while maxReplicaCount "
                    f"({max_replicas}) = partitions: a surge pod would get no partition and stall the rollout")
        # KEDA resolves bootstrapServers from its own namespace: it must be a namespaced name of
        # the same cluster the service uses.
        keda = md.get("bootstrapServers", "")
        hosts = [e.rpartition(":")[0] for e in keda.split(",") if e.strip()]
        r.check(hosts and all("." in h for h in hosts),
                f"{svc}: trigger bootstrapServers {keda} is resolvable from the KEDA namespace",
                f"{svc}: trigger bootstrapServers {keda!r} must use namespaced names (svc.namespace.svc:port)")
        service_bootstrap = env.get("SWITCHYARD_KAFKA_BOOTSTRAP")
        if service_bootstrap and namespace:
            same = bootstrap_set(keda, namespace) == bootstrap_set(service_bootstrap, namespace)
            r.check(same, f"{svc}: trigger bootstrapServers is the service's Kafka ({service_bootstrap} in {namespace})",
                    f"{svc}: trigger bootstrapServers {keda!r} is not the service's SWITCHYARD_KAFKA_BOOTSTRAP "
                    f"{service_bootstrap!r} as seen from namespace {namespace}")
    return min_replicas if isinstance(min_replicas, int) else None


def reads_tenant_ids_only(container):
    """normalize reads only the tenant ids (metric labels) and resolves no secret reference."""
    return container.get("name") == "normalize"


def check_monitoring(docs, is_base, rule_groups, r):
    """PrometheusRule = the rule file; release label (overlays); RBAC for a namespaced Prometheus."""
    rules = kind_of(docs, "PrometheusRule")
    if r.check(len(rules) == 1 and rules[0].get("apiVersion") == "monitoring.coreos.com/v1",
               f"PrometheusRule {', '.join(name_of(x) for x in rules)} (monitoring.coreos.com/v1)",
               f"expected one monitoring.coreos.com/v1 PrometheusRule, found {len(rules)}"):
        if rule_groups is None:
            r.fail(f"cannot compare the PrometheusRule: rule file {RULE_FILE} not readable")
        else:
            same = (rules[0].get("spec") or {}).get("groups") == rule_groups
            r.check(same, f"PrometheusRule {name_of(rules[0])}: groups identical to {os.path.basename(RULE_FILE)}",
                    f"PrometheusRule {name_of(rules[0])}: groups differ from deploy/prometheus/rules/"
                    f"{os.path.basename(RULE_FILE)}: run deploy/prometheus/generate_prometheusrule.py")
    if not is_base:
        selected = kind_of(docs, "ServiceMonitor") + rules
        values = {labels_of(x).get(RELEASE_LABEL) for x in selected}
        r.check(len(values) == 1 and None not in values and "" not in values,
                f"ServiceMonitors and PrometheusRule carry {RELEASE_LABEL}={next(iter(values))}",
                f"every ServiceMonitor and the PrometheusRule need the same non-empty `{RELEASE_LABEL}` label "
                f"(kube-prometheus-stack selects by it; prometheus-release-label.yaml): found "
                + ", ".join(f"{x.get('kind')}/{name_of(x)}={labels_of(x).get(RELEASE_LABEL)!r}" for x in selected))
    roles = {name_of(x): x for x in kind_of(docs, "Role")}
    bound = []
    for rb in kind_of(docs, "RoleBinding"):
        role = roles.get((rb.get("roleRef") or {}).get("name")) if (rb.get("roleRef") or {}).get("kind") == "Role" else None
        if role is None:
            continue
        granted = {(g, res) for rule in role.get("rules") or [] if {"get", "list", "watch"} <= set(rule.get("verbs") or [])
                   for g in rule.get("apiGroups") or [] for res in rule.get("resources") or []}
        sa = [s_ for s_ in rb.get("subjects") or []
              if s_.get("kind") == "ServiceAccount" and s_.get("namespace") == PROMETHEUS_NAMESPACE]
        if sa and SCRAPE_DISCOVERY <= granted:
            bound.append(f"{name_of(rb)} -> {', '.join(s_['name'] for s_ in sa)}")
    r.check(bool(bound), f"RoleBinding {', '.join(bound)}: Prometheus in {PROMETHEUS_NAMESPACE} may get/list/watch "
            "services, endpoints and pods",
            f"no RoleBinding grants a ServiceAccount in namespace {PROMETHEUS_NAMESPACE} get/list/watch on services, "
            "endpoints and pods (a namespaced Prometheus could not discover the ServiceMonitors' targets)")


def service_of(container):
    """ingest, normalize or dispatch: the binary the container runs."""
    cmd = " ".join((container.get("command") or []) + (container.get("args") or []))
    m = re.search(r"switchyard-(ingest|normalize|dispatch)\b", cmd)
    return m.group(1) if m else None


def check_pod_security(d, r):
    """The Pod Security Standard "restricted" (v1.25+), for every container of the pod."""
    n = name_of(d)
    spec = pod_spec(d)
    pod_sc = spec.get("securityContext") or {}
    problems = []
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        if spec.get(key):
            problems.append(f"{key}: true")
    for v in spec.get("volumes") or []:
        kinds = set(v) - {"name"}
        if not kinds <= RESTRICTED_VOLUME_TYPES:
            problems.append(f"volume {v.get('name')} of type {sorted(kinds - RESTRICTED_VOLUME_TYPES)}")
    if pod_sc.get("runAsUser") == 0:
        problems.append("pod runAsUser 0")
    if (pod_sc.get("seccompProfile") or {}).get("type") not in (None, "RuntimeDefault", "Localhost"):
        problems.append(f"pod seccompProfile {pod_sc['seccompProfile'].get('type')}")
    containers = [("", c) for c in spec.get("containers") or []] + \
                 [("init ", c) for c in spec.get("initContainers") or []] + \
                 [("ephemeral ", c) for c in spec.get("ephemeralContainers") or []]
    for prefix, c in containers:
        where = f"{prefix}container {c.get('name')}"
        sc = c.get("securityContext") or {}
        if sc.get("privileged"):
            problems.append(f"{where}: privileged")
        if sc.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{where}: allowPrivilegeEscalation is not false")
        caps = sc.get("capabilities") or {}
        if "ALL" not in (caps.get("drop") or []):
            problems.append(f"{where}: capabilities.drop lacks ALL")
        if set(caps.get("add") or []) - {"NET_BIND_SERVICE"}:
            problems.append(f"{where}: adds capabilities {sorted(set(caps['add']) - {'NET_BIND_SERVICE'})}")
        if sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot")) is not True:
            problems.append(f"{where}: runAsNonRoot not true (container or pod)")
        if sc.get("runAsUser", pod_sc.get("runAsUser")) == 0:
            problems.append(f"{where}: runAsUser 0")
        seccomp = (sc.get("seccompProfile") or pod_sc.get("seccompProfile") or {}).get("type")
        if seccomp not in ("RuntimeDefault", "Localhost"):
            problems.append(f"{where}: seccompProfile {seccomp!r} (RuntimeDefault or Localhost needed)")
        for p in c.get("ports") or []:
            if p.get("hostPort"):
                problems.append(f"{where}: hostPort {p['hostPort']}")
    r.check(not problems, f"Deployment {n}: pod spec meets Pod Security {POD_SECURITY_LEVEL}",
            f"Deployment {n}: violates Pod Security {POD_SECURITY_LEVEL}: {'; '.join(problems)}")


def check_zone_spread(d, r):
    """A topologySpreadConstraint on the zone key whose selector matches the Deployment's own pods."""
    n = name_of(d)
    constraints = [t for t in pod_spec(d).get("topologySpreadConstraints") or [] if t.get("topologyKey") == ZONE_KEY]
    good = [t for t in constraints
            if selector_matches(t.get("labelSelector"), pod_labels(d))
            and t.get("whenUnsatisfiable") in ("ScheduleAnyway", "DoNotSchedule")
            and isinstance(t.get("maxSkew"), int) and t["maxSkew"] >= 1]
    r.check(bool(good), f"Deployment {n}: spread across zones ({ZONE_KEY}, "
            f"{', '.join(t['whenUnsatisfiable'] for t in good)})",
            f"Deployment {n}: no topologySpreadConstraint on {ZONE_KEY} selecting its own pods "
            f"(with maxSkew >= 1 and whenUnsatisfiable ScheduleAnyway or DoNotSchedule)")


def check_namespace(docs, namespace, r):
    """An overlay creates its Namespace, and enforces the restricted Pod Security level there."""
    ns = [d for d in kind_of(docs, "Namespace") if name_of(d) == namespace]
    if not r.check(bool(ns), f"Namespace {namespace} is part of the render",
                   f"no Namespace object for {namespace!r} (the namespace the Deployments go to)"):
        return
    labels = labels_of(ns[0])
    for mode in ("enforce", "warn", "audit"):
        value = labels.get(f"pod-security.kubernetes.io/{mode}")
        r.check(value == POD_SECURITY_LEVEL,
                f"Namespace {namespace}: pod-security.kubernetes.io/{mode}={value}",
                f"Namespace {namespace}: pod-security.kubernetes.io/{mode} must be {POD_SECURITY_LEVEL} (got {value!r})")


def secret_file(c, volumes, secrets, path, secret_pattern):
    """(mount, secret name, rendered Secret or None, key) for a file path, or None if no read-only
    Secret mount of the wanted name holds it."""
    mount = mount_for(c, volumes, path)
    secret_name = ((mount or {}).get("volume", {}).get("secret") or {}).get("secretName", "")
    if mount is None or not mount["readOnly"] or not re.fullmatch(secret_pattern, secret_name):
        return None
    return mount, secret_name, secrets.get(secret_name), posixpath.relpath(path, mount["mountPath"])


def check_required_settings(d, configmaps, secrets, topics, r):
    """The settings each service needs for what it serves, in the effective environment."""
    spec = pod_spec(d)
    volumes = {v.get("name"): v for v in spec.get("volumes") or []}
    for c in spec.get("containers") or []:
        svc = service_of(c)
        where = f"Deployment {name_of(d)}/{c.get('name')}"
        if not r.check(svc is not None, f"{where}: runs switchyard-{svc}",
                       f"{where}: command {c.get('command')!r} runs no switchyard service binary"):
            continue
        env, _ = effective_env(c, configmaps)
        r.check(bool(env.get("SWITCHYARD_KAFKA_BOOTSTRAP")), f"{where}: SWITCHYARD_KAFKA_BOOTSTRAP set",
                f"{where}: SWITCHYARD_KAFKA_BOOTSTRAP is required and not set")
        # Tenants: required by ingest and dispatch (normalize: tenant ids for its labels).
        location = tenants_location(c, volumes, env)
        if svc in ("ingest", "dispatch") or location:
            r.check(location is not None and tenants_mount_ok(location),
                    f"{where}: {svc} tenants: {describe_tenants(location) if location else ''}",
                    f"{where}: {svc} needs its tenants: " + TENANTS_MOUNT_RULE)
            r.check(not (env.get("SWITCHYARD_TENANTS_DIR") and env.get("SWITCHYARD_TENANTS_FILE")),
                    f"{where}: one tenants source", f"{where}: SWITCHYARD_TENANTS_DIR and _FILE both set: {svc} refuses to start")
        # ingest serves POST /v1/tenants/{t}/commands and /sync: without an API tokens file both answer 403.
        if svc == "ingest":
            check_api_tokens(where, c, env, volumes, secrets, r)
        if svc in ("ingest", "dispatch"):
            check_secret_keys(where, c, env, volumes, secrets, r)
        # The topics it reads and writes exist in the same render.
        for var, default in SERVICE_TOPICS.get(svc, []):
            topic = env.get(var, default)
            r.check(topic in topics, f"{where}: {svc} topic {topic} ({var}) has a KafkaTopic",
                    f"{where}: {svc} uses topic {topic!r} ({var}) but no KafkaTopic renders it")


def mounted_secret_file(where, c, env, volumes, secrets, r, var, pattern, what, missing):
    """The content (base64, as rendered) of the file `var` names, which must be in a read-only
    mount of a Secret matching `pattern`; None (after reporting) when it is not, or when the
    Secret is provided out of band. Returns (raw, secret name)."""
    path = env.get(var)
    found = secret_file(c, volumes, secrets, path, pattern) if path else None
    secret_label = pattern.split("(")[0]
    if not r.check(found is not None, f"{where}: {what}: {var} {path} is in a read-only {secret_label} mount",
                   f"{where}: {missing} without {var} inside a read-only mount of Secret {secret_label} "
                   f"(got {path!r})"):
        return None, None
    _, secret_name, secret, key = found
    if secret is None:
        r.skip(f"{where}: {what}: Secret {secret_name} is provided out of band (not rendered): content not checked")
        return None, secret_name
    raw = secret_data(secret).get(key)
    r.check(raw is not None, f"{where}: {what}: file key {key} in Secret {secret_name}",
            f"{where}: Secret {secret_name} has no key {key} for {var} {path}")
    return raw, secret_name


def check_api_tokens(where, c, env, volumes, secrets, r):
    raw, secret_name = mounted_secret_file(
        where, c, env, volumes, secrets, r, "SWITCHYARD_API_TOKENS_FILE", API_TOKENS_SECRET, "commands/sync routes",
        "ingest serves POST /v1/tenants/{t}/commands and /sync, which answer 403")
    if raw is None:
        return
    try:
        doc = json.loads(base64.b64decode(raw))
        tokens = doc["tokens"]
        scopes = {s for t in tokens for s in t.get("scopes") or []}
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        r.fail(f"{where}: API tokens file in Secret {secret_name} is not a tokens file: {e!r}")
        return
    r.check(API_SCOPES_NEEDED <= scopes, f"{where}: API tokens cover the scopes {sorted(API_SCOPES_NEEDED)}",
            f"{where}: no token in {secret_name} has scope(s) {sorted(API_SCOPES_NEEDED - scopes)}")
    for ref in file_references(tokens):
        m = mount_for(c, volumes, ref)
        ref_secret = secrets.get(((m or {}).get("volume", {}).get("secret") or {}).get("secretName"))
        ref_key = posixpath.relpath(ref, m["mountPath"]) if m else None
        r.check(ref_secret is not None and ref_key in secret_data(ref_secret),
                f"{where}: API token {{\"file\": \"{ref}\"}} is key {ref_key} of Secret {name_of(ref_secret or {})}",
                f"{where}: API tokens file references {ref}, which no mounted Secret provides")


def check_secret_keys(where, c, env, volumes, secrets, r):
    """The at-rest keys: from a read-only Secret mount, and (when rendered) a valid key file."""
    raw, secret_name = mounted_secret_file(
        where, c, env, volumes, secrets, r, "SWITCHYARD_SECRET_KEYS_FILE", SECRET_KEYS_SECRET, "at-rest keys",
        "tokens kept in Redis are shared by no replica (each fetches its own)")
    if raw is None:
        return
    lines = [l.strip() for l in base64.b64decode(raw).decode("utf-8", "replace").splitlines()]
    keys = [KEY_LINE.fullmatch(l) for l in lines if l and not l.startswith("#")]
    valid = bool(keys) and all(m and len(base64.b64decode(m.group(1) + "==")) == 32 for m in keys)
    r.check(valid, f"{where}: Secret {secret_name} holds {len(keys)} valid at-rest key(s)",
            f"{where}: Secret {secret_name} is not `<key id> <base64 of 32 bytes>` a line")


def check_polling(deployments, configmaps, r):
    """Polling runs in the poller Deployment only (SWITCHYARD_POLLING defaults to true, so every
    other ingest Deployment must turn it off), with replicas that share leases."""
    pollers, others = [], []
    for d in deployments:
        for c in pod_spec(d).get("containers") or []:
            if service_of(c) != "ingest":
                continue
            env, _ = effective_env(c, configmaps)
            polls = env.get("SWITCHYARD_POLLING", "true") == "true"
            component = pod_labels(d).get("app.kubernetes.io/component")
            if component == "poller":
                pollers.append(d)
                r.check(polls, f"poller Deployment {name_of(d)}: SWITCHYARD_POLLING=true",
                        f"poller Deployment {name_of(d)}: SWITCHYARD_POLLING must be true (got "
                        f"{env.get('SWITCHYARD_POLLING')!r})")
                has_tenants = bool(env.get("SWITCHYARD_TENANTS_DIR") or env.get("SWITCHYARD_TENANTS_FILE"))
                r.check(has_tenants and bool(env.get("SWITCHYARD_REDIS_URL")),
                        f"poller Deployment {name_of(d)}: tenants and Redis (leases) configured",
                        f"poller Deployment {name_of(d)}: needs SWITCHYARD_TENANTS_DIR (or _FILE) and SWITCHYARD_REDIS_URL")
                ttl = int(env.get("SWITCHYARD_POLL_LEASE_TTL_SECONDS", "60"))
                delivery = int(env.get("SWITCHYARD_KAFKA_DELIVERY_TIMEOUT_MS", "10000")) / 1000
                r.check(ttl >= delivery + 15,
                        f"poller Deployment {name_of(d)}: lease TTL {ttl}s >= delivery timeout {delivery:g}s + 15s",
                        f"poller Deployment {name_of(d)}: SWITCHYARD_POLL_LEASE_TTL_SECONDS {ttl} must be >= "
                        f"SWITCHYARD_KAFKA_DELIVERY_TIMEOUT_MS/1000 + 15 ({delivery + 15:g})")
                replicas = d.get("spec", {}).get("replicas", 1)
                r.check(isinstance(replicas, int) and replicas >= 1,
                        f"poller Deployment {name_of(d)}: {replicas} replica(s)",
                        f"poller Deployment {name_of(d)}: replicas must be >= 1 (got {replicas!r})")
            else:
                others.append(d)
                r.check(not polls, f"ingest Deployment {name_of(d)}: SWITCHYARD_POLLING=false (not the poller)",
                        f"ingest Deployment {name_of(d)}: polls (SWITCHYARD_POLLING unset or true) but is not the "
                        "poller: its autoscaling would change how hard the PSAs are polled")
    r.check(len(pollers) == 1, f"one poller Deployment ({', '.join(name_of(d) for d in pollers)})",
            f"expected one ingest Deployment labelled app.kubernetes.io/component=poller, found {len(pollers)}")


def rendered_tenants(location, secrets, configmaps, where, r):
    """The tenant objects a container reads, as rendered: from the ConfigMap's <id>.json keys or
    the tenants file in the Secret. None when the source is not rendered (created out of band)."""
    kind, path, mount, source = location
    if kind == "dir":
        cm = configmaps.get(source)
        if cm is None:
            r.skip(f"{where}: tenants ConfigMap {source} is created out of band (not rendered): not checked")
            return None
        tenants = []
        for key, text in sorted((cm.get("data") or {}).items()):
            if not key.endswith(".json"):
                continue
            try:
                tenant = json.loads(text)
            except ValueError as e:
                r.fail(f"{where}: ConfigMap {source} key {key} is not JSON: {e}")
                continue
            r.check(isinstance(tenant, dict) and f"{tenant.get('id')}.json" == key,
                    f"{where}: ConfigMap {source} key {key} is tenant {tenant.get('id') if isinstance(tenant, dict) else '?'}",
                    f"{where}: ConfigMap {source} key {key} must hold one tenant object whose id is its name")
            tenants.append(tenant)
        r.check(bool(tenants), f"{where}: ConfigMap {source} has {len(tenants)} tenant(s)",
                f"{where}: ConfigMap {source} has no <id>.json key")
        return tenants
    secret = secrets.get(source)
    if secret is None:
        r.skip(f"{where}: tenants Secret {source} is created out of band (not rendered): file references not checked")
        return None
    key = posixpath.relpath(path, mount["mountPath"])
    raw = secret_data(secret).get(key)
    if not r.check(raw is not None, f"{where}: tenants file key {key} in Secret {source}",
                   f"{where}: Secret {source} has no key {key} for SWITCHYARD_TENANTS_FILE {path}"):
        return None
    try:
        return json.loads(base64.b64decode(raw)).get("tenants") or []
    except (ValueError, AttributeError) as e:
        r.fail(f"{where}: tenants file in Secret {source} is not JSON: {e}")
        return None


def check_tenant_file_references(deployments, secrets, configmaps, r):
    """Each {"file": PATH} in the rendered tenants must be a key of the Secret mounted there."""
    for d in deployments:
        spec = pod_spec(d)
        volumes = {v.get("name"): v for v in spec.get("volumes") or []}
        for c in spec.get("containers") or []:
            env, _ = effective_env(c, configmaps)
            location = tenants_location(c, volumes, env)
            if location is None or location[2] is None:
                continue
            where = f"Deployment {name_of(d)}/{c.get('name')}"
            tenants = rendered_tenants(location, secrets, configmaps, where, r)
            if tenants is None:
                continue
            refs = list(file_references(tenants))
            if reads_tenant_ids_only(c):
                r.check(not any(m.get("name") == "psa-credentials" for m in c.get("volumeMounts") or []),
                        f"{where}: reads only tenant ids, and no PSA credential is mounted",
                        f"{where}: reads only tenant ids but mounts the PSA credentials (least privilege)")
                continue
            for ref in refs:
                m = mount_for(c, volumes, ref)
                ref_secret = secrets.get(((m or {}).get("volume", {}).get("secret") or {}).get("secretName"))
                ref_key = posixpath.relpath(ref, m["mountPath"]) if m else None
                r.check(ref_secret is not None and ref_key in secret_data(ref_secret),
                        f"{where}: {{\"file\": \"{ref}\"}} is key {ref_key} of Secret {name_of(ref_secret or {})}",
                        f"{where}: tenants reference {ref}, which no mounted Secret provides")
            r.check(bool(refs), f"{where}: tenants use {len(refs)} file references",
                    f"{where}: tenants use no {{\"file\": ...}} references (credentials must not be inline)")


def parse_properties(text):
    out = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in "#!" or "=" not in line:
            continue
        k, _, v = line.partition("=")
        out[k.strip()] = v.strip()
    return out


def kafka_acls(user):
    """{(type, name): set(operations)} of a KafkaUser, and the problems (wildcards, prefixes)."""
    acls, problems = {}, []
    for acl in ((user.get("spec") or {}).get("authorization") or {}).get("acls") or []:
        res = acl.get("resource") or {}
        rtype, rname = res.get("type"), res.get("name", "")
        if rtype != "cluster" and (res.get("patternType", "literal") != "literal" or "*" in str(rname)):
            problems.append(f"{rtype} {rname!r} patternType {res.get('patternType', 'literal')}")
        ops = acl.get("operations") or ([acl["operation"]] if acl.get("operation") else [])
        if "All" in ops:
            problems.append(f"{rtype} {rname!r} operation All")
        acls.setdefault((rtype, rname if rtype != "cluster" else "kafka-cluster"), set()).update(ops)
    return acls, problems


def check_kafka_security(docs, deployments, configmaps, scaled, r):
    """Every service's KafkaUser, its ACLs against what the service uses, the Deployment's wiring
    of that user's Secret and the cluster CA through the properties file (references, never
    secrets), and the KEDA triggers' TriggerAuthentications."""
    users = {name_of(u): u for u in kind_of(docs, "KafkaUser")}
    auths = {name_of(a): a for a in kind_of(docs, "TriggerAuthentication")}
    for svc in SERVICES:
        app = f"switchyard-{svc}"
        deps = [d for d in deployments if pod_labels(d).get(NAME_LABEL) == app]
        user = users.get(app)
        if not r.check(user is not None and user.get("apiVersion") == KAFKA_USER_API,
                       f"{svc}: KafkaUser {app} ({KAFKA_USER_API})", f"{svc}: no {KAFKA_USER_API} KafkaUser {app}"):
            continue
        spec = user.get("spec") or {}
        r.check(labels_of(user).get("strimzi.io/cluster"), f"KafkaUser {app}: strimzi.io/cluster label set",
                f"KafkaUser {app}: no strimzi.io/cluster label (the User Operator would ignore it)")
        r.check((spec.get("authentication") or {}).get("type") == "scram-sha-512",
                f"KafkaUser {app}: authentication scram-sha-512",
                f"KafkaUser {app}: authentication must be scram-sha-512 (got {spec.get('authentication')!r})")
        r.check((spec.get("authorization") or {}).get("type") == "simple", f"KafkaUser {app}: authorization simple",
                f"KafkaUser {app}: authorization must be simple (ACLs), got {spec.get('authorization', {}).get('type')!r}")
        acls, problems = kafka_acls(user)
        r.check(not problems, f"KafkaUser {app}: literal resources only, no wildcard or All",
                f"KafkaUser {app}: too broad: {'; '.join(problems)}")
        for d in deps:
            for c in pod_spec(d).get("containers") or []:
                where = f"Deployment {name_of(d)}/{c.get('name')}"
                env, _ = effective_env(c, configmaps)
                topic_default = {var: default for var, default in SERVICE_TOPICS[svc]}
                expected = {}
                for mode, ops in (("read", {"Read", "Describe"}), ("write", {"Write", "Describe"})):
                    for var in KAFKA_ACCESS[svc][mode]:
                        expected.setdefault(("topic", env.get(var, topic_default[var])), set()).update(ops)
                if KAFKA_ACCESS[svc]["read"]:
                    expected[("group", env.get("SWITCHYARD_CONSUMER_GROUP", DEFAULT_GROUP[svc]))] = {"Read"}
                expected[("cluster", "kafka-cluster")] = {"IdempotentWrite"}
                fmt = lambda m: "; ".join(f"{t} {n}: {sorted(o)}" for (t, n), o in sorted(m.items()))
                r.check(acls == expected, f"{where}: KafkaUser {app} ACLs are exactly what {svc} uses",
                        f"{where}: KafkaUser {app} ACLs [{fmt(acls)}] differ from what {svc} uses [{fmt(expected)}]")
                check_kafka_wiring(where, app, c, env, pod_spec(d), configmaps, r)
    for s in scaled:
        for t in (s.get("spec") or {}).get("triggers") or []:
            if t.get("type") != "kafka":
                continue
            where = f"ScaledObject {name_of(s)}"
            ref = t.get("authenticationRef") or {}
            auth = auths.get(ref.get("name")) if ref.get("kind", "TriggerAuthentication") == "TriggerAuthentication" else None
            if not r.check(auth is not None, f"{where}: kafka trigger authenticationRef {ref.get('name')} exists",
                           f"{where}: kafka trigger needs an authenticationRef to a TriggerAuthentication in this render "
                           f"(got {ref!r})"):
                continue
            md = t.get("metadata") or {}
            target = (s.get("spec", {}).get("scaleTargetRef") or {}).get("name")
            user_name = next((pod_labels(d).get(NAME_LABEL) for d in deployments if name_of(d) == target), None)
            aspec = auth.get("spec") or {}
            params = {x.get("parameter"): x for x in aspec.get("secretTargetRef") or []}
            env_params = {x.get("parameter"): x for x in aspec.get("env") or []}
            sasl = md.get("sasl") or (params.get("sasl") and "secret")
            tls = md.get("tls") or (params.get("tls") and "secret")
            r.check(sasl in ("scram_sha512", "secret") and tls in ("enable", "secret"),
                    f"{where}: trigger sasl {sasl}, tls {tls}",
                    f"{where}: trigger needs sasl scram_sha512 and tls enable (got {sasl!r}, {tls!r})")
            pw = params.get("password") or {}
            r.check(pw.get("name") == user_name and pw.get("key") == "password",
                    f"{where}: TriggerAuthentication {name_of(auth)} password from Secret {user_name} key password",
                    f"{where}: TriggerAuthentication {name_of(auth)} password must come from the KafkaUser Secret "
                    f"{user_name} key password (got {pw!r})")
            ca = params.get("ca") or {}
            r.check(re.fullmatch(KAFKA_CA_SECRET, ca.get("name") or "") and ca.get("key") == "ca.crt",
                    f"{where}: TriggerAuthentication {name_of(auth)} ca from {ca.get('name')} ca.crt",
                    f"{where}: TriggerAuthentication {name_of(auth)} needs ca from the cluster CA Secret key ca.crt")
            username = params.get("username") or env_params.get("username")
            ok = False
            if username and "parameter" in username and username in env_params.values():
                dep = next((d for d in deployments if name_of(d) == target), None)
                for c in pod_spec(dep or {}).get("containers") or []:
                    if username.get("containerName") in (None, c.get("name")):
                        value = next((e.get("value") for e in c.get("env") or [] if e.get("name") == username.get("name")), None)
                        ok = ok or value == user_name
            elif username:
                ok = username.get("name") is not None
            r.check(ok, f"{where}: TriggerAuthentication {name_of(auth)} username is {user_name}",
                    f"{where}: TriggerAuthentication {name_of(auth)} username must resolve to KafkaUser {user_name}")


def check_kafka_wiring(where, user, c, env, spec, configmaps, r):
    volumes = {v.get("name"): v for v in spec.get("volumes") or []}
    path = env.get("SWITCHYARD_KAFKA_PROPERTIES_FILE")
    if not r.check(path, f"{where}: SWITCHYARD_KAFKA_PROPERTIES_FILE {path}",
                   f"{where}: SWITCHYARD_KAFKA_PROPERTIES_FILE is not set (Kafka security comes from it)"):
        return
    m = mount_for(c, volumes, path)
    cm_name = ((m or {}).get("volume") or {}).get("configMap", {}).get("name")
    key = posixpath.relpath(path, m["mountPath"]) if m else None
    text = ((configmaps.get(cm_name) or {}).get("data") or {}).get(key)
    if not r.check(m and m["readOnly"] and text is not None, f"{where}: properties file is key {key} of ConfigMap {cm_name}",
                   f"{where}: {path} must be a key of a ConfigMap mounted read-only"):
        return
    props = parse_properties(text)
    r.check(props.get("security.protocol") == "SASL_SSL" and props.get("sasl.mechanism") == "SCRAM-SHA-512",
            f"{where}: SASL_SSL with SCRAM-SHA-512",
            f"{where}: properties need security.protocol=SASL_SSL and sasl.mechanism=SCRAM-SHA-512 "
            f"(got {props.get('security.protocol')!r}, {props.get('sasl.mechanism')!r})")
    literal = [k for k, v in props.items() if SECRET_PROPERTIES.search(k) and not PROPERTY_REF.fullmatch(v)]
    r.check(not literal, f"{where}: secret properties are ${{env:}}/${{file:}} references",
            f"{where}: properties {literal} hold values instead of ${{env:...}}/${{file:...}} references")
    env_items = {e.get("name"): e for e in c.get("env") or []}

    def resolves_to_secret(value, secret_pattern, wanted_key):
        ref = PROPERTY_REF.fullmatch(value or "")
        if not ref:
            return False
        if ref.group(1) == "file":
            fm = mount_for(c, volumes, ref.group(2))
            secret = ((fm or {}).get("volume") or {}).get("secret") or {}
            if not fm or not fm["readOnly"] or not re.fullmatch(secret_pattern, secret.get("secretName") or ""):
                return False
            rel = posixpath.relpath(ref.group(2), fm["mountPath"])
            items = secret.get("items")
            return (rel == wanted_key) if not items else any(
                i.get("key") == wanted_key and i.get("path") == rel for i in items)
        sk = ((env_items.get(ref.group(2)) or {}).get("valueFrom") or {}).get("secretKeyRef") or {}
        return re.fullmatch(secret_pattern, sk.get("name") or "") is not None and sk.get("key") == wanted_key

    r.check(resolves_to_secret(props.get("sasl.password"), re.escape(user), "password"),
            f"{where}: sasl.password references key password of KafkaUser Secret {user}",
            f"{where}: sasl.password (value not shown) must reference key password of Secret {user} "
            "(a read-only mount with ${file:...} or a secretKeyRef variable with ${env:...})")
    username = props.get("sasl.username", "")
    ref = PROPERTY_REF.fullmatch(username)
    resolved = (env.get(ref.group(2)) if ref and ref.group(1) == "env" else None) if ref else username
    r.check(resolved == user, f"{where}: sasl.username is {user}",
            f"{where}: sasl.username {username!r} must be (or reference a variable holding) {user}")
    ca = props.get("ssl.ca.location", "")
    cm = mount_for(c, volumes, ca) if ca else None
    ca_secret = ((cm or {}).get("volume") or {}).get("secret") or {}
    ca_key = posixpath.relpath(ca, cm["mountPath"]) if cm else None
    ca_ok = bool(cm and cm["readOnly"] and re.fullmatch(KAFKA_CA_SECRET, ca_secret.get("secretName") or "") and (
        any(i.get("key") == "ca.crt" and i.get("path") == ca_key for i in ca_secret["items"])
        if ca_secret.get("items") else ca_key == "ca.crt"))
    r.check(ca_ok, f"{where}: ssl.ca.location {ca} is ca.crt of the cluster CA Secret",
            f"{where}: ssl.ca.location {ca!r} must be key ca.crt of a read-only mount of Secret <cluster>-cluster-ca-cert")


def secret_data(secret):
    """data and stringData of a Secret, base64 like data."""
    out = dict(secret.get("data") or {})
    for k, v in (secret.get("stringData") or {}).items():
        out[k] = base64.b64encode(str(v).encode()).decode()
    return out


def file_references(node):
    if isinstance(node, dict):
        if set(node) == {"file"} and isinstance(node["file"], str):
            yield node["file"]
        for v in node.values():
            yield from file_references(v)
    elif isinstance(node, list):
        for v in node:
            yield from file_references(v)


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    root = os.path.abspath(argv[1])
    renderer = find_renderer()
    if renderer is None:
        print("check_k8s: FAIL: kubectl not found (set KUBECTL or KUSTOMIZE); install kubectl >= 1.27 "
              "(kustomize v5) — Debian 12's kubernetes-client 1.20 is too old", file=sys.stderr)
        return 1
    targets = [("base", os.path.join(root, "base"), True)]
    overlays_dir = os.path.join(root, "overlays")
    for name in sorted(os.listdir(overlays_dir)) if os.path.isdir(overlays_dir) else []:
        if os.path.exists(os.path.join(overlays_dir, name, "kustomization.yaml")):
            targets.append((name, os.path.join(overlays_dir, name), False))
    version = renderer_version(renderer)
    print(f"check_k8s: rendering with {' '.join(renderer)} ({version}): {', '.join(t[0] for t in targets)}")

    rule_groups = None
    try:
        with open(os.path.join(root, RULE_FILE), encoding="utf-8") as f:
            rule_groups = (yaml.safe_load(f) or {}).get("groups")
    except (OSError, yaml.YAMLError) as e:
        print(f"check_k8s: cannot read the rule file {RULE_FILE}: {e}", file=sys.stderr)
    failed = {}
    total = 0
    for name, directory, is_base in targets:
        print(f"\n== {name} ({os.path.relpath(directory, root)})")
        r = Report(name)
        docs, error = render(renderer, directory)
        if error is not None:
            r.fail(f"kustomize failed ({version}; kustomize v5 is needed): {error}")
        else:
            r.ok("kustomize renders")
            check_target(name, directory, docs, is_base, r, rule_groups)
        total += r.passed
        if r.failures:
            failed[name] = r.failures
    if len(targets) < 3:
        failed.setdefault("layout", []).append(f"expected base and overlays (dev, prod) under {root}")

    print()
    if failed:
        print(f"check_k8s: FAILED ({sum(len(f) for f in failed.values())} problems, {total} checks passed)")
        for name, failures in failed.items():
            for f in failures:
                print(f"  [{name}] {f}")
        return 1
    print(f"check_k8s: all {total} checks passed in {', '.join(t[0] for t in targets)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
