"""deploy/compose/kafka-run.sh: the server.properties it formats with are the image's own."""

from __future__ import annotations

import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[3] / "deploy" / "compose" / "kafka-run.sh"


def _wrapper_key(name: str) -> str:
    """kafka.docker.KafkaDockerWrapper's rule (Kafka 3.9): drop KAFKA_, lower case,
    '_' -> '.', then '...' -> '-', then '..' -> '_'."""
    return (
        name.removeprefix("KAFKA_").lower().replace("_", ".").replace("...", "-").replace("..", "_")
    )


def _render(environment: dict[str, str]) -> dict[str, str]:
    """Run the script's render_properties alone, in a clean environment."""
    text = SCRIPT.read_text()
    function = text[text.index("not_properties=") : text.index("# The credentials the")]
    result = subprocess.run(
        ["bash", "-c", function + "\nrender_properties"],
        env={"PATH": "/usr/bin:/bin", **environment},
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return dict(line.split("=", 1) for line in result.stdout.splitlines())


def test_the_script_parses() -> None:
    """bash accepts the script."""
    subprocess.run(["bash", "-n", str(SCRIPT)], check=True, timeout=30)


def test_names_convert_as_the_image_converts_them() -> None:
    """'_', '__' and '___' in a name become '.', '_' and '-', as the image's wrapper does."""
    names = [
        "KAFKA_NODE_ID",
        "KAFKA_LISTENER_NAME_CLIENT_SCRAM___SHA___512_SASL_JAAS_CONFIG",
        "KAFKA_SOME__UNDERSCORED_NAME",
        "KAFKA_ODD____NAME",
    ]
    rendered = _render({name: f"v{i}" for i, name in enumerate(names)})
    assert rendered == {_wrapper_key(name): f"v{i}" for i, name in enumerate(names)}
    assert "listener.name.client.scram-sha-512.sasl.jaas.config" in rendered


def test_values_keep_their_equals_signs_and_quotes() -> None:
    """A JAAS line (quotes, '=' and ';') goes through unchanged."""
    jaas = 'ScramLoginModule required username="a" password="b=c";'
    assert _render({"KAFKA_SASL_JAAS_CONFIG": jaas}) == {"sasl.jaas.config": jaas}


def test_jvm_and_logging_variables_are_not_properties() -> None:
    """KAFKA_HEAP_OPTS and the other variables the wrapper excludes are left out, as are
    variables without the KAFKA_ prefix."""
    rendered = _render(
        {"KAFKA_HEAP_OPTS": "-Xmx1g", "KAFKA_OPTS": "-Dx", "CLUSTER_ID": "c", "KAFKA_NODE_ID": "1"}
    )
    assert rendered == {"node.id": "1"}
