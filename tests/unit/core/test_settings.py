from core.settings import ElasticsearchSettings, KafkaSettings


class TestSettings:
    def test_secrets_are_masked_when_printed(self, monkeypatch):
        """A password read from the environment never shows in the settings' repr."""
        monkeypatch.setenv("TAPWATCH_KAFKA_PASSWORD", "hunter2-secret")
        monkeypatch.setenv("TAPWATCH_KAFKA_SASL_MECHANISM", "PLAIN")
        settings = KafkaSettings()
        assert "hunter2-secret" not in repr(settings)
        assert settings.kafka_python_options()["sasl_plain_password"] == "hunter2-secret"

    def test_bootstrap_and_es_urls_split_on_commas(self, monkeypatch):
        """Several brokers and several Elasticsearch nodes are given comma-separated."""
        monkeypatch.setenv("TAPWATCH_KAFKA_BOOTSTRAP", "k1:9092, k2:9092")
        monkeypatch.setenv("TAPWATCH_ES_URL", "https://es1:9200,https://es2:9200")
        assert KafkaSettings().bootstrap_servers == ["k1:9092", "k2:9092"]
        assert ElasticsearchSettings().hosts == ["https://es1:9200", "https://es2:9200"]

    def test_api_key_wins_over_basic_auth(self, monkeypatch):
        """With both an API key and a user, the client authenticates with the API key."""
        monkeypatch.setenv("TAPWATCH_ES_API_KEY", "key")
        monkeypatch.setenv("TAPWATCH_ES_USERNAME", "elastic")
        options = ElasticsearchSettings().client_options()
        assert options["api_key"] == "key" and "basic_auth" not in options

    def test_ssl_without_a_ca_file_still_gets_a_tls_context(self, monkeypatch):
        """SSL chosen without a CA file verifies with the system's CAs, never plaintext."""
        import ssl

        from core.settings import aiokafka_options

        monkeypatch.setenv("TAPWATCH_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
        options = aiokafka_options(KafkaSettings())
        context = options["ssl_context"]
        assert isinstance(context, ssl.SSLContext)
        assert context.verify_mode == ssl.CERT_REQUIRED

    def test_the_faust_worker_gets_tls_credentials_for_ssl(self, monkeypatch):
        """The worker's broker credentials carry a TLS context for SSL without a CA file."""
        import faust

        from streams.app import _credentials

        monkeypatch.setenv("TAPWATCH_KAFKA_SECURITY_PROTOCOL", "SSL")
        assert isinstance(_credentials(KafkaSettings()), faust.SSLCredentials)
