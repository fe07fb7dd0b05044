"""The deployment files (deploy/) checked as far as this machine allows: the Helm values
against the schemas of Rasa's charts and key by key, every setting they name is one the
code reads, every probe and command points at a route or an entry point that exists."""
import json
import re

import jsonschema
import pytest
import yaml

from bot.records.conversations import TRACKER_STORE_TYPE
from bot.settings import PROJECT_DIR

DEPLOY = PROJECT_DIR / "deploy"
SCHEMAS = DEPLOY / "helm" / "chart-schemas"
CHARTS = {"rasa-values.yaml": "rasa-1.17.8.values.schema.json",
          "action-server-values.yaml": "rasa-action-server-1.0.9.values.schema.json"}
COMPOSE = yaml.safe_load((DEPLOY / "compose" / "docker-compose.yml").read_text(encoding="utf-8"))
RASA_HEALTH, ACTIONS_HEALTH, WEB_HEALTH = "/webhooks/rest/", "/health", "/health"


def values(name):
    return yaml.safe_load((DEPLOY / "helm" / name).read_text(encoding="utf-8"))


def unknown_keys(data, schema, path=""):
    """Keys of `data` that the chart's schema does not name (where it names its keys)."""
    if not isinstance(data, dict) or "properties" not in schema:
        return []
    found = []
    for key, value in data.items():
        if key not in schema["properties"]:
            found.append(f"{path}{key}")
        else:
            found += unknown_keys(value, schema["properties"][key], f"{path}{key}.")
    return found


@pytest.mark.parametrize("name, schema_file", CHARTS.items())
def test_the_helm_values_fit_the_charts_schema_key_by_key(name, schema_file):
    schema = json.loads((SCHEMAS / schema_file).read_text(encoding="utf-8"))
    jsonschema.validate(values(name), schema)
    assert unknown_keys(values(name), schema) == []
    assert unknown_keys({"replicaCount": 2, "image": {"tagg": "1"}}, schema) == ["image.tagg"]  # a typo is caught


def test_every_setting_named_in_deploy_is_read_by_the_code():
    source = (PROJECT_DIR / "bot" / "settings.py").read_text(encoding="utf-8")
    known = set(re.findall(r'"(SSCBOT_[A-Z_]+)"', source))
    named = set()
    for path in DEPLOY.rglob("*"):
        if path.is_file() and path.suffix in (".yaml", ".yml", ".env", ""):
            named |= set(re.findall(r"\b(SSCBOT_[A-Z_]+)\b", path.read_text(encoding="utf-8")))
    assert named - {"SSCBOT_IMAGE"} <= known, named - known  # SSCBOT_IMAGE: compose's own
    assert {"SSCBOT_POSTGRES_URL", "SSCBOT_REDIS_URL", "SSCBOT_WEBHOOK_TOKEN", "SSCBOT_PUBLIC_URL"} <= named


def test_the_stores_and_the_channel_are_ours():
    rasa = values("rasa-values.yaml")["applicationSettings"]
    compose_endpoints = yaml.safe_load((DEPLOY / "compose" / "endpoints.yml").read_text(encoding="utf-8"))
    credentials = yaml.safe_load((PROJECT_DIR / "credentials.yml").read_text(encoding="utf-8"))
    assert rasa["endpoints"]["trackerStore"]["type"] == compose_endpoints["tracker_store"]["type"] == TRACKER_STORE_TYPE
    assert rasa["endpoints"]["lockStore"]["type"] == compose_endpoints["lock_store"]["type"] == "redis"
    assert list(rasa["credentials"]["additionalChannelCredentials"]) == list(credentials)
    assert rasa["enableAPI"] is False and "*" not in rasa["cors"]


def test_probes_and_health_checks_use_the_servers_health_routes():
    rasa, actions = values("rasa-values.yaml"), values("action-server-values.yaml")
    for probe in ("livenessProbe", "readinessProbe"):
        assert rasa[probe]["httpGet"]["path"] == RASA_HEALTH
        assert actions[probe]["httpGet"]["path"] == ACTIONS_HEALTH
    checks = {name: " ".join(service["healthcheck"]["test"]) for name, service in COMPOSE["services"].items()
              if name in ("rasa", "actions", "widget")}
    assert RASA_HEALTH in checks["rasa"] and f"5055{ACTIONS_HEALTH}" in checks["actions"]
    assert f"8080{WEB_HEALTH}" in checks["widget"]
    launcher = (PROJECT_DIR / "bot" / "run" / "launcher.py").read_text(encoding="utf-8")
    assert '/webhooks/rest/"' in launcher and 'action_url}/health"' in launcher and 'web_url}/health"' in launcher


def test_commands_name_entry_points_and_files_that_exist():
    modules = {"bot.run.rasa_server": "bot/run/rasa_server.py", "bot.run.action_server": "bot/run/action_server.py",
               "bot.web": "bot/web/__main__.py"}
    text = "\n".join((DEPLOY / p).read_text(encoding="utf-8") for p in
                     ("Dockerfile", "compose/docker-compose.yml", "helm/action-server-values.yaml"))
    for module in set(re.findall(r"\bbot\.(?:run\.\w+|web)\b", text)):
        assert (PROJECT_DIR / modules[module]).exists(), module
    for source in re.findall(r"^COPY (\S+)", (DEPLOY / "Dockerfile").read_text(encoding="utf-8"), re.M):
        if source != "models/ssc.tar.gz":  # made by make train
            assert (PROJECT_DIR / source).exists(), source
    assert "sscbot" in (PROJECT_DIR / "pyproject.toml").read_text(encoding="utf-8")  # the compose load step
    assert COMPOSE["services"]["load-content"]["entrypoint"] == ["sscbot", "content", "load"]


def test_nginx_routes_to_the_services_that_exist():
    conf = (DEPLOY / "compose" / "nginx.conf").read_text(encoding="utf-8")
    routes = dict(re.findall(r"location (\S+) \{ set \$\w+ http://([\w:]+);", conf))
    assert routes == {"/webhooks/": "rasa:5005", "/api/": "widget:8080", "/": "widget:8080"}
    for target in set(routes.values()):
        assert target.split(":")[0] in COMPOSE["services"]
    trusted = COMPOSE["x-app"]["environment"]["SSCBOT_TRUSTED_PROXIES"]
    assert COMPOSE["services"]["nginx"]["networks"]["back"]["ipv4_address"] == trusted  # per-client rate limits
