"""The deploy stack, checked without a container engine: what can be validated is validated.

- ``deploy/compose.yaml`` against the Compose Specification's JSON Schema (the copy check-jsonschema ships),
  and for what the schema cannot see: the Kafka cluster's shape, volumes, mounts, health and start order.
- ``deploy/k8s`` rendered by ``kubectl kustomize`` and every object validated by kubernetes-validate for the
  Kubernetes versions below, strictly (unknown fields fail); the prometheus-operator kinds, which it has no
  schema for, by assertions of their own.
- Every ``PANTAU_`` variable the stacks set is a documented setting, and compose and k8s set the same ones.
- The Dockerfile, parsed: multi-stage, the core compiled in the build stage, a non-root final stage.

Files of other parts of issue 15 these tests read: deploy/prometheus/rules.yml (compose mount, promtool,
PrometheusRule), deploy/grafana/pantau.json and deploy/grafana/provisioning/ (compose mounts, dashboard
ConfigMap).
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from fnmatch import fnmatch
from importlib.metadata import distribution
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from jsonschema import FormatChecker
from jsonschema.validators import validator_for

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
# The oldest Kubernetes the manifests claim (fsGroupChangePolicy, policy/v1 PDBs, seccompProfile fields),
# and the newest kubernetes-validate knows: an API removed since would fail there.
KUBERNETES_VERSIONS = ("1.30", "1.37")
# Kinds with no schema in kubernetes-validate, checked by the tests below instead.
CRD_KINDS = {("monitoring.coreos.com/v1", "ServiceMonitor"), ("monitoring.coreos.com/v1", "PrometheusRule")}
# Secrets the operator creates (deploy/README.md): referred to, never rendered with a value.
EXTERNAL_SECRETS = {"pantau-notify-secrets", "pantau-console-officers", "pantau-kafka-credentials"}

Obj = dict[str, Any]


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@functools.cache
def compose() -> Obj:
    doc: Obj = load_yaml(DEPLOY / "compose.yaml")
    return doc


def services() -> dict[str, Obj]:
    found: dict[str, Obj] = compose()["services"]
    return found


def env(service: str) -> dict[str, str]:
    return {k: str(v) for k, v in (services()[service].get("environment") or {}).items()}


def pantau_services(command: str) -> list[str]:
    return [name for name, s in services().items() if s.get("command", [None])[0] == command]


def volume_mounts(service: str) -> dict[str, str]:
    """Container path -> source (a named volume, or a path relative to deploy/ with ${VAR:-default} resolved)."""
    mounts = {}
    for spec in services()[service].get("volumes", []):
        source, target = re.sub(r"\$\{[A-Z_]+:-([^}]+)\}", r"\1", spec).split(":")[:2]
        mounts[target] = source
    return mounts


def documented_settings() -> set[str]:
    """The variables of README.md's settings table (kept in step with streams.config by test_metrics_config)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `(PANTAU_[A-Z0-9_]+)` \|", readme, flags=re.MULTILINE))


def secret_env_names(notify_toml: str) -> set[str]:
    """The environment variables a notify configuration names for its secrets (``*_env``)."""
    names: set[str] = set()
    for channel in tomllib.loads(notify_toml).get("channel", []):
        for key, value in channel.items():
            if key.endswith("_env"):
                names.update([value] if isinstance(value, str) else value)
    return names


# --- compose ---------------------------------------------------------------------------------------------


def compose_validator() -> Any:
    # Read from the installed wheel's files, without importing check_jsonschema: its CLI needs a newer click
    # than faust-streaming allows, and only the schema is wanted here.
    path = distribution("check-jsonschema").locate_file("check_jsonschema/builtin_schemas/vendor/compose-spec.json")
    schema = json.loads(Path(str(path)).read_text(encoding="utf-8"))
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=FormatChecker())


def test_compose_validates_against_the_compose_specification() -> None:
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in compose_validator().iter_errors(compose())]
    assert errors == []


def test_the_compose_schema_is_strict_enough_to_catch_a_typo() -> None:
    broken = json.loads(json.dumps(compose()))
    broken["services"]["pantau-notify"]["depend_on"] = broken["services"]["pantau-notify"].pop("depends_on")
    broken["services"]["kafka-1"]["healthcheck"]["interval"] = [10]
    messages = " ".join(e.message for e in compose_validator().iter_errors(broken))
    assert "depend_on" in messages and "[10] is not of type 'string'" in messages


def test_compose_kafka_is_a_three_node_kraft_cluster_with_replication_3() -> None:
    brokers = [name for name, s in services().items() if str(s.get("image", "")).startswith("apache/kafka:")]
    assert len(brokers) == 3
    ids = {env(b)["KAFKA_NODE_ID"] for b in brokers}
    voters = {f"{env(b)['KAFKA_NODE_ID']}@{services()[b]['hostname']}:9093" for b in brokers}
    assert len(ids) == 3
    for b in brokers:
        e = env(b)
        assert e["KAFKA_PROCESS_ROLES"] == "broker,controller"
        assert set(e["KAFKA_CONTROLLER_QUORUM_VOTERS"].split(",")) == voters
        assert "CONTROLLER://:9093" in e["KAFKA_LISTENERS"].split(",")
        assert f"PLAINTEXT://{services()[b]['hostname']}:9092" in e["KAFKA_ADVERTISED_LISTENERS"].split(",")
        assert (e["KAFKA_DEFAULT_REPLICATION_FACTOR"], e["KAFKA_MIN_INSYNC_REPLICAS"]) == ("3", "2")
        assert e["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "3"
        assert volume_mounts(b)[e["KAFKA_LOG_DIRS"]] == f"{b}-data"
    assert len({env(b)["CLUSTER_ID"] for b in brokers}) == 1
    for worker in pantau_services("worker"):
        assert set(env(worker)["PANTAU_KAFKA_BOOTSTRAP"].split(",")) == {f"{b}:9092" for b in brokers}
        assert env(worker)["PANTAU_TOPIC_REPLICATION"] == "3"


def test_compose_workers_share_the_checkpoints_and_keep_their_own_data() -> None:
    workers = pantau_services("worker")
    assert len(workers) == 2
    state = {volume_mounts(w)[env(w)["PANTAU_STATE_DIR"]] for w in workers}
    data = {volume_mounts(w)[env(w)["PANTAU_DATA_DIR"]] for w in workers}
    assert len(state) == 1, "one checkpoint volume: a handover resumes from the previous holder's checkpoint"
    assert len(data) == len(workers)
    assert int(env(workers[0])["PANTAU_TOPIC_PARTITIONS"]) >= len(workers), "a worker beyond the partitions idles"
    # One image for every Pantau service, built from the Dockerfile at the repository's root.
    pantau = [n for n, s in services().items() if "build" in s]
    assert {services()[n]["image"] for n in pantau} == {"${PANTAU_IMAGE:-pantau:local}"}
    builds = {(services()[n]["build"]["context"], services()[n]["build"]["dockerfile"]) for n in pantau}
    assert builds == {("..", "Dockerfile")}


def test_compose_notify_reads_the_example_channels_and_its_secrets_from_an_env_file() -> None:
    (notify,) = pantau_services("notify")
    config_path = env(notify)["PANTAU_NOTIFY_CONFIG"]
    source = volume_mounts(notify)[config_path]
    assert source == "./notify.example.toml"
    secrets = secret_env_names((DEPLOY / source).read_text(encoding="utf-8"))
    assert secrets and not secrets & set(env(notify)), "secrets stay out of compose.yaml"
    assert [f["path"] for f in services()[notify]["env_file"]] == ["./notify.env"]
    example = (DEPLOY / "notify.env.example").read_text(encoding="utf-8")
    assert set(re.findall(r"^(PANTAU_[A-Z0-9_]+)=", example, flags=re.MULTILINE)) == secrets
    assert volume_mounts(notify)[env(notify)["PANTAU_NOTIFY_STATE_DIR"]] == "pantau-notify"


def test_compose_start_order_waits_for_health() -> None:
    for name, service in services().items():
        for dependency, condition in (service.get("depends_on") or {}).items():
            assert dependency in services(), f"{name} depends on unknown {dependency}"
            assert condition["condition"] in ("service_healthy", "service_started"), name
            if condition["condition"] == "service_healthy":
                assert "test" in services()[dependency].get("healthcheck", {}), dependency
        if "profiles" not in service:  # long-running: Docker reports its health
            assert "test" in service.get("healthcheck", {}), name
    for worker in pantau_services("worker") + pantau_services("notify"):
        conditions = services()[worker]["depends_on"]
        assert all(conditions[b]["condition"] == "service_healthy" for b in ("kafka-1", "kafka-2", "kafka-3"))
        probe = " ".join(services()[worker]["healthcheck"]["test"])
        port = env(worker)["PANTAU_NOTIFY_PORT" if worker in pantau_services("notify") else "PANTAU_WEB_PORT"]
        assert f"http://127.0.0.1:{port}/healthz" in probe


def test_compose_mounts_exist_and_monitoring_is_wired() -> None:
    for name in services():
        for target, source in volume_mounts(name).items():
            if source.startswith("."):
                assert (DEPLOY / source).exists(), f"{name}: {source} (mounted at {target}) is missing"
            else:
                assert source in compose()["volumes"], f"{name}: volume {source} is not declared"
    prometheus = volume_mounts("prometheus")
    assert prometheus["/etc/prometheus/rules.yml"] == "./prometheus/rules.yml"
    config = load_yaml(DEPLOY / prometheus["/etc/prometheus/prometheus.yml"])
    assert config["rule_files"] == ["/etc/prometheus/rules.yml"]
    assert config["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"] == ["alertmanager:9093"]
    targets = {job["job_name"]: job["static_configs"][0]["targets"] for job in config["scrape_configs"]}
    assert targets == {
        "pantau": [f"{w}:{env(w)['PANTAU_WEB_PORT']}" for w in pantau_services("worker")],
        "pantau-notify": [f"{n}:{env(n)['PANTAU_NOTIFY_PORT']}" for n in pantau_services("notify")],
    }
    grafana = volume_mounts("grafana")
    assert grafana["/etc/grafana/provisioning"] == "./grafana/provisioning"
    (provider,) = load_yaml(DEPLOY / "grafana/provisioning/dashboards/pantau.yml")["providers"]
    assert grafana[f"{provider['options']['path']}/pantau.json"] == "./grafana/pantau.json"
    (datasource,) = load_yaml(DEPLOY / "grafana/provisioning/datasources/pantau.yml")["datasources"]
    assert datasource["url"] == "http://prometheus:9090"


def test_prometheus_compose_config_passes_promtool(tmp_path: Path) -> None:
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool is not installed (make system-deps installs Debian's prometheus)")
    # As the container sees it: the rule file beside the configuration.
    config = load_yaml(DEPLOY / "prometheus/prometheus-compose.yml")
    config["rule_files"] = [str(DEPLOY / "prometheus/rules.yml")]
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    result = subprocess.run([promtool, "check", "config", str(tmp_path / "prometheus.yml")], capture_output=True)
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()


def test_alertmanager_config_passes_amtool_and_routes_incidents_to_the_duty_officers() -> None:
    route = load_yaml(DEPLOY / "alertmanager.yml")["route"]
    (incidents,) = [r for r in route["routes"] if 'alertname = "PantauIncident"' in r.get("matchers", [])]
    assert incidents["receiver"] == "duty-officers" and incidents["group_by"] == ["incident_id"]
    amtool = shutil.which("amtool")
    if amtool is None:
        pytest.skip("amtool is not installed (make system-deps installs Debian's prometheus-alertmanager)")
    result = subprocess.run([amtool, "check-config", str(DEPLOY / "alertmanager.yml")], capture_output=True)
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()


# --- Kubernetes ------------------------------------------------------------------------------------------


def kubectl() -> str:
    found = shutil.which("kubectl") or ("/usr/bin/kubectl" if os.access("/usr/bin/kubectl", os.X_OK) else None)
    if found is None:
        pytest.skip("kubectl is not installed: `kubectl kustomize` renders deploy/k8s")
    return found


@functools.cache
def render(directory: str) -> tuple[Obj, ...]:
    result = subprocess.run([kubectl(), "kustomize", directory], capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode()
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def objects(kind: str, docs: tuple[Obj, ...] | None = None) -> list[Obj]:
    return [d for d in (render(str(K8S)) if docs is None else docs) if d["kind"] == kind]


def one(kind: str, name: str, docs: tuple[Obj, ...] | None = None) -> Obj:
    (found,) = [d for d in objects(kind, docs) if d["metadata"]["name"] == name]
    return found


def container(workload: Obj) -> Obj:
    only: Obj
    (only,) = workload["spec"]["template"]["spec"]["containers"]
    return only


def config_map(name: str, docs: tuple[Obj, ...] | None = None) -> Obj:
    return one("ConfigMap", name, docs)


def container_env(workload: Obj, docs: tuple[Obj, ...] | None = None) -> dict[str, str]:
    """What the container's environment gets: its ConfigMaps (envFrom), then its own entries."""
    values: dict[str, str] = {}
    for source in container(workload).get("envFrom", []):
        values.update(config_map(source["configMapRef"]["name"], docs)["data"])
    for entry in container(workload).get("env", []):
        values[entry["name"]] = entry.get("value", f"<from {next(iter(entry.get('valueFrom', {})), '?')}>")
    return values


def workloads(docs: tuple[Obj, ...] | None = None) -> Iterator[Obj]:
    yield from objects("StatefulSet", docs)
    yield from objects("Deployment", docs)


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_k8s_renders_and_every_object_validates(version: str) -> None:
    docs = render(str(K8S))
    for doc in docs:
        if (doc["apiVersion"], doc["kind"]) in CRD_KINDS:
            continue
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(f"{doc['kind']}/{doc['metadata']['name']} at {'.'.join(map(str, exc.path))}: {exc.message}")
    kinds = {d["kind"] for d in docs}
    assert {"StatefulSet", "Deployment", "Service", "PodDisruptionBudget", "ConfigMap"} <= kinds
    assert {kind for _, kind in CRD_KINDS} <= kinds
    assert "Secret" not in kinds, "secrets are referred to, never committed"
    assert {d["metadata"].get("namespace") for d in docs if d["kind"] != "Namespace"} == {"pantau"}


def test_k8s_workloads_are_probed_bounded_and_unprivileged() -> None:
    ports = {"worker": "PANTAU_WEB_PORT", "notify": "PANTAU_NOTIFY_PORT"}
    for workload in workloads():
        spec, main = workload["spec"]["template"]["spec"], container(workload)
        assert spec["enableServiceLinks"] is False and spec["automountServiceAccountToken"] is False
        assert spec["securityContext"]["runAsNonRoot"] is True and spec["securityContext"]["runAsUser"] != 0
        assert main["securityContext"] == {
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "capabilities": {"drop": ["ALL"]},
        }
        for bound in ("requests", "limits"):
            assert set(main["resources"][bound]) == {"cpu", "memory"}, workload["metadata"]["name"]
        (command,) = main["args"]
        (port,) = main["ports"]
        assert str(port["containerPort"]) == container_env(workload)[ports[command]]
        assert main["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": port["name"]}
        assert main["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": port["name"]}
        assert main["image"].startswith("pantau:")


def test_k8s_state_lives_on_volumes_and_every_reference_resolves() -> None:
    docs = render(str(K8S))
    claims = {d["metadata"]["name"]: d for d in objects("PersistentVolumeClaim")}
    config_maps = {d["metadata"]["name"] for d in objects("ConfigMap")}
    for workload in workloads():
        spec = workload["spec"]["template"]["spec"]
        volumes = {v["name"]: v for v in spec["volumes"]}
        volumes.update(
            {t["metadata"]["name"]: {"template": t} for t in workload["spec"].get("volumeClaimTemplates", [])}
        )
        mounts = {m["mountPath"]: m["name"] for m in container(workload)["volumeMounts"]}
        assert set(mounts.values()) <= set(volumes)
        for volume in volumes.values():
            if "persistentVolumeClaim" in volume:
                assert volume["persistentVolumeClaim"]["claimName"] in claims
            if "configMap" in volume:
                assert volume["configMap"]["name"] in config_maps
            if "secret" in volume:
                assert volume["secret"]["secretName"] in EXTERNAL_SECRETS
        for entry in container(workload).get("env", []):
            if "secretKeyRef" in entry.get("valueFrom", {}):
                assert entry["valueFrom"]["secretKeyRef"]["name"] in EXTERNAL_SECRETS
        # The root filesystem is read-only: every directory Pantau writes must be a mounted volume.
        settings = container_env(workload, docs)
        command = container(workload)["args"][0]
        writes = ["PANTAU_DATA_DIR", "PANTAU_STATE_DIR"] if command == "worker" else ["PANTAU_NOTIFY_STATE_DIR"]
        for setting in writes:
            assert settings[setting] in mounts, f"{command}: {setting}={settings[setting]} is not a volume"
        assert "/tmp" in mounts
    worker = one("StatefulSet", "pantau-worker")
    volumes = {v["name"]: v for v in worker["spec"]["template"]["spec"]["volumes"]}
    mounts = {m["mountPath"]: m["name"] for m in container(worker)["volumeMounts"]}
    settings = container_env(worker)
    assert mounts[settings["PANTAU_DATA_DIR"]] == "data", "Faust's data: a volumeClaimTemplate, one per worker"
    state = claims[volumes[mounts[settings["PANTAU_STATE_DIR"]]]["persistentVolumeClaim"]["claimName"]]
    assert state["spec"]["accessModes"] == ["ReadWriteMany"], "every worker mounts the one checkpoint volume"
    assert int(settings["PANTAU_TOPIC_PARTITIONS"]) >= worker["spec"]["replicas"]
    headless = one("Service", worker["spec"]["serviceName"])
    assert headless["spec"]["clusterIP"] == "None"
    assert headless["spec"]["selector"] == worker["spec"]["selector"]["matchLabels"]
    (pdb,) = objects("PodDisruptionBudget")
    assert pdb["spec"]["selector"] == worker["spec"]["selector"] and pdb["spec"]["maxUnavailable"] == 1


def k8s_notify_config() -> str:
    """The notify configuration the Deployment mounts at PANTAU_NOTIFY_CONFIG (its ConfigMap's name is hashed)."""
    notify = one("Deployment", "pantau-notify")
    path = Path(container_env(notify)["PANTAU_NOTIFY_CONFIG"])
    mounts = {m["mountPath"]: m["name"] for m in container(notify)["volumeMounts"]}
    volumes = {v["name"]: v for v in notify["spec"]["template"]["spec"]["volumes"]}
    text: str = config_map(volumes[mounts[str(path.parent)]]["configMap"]["name"])["data"][path.name]
    return text


def test_k8s_notify_gets_exactly_the_secrets_its_configuration_names() -> None:
    notify = one("Deployment", "pantau-notify")
    assert notify["spec"]["replicas"] == 1 and notify["spec"]["strategy"] == {"type": "Recreate"}
    from_secrets = {e["name"] for e in container(notify).get("env", []) if "secretKeyRef" in e.get("valueFrom", {})}
    assert from_secrets == secret_env_names(k8s_notify_config())


def test_servicemonitor_scrapes_the_workers_and_notify_by_port_name() -> None:
    (monitor,) = objects("ServiceMonitor")
    selector = monitor["spec"]["selector"]

    def selected(service: Obj) -> bool:
        labels = service["metadata"].get("labels", {})
        if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
            return False
        for expression in selector.get("matchExpressions", []):
            assert expression["operator"] == "In", "only In is interpreted here"
            if labels.get(expression["key"]) not in expression["values"]:
                return False
        return True

    chosen = [s for s in objects("Service") if selected(s)]
    # The job label is the Service's name: the same jobs as in deploy/prometheus/prometheus-compose.yml.
    assert sorted(s["metadata"]["name"] for s in chosen) == ["pantau", "pantau-notify"]
    for endpoint in monitor["spec"]["endpoints"]:
        assert endpoint["path"] == "/metrics"
        for service in chosen:
            assert endpoint["port"] in {p["name"] for p in service["spec"]["ports"]}, service["metadata"]["name"]
    assert set(monitor["spec"]) <= {"selector", "endpoints", "namespaceSelector", "jobLabel"}


def test_prometheusrule_holds_exactly_the_rules_promtool_tests() -> None:
    (rule,) = objects("PrometheusRule")
    rules = load_yaml(DEPLOY / "prometheus/rules.yml")
    assert rule["spec"]["groups"] == rules["groups"], "run .venv/bin/python deploy/k8s/sync_rules.py"
    assert set(rule["spec"]) == {"groups"}


def test_dashboard_configmap_is_the_dashboard_file() -> None:
    dashboard = config_map("pantau-dashboard")
    assert dashboard["metadata"]["labels"]["grafana_dashboard"] == "1"
    text = (DEPLOY / "grafana/pantau.json").read_text(encoding="utf-8")
    assert dashboard["data"] == {"pantau.json": text}
    assert '"uid": "pantau-prometheus"' in text, "the datasource uid Grafana must have (deploy/README.md)"


def test_kafka_sasl_ssl_component_renders_validates_and_mounts_its_files(tmp_path: Path) -> None:
    # An overlay as an operator writes one: deploy/k8s plus the component.
    base = os.path.relpath(K8S, tmp_path)
    (tmp_path / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        f"resources: [{base}]\ncomponents: [{base}/components/kafka-sasl-ssl]\n",
        encoding="utf-8",
    )
    docs = render(str(tmp_path))
    for doc in docs:
        if (doc["apiVersion"], doc["kind"]) not in CRD_KINDS:
            kubernetes_validate.validate(doc, KUBERNETES_VERSIONS[0], strict=True)
    for workload in workloads(docs):
        settings = container_env(workload, docs)
        assert settings["PANTAU_KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
        mounts = {m["mountPath"] for m in container(workload)["volumeMounts"]}
        for setting in ("PANTAU_KAFKA_SASL_PASSWORD_FILE", "PANTAU_KAFKA_SSL_CAFILE"):
            assert str(Path(settings[setting]).parent) in mounts, (workload["metadata"]["name"], setting)


# --- settings --------------------------------------------------------------------------------------------


def dockerfile_env() -> dict[str, str]:
    values: dict[str, str] = {}
    for stage in dockerfile_stages()[-1:]:
        for keyword, args in stage["instructions"]:
            if keyword == "ENV":
                values.update(re.findall(r"([A-Z_][A-Z0-9_]*)=(\S+)", args))
    return values


def set_anywhere() -> dict[str, set[str]]:
    """Every PANTAU_ variable each stack sets (the component's too), and where."""
    where: dict[str, set[str]] = {}
    for name in services():
        for variable in env(name):
            where.setdefault(variable, set()).add(f"compose {name}")
    component = K8S / "components/kafka-sasl-ssl/kustomization.yaml"
    for literal in load_yaml(component)["configMapGenerator"][0]["literals"]:
        where.setdefault(literal.split("=")[0], set()).add("k8s kafka-sasl-ssl")
    for workload in workloads():
        for variable in container_env(workload):
            where.setdefault(variable, set()).add(f"k8s {workload['metadata']['name']}")
    for variable in dockerfile_env():
        where.setdefault(variable, set()).add("Dockerfile")
    return {k: v for k, v in where.items() if k.startswith("PANTAU_")}


def test_every_pantau_variable_set_is_a_documented_setting() -> None:
    secrets = secret_env_names((DEPLOY / "notify.example.toml").read_text(encoding="utf-8"))
    secrets |= secret_env_names(k8s_notify_config())
    documented = documented_settings()
    assert len(documented) > 30, "README.md's settings table was not found"
    undocumented = {k: sorted(v) for k, v in set_anywhere().items() if k not in documented | secrets}
    assert not undocumented, f"set, but not in README.md's settings table: {undocumented}"


def test_compose_and_k8s_set_the_same_variables_for_each_service() -> None:
    worker = set(container_env(one("StatefulSet", "pantau-worker")))
    for name in pantau_services("worker"):
        assert set(env(name)) == worker, name
    (notify,) = pantau_services("notify")
    compose_secrets = secret_env_names((DEPLOY / "notify.example.toml").read_text(encoding="utf-8"))
    k8s_notify = container_env(one("Deployment", "pantau-notify"))
    k8s_secrets = {k for k, v in k8s_notify.items() if v.startswith("<from secretKeyRef")}
    assert set(env(notify)) - compose_secrets == set(k8s_notify) - k8s_secrets
    # The image's defaults agree with what both stacks set.
    for variable, value in dockerfile_env().items():
        if variable.startswith("PANTAU_"):
            assert (
                env(pantau_services("worker")[0])[variable]
                == value
                == container_env(one("StatefulSet", "pantau-worker"))[variable]
            ), variable


# --- Dockerfile ------------------------------------------------------------------------------------------


@functools.cache
def dockerfile_stages() -> list[Obj]:
    """The Dockerfile's stages: each FROM with its name and its instructions, continuation lines joined."""
    stages: list[Obj] = []
    current = ""
    for raw in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#") or (not line and not current):
            continue  # comments, also between continuation lines, are not part of an instruction
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        keyword, _, args = (current + line).partition(" ")
        current = ""
        if keyword.upper() == "FROM":
            parts = [p for p in args.split() if not p.startswith("--")]
            stages.append({"base": parts[0], "name": parts[2] if len(parts) == 3 else "", "instructions": []})
        elif stages:
            stages[-1]["instructions"].append((keyword.upper(), args.strip()))
    return stages


def instructions(stage: Obj, keyword: str) -> list[str]:
    return [args for k, args in stage["instructions"] if k == keyword]


def test_dockerfile_builds_the_compiled_core_and_runs_it_unprivileged() -> None:
    stages = dockerfile_stages()
    assert len(stages) >= 2
    build, runtime = stages[0], stages[-1]
    assert len({s["base"] for s in stages}) == 1, "one interpreter: a compiled module loads into its own ABI only"
    assert any(re.search(r"(^|&& )pantau compile( |$)", run) for run in instructions(build, "RUN"))
    assert any("gcc" in run for run in instructions(build, "RUN"))
    assert not any("pantau compile" in run or "gcc" in run for run in instructions(runtime, "RUN"))
    assert any(f"--from={build['name']}" in copy for copy in instructions(runtime, "COPY"))
    assert not [c for c in instructions(runtime, "COPY") if "--from=" not in c], "only the built environment"
    (user,) = instructions(runtime, "USER")
    assert user.split(":")[0] not in ("root", "0") and user.split(":")[0].isdigit(), "numeric, for runAsNonRoot"
    assert instructions(runtime, "EXPOSE") == ["6066 6067"]
    (healthcheck,) = instructions(runtime, "HEALTHCHECK")
    assert '"python"' in healthcheck and "/healthz" in healthcheck and "curl" not in healthcheck
    assert json.loads(instructions(runtime, "ENTRYPOINT")[0])[-1] == "pantau"
    assert json.loads(instructions(runtime, "CMD")[0]) == ["worker"]
    (volume,) = instructions(runtime, "VOLUME")
    assert all(dockerfile_env()[s].startswith(json.loads(volume)[0]) for s in ("PANTAU_STATE_DIR", "PANTAU_DATA_DIR"))


def test_dockerignore_keeps_local_state_out_and_the_packages_in() -> None:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]

    def ignored(path: str) -> bool:
        # Excluding a directory excludes what is in it.
        parts = path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        return any(fnmatch(x, p) or fnmatch(x, p.removeprefix("**/")) for x in prefixes for p in patterns)

    for path in (".venv", ".run", "build", ".git", "tests", "deploy", "deploy/notify.env", "x/__pycache__"):
        assert ignored(path), path
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for package in pyproject["tool"]["setuptools"]["packages"]:
        assert not ignored(package.split(".")[0]), package
    assert not ignored("pyproject.toml") and not ignored("README.md")
