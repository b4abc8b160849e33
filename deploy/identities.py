"""The service identities of a deployment: each one's Elasticsearch role and Kafka ACLs.

One table, read by `tapwatch stack up` (which creates the users) and by docs/security.md.
Index and topic names are prefixes: a namespaced pipeline (`tapwatch-alerts-t1`) is covered
by the same grant as the default one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Kafka operations, in the names of kafka-python's ACLOperation.
READ, WRITE, CREATE, DESCRIBE, DELETE = "READ", "WRITE", "CREATE", "DESCRIBE", "DELETE"
DESCRIBE_CONFIGS, ALTER_CONFIGS = "DESCRIBE_CONFIGS", "ALTER_CONFIGS"
IDEMPOTENT_WRITE = "IDEMPOTENT_WRITE"


@dataclass(frozen=True, slots=True)
class TopicGrant:
    """Operations allowed (or, with deny, refused) on every topic whose name starts with prefix."""

    prefix: str
    operations: tuple[str, ...]
    deny: bool = False


@dataclass(frozen=True, slots=True)
class IndexGrant:
    """Elasticsearch index privileges on the indices matching `names` (wildcards allowed)."""

    names: tuple[str, ...]
    privileges: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Identity:
    """One service's credentials: a Kafka user and (unless es is None) an Elasticsearch user."""

    name: str
    job: str
    topics: tuple[TopicGrant, ...] = ()
    # Consumer group prefixes it may join.
    groups: tuple[str, ...] = ()
    # Transactional id prefixes it may use (Faust's exactly-once producers).
    transactional_ids: tuple[str, ...] = ()
    indices: tuple[IndexGrant, ...] | None = ()
    cluster_es: tuple[str, ...] = ()
    super_user: bool = False
    # What an attacker holding the credential could still do (docs/security.md).
    exposure: str = ""
    kafka_cluster: tuple[str, ...] = field(default=(IDEMPOTENT_WRITE,))

    @property
    def username(self) -> str:
        return f"tapwatch-{self.name}"

    @property
    def has_es(self) -> bool:
        return self.indices is not None


_ALL_TOPIC_OPS = (READ, WRITE, CREATE, DESCRIBE, DESCRIBE_CONFIGS)
_READ_TOPIC = (READ, DESCRIBE)
_WRITE_TOPIC = (WRITE, DESCRIBE)
_ANCHORS = "tapwatch-audit-anchors"
_OUTBOX = "tapwatch-mail-outbox"

ADMIN = Identity(
    name="admin",
    job="creates topics, templates and users; the local tools and the test suite",
    super_user=True,
    cluster_es=("all",),
    indices=(IndexGrant(("*",), ("all",)),),
    exposure="everything: read, change and delete all data, users and ACLs",
)

IDENTITIES: tuple[Identity, ...] = (
    ADMIN,
    Identity(
        name="worker",
        job="reads posts, writes alerts, posts and deletions to Elasticsearch; its own topics",
        topics=(
            # Deny wins over allow: the worker can never forge an audit anchor or an outbox
            # entry, though both names share its `tapwatch` prefix.
            TopicGrant(_ANCHORS, (WRITE, CREATE, DELETE), deny=True),
            TopicGrant(_OUTBOX, (WRITE, CREATE, DELETE), deny=True),
            # The reference data decides who is mailed: only `tapwatch district load` (admin)
            # writes it.
            TopicGrant("tapwatch-district-reference", (WRITE, DELETE), deny=True),
            TopicGrant("tapwatch", _ALL_TOPIC_OPS),
        ),
        groups=("tapwatch",),
        transactional_ids=("tapwatch",),
        indices=(
            IndexGrant(
                ("tapwatch-alerts*", "tapwatch-posts*", "tapwatch-ops*"),
                ("create_index", "create_doc", "index", "read", "view_index_metadata"),
            ),
        ),
        cluster_es=("monitor", "manage_index_templates"),
        exposure="read every post and alert; write false alerts or posts (and so mail the "
        "building's principals about them); cannot touch the audit trail, anchors, outbox "
        "or district reference data",
    ),
    Identity(
        name="connectors",
        job="polls the platforms and produces raw posts, deletions and its cursors",
        topics=(
            TopicGrant("tapwatch-raw", _WRITE_TOPIC),
            TopicGrant("tapwatch-posts", _WRITE_TOPIC),
            TopicGrant("tapwatch-post-deletions", _WRITE_TOPIC),
            TopicGrant("tapwatch-connector-cursors", (*_READ_TOPIC, WRITE)),
            TopicGrant("tapwatch-component-status", (*_READ_TOPIC, WRITE)),
            TopicGrant("tapwatch-district-reference", _READ_TOPIC),
        ),
        groups=("tapwatch-connectors",),
        transactional_ids=("tapwatch-connectors",),
        indices=None,
        exposure="inject forged posts (which can raise false alerts); read district reference",
    ),
    Identity(
        name="webhook",
        job="receives platform callbacks and produces raw posts; no Elasticsearch credential",
        topics=(
            TopicGrant("tapwatch-raw", _WRITE_TOPIC),
            TopicGrant("tapwatch-posts", _WRITE_TOPIC),
            # Its health on the status board (`tapwatch status`); it reads no one's.
            TopicGrant("tapwatch-component-status", _WRITE_TOPIC),
        ),
        indices=None,
        exposure="inject forged posts; write a false health line of its own; read nothing",
    ),
    Identity(
        name="mailer",
        job="reads alerts, keeps the outbox, sends the mail; no Elasticsearch writes",
        topics=(
            TopicGrant("tapwatch-alerts", _READ_TOPIC),
            TopicGrant(_OUTBOX, (*_READ_TOPIC, WRITE, CREATE)),
            TopicGrant("tapwatch-district-reference", _READ_TOPIC),
            TopicGrant("tapwatch-component-status", (*_READ_TOPIC, WRITE)),
        ),
        groups=("tapwatch-mailer",),
        indices=(IndexGrant(("tapwatch-alerts*", "tapwatch-ops*"), ("read",)),),
        exposure="read alerts; queue mail, which the outbox check limits to the alert's "
        "principals and IT",
    ),
    Identity(
        name="reviewer",
        job="the console and `tapwatch incidents`: read alerts and posts, update alerts, "
        "append audit entries and anchors; no deletes",
        topics=(
            TopicGrant(_ANCHORS, (*_READ_TOPIC, WRITE)),
            TopicGrant("tapwatch-district-reference", _READ_TOPIC),
        ),
        # `maintenance` is the refresh before a legal hold or an audit append reads back
        # what was just written; `index` on posts sets and clears their legal-hold flag.
        indices=(
            IndexGrant(
                ("tapwatch-alerts*",), ("read", "index", "view_index_metadata", "maintenance")
            ),
            IndexGrant(("tapwatch-posts*",), ("read", "index", "maintenance")),
            IndexGrant(
                ("tapwatch-audit*", "tapwatch-console-access*"),
                ("create_index", "create_doc", "read", "view_index_metadata", "maintenance"),
            ),
        ),
        exposure="read and re-label alerts; read posts and overwrite them (the legal-hold "
        "flag needs `index`; the posts are not in the audit chain); append (never rewrite) "
        "audit entries; delete nothing",
    ),
    Identity(
        name="retention",
        job="purges old posts of no alert and no legal hold",
        # Its rounds on the status board, so the mailer can tell IT when one is overdue;
        # its compose healthcheck (`tapwatch status --kind retention`) reads them back.
        topics=(TopicGrant("tapwatch-component-status", (*_READ_TOPIC, WRITE)),),
        # `maintenance` is the refresh before each round: an alert indexed a moment ago
        # must be seen before the posts it protects are judged.
        indices=(
            IndexGrant(("tapwatch-posts*",), ("read", "delete", "maintenance")),
            IndexGrant(("tapwatch-alerts*",), ("read", "maintenance")),
        ),
        exposure="delete posts (not alerts or the audit trail); read alerts",
    ),
)


def by_name(name: str) -> Identity:
    for identity in IDENTITIES:
        if identity.name == name:
            return identity
    raise KeyError(name)


def es_role(identity: Identity) -> dict[str, object]:
    """One identity's Elasticsearch role, in the security API's (and roles.yml's) form."""
    return {
        "cluster": list(identity.cluster_es),
        "indices": [
            {"names": list(grant.names), "privileges": list(grant.privileges)}
            for grant in identity.indices or ()
        ],
    }


def es_roles() -> dict[str, dict[str, object]]:
    """Role name -> role, for every identity holding an Elasticsearch credential."""
    return {i.username: es_role(i) for i in IDENTITIES if i.has_es and not i.super_user}


def es_user_role(identity: Identity) -> str:
    return "superuser" if identity.super_user else identity.username


def es_users(passwords: dict[str, str]) -> dict[str, tuple[str, str]]:
    """User name -> (password, role) of every identity holding an Elasticsearch credential."""
    return {i.username: (passwords[i.name], es_user_role(i)) for i in IDENTITIES if i.has_es}


def _kafka_rights(identity: Identity) -> str:
    if identity.super_user:
        return "super user"
    parts = [
        f"{'deny' if grant.deny else 'allow'} {'/'.join(grant.operations).lower()} "
        f"`{grant.prefix}*`"
        for grant in identity.topics
    ]
    parts += [f"group `{group}*`" for group in identity.groups]
    parts += [f"transactional id `{tid}*`" for tid in identity.transactional_ids]
    return "; ".join(parts) or "none"


def _es_rights(identity: Identity) -> str:
    if identity.indices is None:
        return "no credential"
    if identity.super_user:
        return "superuser"
    parts = [
        f"{'/'.join(grant.privileges)} on {', '.join(f'`{n}`' for n in grant.names)}"
        for grant in identity.indices
    ]
    if identity.cluster_es:
        parts.append(f"cluster: {', '.join(identity.cluster_es)}")
    return "; ".join(parts) or "none"


def render_identity_table() -> str:
    """The Markdown table of docs/security.md (a unit test keeps the two in step)."""
    lines = [
        "| identity | job | Kafka | Elasticsearch | an attacker holding it could still |",
        "|---|---|---|---|---|",
    ]
    for identity in IDENTITIES:
        cells = (
            f"`{identity.username}`",
            identity.job,
            _kafka_rights(identity),
            _es_rights(identity),
            identity.exposure,
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
