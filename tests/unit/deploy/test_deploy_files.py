"""The deployment files (deploy/) checked as far as this machine allows: the Helm values
against the schemas of Rasa's charts and key by key, every setting they name is one the
code reads, every probe and command points at a route or an entry point that exists, and
they are safe by default: the internet reaches only the patient's page and API (not Rasa's
webhook, not the staff console), and nothing starts without its secrets."""

import json
import re
import subprocess
import sys

import jsonschema
import pytest
import yaml

from bot.records.conversations import TRACKER_STORE_TYPE
from bot.run.stores import LOCK_STORE_TYPE, endpoint_variables
from bot.settings import PROJECT_DIR

DEPLOY = PROJECT_DIR / "deploy"
IMAGE_ENDPOINTS = "/etc/sscbot/endpoints.yml"
SCHEMAS = DEPLOY / "helm" / "chart-schemas"
CHARTS = {
    "rasa-values.yaml": "rasa-1.17.8.values.schema.json",
    "action-server-values.yaml": "rasa-action-server-1.0.9.values.schema.json",
}
COMPOSE = yaml.safe_load((DEPLOY / "compose" / "docker-compose.yml").read_text(encoding="utf-8"))
RASA_HEALTH, ACTIONS_HEALTH, WEB_HEALTH, CONSOLE_HEALTH = "/webhooks/rest/", "/health", "/health", "/staff/health"
NGINX = (DEPLOY / "compose" / "nginx.conf").read_text(encoding="utf-8")
SECRETS = {
    "SSCBOT_WEBHOOK_TOKEN": ("rasa", "widget", "console"),
    "SSCBOT_CONVERSATION_KEY": ("widget",),
    "SSCBOT_STAFF_KEY": ("console",),
}
# The patient's side (bot/web/server.py), and what must never be public.
WIDGET_PATHS = (
    "/",
    "/widget.js",
    "/widget.css",
    "/site.css",
    "/health",
    "/api/conversation",
    "/api/chat",
    "/api/feedback",
    "/api/intro",
    "/api/questions",
)
PRIVATE_PATHS = (
    "/webhooks/",
    "/webhooks/rest/webhook",
    "/webhooks/rest/",
    "/webhooks",
    "/staff/",
    "/staff",
    "/staff/api/login",
    "/staff/health",
    "/conversations/x/tracker",
    "/model",
    "/index.html",
)


def values(name):
    return yaml.safe_load((DEPLOY / "helm" / name).read_text(encoding="utf-8"))


def manifests(kind):
    """The plain Kubernetes objects of that kind in deploy/helm/*.yaml (beside the charts' values)."""
    found = []
    for path in sorted((DEPLOY / "helm").glob("*.yaml")):
        if path.name not in CHARTS:
            docs = yaml.safe_load_all(path.read_text(encoding="utf-8"))
            found += [doc for doc in docs if doc and doc["kind"] == kind]
    return found


def container(deployment):
    (only,) = deployment["spec"]["template"]["spec"]["containers"]
    return only


def nginx_blocks(text):
    """nginx.conf as a tree: a list of (arguments, block or None) per directive."""
    tokens = re.findall(r'"[^"]*"|[{};]|[^\s{};"]+', re.sub(r"#[^\n]*", "", text))
    tokens = [token.strip('"') if token.startswith('"') else token for token in tokens]

    def block(at):
        directives, words = [], []
        while at < len(tokens):
            token, at = tokens[at], at + 1
            if token == ";":
                directives.append((words, None))
                words = []
            elif token == "{":
                children, at = block(at)
                directives.append((words, children))
                words = []
            elif token == "}":
                return directives, at
            else:
                words.append(token)
        return directives, at

    return block(0)[0]


def directive(block, name):
    return [(args[1:], children) for args, children in block if args and args[0] == name]


def nginx_location(server, uri):
    """The location nginx picks for `uri` in this server: an exact match, else the longest
    prefix unless a regex (in order) matches first, as nginx's docs say."""
    locations = []
    for args, body in directive(server, "location"):
        modifier, path = (args[0], args[1]) if len(args) == 2 else ("", args[0])
        locations.append((modifier, path, body))
    for modifier, path, body in locations:
        if modifier == "=" and path == uri:
            return body
    prefixes = [loc for loc in locations if loc[0] in ("", "^~") and uri.startswith(loc[1])]
    longest = max(prefixes, key=lambda loc: len(loc[1]), default=None)
    if longest and longest[0] == "^~":
        return longest[2]
    for modifier, path, body in locations:
        if modifier in ("~", "~*") and re.search(path, uri, re.I if modifier == "~*" else 0):
            return body
    return longest[2] if longest else None


def nginx_upstream(location):
    """Where a location proxies to ("widget:8080"), or None (it answers itself, e.g. 404)."""
    if location is None or not directive(location, "proxy_pass"):
        return None
    (target,), _ = directive(location, "proxy_pass")[0]
    for (name, value), _ in directive(location, "set"):
        target = target.replace(name, value)
    return re.sub(r"^https?://", "", target).rstrip("/")


def nginx_servers():
    """(the ports a server listens on, whether with TLS, its directives) for each server."""
    ((_, http),) = directive(nginx_blocks(NGINX), "http")
    servers = []
    for _, server in directive(http, "server"):
        listens = [args for args, _ in directive(server, "listen")]
        servers.append(({args[0].rsplit(":", 1)[-1] for args in listens}, any("ssl" in a for a in listens), server))
    return http, servers


def published(service):
    """(host address, host port, container port) for each port compose publishes."""
    found = []
    for port in service.get("ports", []):
        if isinstance(port, dict):
            found.append((port.get("host_ip", "0.0.0.0"), str(port.get("published", "")), str(port["target"])))
        else:  # [[ADDRESS:]HOST_PORT:]CONTAINER_PORT
            *host, target = str(port).split("/")[0].rsplit(":", 2)
            found.append((host[0] if len(host) == 2 else "0.0.0.0", host[-1] if host else "", target))
    return found


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
    endpoints = yaml.safe_load((PROJECT_DIR / "endpoints.yml").read_text(encoding="utf-8"))
    credentials = yaml.safe_load((PROJECT_DIR / "credentials.yml").read_text(encoding="utf-8"))
    assert endpoints["tracker_store"]["type"] == TRACKER_STORE_TYPE
    assert not rasa["endpoints"]["trackerStore"]["enabled"] and not rasa["endpoints"]["lockStore"]["enabled"]
    leased = endpoint_variables({"SSCBOT_REDIS_URL": "redis://redis:6379/1"})  # as compose and Helm set it
    assert endpoints["lock_store"]["type"] == "${SSCBOT_LOCK_STORE}" and leased["SSCBOT_LOCK_STORE"] == LOCK_STORE_TYPE
    assert list(rasa["credentials"]["additionalChannelCredentials"]) == list(credentials)
    assert rasa["enableAPI"] is False and "*" not in rasa["cors"]


def test_every_way_of_running_uses_the_one_endpoints_file_and_names_the_database_once():
    """The image's copy of endpoints.yml for compose and Helm (beside the chart's own, unused); the
    conversations' database only in SSCBOT_POSTGRES_URL, never in a server's options."""
    image = f"COPY endpoints.yml {IMAGE_ENDPOINTS}"
    assert image in (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    commands = [COMPOSE["services"]["rasa"]["command"], values("rasa-values.yaml")["args"]]
    assert all(command[command.index("--endpoints") + 1] == IMAGE_ENDPOINTS for command in commands)
    assert sorted(p.name for p in DEPLOY.rglob("endpoints*")) == []
    deploy_text = "\n".join(p.read_text(encoding="utf-8") for p in DEPLOY.rglob("*") if p.suffix in (".yml", ".yaml"))
    assert deploy_text.count("@postgres:5432/") == 1  # compose's SSCBOT_POSTGRES_URL
    assert "--tracker-db" not in deploy_text and "DB_HOST" not in deploy_text


def test_probes_and_health_checks_use_the_servers_health_routes():
    rasa, actions = values("rasa-values.yaml"), values("action-server-values.yaml")
    for probe in ("livenessProbe", "readinessProbe"):
        assert rasa[probe]["httpGet"]["path"] == RASA_HEALTH
        assert actions[probe]["httpGet"]["path"] == ACTIONS_HEALTH
    checks = {
        name: " ".join(service["healthcheck"]["test"])
        for name, service in COMPOSE["services"].items()
        if name in ("rasa", "actions", "widget", "console")
    }
    assert RASA_HEALTH in checks["rasa"] and f"5055{ACTIONS_HEALTH}" in checks["actions"]
    assert f"8080{WEB_HEALTH}" in checks["widget"] and f"8081{CONSOLE_HEALTH}" in checks["console"]
    probes = {container(d)["name"]: container(d) for d in manifests("Deployment")}
    for name, path in (("widget", WEB_HEALTH), ("console", CONSOLE_HEALTH)):
        for probe in ("readinessProbe", "livenessProbe"):
            assert probes[name][probe]["httpGet"]["path"] == path
    launcher = (PROJECT_DIR / "bot" / "run" / "launcher.py").read_text(encoding="utf-8")
    assert '/webhooks/rest/"' in launcher and 'action_url}/health"' in launcher and 'web_url}/health"' in launcher


def test_commands_name_entry_points_and_files_that_exist():
    files = ("Dockerfile", "compose/docker-compose.yml", "helm/action-server-values.yaml", "helm/widget.yaml")
    text = "\n".join((DEPLOY / p).read_text(encoding="utf-8") for p in files)
    for module in set(re.findall(r"\bbot\.(?:run\.\w+|web|staff|console)\b", text)):
        path = PROJECT_DIR / module.replace(".", "/")
        assert (path / "__main__.py").exists() or path.with_suffix(".py").exists(), module
    for source in re.findall(r"^COPY (\S+)", (DEPLOY / "Dockerfile").read_text(encoding="utf-8"), re.M):
        if source != "models/ssc.tar.gz":  # made by make train
            assert (PROJECT_DIR / source).exists(), source
    assert "sscbot" in (PROJECT_DIR / "pyproject.toml").read_text(encoding="utf-8")  # the compose load step
    assert COMPOSE["services"]["load-content"]["entrypoint"] == ["sscbot", "content", "load"]


def server_commands():
    """{module: [its options]} of the widget server's and the console's commands in deploy/."""
    commands = {}
    for name in ("widget", "console"):
        service = COMPOSE["services"].get(name, {"entrypoint": ["python", "-m", "bot.web"], "command": []})
        commands.setdefault(service["entrypoint"][2], []).extend(service["command"])
    for deployment in manifests("Deployment"):
        spec = container(deployment)
        commands.setdefault(spec["command"][2], []).extend(spec["args"])
    return {module: sorted({word for word in words if word.startswith("--")}) for module, words in commands.items()}


@pytest.mark.parametrize("module", sorted(server_commands()))
def test_the_server_commands_use_options_the_servers_take(module):
    """The console and the widget server are ours: each option deploy/ gives them is in their --help."""
    shown = subprocess.run(
        [sys.executable, "-m", module, "--help"], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120
    )
    assert shown.returncode == 0, shown.stderr[-2000:]
    for option in server_commands()[module]:
        assert re.search(rf"{option}\b", shown.stdout), (module, option)


def test_nginx_routes_to_the_services_that_exist():
    _, servers = nginx_servers()
    targets = set()
    for _, _, server in servers:
        targets |= {nginx_upstream(body) for _, body in directive(server, "location")} - {None}
    assert targets == {"rasa:5005", "widget:8080"}
    for target in targets:
        assert target.split(":")[0] in COMPOSE["services"]
    trusted = COMPOSE["x-app"]["environment"]["SSCBOT_TRUSTED_PROXIES"]
    assert COMPOSE["services"]["nginx"]["networks"]["back"]["ipv4_address"] == trusted  # per-client rate limits
    for name in ("widget", "console"):  # Rasa through nginx's internal listener
        command = COMPOSE["services"][name]["command"]
        assert command[command.index("--rasa-url") + 1] == "http://nginx:5005", name


def test_the_public_nginx_server_routes_only_the_widgets_page_and_api():
    """Whatever nginx listens on for the published ports sends the widget's paths to the widget
    server and nothing else anywhere: /webhooks/ and /staff/ get nginx's own 404."""
    public_ports = {container for _, _, container in published(COMPOSE["services"]["nginx"])}
    _, servers = nginx_servers()
    public = [server for ports, _, server in servers if ports & public_ports]
    assert public and public_ports == {"443"}
    for server in public:
        for path in WIDGET_PATHS:
            assert nginx_upstream(nginx_location(server, path)) == "widget:8080", path
        for path in PRIVATE_PATHS:
            location = nginx_location(server, path)
            assert nginx_upstream(location) is None and ["404"] in [a for a, _ in directive(location, "return")], path
    internal = [server for ports, _, server in servers if not ports & public_ports]
    for server in internal:  # the Rasa replicas' balancer, for the widget server and the console
        assert nginx_upstream(nginx_location(server, "/webhooks/rest/webhook")) == "rasa:5005"
        assert nginx_upstream(nginx_location(server, "/staff/")) is None


def test_nginx_hides_its_version_and_sends_hsts_where_tls_ends():
    http, servers = nginx_servers()
    assert (["off"], None) in directive(http, "server_tokens")
    tls = [server for _, with_tls, server in servers if with_tls]
    assert tls  # TLS ends here (deploy/compose has no other proxy)
    for server in tls:
        headers = {args[0]: args[1:] for args, _ in directive(server, "add_header")}
        value, *flags = headers["Strict-Transport-Security"]
        assert int(re.search(r"max-age=(\d+)", value).group(1)) >= 180 * 86400 and flags == ["always"]
        # a location's own add_header would drop the server's
        assert not any(directive(body, "add_header") for _, body in directive(server, "location"))
        ((protocols, _),) = directive(server, "ssl_protocols")
        assert set(protocols) <= {"TLSv1.2", "TLSv1.3"}


def nginx_map(entries, value):
    """The value an nginx `map` gives: an exact key, else the first regex (~, ~*) that matches."""
    table = [(args[0], args[1]) for args, _ in entries]
    for key, result in table:
        if key == value and not key.startswith("~"):
            return result
    for key, result in table:
        if key.startswith("~") and re.search(key.lstrip("~*"), value, re.I if key.startswith("~*") else 0):
            return result
    return dict(table).get("default", "")


def nginx_refuses(http, location, content_encoding):
    """Whether an `if` in this location returns 415 for a request with that Content-Encoding;
    the variable it tests is the header's, or a `map` of it."""
    known = {"$http_content_encoding": content_encoding}
    for (source, variable), entries in directive(http, "map"):
        if source == "$http_content_encoding":
            known[variable] = nginx_map(entries, content_encoding)
    for condition, body in directive(location, "if"):
        variable, *test = " ".join(condition).strip("()").split()
        if variable not in known or ["415"] not in [args for args, _ in directive(body, "return")]:
            continue
        value = known[variable]
        if not test:
            hit = value not in ("", "0")
        elif test[0] in ("=", "!="):
            hit = (value == test[1]) == (test[0] == "=")
        else:  # ~ ~* !~ !~*
            hit = bool(re.search(test[1], value, re.I if test[0].endswith("*") else 0)) != test[0].startswith("!")
        if hit:
            return True
    return False


def test_nginx_refuses_compressed_request_bodies_on_the_api():
    http, servers = nginx_servers()
    for _, with_tls, server in servers:
        if with_tls:
            api = nginx_location(server, "/api/chat")
            for encoding in ("gzip", "deflate", "br", "GZIP", "x-gzip"):
                assert nginx_refuses(http, api, encoding), encoding
            assert not nginx_refuses(http, api, "")


def test_compose_publishes_no_port_of_rasa_or_the_actions_and_the_console_only_on_loopback():
    services = COMPOSE["services"]
    assert not any(service.get("network_mode") == "host" for service in services.values())
    for name, service in services.items():
        if name not in ("nginx", "console"):
            assert published(service) == [], name
    assert [port for _, port, _ in published(services["nginx"])] == ["443"]
    assert published(services["console"]) == [("127.0.0.1", "8081", "8081")]
    console, widget = services["console"], services["widget"]
    assert console["image"] == widget["image"] and console["entrypoint"][:2] == ["python", "-m"]
    assert console["command"][:4] == ["--host", "0.0.0.0", "--port", "8081"]


def test_compose_refuses_to_start_without_the_secrets():
    """Each secret is `${NAME:?message}`, which stops compose before anything starts, and
    reaches exactly the services that use it; example.env names each, empty."""
    example = (DEPLOY / "compose" / "example.env").read_text(encoding="utf-8")
    for name, users in SECRETS.items():
        for service_name, service in COMPOSE["services"].items():
            value = service.get("environment", {}).get(name)
            if service_name in users:
                assert re.fullmatch(rf"\$\{{{name}:\?[^}}]+\}}", value), (service_name, name, value)
            else:
                assert value is None, (service_name, name)
        assert re.search(rf"^{name}=$", example, re.M), name
    assert "secrets.token_urlsafe(32)" in example


def test_no_helm_ingress_routes_the_webhook_or_the_console():
    """Rasa's and the action server's charts make no Ingress; the widget's Ingress (Kubernetes'
    Exact and Prefix matching) routes the patient's paths to the widget server only."""
    for name in CHARTS:
        assert values(name)["ingress"]["enabled"] is False, name
        assert values(name)["service"]["type"] == "ClusterIP", name

    def routes(rule, path):
        for route in rule["http"]["paths"]:
            wanted, kind = route["path"], route["pathType"]
            if path == wanted or (
                kind != "Exact"
                and path.rstrip("/").split("/")[: len(wanted.rstrip("/").split("/"))] == wanted.rstrip("/").split("/")
            ):
                return route["backend"]["service"]["name"]
        return None

    ingresses = manifests("Ingress")
    assert ingresses
    for ingress in ingresses:
        assert "defaultBackend" not in ingress["spec"]
        for rule in ingress["spec"]["rules"]:
            for path in WIDGET_PATHS:
                assert routes(rule, path) == "sscbot-widget", path
            for path in PRIVATE_PATHS:
                assert routes(rule, path) is None, path
    for service in manifests("Service"):
        assert service["spec"]["type"] == "ClusterIP", service["metadata"]["name"]


def test_the_widget_server_and_the_console_reach_rasa_and_their_secrets_inside_the_cluster():
    rasa, actions = values("rasa-values.yaml"), values("action-server-values.yaml")
    rasa_url = f"http://{rasa['fullnameOverride']}:{rasa['service']['port']}"
    action_url = next(e["value"] for e in rasa["extraEnv"] if e["name"] == "SSCBOT_ACTION_URL")
    assert action_url == f"http://{actions['fullnameOverride']}/webhook"
    assert actions["service"]["port"] == 80
    secret_env = {}
    for deployment in manifests("Deployment"):
        spec = container(deployment)
        assert spec["args"][spec["args"].index("--rasa-url") + 1] == rasa_url
        secret_env[spec["name"]] = {e["name"] for e in spec["env"] if "valueFrom" in e}
    for name, users in SECRETS.items():
        for user in users:
            if user != "rasa":
                assert name in secret_env[user], (user, name)
        assert {user for user, names in secret_env.items() if name in names} == set(users) - {"rasa"}, name
    assert "SSCBOT_WEBHOOK_TOKEN" in {e["name"] for e in rasa["extraEnv"] if "valueFrom" in e}
