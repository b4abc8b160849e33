from classifiers.content.categories import lexicon_features, scan
from classifiers.content.labels import Category


class TestCategories:
    def test_masked_profanity_is_found(self):
        """Masked spellings like "f*ck" and "sh!t" are profanity."""
        hits = scan("f*ck this, sh!t happens")
        assert hits.terms == ("f*ck", "sh!t")
        assert hits.category is Category.PROFANITY

    def test_place_names_and_words_containing_terms_match_nothing(self):
        """Scunthorpe, Essex, class and assess hold no lexicon term."""
        assert scan("scunthorpe, essex, middlesex, class, assess, cocktail").hits == ()

    def test_slur_wins_over_insult_and_profanity(self):
        """A text with a slur is in the slur category whatever else it holds."""
        assert scan("you stupid fucking retard").category is Category.SLUR

    def test_sexual_wins_over_profanity(self):
        """Sexual content outranks plain profanity."""
        assert scan("damn, she is sexy").category is Category.SEXUAL

    def test_offensive_text_without_terms_is_insult_or_harassment(self):
        """An offensive text that matches no list falls back to insult_or_harassment."""
        assert scan("you people never read anything").category is Category.INSULT_OR_HARASSMENT

    def test_features_count_matches_per_category(self):
        """The lexicon block holds log(1 + matches) per category, in precedence order."""
        [row] = lexicon_features(["idiot idiot damn"])
        assert row.round(4).tolist() == [0.0, 0.0, 1.0986, 0.6931]
