#!/usr/bin/env bash
# The compose file's Kafka entrypoint on the apache/kafka image: SASL/SCRAM-SHA-512 for
# clients, SASL/PLAIN on the controller listener, StandardAuthorizer ACLs.
#
# Under KRaft a SCRAM credential that must exist before the broker can authenticate
# anyone (its own inter-broker identity, the admin super user) is added when the storage
# is formatted: `kafka-storage.sh format --add-scram`. The image's run script formats
# the storage itself, without that option; so on the first start (no meta.properties in
# the log dir yet) this script formats first, from the same KAFKA_* variables the image
# turns into server.properties, then hands over to the image's run script, whose own
# format finds the storage "already formatted" and goes on. The other identities' SCRAM
# credentials are added later by the setup job (`tapwatch stack provision`), so this
# container holds only the admin's password.
#
# Reads TAPWATCH_KAFKA_USERNAME / TAPWATCH_KAFKA_PASSWORD (env/admin.env) and CLUSTER_ID
# (env/kafka.env); never prints the password.
set -euo pipefail

: "${TAPWATCH_KAFKA_USERNAME:?set it in env/admin.env}"
: "${TAPWATCH_KAFKA_PASSWORD:?set it in env/admin.env}"
: "${CLUSTER_ID:?set it in env/kafka.env}"
: "${KAFKA_LOG_DIRS:?the compose file sets it}"
admin=$TAPWATCH_KAFKA_USERNAME
password=$TAPWATCH_KAFKA_PASSWORD
# Kafka's own variables only from here on: the image renders every KAFKA_* into
# server.properties, and the tapwatch ones have no business in the broker's environment.
unset TAPWATCH_KAFKA_USERNAME TAPWATCH_KAFKA_PASSWORD

# The JAAS lines hold the password, so they are built here rather than written in the
# compose file: the image writes them into server.properties (inside this container only).
export KAFKA_LISTENER_NAME_CLIENT_SCRAM___SHA___512_SASL_JAAS_CONFIG="org.apache.kafka.common.security.scram.ScramLoginModule required username=\"$admin\" password=\"$password\";"
# The controller's one user is defined in place: SCRAM credentials live in the metadata
# log the controller itself serves, so it cannot check them.
export KAFKA_LISTENER_NAME_CONTROLLER_PLAIN_SASL_JAAS_CONFIG="org.apache.kafka.common.security.plain.PlainLoginModule required username=\"$admin\" password=\"$password\" user_$admin=\"$password\";"
export KAFKA_SUPER_USERS="User:$admin"

# Variables the image's wrapper (kafka.docker.KafkaDockerWrapper) does not render.
not_properties=" KAFKA_VERSION KAFKA_HEAP_OPTS KAFKA_LOG4J_OPTS KAFKA_OPTS KAFKA_JMX_OPTS KAFKA_JVM_PERFORMANCE_OPTS KAFKA_GC_LOG_OPTS KAFKA_LOG4J_ROOT_LOGLEVEL KAFKA_LOG4J_LOGGERS KAFKA_TOOLS_LOG4J_LOGLEVEL KAFKA_JMX_HOSTNAME "

# server.properties as the image's wrapper renders it: KAFKA_ dropped, lower case,
# '_' -> '.', '___' -> '-', '__' -> '_'.
render_properties() {
    local name key
    while IFS= read -r name; do
        [[ $not_properties == *" $name "* ]] && continue
        key=${name#KAFKA_}
        key=${key,,}
        key=${key//___/-}
        key=${key//__/@}
        key=${key//_/.}
        key=${key//@/_}
        printf '%s=%s\n' "$key" "${!name}"
    done < <(compgen -e | grep '^KAFKA_')
}

# The credentials the healthcheck's kafka-broker-api-versions.sh signs in with.
umask 077
client_config=/tmp/tapwatch-admin-client.properties
{
    echo "security.protocol=SASL_PLAINTEXT"
    echo "sasl.mechanism=SCRAM-SHA-512"
    echo "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"$admin\" password=\"$password\";"
} > "$client_config"

if [[ ! -f $KAFKA_LOG_DIRS/meta.properties ]]; then
    format_config=$(mktemp)
    render_properties > "$format_config"
    echo "===> Formatting $KAFKA_LOG_DIRS with $admin's SCRAM credential"
    /opt/kafka/bin/kafka-storage.sh format \
        --cluster-id="$CLUSTER_ID" \
        --config "$format_config" \
        --add-scram "SCRAM-SHA-512=[name=$admin,password=$password]"
    rm -f "$format_config"
fi
unset password

exec /etc/kafka/docker/run
