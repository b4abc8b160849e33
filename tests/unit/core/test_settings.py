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
